import Foundation

/// What a certificate must be before Sohoa signs with it: within its validity period, allowed
/// to sign (digitalSignature or nonRepudiation), and strong enough (RSA of at least 2048 bits
/// or ECDSA of at least 256 bits), as Vietnamese rules for digital signatures ask.
public struct SigningCertificatePolicy: Sendable {
    public var minimumRSABits = 2048
    public var minimumECBits = 256

    public init() {}

    /// Every reason `certificate` cannot sign at `date`, in plain words; empty when it can.
    public func problems(with certificate: Certificate, at date: Date = Date()) -> [String] {
        var problems: [String] = []
        if let notBefore = certificate.notBefore, date < notBefore {
            problems.append("the certificate is not valid before \(Self.day(notBefore))")
        }
        if let notAfter = certificate.notAfter, date > notAfter {
            problems.append("the certificate expired on \(Self.day(notAfter))")
        }
        if !certificate.allowsSigning {
            problems.append("the certificate's key usage does not allow signing (it needs digitalSignature or nonRepudiation)")
        }
        if let problem = keyProblem(certificate.publicKey) { problems.append(problem) }
        return problems
    }

    /// Why `key` is too weak to sign with (or to accept a signature from), nil when it is strong enough.
    public func keyProblem(_ key: KeyDescription) -> String? {
        switch key.algorithm {
        case .rsa where key.bits < minimumRSABits: return "the key is \(key); at least RSA-\(minimumRSABits) is required"
        case .ecdsa where key.bits < minimumECBits: return "the key is \(key); at least ECDSA P-\(minimumECBits) is required"
        case .other: return "the key is neither RSA, ECDSA nor EdDSA"
        default: return nil
        }
    }

    private static func day(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.string(from: date)
    }
}
