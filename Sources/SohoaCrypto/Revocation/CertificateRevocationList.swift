import COpenSSL
import CShims
import Foundation
import Synchronization

/// An X.509 certificate revocation list (RFC 5280 §5) held by OpenSSL.
public final class CertificateRevocationList: @unchecked Sendable {
    let crl: OpaquePointer

    /// The CRL as it was read (DER).
    public let derBytes: [UInt8]

    /// Why and when a certificate was revoked.
    public struct Revocation: Sendable, Equatable {
        public let date: Date
        /// RFC 5280 reason code (1 keyCompromise, 2 cACompromise, ...), nil when the entry has none.
        public let reasonCode: Int?

        /// The reason in words.
        public var reason: String {
            switch reasonCode {
            case 1: return "key compromise"
            case 2: return "CA compromise"
            case 3: return "affiliation changed"
            case 4: return "superseded"
            case 5: return "cessation of operation"
            case 6: return "certificate hold"
            case 9: return "privilege withdrawn"
            case 10: return "AA compromise"
            default: return "unspecified"
            }
        }
    }

    /// Parses a CRL in DER or PEM.
    public init(pemOrDER bytes: [UInt8], name: String) throws {
        ERR_clear_error()
        let isPEM = String(decoding: bytes.prefix(64), as: UTF8.self).contains("-----BEGIN X509 CRL-----")
        let parsed: OpaquePointer?
        if isPEM {
            parsed = bytes.withUnsafeBytes { raw -> OpaquePointer? in
                guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { return nil }
                defer { BIO_free(bio) }
                return PEM_read_bio_X509_CRL(bio, nil, nil, nil)
            }
        } else {
            parsed = bytes.withUnsafeBufferPointer { buffer in
                var cursor = buffer.baseAddress
                return d2i_X509_CRL(nil, &cursor, buffer.count)
            }
        }
        guard let parsed else { throw OpenSSLError.drain("reading the revocation list \(name)") }
        crl = parsed
        guard let der = DEREncoding.encode({ i2d_X509_CRL(parsed, $0) }) else {
            throw OpenSSLError.drain("encoding the revocation list \(name)")
        }
        derBytes = der
    }

    deinit {
        X509_CRL_free(crl)
    }

    /// When the list was issued.
    public var thisUpdate: Date? { Certificate.date(X509_CRL_get0_lastUpdate(crl)) }

    /// When the next list is due; after it, this one says nothing about the present.
    public var nextUpdate: Date? { Certificate.date(X509_CRL_get0_nextUpdate(crl)) }

    /// Whether `issuer` issued this list: the issuer name matches and the signature verifies.
    /// The answer is kept per issuer (a batch asks about the same list many times).
    public func isIssued(by issuer: Certificate) -> Bool {
        let fingerprint = issuer.sha256Fingerprint
        if let known = issuers.withLock({ $0[fingerprint] }) { return known }
        var verified = false
        if X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_subject_name(issuer.x509)) == 0,
           let key = X509_get0_pubkey(issuer.x509) {
            verified = X509_CRL_verify(crl, key) == 1
            ERR_clear_error()
        }
        issuers.withLock { $0[fingerprint] = verified }
        return verified
    }

    private let issuers = Mutex<[[UInt8]: Bool]>([:])

    /// The revocation of `certificate` this list records, or nil when it lists no such entry.
    /// Meaningful only for a certificate whose issuer issued the list.
    public func revocation(of certificate: Certificate) -> Revocation? {
        var entry: OpaquePointer?
        guard X509_CRL_get0_by_cert(crl, &entry, certificate.x509) == 1, let entry,
              let date = Certificate.date(X509_REVOKED_get0_revocationDate(entry)) else { return nil }
        var critical: Int32 = 0
        var reasonCode: Int?
        if let reason = X509_REVOKED_get_ext_d2i(entry, NID_crl_reason, &critical, nil) {
            let enumerated = reason.assumingMemoryBound(to: ASN1_ENUMERATED.self)
            reasonCode = Int(ASN1_ENUMERATED_get(enumerated))
            ASN1_ENUMERATED_free(enumerated)
        }
        return Revocation(date: date, reasonCode: reasonCode)
    }
}
