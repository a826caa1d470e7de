import Foundation

/// The trailer /ID of a file qpdf wrote in its static-ID mode, set to the identifier the
/// document should have. qpdf writes its fixed placeholder (the digits of π) as both elements,
/// `/ID [<31415926535897932384626433832795><31415926535897932384626433832795>]`, in the trailer
/// at the end of the file; the two are overwritten in place (the same length, so no offset
/// moves). Exactly one such trailer must be found in the file's last bytes, or nothing is
/// changed and the write fails.
enum TrailerIdentifier {
    static let placeholder = "31415926535897932384626433832795"
    /// How far from the end the trailer is looked for (it is the last thing before startxref).
    static let searchedBytes = 4096

    static func replacePlaceholder(inFileAt path: String, with identifier: [UInt8]) throws {
        let descriptor = open(path, O_RDWR | O_CLOEXEC)
        guard descriptor >= 0 else { throw PDFError(file: path, reason: "the written file cannot be opened again (errno \(errno))") }
        defer { close(descriptor) }
        let end = lseek(descriptor, 0, SEEK_END)
        let start = max(0, end - off_t(searchedBytes))
        var tail = [UInt8](repeating: 0, count: Int(end - start))
        let read = tail.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, start) }
        guard read == tail.count else { throw PDFError(file: path, reason: "the written file cannot be read back") }
        let needle = Array("/ID [<\(placeholder)><\(placeholder)>]".utf8)
        let found = occurrences(of: needle, in: tail)
        guard found.count == 1, let at = found.first else {
            throw PDFError(file: path, reason: "the written file's trailer has no identifier to set (\(found.count) found)")
        }
        let hex = identifier.map { String(format: "%02x", $0) }.joined()
        let replacement = Array("/ID [<\(hex)><\(hex)>]".utf8)
        let written = replacement.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, start + off_t(at)) }
        guard written == replacement.count else {
            throw PDFError(file: path, reason: "the written file's identifier cannot be set (errno \(errno))")
        }
    }

    static func occurrences(of needle: [UInt8], in haystack: [UInt8]) -> [Int] {
        guard needle.count <= haystack.count else { return [] }
        return (0...(haystack.count - needle.count)).filter { start in
            haystack[start] == needle[0] && haystack[start..<(start + needle.count)].elementsEqual(needle)
        }
    }
}
