/// Where a PDF's last cross-reference section is, and what kind it is, read from its end.
struct FileTail {
    /// The offset `startxref` points at.
    let lastCrossReference: Int
    /// Whether that section is a cross-reference stream (PDF 1.5) rather than a table.
    let isStream: Bool

    /// Reads the tail of a file of `length` bytes whose last (up to) 2048 bytes are `window`;
    /// `bytesAt` reads four bytes at an offset to tell a table from a stream.
    init(window: [UInt8], length: Int, name: String, bytesAt: (Int) throws -> [UInt8]) throws {
        let text = String(decoding: window, as: UTF8.self)
        guard let marker = text.range(of: "startxref", options: .backwards) else {
            throw PDFError(file: name, reason: "the file has no startxref: it is cut off or not a PDF")
        }
        let digits = text[marker.upperBound...].drop { $0 == " " || $0 == "\r" || $0 == "\n" }.prefix { $0.isNumber }
        guard let offset = Int(digits), offset >= 0, offset < length else {
            throw PDFError(file: name, reason: "startxref does not point inside the file")
        }
        lastCrossReference = offset
        isStream = try bytesAt(offset) != Array("xref".utf8)
    }
}
