import COpenSSL
import CShims
import Foundation

/// What an RFC 3161 TimeStampResp says, read with OpenSSL (no signature check here).
public struct TimeStampResponse: Sendable, Equatable {
    /// PKIStatus: 0 granted, 1 granted with modifications, 2 rejection, 3 waiting, 4 revocation warning, 5 revocation notification.
    public let status: Int
    /// Why the request was rejected, as the authority said (empty when it gave no reason).
    public let failureInfo: FailureInfo
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

    /// PKIFailureInfo (RFC 3161 section 2.4.2): the reasons a rejection names, one bit each.
    public struct FailureInfo: OptionSet, Sendable, Hashable {
        public let rawValue: UInt32

        public init(rawValue: UInt32) {
            self.rawValue = rawValue
        }

        /// Unrecognized or unsupported algorithm (bit 0).
        public static let badAlgorithm = FailureInfo(rawValue: 1 << 0)
        /// Transaction not permitted or supported (bit 2).
        public static let badRequest = FailureInfo(rawValue: 1 << 2)
        /// The data submitted has the wrong format (bit 5).
        public static let badDataFormat = FailureInfo(rawValue: 1 << 5)
        /// The TSA's time source is not available (bit 14).
        public static let timeNotAvailable = FailureInfo(rawValue: 1 << 14)
        /// The requested policy is not supported by the TSA (bit 15).
        public static let unacceptedPolicy = FailureInfo(rawValue: 1 << 15)
        /// The requested extension is not supported by the TSA (bit 16).
        public static let unacceptedExtension = FailureInfo(rawValue: 1 << 16)
        /// The additional information requested is not available (bit 17).
        public static let addInfoNotAvailable = FailureInfo(rawValue: 1 << 17)
        /// The request cannot be handled due to system failure (bit 25).
        public static let systemFailure = FailureInfo(rawValue: 1 << 25)
    }

    /// Parses DER TimeStampResp bytes.
    public init(der: [UInt8]) throws(OpenSSLError) {
        let parsed: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return d2i_TS_RESP(nil, &cursor, buffer.count)
        }
        guard let response = parsed else { throw OpenSSLError.drain("reading the time-stamp response") }
        defer { TS_RESP_free(response) }
        self.init(parsed: response)
    }

    /// What a TimeStampResp OpenSSL has parsed already says (parsing one decodes every
    /// certificate it carries: a signer checking the answer it got parses it once).
    init(parsed response: OpaquePointer) {
        let statusInfo = TS_RESP_get_status_info(response)
        status = Int(ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(statusInfo)))
        var failures: UInt32 = 0
        if let bits = TS_STATUS_INFO_get0_failure_info(statusInfo) {
            for bit in 0..<32 where ASN1_BIT_STRING_get_bit(bits, Int32(bit)) == 1 { failures |= 1 << UInt32(bit) }
        }
        failureInfo = FailureInfo(rawValue: failures)
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
