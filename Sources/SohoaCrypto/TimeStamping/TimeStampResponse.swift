import COpenSSL
import CShims
import Foundation

/// What an RFC 3161 TimeStampResp says, read with OpenSSL (no signature check here).
public struct TimeStampResponse: Sendable, Equatable {
    /// PKIStatus: 0 granted, 1 granted with modifications, 2 rejection, 3 waiting, 4 revocation warning, 5 revocation notification.
    public let status: Int
    /// The token's serial number (hex), when a token is present.
    public let serialNumberHex: String?
    /// The token's time, when a token is present.
    public let time: Date?
    /// The policy the token was issued under (dotted OID).
    public let policyOID: String?
    /// The nonce echoed from the request (hex), if any.
    public let nonceHex: String?
    /// The hashed message the token covers.
    public let messageImprint: [UInt8]?
    /// The TimeStampToken (a CMS ContentInfo), DER, as it goes into a signature's unsigned
    /// attribute id-aa-timeStampToken.
    public let tokenDER: [UInt8]?

    /// Whether a token was granted.
    public var isGranted: Bool { status == 0 || status == 1 }

    /// Parses DER TimeStampResp bytes.
    public init(der: [UInt8]) throws(OpenSSLError) {
        let parsed: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return d2i_TS_RESP(nil, &cursor, buffer.count)
        }
        guard let response = parsed else { throw OpenSSLError.drain("reading the time-stamp response") }
        defer { TS_RESP_free(response) }
        status = Int(ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(TS_RESP_get_status_info(response))))
        tokenDER = TS_RESP_get_token(response).flatMap { token in DEREncoding.encode { i2d_PKCS7(token, $0) } }
        guard let info = TS_RESP_get_tst_info(response) else {
            serialNumberHex = nil
            time = nil
            policyOID = nil
            nonceHex = nil
            messageImprint = nil
            return
        }
        let facts = TimeStampInfo(info)
        serialNumberHex = facts.serialNumberHex
        nonceHex = facts.nonceHex
        time = facts.time
        policyOID = facts.policyOID
        messageImprint = facts.messageImprint
    }
}
