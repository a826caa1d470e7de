/// PDF's byte classes (ISO 32000-2 §7.2.3) and its unsigned integers, for the readers that work
/// on a file's bytes rather than through qpdf.
enum PDFBytes {
    /// NUL, tab, line feed, form feed, carriage return and space.
    static func isWhiteSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 || byte == 0x0C || byte == 0x00
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// The decimal digits in `range` (after an optional sign) as an Int, nil when there are none or
    /// they do not fit.
    static func integer(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int? {
        range.isEmpty ? nil : Int(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self))
    }
}
