import COpenSSL
import CShims
import Foundation

/// What a detached CMS SignedData (a PDF signature's `/Contents`) holds and whether its
/// signature over the signed attributes verifies. The content digest is compared by the
/// caller, who streams the signed bytes.
public struct CMSSignatureInspection: Sendable {
    /// Why the bytes are not a usable CMS signature at all.
    public struct Malformed: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// The signer's certificate, found among the certificates the signature carries.
    public let signerCertificate: Certificate?
    /// Every certificate the signature carries.
    public let certificates: [Certificate]
    /// CRLs carried in the SignedData, and in Adobe's revocation archive attribute.
    public let crls: [CertificateRevocationList]
    /// OCSP responses in Adobe's revocation archive attribute (adbe-revocationInfoArchival).
    public let ocspResponses: [OCSPResponse]
    /// The digest algorithm of the signer info; nil when it is one Sohoa does not know.
    public let digestAlgorithm: DigestAlgorithm?
    /// The dotted identifier of the digest algorithm, for messages about unknown ones.
    public let digestAlgorithmOID: String
    /// The signature algorithm's name as OpenSSL knows it (e.g. "sha256WithRSAEncryption").
    public let signatureAlgorithm: String
    /// The messageDigest signed attribute.
    public let messageDigest: [UInt8]?
    /// Whether the contentType signed attribute says id-data.
    public let contentTypeIsData: Bool
    /// The signature value (what a signature time-stamp is over).
    public let signatureValue: [UInt8]
    /// Whether the signature over the signed attributes verifies with the signer's key.
    public let signatureVerifies: Bool
    /// Whether signing-certificate(-v2) names the signer's certificate; nil without the attribute.
    public let signingCertificateMatches: Bool?
    /// Whether the attribute present is signing-certificate-v2 (rather than the SHA-1 v1).
    public let hasSigningCertificateV2: Bool
    /// The RFC 3161 token of the id-aa-timeStampToken unsigned attribute, DER.
    public let timeStampToken: [UInt8]?
    /// Whether the bytes after the DER structure are all zero padding.
    public let paddingIsZero: Bool

    /// Parses and checks `contents` (the DER, possibly followed by zero padding).
    public init(contents: [UInt8]) throws(Malformed) {
        guard let length = Self.derLength(contents), length <= contents.count else {
            throw Malformed(description: "/Contents is not a DER structure")
        }
        paddingIsZero = contents[length...].allSatisfy { $0 == 0 }
        ERR_clear_error()
        let parsed: OpaquePointer? = contents.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return d2i_CMS_ContentInfo(nil, &cursor, length)
        }
        guard let cms = parsed else {
            ERR_clear_error()
            throw Malformed(description: "/Contents is not a CMS structure")
        }
        defer { CMS_ContentInfo_free(cms) }
        guard OBJ_obj2nid(CMS_get0_type(cms)) == NID_pkcs7_signed else {
            throw Malformed(description: "/Contents is CMS but not SignedData")
        }
        guard sohoa_cms_signer_count(cms) == 1, let signerInfo = sohoa_cms_signer(cms, 0) else {
            throw Malformed(description: "the signature has \(sohoa_cms_signer_count(cms)) signers; a PDF signature has exactly one")
        }
        guard sohoa_cms_is_detached(cms) == 1 else {
            throw Malformed(description: "the signature encapsulates content; a PDF signature is detached")
        }
        certificates = Self.certificates(cms)
        let archive = Self.revocationArchive(signerInfo)
        crls = Self.crls(cms) + archive.crls
        ocspResponses = archive.responses
        let signer = certificates.first { CMS_SignerInfo_cert_cmp(signerInfo, $0.x509) == 0 }
        signerCertificate = signer

