import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One revision of a PDF: the original document or one incremental update, ending with
/// `startxref N %%EOF`.
public struct Revision: Sendable, Equatable {
    /// Where the revision's bytes start (the end of the previous revision).
    public let start: Int
    /// Just after its `%%EOF` marker.
    public let endOfMarker: Int
    /// Just after the marker's end-of-line, when there is one (otherwise `endOfMarker`).
    public let end: Int
    /// The offset its `startxref` gives, nil when the revision has none.
    public let crossReference: Int?
    /// Why the revision is not a proper incremental update, nil when it is.
    public let problem: String?

    /// Whether a signed range that stops at `offset` covers exactly this revision.
    public func endsAt(_ offset: Int) -> Bool { offset == endOfMarker || offset == end }
}

/// The revisions of a PDF, found from its bytes alone (never trusting a reader's repairs):
/// every `%%EOF`, the `startxref` before it, and each later revision's link (`/Prev`) back to
/// the one before.
public struct RevisionLayout: Sendable {
    /// Revisions in file order; the first is the original document.
    public let revisions: [Revision]
    /// Bytes after the last `%%EOF` that are not white space, when there are any: a change
    /// that is not a revision at all.
    public let trailingBytes: Range<Int>?

    /// Scans `bytes`.
    public init(_ bytes: UnsafeRawBufferPointer) {
        let markers = Self.occurrences(of: Array("%%EOF".utf8), in: bytes)
        var revisions: [Revision] = []
        var start = 0
        for marker in markers {
            let endOfMarker = marker + 5
            var end = endOfMarker
            if end < bytes.count, bytes[end] == 0x0D { end += 1 }
            if end < bytes.count, bytes[end] == 0x0A { end += 1 }
            let pointer = Self.startxref(before: marker, in: bytes)
            // A linearized file's first-page trailer says `startxref 0`: it belongs to the
            // same revision as the main cross-reference section that follows.
            if pointer == 0, revisions.isEmpty { continue }
            var problem: String?
            if let pointer {
                if revisions.isEmpty {
                    if pointer >= marker { problem = "its startxref points past its end" }
                } else if pointer < start || pointer >= marker {
                    problem = "its startxref points outside the update (at \(pointer))"
                } else if let previous = revisions.last?.crossReference,
                          Self.previousPointer(at: pointer, before: marker, in: bytes) != previous {
                    problem = "its cross-reference section does not link back (/Prev) to the previous revision"
                }
            } else {
                problem = "it has no startxref"
            }
            revisions.append(Revision(start: start, endOfMarker: endOfMarker, end: end, crossReference: pointer,
                                      problem: problem))
            start = end
        }
        self.revisions = revisions
        let tail = start..<bytes.count
        trailingBytes = tail.contains { !PDFBytes.isWhiteSpace(bytes[$0]) } ? tail : nil
    }

    /// The revision a signed range ending at `offset` covers exactly, if any.
    public func revision(endingAt offset: Int) -> Int? {
        revisions.firstIndex { $0.endsAt(offset) }
    }

    /// Offsets of every occurrence of `needle` (memchr finds each candidate first byte).
    static func occurrences(of needle: [UInt8], in bytes: UnsafeRawBufferPointer) -> [Int] {
        guard let base = bytes.baseAddress, let first = needle.first, bytes.count >= needle.count else { return [] }
        var found: [Int] = []
        var offset = 0
        let last = bytes.count - needle.count
        while offset <= last, let hit = memchr(base + offset, Int32(first), last - offset + 1) {
            let position = base.distance(to: UnsafeRawPointer(hit))
            if memcmp(hit, needle, needle.count) == 0 {
                found.append(position)
                offset = position + needle.count
            } else {
                offset = position + 1
            }
        }
        return found
    }

    /// The number after the last `startxref` in the 1,024 bytes before `marker`, when only
    /// white space and that number lie between them.
    static func startxref(before marker: Int, in bytes: UnsafeRawBufferPointer) -> Int? {
        let from = max(0, marker - 1024)
        let window = String(decoding: bytes[from..<marker], as: UTF8.self)
        guard let keyword = window.range(of: "startxref", options: .backwards) else { return nil }
        let rest = window[keyword.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines)
        guard !rest.isEmpty, rest.count <= 15, rest.allSatisfy(\.isASCII), rest.allSatisfy(\.isNumber) else { return nil }
        return Int(rest)
    }

    /// The `/Prev` of the cross-reference section at `offset` (a table's trailer, or a
    /// cross-reference stream's dictionary), read no further than `limit`.
    static func previousPointer(at offset: Int, before limit: Int, in bytes: UnsafeRawBufferPointer) -> Int? {
        let window = String(decoding: bytes[offset..<min(limit, offset + (1 << 20))], as: UTF8.self)
        let dictionary: Substring
        if window.hasPrefix("xref") {
            guard let trailer = window.range(of: "trailer") else { return nil }
            dictionary = window[trailer.upperBound...]
        } else {
            guard let stream = window.range(of: "stream") else { return nil }
            dictionary = window[..<stream.lowerBound]
        }
        guard let key = dictionary.range(of: #"/Prev\s+\d+"#, options: .regularExpression) else { return nil }
        return Int(dictionary[key].dropFirst(5).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
