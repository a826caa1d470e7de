import Foundation
import SohoaCrypto

/// A filed document's code for the public check page (`/v/{code}` of `sohoa serve`, and the
/// QR code printed on the document): 32 lower-case hexadecimal digits of fresh randomness,
/// unrelated to the document's id, so that knowing one document's code tells nothing about
/// another's and codes cannot be guessed or enumerated.
public struct PublicCode: Hashable, Sendable, CustomStringConvertible, TextIdentifier {
    public let rawValue: String

    static let kind = "public check code"

    /// Parses `text`, which must be exactly a public code.
    public init(_ text: String) throws(IdentifierError) {
        guard Hex.isLowercase(text, length: 32) else {
            throw IdentifierError(kind: Self.kind, text: text,
                                  reason: "a public check code is 32 lower-case hexadecimal digits, as printed under the QR code",
                                  vietnameseReason: "mã tra cứu công khai gồm 32 chữ số thập lục phân viết thường, như in dưới mã QR")
        }
        rawValue = text
    }

    /// A new code: 128 bits from the system's cryptographic random source.
    public static func random() -> PublicCode {
        try! PublicCode(Hex.random(bytes: 16))  // 32 lower-case hex digits by construction
    }

    public var description: String { rawValue }
}
