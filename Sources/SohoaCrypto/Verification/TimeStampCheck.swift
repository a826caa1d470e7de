import COpenSSL
import CShims
import Foundation

/// Whether an RFC 3161 token is intact and is over a given value: its signature verifies with
/// the certificate it names, and its imprint is the hash of the value. Whether that authority
/// is trusted is a separate question (`CertificatePathValidator` with `.timeStamping`).
public struct TimeStampCheck: Sendable {
    /// What the token asserts (nil when it cannot be read).
    public let info: TimeStampInfo?
    /// The authority's certificate that signed the token.
    public let signer: Certificate?
    /// Every certificate the token carries.
    public let certificates: [Certificate]
    public let signatureVerifies: Bool
    public let imprintMatches: Bool
    /// Why the token is not usable, nil when it is intact and over the value.
    public let problem: String?

    /// Checks `token` against `value` (for a signature time-stamp: the signature value);
    /// `extraCertificates` may supply the authority's certificate when the token lacks it.
    public init(token: [UInt8], over value: [UInt8], extraCertificates: [Certificate] = []) {
        ERR_clear_error()
        let cmsParsed: OpaquePointer? = token.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return d2i_CMS_ContentInfo(nil, &cursor, buffer.count)
        }
        let parsed = cmsParsed.flatMap(Self.assertion)
        info = parsed
        certificates = cmsParsed.map(CMSSignatureInspection.certificates) ?? []
        guard let parsed, let cms = cmsParsed else {
            if let cmsParsed { CMS_ContentInfo_free(cmsParsed) }
            ERR_clear_error()
            signer = nil
            signatureVerifies = false
            imprintMatches = false
            problem = "the time-stamp token cannot be read"
            return
        }
        defer { CMS_ContentInfo_free(cms) }
        var verified = false
        var signerCertificate: Certificate?
        if let extra = sohoa_sk_X509_new_null() {
            defer { sohoa_sk_X509_pop_free(extra) }
            for certificate in extraCertificates { _ = sohoa_sk_X509_push_up_ref(extra, certificate.x509) }
            let flags = UInt32(CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY)
            verified = sohoa_cms_signer_count(cms) == 1 && CMS_verify(cms, extra, nil, nil, nil, flags) == 1
            if verified, let signers = CMS_get0_signers(cms) {
                if sohoa_sk_X509_num(signers) == 1, let x509 = sohoa_sk_X509_value(signers, 0), X509_up_ref(x509) == 1 {
                    signerCertificate = Certificate(taking: x509)
                }
                sohoa_sk_X509_free(signers)
            }
        }
        ERR_clear_error()
        signer = signerCertificate
        signatureVerifies = verified
        let algorithm: DigestAlgorithm? = switch parsed.imprintAlgorithmOID {
        case "2.16.840.1.101.3.4.2.1": .sha256
        case "2.16.840.1.101.3.4.2.2": .sha384
        case "2.16.840.1.101.3.4.2.3": .sha512
        default: nil
        }
        var computed: [UInt8]?
        if let algorithm, let digest = try? MessageDigest(algorithm) {
            value.withUnsafeBytes { digest.update($0) }
            computed = digest.finish()
        }
        imprintMatches = computed != nil && computed == parsed.messageImprint
        if !verified {
            problem = "the time-stamp token's signature does not verify"
        } else if algorithm == nil {
            problem = "the time-stamp uses a hash algorithm that is not accepted (\(parsed.imprintAlgorithmOID ?? "?"))"
        } else if !imprintMatches {
            problem = "the time-stamp is not over this signature (its imprint differs)"
        } else {
            problem = nil
        }
    }

    /// The TSTInfo a token's SignedData encapsulates.
    static func assertion(_ cms: OpaquePointer) -> TimeStampInfo? {
        guard OBJ_obj2nid(CMS_get0_eContentType(cms)) == NID_id_smime_ct_TSTInfo,
              let content = CMS_get0_content(cms)?.pointee, let data = ASN1_STRING_get0_data(content) else { return nil }
        var cursor: UnsafePointer<UInt8>? = data
        guard let info = d2i_TS_TST_INFO(nil, &cursor, Int(ASN1_STRING_length(content))) else {
            ERR_clear_error()
            return nil
        }
        defer { TS_TST_INFO_free(info) }
        return TimeStampInfo(info)
    }
}