        var digestAlgorithm: UnsafeMutablePointer<X509_ALGOR>?
        var signatureAlgorithm: UnsafeMutablePointer<X509_ALGOR>?
        CMS_SignerInfo_get0_algs(signerInfo, nil, nil, &digestAlgorithm, &signatureAlgorithm)
        let digestObject = Self.algorithmObject(digestAlgorithm)
        self.digestAlgorithm = digestObject.flatMap { DigestAlgorithm(nid: OBJ_obj2nid($0)) }
        digestAlgorithmOID = digestObject.flatMap(TimeStampInfo.dotted) ?? "?"
        self.signatureAlgorithm = Self.algorithmObject(signatureAlgorithm)
            .flatMap { OBJ_nid2ln(OBJ_obj2nid($0)).map { String(cString: $0) } } ?? "unknown"

        messageDigest = Self.octets(CMS_signed_get0_data_by_OBJ(signerInfo, OBJ_nid2obj(NID_pkcs9_messageDigest), -3,
                                                                V_ASN1_OCTET_STRING))
        let contentType = CMS_signed_get0_data_by_OBJ(signerInfo, OBJ_nid2obj(NID_pkcs9_contentType), -3, V_ASN1_OBJECT)
        contentTypeIsData = contentType.map { OBJ_obj2nid(OpaquePointer($0)) == NID_pkcs7_data } ?? false
        signatureValue = Self.octets(UnsafeMutableRawPointer(CMS_SignerInfo_get0_signature(signerInfo))) ?? []

