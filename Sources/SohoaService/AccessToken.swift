import Foundation
import SohoaCrypto
import SohoaRepository

/// A bearer token: `sohoa_<key>_<secret>`, 16 and 64 lower-case hexadecimal digits. The key
/// finds the grant; only the SHA-256 of the secret (256 random bits) is stored, and it is
/// compared in constant time. The `sohoa_` start lets secret scanners recognise a leaked one.
public struct AccessToken: Sendable {
    /// The public part, which finds the grant.
    public let key: String
    private let secret: String

    /// A new token from the system's cryptographic random source.
    public static func generate() -> AccessToken {
        AccessToken(key: Hex.random(bytes: 8), secret: Hex.random(bytes: 32))
    }

    private init(key: String, secret: String) {
        self.key = key
        self.secret = secret
    }

    /// Reads a token as a client sent it; nil when it is not one.
    public init?(_ text: String) {
        let parts = text.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "sohoa", Hex.isLowercase(parts[1], length: 16), Hex.isLowercase(parts[2], length: 64) else {
            return nil
        }
        key = String(parts[1])
        secret = String(parts[2])
    }

    /// The whole token, to give its holder once.
    public var text: String { "sohoa_\(key)_\(secret)" }

    /// What the store keeps to check it: the SHA-256 of the secret part, hexadecimal.
    public var secretHash: String { ContentHash(digest: SHA256.digest(Array(secret.utf8))).rawValue }

    /// Whether this is the token of `grant`: the key is the grant's and the secret's hash is the
    /// stored one, compared without stopping at the first difference.
    public func opens(_ grant: AccessGrant) -> Bool {
        let presented = Array(secretHash.utf8), stored = Array(grant.secretHash.utf8)
        guard presented.count == stored.count, grant.key == key else { return false }
        var difference: UInt8 = 0
        for index in presented.indices { difference |= presented[index] ^ stored[index] }
        return difference == 0
    }
}
