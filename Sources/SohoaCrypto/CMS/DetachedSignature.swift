import COpenSSL
import CShims
import Foundation

/// A detached CMS SignedData for PAdES (ETSI EN 319 142-1, `ETSI.CAdES.detached`), made
/// around any `Signer`: the key never leaves the signer, OpenSSL only assembles the structure.
///
/// Signed attributes: contentType (id-data), messageDigest, and signing-certificate-v2
/// (SHA-256 of the signer's certificate). No signingTime: PAdES baseline puts the claimed time
/// in the signature dictionary's /M. The signer's certificate and its chain are included. An
/// RFC 3161 token over the signature value can be added as the unsigned attribute
/// id-aa-timeStampToken.
public enum DetachedSignature {
    /// Builds the SignedData (DER ContentInfo) over content whose SHA-256 is `contentDigest`.
    ///
    /// - Parameter timeStamp: given the signature value, returns a DER TimeStampToken over it
    ///   (or nil for a signature without a time-stamp).
    public static func make(contentDigest: [UInt8], signer: any Signer,
                            timeStamp: ((_ signatureValue: [UInt8]) throws -> [UInt8]?)? = nil) throws -> [UInt8] {
        guard contentDigest.count == 32 else { throw SigningError("a SHA-256 digest has 32 bytes") }
        ERR_clear_error()
        let flags = UInt32(CMS_PARTIAL | CMS_DETACHED | CMS_BINARY | CMS_NOSMIMECAP | CMS_NOATTR)
        guard let cms = CMS_sign(nil, nil, nil, nil, flags) else {
            throw SigningError(OpenSSLError.drain("starting the CMS structure").description)
        }
        defer { CMS_ContentInfo_free(cms) }
        let certificate = signer.certificate
        guard let publicKey = X509_get0_pubkey(certificate.x509),
              let signerInfo = CMS_add1_signer(cms, certificate.x509, publicKey, EVP_sha256(), flags) else {
            throw SigningError(OpenSSLError.drain("adding the signer").description)
        }
        for issuer in signer.chain where CMS_add1_cert(cms, issuer.x509) != 1 {
            throw SigningError(OpenSSLError.drain("adding the certificate chain").description)
        }
        try addSignedAttributes(signerInfo, digest: contentDigest, certificate: certificate)

        guard let attributes = SignedAttributes.der(of: signerInfo) else {
            throw SigningError(OpenSSLError.drain("encoding the signed attributes").description)
        }
        let signature = try signer.sign(attributes)
        guard let slot = CMS_SignerInfo_get0_signature(signerInfo),
              signature.withUnsafeBufferPointer({ ASN1_STRING_set(slot, $0.baseAddress, Int32($0.count)) }) == 1 else {
            throw SigningError(OpenSSLError.drain("storing the signature value").description)
        }
        if let timeStamp, let token = try timeStamp(signature) {
            let added = token.withUnsafeBufferPointer {
                CMS_unsigned_add1_attr_by_NID(signerInfo, NID_id_smime_aa_timeStampToken, V_ASN1_SEQUENCE,
                                              $0.baseAddress, Int32($0.count))
            }
            guard added == 1 else { throw SigningError(OpenSSLError.drain("adding the time-stamp token").description) }
        }
        guard let der = DEREncoding.encode({ i2d_CMS_ContentInfo(cms, $0) }) else {
            throw SigningError(OpenSSLError.drain("encoding the signature").description)
        }
        return der
    }

    private static func addSignedAttributes(_ signerInfo: OpaquePointer, digest: [UInt8],
                                            certificate: Certificate) throws {
        guard CMS_signed_add1_attr_by_NID(signerInfo, NID_pkcs9_contentType, V_ASN1_OBJECT,
                                          UnsafeRawPointer(OBJ_nid2obj(NID_pkcs7_data)), -1) == 1 else {
            throw SigningError(OpenSSLError.drain("adding contentType").description)
        }
        let addedDigest = digest.withUnsafeBufferPointer {
            CMS_signed_add1_attr_by_NID(signerInfo, NID_pkcs9_messageDigest, V_ASN1_OCTET_STRING,
                                        $0.baseAddress, Int32($0.count))
        }
        guard addedDigest == 1 else { throw SigningError(OpenSSLError.drain("adding messageDigest").description) }
        guard let reference = OSSL_ESS_signing_cert_v2_new_init(EVP_sha256(), certificate.x509, nil, 1) else {
            throw SigningError(OpenSSLError.drain("making signing-certificate-v2").description)
        }
        defer { ESS_SIGNING_CERT_V2_free(reference) }
        let der = DEREncoding.encode { i2d_ESS_SIGNING_CERT_V2(reference, $0) } ?? []
        let added = der.withUnsafeBufferPointer {
            CMS_signed_add1_attr_by_NID(signerInfo, NID_id_smime_aa_signingCertificateV2, V_ASN1_SEQUENCE,
                                        $0.baseAddress, Int32($0.count))
        }
        guard !der.isEmpty, added == 1 else {
            throw SigningError(OpenSSLError.drain("adding signing-certificate-v2").description)
        }
    }
}
