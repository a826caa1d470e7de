import COpenSSL
import CShims
import Foundation

/// What a time-stamp token asserts (RFC 3161 TSTInfo).
public struct TimeStampInfo: Sendable, Equatable {
    /// The token's serial number, upper-case hexadecimal.
    public let serialNumberHex: String?
    /// The time the authority asserts (genTime).
    public let time: Date?
    /// The authority's policy, dotted.
    public let policyOID: String?
    /// The nonce, upper-case hexadecimal, when the request had one.
    public let nonceHex: String?
    /// The hash the token is over (for PAdES: of the signature value).
    public let messageImprint: [UInt8]?
    /// The imprint's hash algorithm, dotted (2.16.840.1.101.3.4.2.1 is SHA-256).
    public let imprintAlgorithmOID: String?

    init(_ info: OpaquePointer) {
        serialNumberHex = Self.hex(TS_TST_INFO_get_serial(info))
        nonceHex = TS_TST_INFO_get_nonce(info).flatMap(Self.hex)
        time = Certificate.date(TS_TST_INFO_get_time(info))
        policyOID = TS_TST_INFO_get_policy_id(info).flatMap(Self.dotted)
        let imprint = TS_TST_INFO_get_msg_imprint(info)
        if let imprint, let message = TS_MSG_IMPRINT_get_msg(imprint), let data = ASN1_STRING_get0_data(message) {
            messageImprint = Array(UnsafeBufferPointer(start: data, count: Int(ASN1_STRING_length(message))))
        } else {
            messageImprint = nil
        }
        var algorithmObject: OpaquePointer?
        if let imprint, let algorithm = TS_MSG_IMPRINT_get_algo(imprint) {
            X509_ALGOR_get0(&algorithmObject, nil, nil, algorithm)
        }
        imprintAlgorithmOID = algorithmObject.flatMap(Self.dotted)
    }

    static func dotted(_ object: OpaquePointer) -> String? {
        var buffer = [CChar](repeating: 0, count: 128)
        let length = OBJ_obj2txt(&buffer, Int32(buffer.count), object, 1)
        return length > 0 ? String(decoding: buffer.prefix(Int(length)).map(UInt8.init(bitPattern:)), as: UTF8.self) : nil
    }

    static func hex(_ integer: UnsafePointer<ASN1_INTEGER>?) -> String? {
        guard let integer, let bignum = ASN1_INTEGER_to_BN(integer, nil) else { return nil }
        defer { BN_free(bignum) }
        guard let text = BN_bn2hex(bignum) else { return nil }
        defer { sohoa_openssl_free(text) }
        return String(cString: text)
    }
}

/// An RFC 3161 TimeStampToken: a CMS SignedData over a TSTInfo, as it sits in a PAdES
/// signature's id-aa-timeStampToken attribute.
public struct TimeStampToken: Sendable {
    /// The token's DER bytes.
    public let der: [UInt8]
    /// What it asserts.
    public let info: TimeStampInfo
    /// The certificates it carries (the authority's, and often its chain).
    public let certificates: [Certificate]
    /// The authority's certificate: the carried one its signer info names (nil when it does not
    /// carry it). Found, not verified: `TimeStampCheck` verifies.
    public let signerCertificate: Certificate?

    /// Parses a DER token (the same reading `TimeStampCheck` does).
    public init(der: [UInt8]) throws(OpenSSLError) {
        ERR_clear_error()
        let parsed: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return d2i_CMS_ContentInfo(nil, &cursor, buffer.count)
        }
        guard let token = parsed else { throw OpenSSLError.drain("reading the time-stamp token") }
        defer { CMS_ContentInfo_free(token) }
        guard let info = TimeStampCheck.assertion(token) else {
            throw OpenSSLError.drain("reading what the time-stamp token asserts")
        }
        self.der = der
        self.info = info
        let carried = CMSSignatureInspection.certificates(token)
        certificates = carried
        signerCertificate = sohoa_cms_signer(token, 0).flatMap { info in carried.first { CMS_SignerInfo_cert_cmp(info, $0.x509) == 0 } }
    }
}