        if let signer, CMS_signed_get_attr_count(signerInfo) > 0 {
            CMS_SignerInfo_set1_signer_cert(signerInfo, signer.x509)
            signatureVerifies = CMS_SignerInfo_verify(signerInfo) == 1
        } else {
            signatureVerifies = false
        }
        ERR_clear_error()
        (signingCertificateMatches, hasSigningCertificateV2) = Self.signingCertificate(signerInfo, signer: signer)
        timeStampToken = Self.sequence(CMS_unsigned_get0_data_by_OBJ(signerInfo, OBJ_nid2obj(NID_id_smime_aa_timeStampToken),
                                                                    -3, V_ASN1_SEQUENCE))
    }

    /// The length of the DER element at the start of `bytes` (header included).
    public static func derLength(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 2, bytes[0] == 0x30 else { return nil }
        let first = Int(bytes[1])
        if first < 0x80 { return 2 + first }
        let count = first & 0x7F
        guard count >= 1, count <= 4, bytes.count >= 2 + count else { return nil }
        let length = bytes[2..<(2 + count)].reduce(0) { $0 << 8 | Int($1) }
        return 2 + count + length
    }

    private static func algorithmObject(_ algorithm: UnsafeMutablePointer<X509_ALGOR>?) -> OpaquePointer? {
        guard let algorithm else { return nil }
        var object: OpaquePointer?
        X509_ALGOR_get0(&object, nil, nil, algorithm)
        return object
    }

    private static func octets(_ pointer: UnsafeMutableRawPointer?) -> [UInt8]? {
        guard let pointer else { return nil }
        let string = pointer.assumingMemoryBound(to: ASN1_STRING.self)
        guard let data = ASN1_STRING_get0_data(string) else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: Int(ASN1_STRING_length(string))))
    }

    /// A SEQUENCE attribute value as DER (OpenSSL keeps its encoding in an ASN1_STRING).
    private static func sequence(_ pointer: UnsafeMutableRawPointer?) -> [UInt8]? { octets(pointer) }

    static func certificates(_ cms: OpaquePointer) -> [Certificate] {
        guard let stack = CMS_get1_certs(cms) else { ERR_clear_error(); return [] }
        defer { sohoa_sk_X509_pop_free(stack) }
        return (0..<sohoa_sk_X509_num(stack)).compactMap { index in
            guard let x509 = sohoa_sk_X509_value(stack, index), X509_up_ref(x509) == 1 else { return nil }
            return Certificate(taking: x509)
        }
    }

    private static func crls(_ cms: OpaquePointer) -> [CertificateRevocationList] {
        guard let stack = CMS_get1_crls(cms) else { ERR_clear_error(); return [] }
        defer { sohoa_sk_X509_CRL_pop_free(stack) }
        return (0..<sohoa_sk_X509_CRL_num(stack)).compactMap { index in
            guard let crl = sohoa_sk_X509_CRL_value(stack, index),
                  let der = DEREncoding.encode({ i2d_X509_CRL(crl, $0) }) else { return nil }
            return try? CertificateRevocationList(pemOrDER: der, name: "a CRL in the signature")
        }
    }

    /// The CRLs and OCSP responses of the signed attribute adbe-revocationInfoArchival
    /// (1.2.840.113583.1.1.8): SEQUENCE { [0] SEQUENCE OF CRL, [1] SEQUENCE OF OCSPResponse, ... }.
    private static func revocationArchive(_ signerInfo: OpaquePointer) -> (crls: [CertificateRevocationList], responses: [OCSPResponse]) {
        guard let identifier = OBJ_txt2obj("1.2.840.113583.1.1.8", 1) else { return ([], []) }
        defer { ASN1_OBJECT_free(identifier) }
        guard let der = sequence(CMS_signed_get0_data_by_OBJ(signerInfo, identifier, -3, V_ASN1_SEQUENCE)) else {
            ERR_clear_error()
            return ([], [])
        }
        let reader = DERReader(bytes: der)
        guard let outer = reader.elements(in: 0..<der.count)?.first, outer.tag == 0x30,
              let parts = reader.elements(in: outer.contents) else { return ([], []) }
        var crls: [CertificateRevocationList] = []
        var responses: [OCSPResponse] = []
        for part in parts where part.tag == 0xA0 || part.tag == 0xA1 {
            guard let list = reader.elements(in: part.contents)?.first, list.tag == 0x30,
                  let items = reader.elements(in: list.contents) else { continue }
            for item in items.prefix(1000) {
                let bytes = Array(der[item.range])
                if part.tag == 0xA0, let crl = try? CertificateRevocationList(pemOrDER: bytes, name: "the signature's archive") {
                    crls.append(crl)
                } else if part.tag == 0xA1, let response = try? OCSPResponse(der: bytes, name: "the signature's archive") {
                    responses.append(response)
                }
            }
        }
        return (crls, responses)
    }

    /// (matches, isV2): whether ESS signing-certificate(-v2) identifies `signer`.
    private static func signingCertificate(_ signerInfo: OpaquePointer, signer: Certificate?) -> (Bool?, Bool) {
        let v2 = sequence(CMS_signed_get0_data_by_OBJ(signerInfo, OBJ_nid2obj(NID_id_smime_aa_signingCertificateV2), -3,
                                                      V_ASN1_SEQUENCE))
        let v1 = sequence(CMS_signed_get0_data_by_OBJ(signerInfo, OBJ_nid2obj(NID_id_smime_aa_signingCertificate), -3,
                                                      V_ASN1_SEQUENCE))
        guard v2 != nil || v1 != nil else { return (nil, false) }
        guard let signer, let chain = sohoa_sk_X509_new_null() else { return (false, v2 != nil) }
        defer { sohoa_sk_X509_pop_free(chain) }
        guard sohoa_sk_X509_push_up_ref(chain, signer.x509) == 1 else { return (false, v2 != nil) }
        let parsedV2: OpaquePointer? = v2.flatMap { bytes in
            bytes.withUnsafeBufferPointer { buffer in
                var cursor = buffer.baseAddress
                return d2i_ESS_SIGNING_CERT_V2(nil, &cursor, buffer.count)
            }
        }
        let parsedV1: OpaquePointer? = v1.flatMap { bytes in
            bytes.withUnsafeBufferPointer { buffer in
                var cursor = buffer.baseAddress
                return d2i_ESS_SIGNING_CERT(nil, &cursor, buffer.count)
            }
        }
        defer {
            if let parsedV2 { ESS_SIGNING_CERT_V2_free(parsedV2) }
            if let parsedV1 { ESS_SIGNING_CERT_free(parsedV1) }
        }
        guard (v2 == nil || parsedV2 != nil), (v1 == nil || parsedV1 != nil) else {
            ERR_clear_error()
            return (false, v2 != nil)
        }
        let matches = OSSL_ESS_check_signing_certs(parsedV1, parsedV2, chain, 1) == 1
        ERR_clear_error()
        return (matches, v2 != nil)
    }
}
