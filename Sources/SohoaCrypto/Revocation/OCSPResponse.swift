import COpenSSL
import CShims
import Foundation

/// An OCSP response (RFC 6960): what a CA's responder says about its certificates.
public final class OCSPResponse: @unchecked Sendable {
    let basic: OpaquePointer
    /// The whole OCSPResponse, DER, as a DSS stores it.
    public let derBytes: [UInt8]

    /// What a response says about one certificate.
    public struct SingleStatus: Sendable, Equatable {
        public enum Status: Sendable, Equatable {
            case good
            case revoked(date: Date, reason: String)
            case unknown
        }
        public let status: Status
        public let thisUpdate: Date
        public let nextUpdate: Date?
    }

    /// Parses a DER OCSPResponse; only a successful one holding a basic response is usable.
    public init(der: [UInt8], name: String) throws {
        ERR_clear_error()
        let parsed: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return d2i_OCSP_RESPONSE(nil, &cursor, buffer.count)
        }
        guard let response = parsed else { throw OpenSSLError.drain("reading the OCSP response \(name)") }
        defer { OCSP_RESPONSE_free(response) }
        let status = OCSP_response_status(response)
        guard status == OCSP_RESPONSE_STATUS_SUCCESSFUL else {
            throw OpenSSLError(operation: "reading the OCSP response \(name)",
                               reasons: ["the responder answered \(String(cString: OCSP_response_status_str(Int(status))))"])
        }
        guard let basic = OCSP_response_get1_basic(response) else {
            throw OpenSSLError.drain("reading the OCSP response \(name)")
        }
        self.basic = basic
        derBytes = der
    }

    deinit {
        OCSP_BASICRESP_free(basic)
    }

    /// The certificates the response carries (a delegated responder's, usually).
    public var certificates: [Certificate] {
        guard let stack = sohoa_ocsp_basic_certificates(basic) else { return [] }
        return (0..<sohoa_sk_X509_num(stack)).compactMap { index in
            guard let x509 = sohoa_sk_X509_value(stack, index), X509_up_ref(x509) == 1 else { return nil }
            return Certificate(taking: x509)
        }
    }

    /// Whether the response is signed by `issuer` itself or by a responder `issuer` delegated
    /// (a certificate it issued with the OCSPSigning usage).
    public func isSigned(onBehalfOf issuer: Certificate) -> Bool {
        guard let store = X509_STORE_new(), let issuers = sohoa_sk_X509_new_null() else { return false }
        defer {
            X509_STORE_free(store)
            sohoa_sk_X509_pop_free(issuers)
        }
        X509_STORE_add_cert(store, issuer.x509)
        X509_STORE_set_flags(store, UInt(X509_V_FLAG_PARTIAL_CHAIN))
        _ = sohoa_sk_X509_push_up_ref(issuers, issuer.x509)
        let verified = OCSP_basic_verify(basic, issuers, store, 0) == 1
        ERR_clear_error()
        return verified
    }

    /// What the response says about `certificate` (issued by `issuer`), nil when it says nothing
    /// about it. The signature is not checked here (`isSigned(onBehalfOf:)`).
    public func status(of certificate: Certificate, issuer: Certificate) -> SingleStatus? {
        for index in 0..<max(0, OCSP_resp_count(basic)) {
            guard let single = OCSP_resp_get0(basic, index), let id = OCSP_SINGLERESP_get0_id(single) else { continue }
            var algorithm: OpaquePointer?
            guard OCSP_id_get0_info(nil, &algorithm, nil, nil, id) == 1,
                  let algorithm, let digest = EVP_get_digestbyname(OBJ_nid2sn(OBJ_obj2nid(algorithm))),
                  let ours = OCSP_cert_to_id(digest, certificate.x509, issuer.x509) else { continue }
            defer { OCSP_CERTID_free(ours) }
            guard OCSP_id_cmp(ours, id) == 0 else { continue }
            var reason: Int32 = -1
            var revoked: UnsafeMutablePointer<ASN1_GENERALIZEDTIME>?
            var thisUpdate: UnsafeMutablePointer<ASN1_GENERALIZEDTIME>?
            var nextUpdate: UnsafeMutablePointer<ASN1_GENERALIZEDTIME>?
            let code = OCSP_single_get0_status(single, &reason, &revoked, &thisUpdate, &nextUpdate)
            guard let issued = Certificate.date(thisUpdate) else { return nil }
            let status: SingleStatus.Status
            switch code {
            case V_OCSP_CERTSTATUS_GOOD:
                status = .good
            case V_OCSP_CERTSTATUS_REVOKED:
                let date = Certificate.date(revoked) ?? issued
                let words = CertificateRevocationList.Revocation(date: date, reasonCode: reason >= 0 ? Int(reason) : nil).reason
                status = .revoked(date: date, reason: words)
            default:
                status = .unknown
            }
            return SingleStatus(status: status, thisUpdate: issued, nextUpdate: Certificate.date(nextUpdate))
        }
        return nil
    }

    /// A DER OCSP request for `certificate`'s status, with a nonce, and a check that a
    /// response answers it (nonce echoed, when the responder echoes nonces).
    public struct Request: Sendable {
        public let der: [UInt8]

        public init(for certificate: Certificate, issuer: Certificate) throws {
            guard let request = OCSP_REQUEST_new() else { throw OpenSSLError.drain("building an OCSP request") }
            defer { OCSP_REQUEST_free(request) }
            guard let id = OCSP_cert_to_id(EVP_sha1(), certificate.x509, issuer.x509),
                  OCSP_request_add0_id(request, id) != nil,
                  OCSP_request_add1_nonce(request, nil, -1) == 1,
                  let bytes = DEREncoding.encode({ i2d_OCSP_REQUEST(request, $0) }) else {
                throw OpenSSLError.drain("building an OCSP request")
            }
            der = bytes
        }

        /// Whether `response` carries this request's nonce, or none at all (a responder that
        /// pre-produces answers); false when it carries another.
        public func isAnswered(by response: OCSPResponse) -> Bool {
            let parsed: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
                var cursor = buffer.baseAddress
                return d2i_OCSP_REQUEST(nil, &cursor, buffer.count)
            }
            guard let request = parsed else { return false }
            defer { OCSP_REQUEST_free(request) }
            return OCSP_check_nonce(request, response.basic) != 0
        }
    }
}
