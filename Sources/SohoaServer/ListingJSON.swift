import Foundation
import NIOCore
import SohoaRepository

/// `{"documents": [...]}` of a listing written straight into a buffer: the same bytes as
/// `JSONEncoder` with sorted keys, slashes unescaped and ISO 8601 dates (a test holds the two
/// equal), without its containers and boxing, which cost more than the query on the busiest
/// route of the service.
enum ListingJSON {
    static func encode(_ documents: [Document]) -> ByteBuffer {
        var out = ByteBuffer()
        out.reserveCapacity(64 + documents.count * 320)
        out.writeStaticString("{\"documents\":[")
        for (index, document) in documents.enumerated() {
            if index > 0 { out.writeStaticString(",") }
            out.writeStaticString("{\"cases\":[")
            for (position, code) in document.cases.enumerated() {
                if position > 0 { out.writeStaticString(",") }
                string(code, into: &out)
            }
            out.writeStaticString("],\"citizen\":")
            string(document.owner, into: &out)
            out.writeStaticString(",\"created\":\"")
            date(document.created, into: &out)
            out.writeStaticString("\",\"id\":\"")
            out.writeString(document.id.rawValue)
            out.writeStaticString("\",\"sha256\":\"")
            out.writeString(document.latest.rawValue)
            out.writeStaticString("\",\"state\":\"")
            out.writeString(document.state.rawValue)
            out.writeStaticString("\",\"title\":")
            optional(document.title, into: &out)
            out.writeStaticString(",\"type\":")
            optional(document.type, into: &out)
            out.writeStaticString("}")
        }
        out.writeStaticString("]}")
        return out
    }

    static func optional(_ text: String?, into out: inout ByteBuffer) {
        if let text { string(text, into: &out) } else { out.writeStaticString("null") }
    }

    /// A JSON string, escaped as `JSONEncoder` escapes it: `"` and `\`, the short escapes for
    /// backspace, form feed, newline, carriage return and tab, `\u00XX` for the other control
    /// characters; everything else (Vietnamese letters, `/`) as it is, in UTF-8.
    static func string(_ text: String, into out: inout ByteBuffer) {
        out.writeInteger(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.writeStaticString("\\\"")
            case UInt8(ascii: "\\"): out.writeStaticString("\\\\")
            case 0x08: out.writeStaticString("\\b")
            case 0x0C: out.writeStaticString("\\f")
            case 0x0A: out.writeStaticString("\\n")
            case 0x0D: out.writeStaticString("\\r")
            case 0x09: out.writeStaticString("\\t")
            case 0x00..<0x20:
                let digits = Array("0123456789abcdef".utf8)
                out.writeStaticString("\\u00")
                out.writeInteger(digits[Int(byte >> 4)])
                out.writeInteger(digits[Int(byte & 0x0F)])
            default: out.writeInteger(byte)
            }
        }
        out.writeInteger(UInt8(ascii: "\""))
    }

    /// `2026-12-05T15:48:50Z`: the whole seconds in UTC, as `JSONEncoder`'s `.iso8601` writes them.
    static func date(_ date: Date, into out: inout ByteBuffer) {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func digits(_ value: Int32, _ count: Int) {
            var value = Int(value)
            var text = [UInt8](repeating: UInt8(ascii: "0"), count: count)
            for index in stride(from: count - 1, through: 0, by: -1) {
                text[index] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            }
            out.writeBytes(text)
        }
        digits(parts.tm_year + 1900, 4)
        out.writeInteger(UInt8(ascii: "-"))
        digits(parts.tm_mon + 1, 2)
        out.writeInteger(UInt8(ascii: "-"))
        digits(parts.tm_mday, 2)
        out.writeInteger(UInt8(ascii: "T"))
        digits(parts.tm_hour, 2)
        out.writeInteger(UInt8(ascii: ":"))
        digits(parts.tm_min, 2)
        out.writeInteger(UInt8(ascii: ":"))
        digits(parts.tm_sec, 2)
        out.writeInteger(UInt8(ascii: "Z"))
    }
}
