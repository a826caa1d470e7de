import Foundation
import SohoaCrypto

/// Why a batch cannot start: found before the first document is touched, so a dead
/// time-stamp authority or a key that does not sign gives one clear failure, not one per document.
public enum PreflightFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The key did not sign a test message, or its signature does not match the certificate.
    case keyDoesNotSign(String)
    /// The time-stamp authority did not give a valid token for a test request; `reason` names
    /// the address and what went wrong.
    case timeStampAuthority(url: String, reason: String)

    /// A stable code for scripts (`sign --json`).
    public var code: String {
        switch self {
        case .keyDoesNotSign: return "key-does-not-sign"
        case .timeStampAuthority: return "time-stamp-authority-unavailable"
        }
    }

    public var description: String {
        switch self {
        case .keyDoesNotSign(let reason):
            return "the key does not sign: \(reason)"
        case .timeStampAuthority(_, let reason):
            return "no time-stamp could be had for a test request before signing: \(reason)"
        }
    }
}

/// The checks a batch makes before it signs anything.
public enum SigningPreflight {
    /// Signs a throwaway message and checks the value with the certificate's public key: the
    /// token or key file opens, signs, and belongs to the certificate.
    public static func checkKey(_ signer: any Signer) throws(PreflightFailure) {
        let message = Array("Sohoa pre-flight \(UUID().uuidString)".utf8)
        let value: [UInt8]
        do { value = try signer.sign(message) } catch { throw .keyDoesNotSign(error.description) }
        let digest = SHA256.digest(message)
        let matches = [SignatureEncoding.rsaPKCS1, .ecdsaDER].contains { encoding in
            SignatureValue.verify(value, encoding: encoding, digest: digest, algorithm: .sha256,
                                  certificate: signer.certificate) == .verifies
        }
        guard matches else {
            throw .keyDoesNotSign("its signature does not match the certificate of \(signer.certificate.subject)")
        }
    }

    /// Asks `stamper`'s authority for a token over a throwaway value and checks the answer as
    /// a signature's token is checked.
    public static func checkTimeStampAuthority(_ stamper: HTTPTimeStamper) throws(PreflightFailure) {
        var probe = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for index in probe.indices { probe[index] = generator.next() }
        do { _ = try stamper.token(for: probe) } catch {
            throw .timeStampAuthority(url: stamper.url.absoluteString, reason: "\(error)")
        }
    }
}
