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
    /// Whether the encapsulated content type (eContentType) is id-data, as a PDF signature's is.
    public let encapsulatedContentTypeIsData: Bool
    /// The signature value (what a signature time-stamp is over).
    public let signatureValue: [UInt8]
    /// How the signature value is encoded (which also says whether Sohoa can check it).
    public let signatureEncoding: SignatureEncoding
    /// Whether the signer info has signed attributes. Without them (allowed for
    /// adbe.pkcs7.detached, never for PAdES) the signature value is over the content's digest.
    public let hasSignedAttributes: Bool
    /// The signed attributes as the DER SET OF that RFC 5652 §5.4 says is signed, re-encoded
    /// from what was parsed (sorted, definite lengths), whatever encoding the file carries.
    public let signedAttributesDER: [UInt8]?
    /// The check of the signature over the signed attributes; nil without signed attributes
    /// (see `verifyValue(contentDigest:)`).
    public let signedAttributesStatus: SignatureValueStatus?
    /// How many signer infos the SignedData holds (a PDF signature should hold one).
    public let signerInfoCount: Int
    /// Whether signing-certificate(-v2) names the signer's certificate; nil without the attribute.
    public let signingCertificateMatches: Bool?
    /// Whether the attribute present is signing-certificate-v2 (rather than the SHA-1 v1).
    public let hasSigningCertificateV2: Bool
    /// The RFC 3161 token of the id-aa-timeStampToken unsigned attribute, DER.
    public let timeStampToken: [UInt8]?
    /// Whether the bytes after the CMS structure are all zero padding.
    public let paddingIsZero: Bool

    /// Parses and checks `contents` (the CMS structure in DER or BER, possibly followed by
    /// zero padding).
    ///
    /// With several signer infos, the one checked is the first whose certificate the
    /// SignedData carries (what the EU's reference validator does); `signerInfoCount` says
    /// there were others, which prove nothing about the document.
    public init(contents: [UInt8]) throws(Malformed) {
        guard contents.first == 0x30, let length = BERElement.length(contents), length <= contents.count else {
            throw Malformed(description: "/Contents is not a DER or BER structure")
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
        guard sohoa_cms_is_detached(cms) == 1 else {
            throw Malformed(description: "the signature encapsulates content; a PDF signature is detached")
        }
        let carried = Self.certificates(cms)
        certificates = carried
        signerInfoCount = Int(sohoa_cms_signer_count(cms))
        let infos = (0..<Int32(max(0, min(signerInfoCount, 64)))).compactMap { sohoa_cms_signer(cms, $0) }
        let matching = infos.first { info in carried.contains { CMS_SignerInfo_cert_cmp(info, $0.x509) == 0 } }
        guard let signerInfo = matching ?? infos.first else {
            throw Malformed(description: "the SignedData has no signer info")
        }
        let archive = Self.revocationArchive(signerInfo)
        crls = Self.crls(cms) + archive.crls
        ocspResponses = archive.responses
        let signer = carried.first { CMS_SignerInfo_cert_cmp(signerInfo, $0.x509) == 0 }
        signerCertificate = signer

        var digestAlgorithm: UnsafeMutablePointer<X509_ALGOR>?
        var signatureAlgorithm: UnsafeMutablePointer<X509_ALGOR>?
        CMS_SignerInfo_get0_algs(signerInfo, nil, nil, &digestAlgorithm, &signatureAlgorithm)
        let digestObject = Self.algorithmObject(digestAlgorithm)
        let digest = digestObject.flatMap { DigestAlgorithm(nid: OBJ_obj2nid($0)) }
        self.digestAlgorithm = digest
        digestAlgorithmOID = digestObject.flatMap(TimeStampInfo.dotted) ?? "?"
        let signatureObject = Self.algorithmObject(signatureAlgorithm)
        signatureEncoding = SignatureEncoding(object: signatureObject)
        self.signatureAlgorithm = signatureObject.flatMap { object in
            OBJ_obj2nid(object) == NID_undef ? TimeStampInfo.dotted(object) : OBJ_nid2ln(OBJ_obj2nid(object)).map { String(cString: $0) }
        } ?? "unknown"

        messageDigest = Self.octets(CMS_signed_get0_data_by_OBJ(signerInfo, OBJ_nid2obj(NID_pkcs9_messageDigest), -3,
                                                                V_ASN1_OCTET_STRING))
        let contentType = CMS_signed_get0_data_by_OBJ(signerInfo, OBJ_nid2obj(NID_pkcs9_contentType), -3, V_ASN1_OBJECT)
        contentTypeIsData = contentType.map { OBJ_obj2nid(OpaquePointer($0)) == NID_pkcs7_data } ?? false
        encapsulatedContentTypeIsData = CMS_get0_eContentType(cms).map { OBJ_obj2nid($0) == NID_pkcs7_data } ?? false
        let value = Self.octets(UnsafeMutableRawPointer(CMS_SignerInfo_get0_signature(signerInfo))) ?? []
        signatureValue = value

        hasSignedAttributes = CMS_signed_get_attr_count(signerInfo) > 0
        let attributes = hasSignedAttributes ? SignedAttributes.der(of: signerInfo) : nil
        signedAttributesDER = attributes
        if !hasSignedAttributes {
            signedAttributesStatus = nil
        } else if let signer {
            // RFC 5652 §5.4: what is signed is the DER SET OF the attributes. OpenSSL hashes them
            // as the file carries them; when that fails, the DER re-encoding is checked. Both
            // are encodings of the same parsed attributes, so either proves the same statements.
            let encoding = signatureEncoding
            let digestOID = digestAlgorithmOID
            func overDER() -> SignatureValueStatus {
                guard let attributes, let digest, let hashed = try? MessageDigest.digest(attributes, digest) else {
                    return .unsupportedAlgorithm(digestOID)
                }
                return SignatureValue.verify(value, encoding: encoding, digest: hashed, algorithm: digest, certificate: signer)
            }
            switch encoding {
            case .unsupported(let oid):
                signedAttributesStatus = .unsupportedAlgorithm(oid)
            case .ecdsaPlain:
                signedAttributesStatus = overDER()
            case .eddsa:
                // RFC 8419: Ed25519 with SHA-512 over the DER attributes; Ed448 needs SHAKE256,
                // which Sohoa does not support.
                if let attributes, digest == .sha512, signer.publicKey.algorithm == .ed25519 {
                    signedAttributesStatus = SignatureValue.verifyEd25519(value, message: attributes, certificate: signer)
                } else {
                    signedAttributesStatus = .unsupportedAlgorithm("\(self.signatureAlgorithm) with \(digestOID)")
                }
            case .rsaPKCS1, .rsaPSS, .ecdsaDER:
                CMS_SignerInfo_set1_signer_cert(signerInfo, signer.x509)
                if CMS_SignerInfo_verify(signerInfo) == 1 {
                    signedAttributesStatus = .verifies
                } else if encoding == .rsaPSS {
                    signedAttributesStatus = .wrong
                } else {
                    signedAttributesStatus = overDER() == .verifies ? .verifies : .wrong
                }
            }
        } else {
            signedAttributesStatus = .wrong
        }
        ERR_clear_error()
        (signingCertificateMatches, hasSigningCertificateV2) = Self.signingCertificate(signerInfo, signer: signer)
        timeStampToken = Self.sequence(CMS_unsigned_get0_data_by_OBJ(signerInfo, OBJ_nid2obj(NID_id_smime_aa_timeStampToken),
                                                                    -3, V_ASN1_SEQUENCE))
    }

    /// Whether the signature value verifies: over the signed attributes when there are any
    /// (the caller has compared their messageDigest with `contentDigest`), otherwise directly
    /// over `contentDigest`, the digest of the signed bytes.
    public func verifyValue(contentDigest: [UInt8]) -> SignatureValueStatus {
        if let signedAttributesStatus { return signedAttributesStatus }
        guard let signerCertificate, let digestAlgorithm else { return .wrong }
        return SignatureValue.verify(signatureValue, encoding: signatureEncoding, digest: contentDigest,
                                     algorithm: digestAlgorithm, certificate: signerCertificate)
    }

    /// The length of the DER or BER element at the start of `bytes` (header included).
    public static func derLength(_ bytes: [UInt8]) -> Int? {
        bytes.first == 0x30 ? BERElement.length(bytes) : nil
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
