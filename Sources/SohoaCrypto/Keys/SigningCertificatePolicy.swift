import COpenSSL
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
        let usage = X509_get_key_usage(certificate.x509)
        let signing = UInt32(KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION)
        if usage != UInt32.max, usage & signing == 0 {
            problems.append("the certificate's key usage does not allow signing (it needs digitalSignature or nonRepudiation)")
        }
        let key = certificate.publicKey
        switch key.algorithm {
        case .rsa where key.bits < minimumRSABits:
            problems.append("the key is \(key); at least RSA-\(minimumRSABits) is required")
        case .ecdsa where key.bits < minimumECBits:
            problems.append("the key is \(key); at least ECDSA P-\(minimumECBits) is required")
        case .other:
            problems.append("the key is neither RSA nor ECDSA")
        default:
            break
        }
        return problems
    }

    private static func day(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.string(from: date)
    }
}
