import SohoaPDF

/// Numbers and strings written in PDF syntax, the same way every time.
enum PDFSyntax {
    /// A number with at most three decimals, without trailing zeros or a negative zero.
    static func number(_ value: Double) -> String { PDFNumber.text(value, decimals: 3) }

    /// A name (`/Name`), its bytes outside the regular printable set written as `#xx`.
    static func name(_ value: String) -> String {
        var result = "/"
        for byte in value.utf8 {
            let regular = byte > 0x20 && byte < 0x7F && !"()<>[]{}/%#".utf8.contains(byte)
            result += regular ? String(UnicodeScalar(byte)) : "#" + hex(byte)
        }
        return result
    }

    /// A hexadecimal string of UTF-16BE with its byte-order mark (`<FEFF...>`), for text strings.
    static func textString(_ value: String) -> String { PDFNumber.utf16TextString(value) }

    static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }

    /// `N 0 R`.
    static func reference(_ id: Int) -> String { "\(id) 0 R" }
}
