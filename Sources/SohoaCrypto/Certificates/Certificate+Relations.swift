import COpenSSL
import CShims
import Foundation

extension Certificate {
    /// Whether `issuer` issued this certificate: names and key identifiers match and the
    /// signature verifies with the issuer's key.
    public func isIssued(by issuer: Certificate) -> Bool {
        guard X509_check_issued(issuer.x509, x509) == X509_V_OK, let key = X509_get0_pubkey(issuer.x509) else {
            return false
        }
        let verified = X509_verify(x509, key) == 1
        ERR_clear_error()
        return verified
    }

    /// Whether the certificate is self-issued and self-signed (a root).
    public var isSelfSigned: Bool { isIssued(by: self) }

    /// Whether the certificate belongs to a certification authority (basicConstraints CA:TRUE).
    public var isCertificateAuthority: Bool { X509_check_ca(x509) != 0 }

    /// The URLs of the certificate's CRL distribution points, in the certificate's order.
    public var crlDistributionPoints: [String] { uris(0) }

    /// The URLs of the certificate's OCSP responders (authority information access).
    public var ocspResponders: [String] { uris(1) }

    /// SHA-256 of the DER certificate.
    public var sha256Fingerprint: [UInt8] { SHA256.digest(derBytes) }

    private func uris(_ which: Int32) -> [String] {
        guard let joined = sohoa_x509_uris(x509, which) else { return [] }
        defer { sohoa_openssl_free(joined) }
        return String(cString: joined).split(separator: "\n").map(String.init)
    }
}
