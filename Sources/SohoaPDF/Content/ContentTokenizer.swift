/// One token of a content stream.
enum ContentToken: Equatable {
    case number(Double)
    case name(String)
    /// A string operand; only its byte length matters here (bytes after escapes, or hex digits / 2).
    case string([UInt8])
    case arrayStart, arrayEnd
    case dictionaryStart, dictionaryEnd
    case `operator`(String)
    /// An inline image (BI … ID data EI), skipped as a whole.
    case inlineImage
    /// Bytes that cannot be a token: the stream cannot be read reliably from here on.
    case damaged
}

/// Splits a content stream (ISO 32000-2 §7.8.2) into tokens, without trusting it: every
/// construct is bounded by the data, and an inline image's data is skipped by the EI that
/// ends it.
struct ContentTokenizer: IteratorProtocol {
    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// PDF's white-space characters (ISO 32000-2, table 1).
    static func isWhitespace(_ byte: UInt8) -> Bool {
        switch byte {
        case 0, 9, 10, 12, 13, 32: true
        default: false
        }
    }

    /// PDF's delimiters (ISO 32000-2, table 2): ( ) < > [ ] { } / %.
    static func isDelimiter(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x28, 0x29, 0x3C, 0x3E, 0x5B, 0x5D, 0x7B, 0x7D, 0x2F, 0x25: true
        default: false
        }
    }

    mutating func next() -> ContentToken? {
        skipWhitespaceAndComments()
        guard position < bytes.count else { return nil }
        let byte = bytes[position]
        switch byte {
        case UInt8(ascii: "/"):
            position += 1
            return .name(String(decoding: regularRun(), as: UTF8.self))
        case UInt8(ascii: "("):
            return literalString()
        case UInt8(ascii: "<"):
            if position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "<") {
                position += 2
                return .dictionaryStart
            }
            return hexString()
        case UInt8(ascii: ">"):
            guard position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: ">") else { position += 1; return .damaged }
            position += 2
            return .dictionaryEnd
        case UInt8(ascii: "["): position += 1; return .arrayStart
        case UInt8(ascii: "]"): position += 1; return .arrayEnd
        case UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: ")"): position += 1; return .damaged
        default:
            let run = regularRun()
            guard !run.isEmpty else { position += 1; return .damaged }
            if let number = Self.number(run) { return .number(number) }
            let word = String(decoding: run, as: UTF8.self)
            if word == "BI" { return skipInlineImage() ? .inlineImage : .damaged }
            return .operator(word)
        }
    }

    private mutating func skipWhitespaceAndComments() {
        while position < bytes.count {
            if Self.isWhitespace(bytes[position]) {
                position += 1
            } else if bytes[position] == UInt8(ascii: "%") {
                while position < bytes.count, bytes[position] != 10, bytes[position] != 13 { position += 1 }
            } else {
                return
            }
        }
    }

    private mutating func regularRun() -> ArraySlice<UInt8> {
        let start = position
        while position < bytes.count, !Self.isWhitespace(bytes[position]), !Self.isDelimiter(bytes[position]) { position += 1 }
        return bytes[start..<position]
    }

    private static func number(_ run: ArraySlice<UInt8>) -> Double? {
        guard let first = run.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") || first == UInt8(ascii: ".")
                || (48...57).contains(first) else { return nil }
        guard run.allSatisfy({ (48...57).contains($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "+") })
        else { return nil }
        // An integer of up to 15 digits (most operands) is its value exactly; anything else is
        // parsed as text, correctly rounded.
        let digits = first == UInt8(ascii: "-") || first == UInt8(ascii: "+") ? run.dropFirst() : run[...]
        if !digits.isEmpty, digits.count <= 15, digits.allSatisfy({ (48...57).contains($0) }) {
            let magnitude = digits.reduce(0) { $0 * 10 + Int($1 - 48) }
            return Double(first == UInt8(ascii: "-") ? -magnitude : magnitude)
        }
        return Double(String(decoding: run, as: UTF8.self)) ?? 0
    }

    private mutating func literalString() -> ContentToken {
        position += 1
        var depth = 1
        var value: [UInt8] = []
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\\"):
                guard position < bytes.count else { return .damaged }
                let escaped = bytes[position]
                position += 1
                if (48...55).contains(escaped) {
                    var code = Int(escaped - 48)
                    for _ in 0..<2 where position < bytes.count && (48...55).contains(bytes[position]) {
                        code = code * 8 + Int(bytes[position] - 48)
                        position += 1
                    }
                    value.append(UInt8(code & 0xFF))
                } else if escaped == 13 {
                    if position < bytes.count, bytes[position] == 10 { position += 1 }
                } else if escaped != 10 {
                    value.append(escaped)
                }
            case UInt8(ascii: "("):
                depth += 1
                value.append(byte)
            case UInt8(ascii: ")"):
                depth -= 1
                if depth == 0 { return .string(value) }
                value.append(byte)
            default:
                value.append(byte)
            }
        }
        return .damaged
    }

    private mutating func hexString() -> ContentToken {
        position += 1
        var digits: [UInt8] = []
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            if byte == UInt8(ascii: ">") {
                if digits.count % 2 == 1 { digits.append(0) }
                return .string(stride(from: 0, to: digits.count, by: 2).map { digits[$0] << 4 | digits[$0 + 1] })
            }
            if Self.isWhitespace(byte) { continue }
            guard let digit = Self.hexDigit(byte) else { return .damaged }
            digits.append(digit)
        }
        return .damaged
    }

    private static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: return byte - 48
        case 65...70: return byte - 55
        case 97...102: return byte - 87
        default: return nil
        }
    }

    /// Past "BI": the image dictionary, "ID", one whitespace byte, the data, and an "EI"
    /// standing alone (whitespace before and after, or the end). False when there is none.
    private mutating func skipInlineImage() -> Bool {
        while let token = next() {
            if token == .operator("ID") { break }
            if token == .damaged || token == .inlineImage { return false }
            if case .operator = token { return false }
        }
        guard position < bytes.count else { return false }
        position += 1
        while position + 1 < bytes.count {
            if bytes[position] == UInt8(ascii: "E"), bytes[position + 1] == UInt8(ascii: "I"), position > 0,
               Self.isWhitespace(bytes[position - 1]),
               position + 2 == bytes.count || Self.isWhitespace(bytes[position + 2]) || Self.isDelimiter(bytes[position + 2]) {
                position += 2
                return true
            }
            position += 1
        }
        return false
    }
}
