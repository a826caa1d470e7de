import COpenSSL
import CShims
import Foundation
import SohoaFiles

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

extension TimeStampToken {
    /// The time a DER token asserts (its TSTInfo's genTime), read by walking the DER to it:
    /// OpenSSL's full parse (`init(der:)`) also decodes every certificate the token carries,
    /// which a signer that only reports the time has no use for. Nil when the token is not
    /// shaped as RFC 3161 says (ContentInfo, SignedData, TSTInfo) or the time is not
    /// `YYYYMMDDHHMMSS[.fraction]Z`. To the second, as `init(der:)` reads it. Verifies nothing.
    public static func generationTime(der: [UInt8]) -> Date? {
        let reader = DERReader(bytes: der)
        func children(_ element: DERReader.Element?) -> [DERReader.Element]? {
            element.flatMap { reader.elements(in: $0.contents) }
        }
        // ContentInfo ::= SEQUENCE { contentType, [0] EXPLICIT SignedData }
        guard let contentInfo = children(reader.element(at: 0, endingBy: der.count)), contentInfo.count == 2,
              contentInfo[1].tag == 0xA0,
              let signedData = children(children(contentInfo[1])?.first), signedData.count >= 3,
              // SignedData ::= SEQUENCE { version, digestAlgorithms, encapContentInfo, ... }
              let encapsulated = children(signedData[2]), encapsulated.count == 2, encapsulated[1].tag == 0xA0,
              let octets = children(encapsulated[1])?.first, octets.tag == 0x04,
              // TSTInfo ::= SEQUENCE { version, policy, messageImprint, serialNumber, genTime, ... }
              let info = reader.elements(in: octets.contents).flatMap({ $0.count == 1 ? children($0[0]) : nil }),
              info.count >= 5, info[4].tag == 0x18 else { return nil }
        return generalizedTime(Array(der[info[4].contents]))
    }

    /// `YYYYMMDDHHMMSS[.fraction]Z` as a date (UTC), the fraction dropped.
    static func generalizedTime(_ text: [UInt8]) -> Date? {
        guard text.count >= 15, text.last == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in text[range] {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8), let hour = number(8..<10),
              let minute = number(10..<12), let second = number(12..<14),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        if text.count > 15 {
            guard text[14] == UInt8(ascii: "."), text.count > 16, text.count - 16 <= 9, number(15..<(text.count - 1)) != nil else { return nil }
        }
        let days = Int(ISO8601Text.days(fromCivil: Int64(year), month: Int64(month), day: Int64(day)))
        return Date(timeIntervalSince1970: Double(days * 86_400 + hour * 3600 + minute * 60 + second))
    }
}
