import SohoaPDF

/// Numbers and strings written in PDF syntax, the same way every time.
enum PDFSyntax {
    /// A number with at most three decimals, without trailing zeros or a negative zero.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let thousandths = Int64((value * 1000).rounded())
        if thousandths == 0 { return "0" }
        let sign = thousandths < 0 ? "-" : ""
        let magnitude = thousandths.magnitude
        let whole = magnitude / 1000
        var fraction = magnitude % 1000
        if fraction == 0 { return sign + String(whole) }
        var digits = 3
        while fraction % 10 == 0 { fraction /= 10; digits -= 1 }
        return sign + String(whole) + "." + String(fraction).leftPadded(to: digits)
    }

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
    static func textString(_ value: String) -> String {
        "<FEFF" + value.utf16.map { hex16($0) }.joined() + ">"
    }

    static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }

    static func hex16(_ value: UInt16) -> String {
        hex(UInt8(value >> 8)) + hex(UInt8(value & 0xFF))
    }

    /// `N 0 R`.
    static func reference(_ id: Int) -> String { "\(id) 0 R" }
}
