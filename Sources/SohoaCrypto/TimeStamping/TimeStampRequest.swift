import COpenSSL
import CShims
import Foundation

/// An RFC 3161 request for a signature time-stamp, and the checks on what comes back.
///
/// The request carries a SHA-256 imprint, a random nonce, and asks for the TSA's certificate.
/// A token is accepted only when the response is granted, its imprint and nonce are ours, and
/// its signature verifies with a TSA certificate whose extended key usage is timeStamping.
/// (Whether that TSA is trusted is the verifier's question, answered against its trust anchors.)
public struct TimeStampRequest: Sendable {
    /// The DER TimeStampReq to post.
    public let der: [UInt8]
    private let imprint: [UInt8]

    /// Why a time-stamp was not accepted.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// A request over the SHA-256 of `message` (for PAdES: the signature value).
    public init(message: [UInt8]) throws(Failure) {
        try self.init(sha256: SHA256.digest(message))
    }

    /// A request over a SHA-256 digest already made (for a document time-stamp: of the file's
    /// signed byte ranges, hashed as they are read).
    public init(sha256 digest: [UInt8]) throws(Failure) {
        guard digest.count == 32 else { throw Failure(description: "a SHA-256 digest is 32 bytes, not \(digest.count)") }
        imprint = digest
        guard let request = TS_REQ_new(), let messageImprint = TS_MSG_IMPRINT_new(), let algorithm = X509_ALGOR_new(),
              let nonce = ASN1_INTEGER_new() else {
            throw Failure(description: "OpenSSL could not build a time-stamp request")
        }
        defer {
            TS_REQ_free(request)
            TS_MSG_IMPRINT_free(messageImprint)
            X509_ALGOR_free(algorithm)
            ASN1_INTEGER_free(nonce)
        }
        var message = imprint
        var random = [UInt8](repeating: 0, count: 8)
        guard X509_ALGOR_set0(algorithm, OBJ_nid2obj(NID_sha256), V_ASN1_NULL, nil) == 1,
              TS_MSG_IMPRINT_set_algo(messageImprint, algorithm) == 1,
              TS_MSG_IMPRINT_set_msg(messageImprint, &message, Int32(message.count)) == 1,
              TS_REQ_set_version(request, 1) == 1,
              TS_REQ_set_msg_imprint(request, messageImprint) == 1,
              RAND_bytes(&random, Int32(random.count)) == 1,
              ASN1_INTEGER_set_uint64(nonce, random.reduce(UInt64(0)) { $0 << 8 | UInt64($1) } >> 1) == 1,
              TS_REQ_set_nonce(request, nonce) == 1,
              TS_REQ_set_cert_req(request, 1) == 1 else {
            throw Failure(description: OpenSSLError.drain("building the time-stamp request").description)
        }
        guard let bytes = DEREncoding.encode({ i2d_TS_REQ(request, $0) }) else {
            throw Failure(description: OpenSSLError.drain("encoding the time-stamp request").description)
        }
        der = bytes
    }

    /// Checks `response` against this request and returns its DER TimeStampToken.
    public func acceptToken(from response: [UInt8]) throws(Failure) -> [UInt8] {
        ERR_clear_error()
        let parsedRequest: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return d2i_TS_REQ(nil, &cursor, buffer.count)
        }
        let parsedResponse: OpaquePointer? = response.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return d2i_TS_RESP(nil, &cursor, buffer.count)
        }
        guard let request = parsedRequest, let reply = parsedResponse else {
            if let parsedRequest { TS_REQ_free(parsedRequest) }
            throw Failure(description: "the time-stamp authority's answer is not a time-stamp response")
        }
        defer {
            TS_REQ_free(request)
            TS_RESP_free(reply)
        }
        let summary = TimeStampResponse(parsed: reply)
        guard summary.isGranted, let token = summary.tokenDER else {
            throw Failure(description: "the time-stamp authority refused the request (status \(summary.status))")
        }
        guard let context = TS_REQ_to_TS_VERIFY_CTX(request, nil), let store = X509_STORE_new() else {
            throw Failure(description: OpenSSLError.drain("preparing to check the time-stamp").description)
        }
        defer { TS_VERIFY_CTX_free(context) }
        // The CA certificates the token carries anchor the signature check: this proves the
        // token is intact and signed by a certificate with the timeStamping usage under them,
        // not that the TSA is trusted (the verifier decides that against its trust anchors).
        // A self-signed root among them is the anchor; without one, the CA certificates are.
        var authorities: [OpaquePointer] = []
        if let certificates = sohoa_pkcs7_certificates(TS_RESP_get_token(reply)) {
            for index in 0..<sohoa_sk_X509_num(certificates) {
                if let certificate = sohoa_sk_X509_value(certificates, index), X509_check_ca(certificate) != 0 {
                    authorities.append(certificate)
                }
            }
        }
        let roots = authorities.filter { X509_check_issued($0, $0) == X509_V_OK }
        for anchor in roots.isEmpty ? authorities : roots { X509_STORE_add_cert(store, anchor) }
        if roots.isEmpty { X509_STORE_set_flags(store, UInt(X509_V_FLAG_PARTIAL_CHAIN)) }
        TS_VERIFY_CTX_set_store(context, store)  // the context owns the store from here
        TS_VERIFY_CTX_set_flags(context, Int32(TS_VFY_VERSION | TS_VFY_SIGNATURE | TS_VFY_IMPRINT | TS_VFY_NONCE))
        guard TS_RESP_verify_response(context, reply) == 1 else {
            throw Failure(description: OpenSSLError.drain("checking the time-stamp token").description)
        }
        return token
    }
}
