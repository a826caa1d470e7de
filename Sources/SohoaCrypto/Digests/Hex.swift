/// Lower-case hexadecimal text: how hashes, ids, codes and tokens are written. Written without
/// `String(format:)`, which costs microseconds a byte.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// `bytes` as two lower-case hexadecimal digits each.
    public static func string(_ bytes: some Sequence<UInt8>) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The bytes hexadecimal `text` spells, two digits a byte (a digit that is not one reads as 0).
    public static func bytes(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex, let next = text.index(index, offsetBy: 2, limitedBy: text.endIndex) {
            bytes.append(UInt8(text[index..<next], radix: 16) ?? 0)
            index = next
        }
        return bytes
    }

    /// `count` bytes from the system's cryptographic random source, as hexadecimal text.
    public static func random(bytes count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return string((0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// Whether `text` is `length` lower-case hexadecimal digits and nothing else.
    public static func isLowercase(_ text: String, length: Int) -> Bool {
        var text = text
        return text.withUTF8 { isLowercase($0, length: length) }
    }

    /// Whether `text` is `length` lower-case hexadecimal digits and nothing else.
    public static func isLowercase(_ text: Substring, length: Int) -> Bool {
        var text = text
        return text.withUTF8 { isLowercase($0, length: length) }
    }

    private static func isLowercase(_ bytes: UnsafeBufferPointer<UInt8>, length: Int) -> Bool {
        guard bytes.count == length else { return false }
        for byte in bytes where !((0x30...0x39).contains(byte) || (0x61...0x66).contains(byte)) { return false }
        return true
    }
}
