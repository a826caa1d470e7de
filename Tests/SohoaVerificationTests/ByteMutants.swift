import Foundation
import SohoaTestSupport

/// Byte-level mutants of a signed PDF, and what a verifier may say about each.
struct ByteMutant {
    let bytes: [UInt8]
    /// The operator and where it acted, enough to redo it by hand.
    let what: String
    let expectation: Expectation

    enum Expectation: String {
        /// A signed byte, a /Contents value, or what follows the last signed revision changed:
        /// never valid.
        case notValid
        /// Only bytes after the last signed revision changed, inside a later unsigned revision
        /// (the DSS of a B-LT file): any verdict, but no crash.
        case unsignedRevision
        /// Only CMS parts no signature protects changed (certificates other than the signer's,
        /// CRLs, unsigned attributes such as the time-stamp token), inside a /Contents no other
        /// signature covers: the document is unchanged; any verdict, but no crash.
        case unprotectedCMS
        /// The document reads exactly as before: a hexadecimal digit's case in a /Contents no
        /// other signature covers, or white space after the last %%EOF.
        case equivalent
    }

    /// Boundary values a number token is replaced with.
    static let boundaryNumbers = ["0", "-1", "-0", "2147483647", "2147483648", "4294967296", "9223372036854775807",
                                  "9223372036854775808", "-9223372036854775809", "18446744073709551621", "1e400", "1.0e-400",
                                  "0.00000000000000000000000000000000000001", "3.4028236e38", "+-1", "--1", "1.2.3",
                                  String(repeating: "9", count: 400), String(repeating: "0", count: 300) + "1"]

    /// Keywords near which the structure lives; mutations are drawn near them half the time.
    static let landmarks = ["xref", "trailer", "startxref", "%%EOF", "/ByteRange", "/Contents", " obj", "endobj", "stream",
                            "/Length", "/Prev", "/Root", "/Size", "/Type", "/AcroForm", "/Annots", "/Kids", "/Count", "/Parent",
                            "/Filter", "/SubFilter", "/Perms", "/Reference", "/DSS", "/W ", "/Index", "/ObjStm", "/FT", "/V "]

    /// Where each seed's landmarks and number tokens are, computed once.
    struct Map {
        let landmarks: [Int]
        let numbers: [Range<Int>]

        init(_ seed: MutationSeed) {
            landmarks = Self.landmarksOf(seed.bytes)
            numbers = PDFBytes.numberTokens(in: seed.bytes, excluding: seed.contents)
        }

        static func landmarksOf(_ bytes: [UInt8]) -> [Int] {
            ByteMutant.landmarks.flatMap { bytes.offsets(of: $0) }.sorted()
        }
    }

    /// One mutant of `seed` drawn with `generator`; `donor` is another seed, for splices.
    static func make(_ seed: MutationSeed, map: Map, donor: [UInt8], using generator: inout SplitMix64) -> ByteMutant {
        let bytes = seed.bytes
        func position() -> Int {
            switch Int.random(in: 0..<8, using: &generator) {
            case 0, 1:
                return Int.random(in: 0..<bytes.count, using: &generator)
            case 2:
                let span = seed.contents.randomElement(using: &generator)!
                return Int.random(in: (span.lowerBound - 1)...(span.upperBound), using: &generator)
            default:
                let landmark = map.landmarks.randomElement(using: &generator) ?? 0
                return min(bytes.count - 1, max(0, landmark + Int.random(in: -6...24, using: &generator)))
            }
        }
        let roll = Int.random(in: 0..<100, using: &generator)
        var result: (bytes: [UInt8], what: String)
        if roll < 22, let token = map.numbers.randomElement(using: &generator) {
            result = replaceNumber(bytes, token, using: &generator)
        } else if roll < 27 {
            let at = Bool.random(using: &generator) ? position() : Int.random(in: 0..<bytes.count, using: &generator)
            result = ByteMutation.truncate.apply(to: bytes, at: at, donor: donor, using: &generator)
        } else if roll < 31 {
            result = appendAfterEnd(bytes, using: &generator)
        } else {
            let operators: [ByteMutation] = [.flipBit, .flipBit, .setByte, .setByte, .insert, .delete, .duplicate, .splice,
                                             .interestingValue]
            let op = operators.randomElement(using: &generator)!
            let splice = Bool.random(using: &generator) ? donor : bytes
            result = op.apply(to: bytes, at: position(), donor: splice, using: &generator)
        }
        return ByteMutant(bytes: result.bytes, what: result.what, expectation: expectation(seed, result.bytes))
    }

