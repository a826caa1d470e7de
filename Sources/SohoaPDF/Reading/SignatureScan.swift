import Foundation

/// A `/ByteRange` found in a file's bytes, independently of any cross-reference data: each is
/// a signature dictionary that a verifier must account for, whatever a reader's view of the
/// document shows (a trailer may cut revisions off, an object may fail to parse).
public struct ByteRangeOccurrence: Sendable, Equatable {
    /// Where `/ByteRange` starts in the file.
    public let offset: Int
    /// The number of the object it sits in (`N G obj` before it), nil when none is found.
    public let objectNumber: Int?
    /// The array's numbers when it is four integers that fit in 64 bits; nil otherwise.
    public let numbers: [Int]?
}

/// Finds every `/ByteRange` in a file's bytes.
public enum SignatureScan {
    /// How far back from `/ByteRange` the object header is looked for: past the `/Contents`
    /// string some producers write first, long-term validation data included.
    static let headerWindow = 16 << 20
    /// How many occurrences are examined; a file with more holds no believable signatures, and
    /// each one beyond is reported as it is found (without its object).
    static let occurrenceLimit = 1000

    public static func byteRanges(in bytes: UnsafeRawBufferPointer) -> [ByteRangeOccurrence] {
        RevisionLayout.occurrences(of: Array("/ByteRange".utf8), in: bytes).enumerated().map { index, offset in
            guard index < occurrenceLimit else { return ByteRangeOccurrence(offset: offset, objectNumber: nil, numbers: nil) }
            return ByteRangeOccurrence(offset: offset, objectNumber: objectNumber(before: offset, in: bytes),
                                       numbers: numbers(after: offset + 10, in: bytes))
        }
    }

    /// The object number of the last `N G obj` header before `offset`, within the window.
    static func objectNumber(before offset: Int, in bytes: UnsafeRawBufferPointer) -> Int? {
        let floor = max(0, offset - headerWindow)
        var j = offset
        while j > floor + 2 {
            j -= 1
            guard bytes[j] == UInt8(ascii: "j"), bytes[j - 1] == UInt8(ascii: "b"), bytes[j - 2] == UInt8(ascii: "o") else {
                continue
            }
            // Read back: white space, generation digits, white space, object digits.
            var cursor = j - 3
            func skipSpace() { while cursor >= floor, PDFBytes.isWhiteSpace(bytes[cursor]) { cursor -= 1 } }
            func digits() -> Int? {
                let last = cursor
                while cursor >= floor, PDFBytes.isDigit(bytes[cursor]) { cursor -= 1 }
                guard cursor < last, last - cursor <= 10 else { return nil }
                return PDFBytes.integer(bytes, (cursor + 1)..<(last + 1))
            }
            skipSpace()
            guard digits() != nil else { continue }
            skipSpace()
            guard let number = digits() else { continue }
            return number
        }
        return nil
    }

    /// `[a b c d]` after `/ByteRange`, when it is four integers that fit in 64 bits.
    static func numbers(after offset: Int, in bytes: UnsafeRawBufferPointer) -> [Int]? {
        var cursor = offset
        let end = min(bytes.count, offset + 256)
        while cursor < end, PDFBytes.isWhiteSpace(bytes[cursor]) { cursor += 1 }
        guard cursor < end, bytes[cursor] == UInt8(ascii: "[") else { return nil }
        cursor += 1
        var numbers: [Int] = []
        while cursor < end {
            while cursor < end, PDFBytes.isWhiteSpace(bytes[cursor]) { cursor += 1 }
            guard cursor < end else { return nil }
            if bytes[cursor] == UInt8(ascii: "]") { return numbers.count == 4 ? numbers : nil }
            let start = cursor
            if bytes[cursor] == UInt8(ascii: "-") || bytes[cursor] == UInt8(ascii: "+") { cursor += 1 }
            while cursor < end, PDFBytes.isDigit(bytes[cursor]) { cursor += 1 }
            guard let number = PDFBytes.integer(bytes, start..<cursor) else { return nil }  // a sign and digits
            numbers.append(number)
            guard numbers.count <= 4 else { return nil }
        }
        return nil
    }
}
