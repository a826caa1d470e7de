import Foundation

/// The attributes of a certificate subject written as RFC 2253 text (`CN=Trần Thị Bình,O=Sở
/// Tư pháp,C=VN`), read back one by one, escapes undone.
public struct DistinguishedName: Sendable {
    public let attributes: [(type: String, value: String)]

    public init(_ text: String) {
        var attributes: [(String, String)] = []
        var current = "", escaped = false
        var parts: [String] = []
        for character in text {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "," || character == "+" {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        for part in parts {
            guard let equals = part.firstIndex(of: "=") else { continue }
            let type = part[..<equals].trimmingCharacters(in: .whitespaces).uppercased()
            let value = part[part.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            attributes.append((type, value))
        }
        self.attributes = attributes
    }

    /// The first value of the attribute `type` (`CN`, `O`), nil when there is none.
    public func first(_ type: String) -> String? { attributes.first { $0.type == type }?.value }
}