    /// A number token replaced by a boundary value, keeping the file's length when it fits.
    static func replaceNumber(_ bytes: [UInt8], _ token: Range<Int>, using generator: inout SplitMix64)
        -> (bytes: [UInt8], what: String) {
        let value = boundaryNumbers.randomElement(using: &generator)!
        var replacement = Array(value.utf8)
        let keepLength = replacement.count <= token.count && Bool.random(using: &generator)
        if keepLength { replacement += Array(repeating: UInt8(ascii: " "), count: token.count - replacement.count) }
        var out = bytes
        out.replaceSubrange(token, with: replacement)
        let old = String(decoding: bytes[token], as: UTF8.self)
        return (out, "number \(old) at \(token.lowerBound) -> \(value.count > 40 ? "\(value.prefix(3))…(\(value.count) chars)" : value)"
                + (keepLength ? " (padded)" : ""))
    }

    /// Bytes added after the end of the file: white space, a marker, or an object.
    static func appendAfterEnd(_ bytes: [UInt8], using generator: inout SplitMix64) -> (bytes: [UInt8], what: String) {
        let tails = ["\n", "\r\n \u{0}", "%%EOF\n", "\n%%EOF\n%%EOF\n", "x", "1 0 obj\n<< /Type /Catalog >>\nendobj\n",
                     "startxref\n0\n%%EOF\n", "%", "trailer\n<< /Root 1 0 R >>\n"]
        let tail = tails.randomElement(using: &generator)!
        return (bytes + Array(tail.utf8), "append \(tail.debugDescription)")
    }

    /// What a verifier may say about `mutant` of `seed`.
    static func expectation(_ seed: MutationSeed, _ mutant: [UInt8]) -> Expectation {
        let original = seed.bytes
        if mutant == original { return .equivalent }
        if mutant.count > original.count, mutant.starts(with: original) {
            // Appended after the end: nothing the signatures allow, unless it is white space.
            return mutant[original.count...].allSatisfy(PDFBytes.whitespace.contains) ? .equivalent : .notValid
        }
        let covered = seed.coveredEnd
        guard mutant.count >= covered, mutant[..<covered] == original[..<covered] else {
            if onlyDigitCase(seed, mutant) { return .equivalent }
            return onlyUnprotectedCMS(seed, mutant) ? .unprotectedCMS : .notValid
        }
        let originalTail = original[covered...], mutantTail = mutant[covered...]
        guard originalTail.allSatisfy(PDFBytes.whitespace.contains) else { return .unsignedRevision }
        return mutantTail.allSatisfy(PDFBytes.whitespace.contains) ? .equivalent : .notValid
    }

    /// Whether the only differences are hexadecimal digits changed to the same value in
    /// another case, inside /Contents strings no other signature covers.
    static func onlyDigitCase(_ seed: MutationSeed, _ mutant: [UInt8]) -> Bool {
        let original = seed.bytes
        guard mutant.count == original.count else { return false }
        for index in original.indices where original[index] != mutant[index] {
            guard seed.freeContents.contains(where: { $0.contains(index) }),
                  let a = hexValue(original[index]), let b = hexValue(mutant[index]), a == b else { return false }
        }
        return true
    }

    /// Whether the only differences lie in CMS parts no signature protects.
    static func onlyUnprotectedCMS(_ seed: MutationSeed, _ mutant: [UInt8]) -> Bool {
        let original = seed.bytes
        guard mutant.count == original.count else { return false }
        for index in original.indices where original[index] != mutant[index] {
            guard seed.unprotectedCMS.contains(where: { $0.contains(index) }) else { return false }
        }
        return true
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x41...0x46: return byte - 0x41 + 10
        case 0x61...0x66: return byte - 0x61 + 10
        default: return nil
        }
    }
}
