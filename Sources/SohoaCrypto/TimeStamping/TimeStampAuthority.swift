import COpenSSL
import CShims
import Foundation
import Synchronization

/// An RFC 3161 time-stamp authority: turns DER TimeStampReq bytes into DER TimeStampResp bytes,
/// signed by the TSA's key with SHA-256 and an ESS signing-certificate-v2 reference.
///
/// Malformed requests get a rejection response (never an exception); the nonce is echoed; the
/// TSA certificate is included when the request asks for it; accuracy is stated; serial numbers
/// come from a `SerialNumberStore`, so they stay unique across restarts.
public final class TimeStampAuthority: Sendable {
    /// How the authority is set up.
    public struct Configuration: Sendable {
        /// The TSA certificate (PEM); it must carry a critical timeStamping extended key usage.
        public var certificatePath: String
        /// The TSA private key (PEM, unencrypted).
        public var keyPath: String
        /// Certificates above the TSA certificate (PEM), included in responses that ask for certificates.
        public var chainPath: String?
        /// The policy under which tokens are issued.
        public var policyOID: String
        /// Where serial numbers are kept.
        public var serialFile: String
        /// The accuracy stated in each token, in seconds.
        public var accuracySeconds: Int

        /// A policy in the ISO/ITU-T example arc (2.999): fine for tests and in-house use; a
        /// licensed TSA uses its registered policy.
        public static let defaultPolicyOID = "2.999.3161.1"

        public init(certificatePath: String, keyPath: String, chainPath: String? = nil,
                    policyOID: String = Configuration.defaultPolicyOID, serialFile: String, accuracySeconds: Int = 1) {
            self.certificatePath = certificatePath
            self.keyPath = keyPath
            self.chainPath = chainPath
            self.policyOID = policyOID
            self.serialFile = serialFile
            self.accuracySeconds = accuracySeconds
        }
    }

    /// Why an authority cannot start, in words the administrator can act on.
    public struct SetupError: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// The OpenSSL responder context; `TS_RESP_create_response` is not re-entrant, so it is
    /// used under this lock.
    private let context: Mutex<ResponderContext>
    private let serials: SerialNumberStore
    /// The TSA certificate.
    public let certificate: Certificate

    public init(_ configuration: Configuration) throws(SetupError) {
        let certificates: [Certificate]
        let chain: [Certificate]
        let key: PrivateKey
        do {
            certificates = try Certificate.load(fileAt: configuration.certificatePath)
            chain = try configuration.chainPath.map { try Certificate.load(fileAt: $0) } ?? []
            key = try PrivateKey.load(pemFileAt: configuration.keyPath)
        } catch {
            throw SetupError(description: "\(error)")
        }
        guard let tsaCertificate = certificates.first else {
            throw SetupError(description: "\(configuration.certificatePath): no certificate in the file")
        }
        guard key.matches(tsaCertificate) else {
            throw SetupError(description: "\(configuration.keyPath): this key does not belong to the certificate "
                             + "\(configuration.certificatePath)")
        }
        do {
            serials = try SerialNumberStore(path: configuration.serialFile)
        } catch {
            throw SetupError(description: error.description)
        }
        certificate = tsaCertificate
        // The chain file may repeat the TSA certificate first; OpenSSL adds the signer itself.
        let others = chain.filter { $0.derBytes != tsaCertificate.derBytes }
        context = Mutex(try ResponderContext(certificate: tsaCertificate, key: key, chain: others,
                                             configuration: configuration))
    }

    /// The DER TimeStampResp for DER TimeStampReq `request`: granted, or rejected with a
    /// failure reason when the request is malformed or uses an unsupported digest.
    ///
    /// A request must be one DER element and nothing more: OpenSSL reads the first element
    /// and ignores what follows it, so bytes after the end are rejected here, with the
    /// badDataFormat reason OpenSSL gives any other malformed request.
    public func respond(to request: [UInt8]) -> [UInt8] {
        guard Self.isExactlyDER(request) else { return Self.badDataFormat }
        return context.withLock { context in
            context.respond(to: request, serials: serials)
        }
    }

    /// Whether `request` is one TimeStampReq in DER and nothing else: what OpenSSL reads (it
    /// accepts BER and stops at the end of the first element) encodes back to the same bytes.
    /// Anything else (bytes after it, long-form or indefinite lengths, a BOOLEAN that is not
    /// 0xFF, an empty extension list the encoder would not write) is refused.
    static func isExactlyDER(_ request: [UInt8]) -> Bool {
        request.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return false }
            var cursor: UnsafePointer<UInt8>? = base
            guard let parsed = d2i_TS_REQ(nil, &cursor, buffer.count) else {
                ERR_clear_error()
                return false
            }
            defer { TS_REQ_free(parsed) }
            guard let cursor, base.distance(to: cursor) == buffer.count,
                  DEREncoding.encode({ i2d_TS_REQ(parsed, $0) }) == request else { return false }
            // What OpenSSL re-encodes as it read it: certReq TRUE must be 0xFF (FALSE is left out,
            // being the default), and an extension list must not be empty (SIZE (1..MAX)).
            let reader = DERReader(bytes: request)
            guard let fields = reader.element(at: 0, endingBy: request.count).flatMap({ reader.elements(in: $0.contents) })
            else { return false }
            return fields.allSatisfy { field in
                switch field.tag {
                case 0x01: return field.contents.count == 1 && request[field.contents.lowerBound] == 0xFF
                case 0xA0: return !field.contents.isEmpty
                default: return true
                }
            }
        }
    }

    /// TimeStampResp { status { rejection(2), statusString, failInfo badDataFormat(5) } }, for a
    /// request that is not exactly one TimeStampReq in DER.
    static let badDataFormat: [UInt8] = {
        func element(_ tag: UInt8, _ contents: [UInt8]) -> [UInt8] { [tag, UInt8(contents.count)] + contents }  // all under 128 bytes
        let text = element(0x30, element(0x0C, Array("Bad request format: not one TimeStampReq in DER.".utf8)))
        return element(0x30, element(0x30, element(0x02, [0x02]) + text + element(0x03, [0x02, 0x04])))
    }()
}

/// The OpenSSL TS_RESP_CTX and what it needs alive.
private final class ResponderContext: @unchecked Sendable {
    // Sendable: used only inside the authority's Mutex.
    let handle: OpaquePointer
    let certificate: Certificate
    let key: PrivateKey

    init(certificate: Certificate, key: PrivateKey, chain: [Certificate],
         configuration: TimeStampAuthority.Configuration) throws(TimeStampAuthority.SetupError) {
        guard let handle = TS_RESP_CTX_new() else {
            throw TimeStampAuthority.SetupError(description: OpenSSLError.drain("starting the time-stamp responder").description)
        }
        self.handle = handle
        self.certificate = certificate
        self.key = key
        // Once every property is set, a throw below runs deinit, which frees the context.
        func check(_ ok: Int32, _ what: String) throws(TimeStampAuthority.SetupError) {
            guard ok == 1 else {
                throw TimeStampAuthority.SetupError(description: OpenSSLError.drain(what).description)
            }
        }
        // OpenSSL refuses a signer certificate without the critical timeStamping EKU here.
        try check(TS_RESP_CTX_set_signer_cert(handle, certificate.x509),
                  "using \(configuration.certificatePath) as the TSA certificate (it needs a critical timeStamping extended key usage)")
        try check(TS_RESP_CTX_set_signer_key(handle, key.evpKey), "using the TSA key")
        try check(TS_RESP_CTX_set_signer_digest(handle, EVP_sha256()), "choosing SHA-256 for token signatures")
        try check(TS_RESP_CTX_set_ess_cert_id_digest(handle, EVP_sha256()), "choosing SHA-256 for the signing-certificate-v2 reference")
        guard let policy = OBJ_txt2obj(configuration.policyOID, 1) else {
            _ = OpenSSLError.drainQueue()
            throw TimeStampAuthority.SetupError(description: "\(configuration.policyOID) is not an object identifier (like 1.2.3.4)")
        }
        defer { ASN1_OBJECT_free(policy) }
        try check(TS_RESP_CTX_set_def_policy(handle, policy), "setting the policy \(configuration.policyOID)")
        for digest in [EVP_sha256(), EVP_sha384(), EVP_sha512()] {
            try check(TS_RESP_CTX_add_md(handle, digest), "accepting request digests")
        }
        try check(TS_RESP_CTX_set_accuracy(handle, Int32(configuration.accuracySeconds), 0, 0), "stating the accuracy")
        try check(TS_RESP_CTX_set_clock_precision_digits(handle, 3), "setting millisecond precision")
        if !chain.isEmpty, let stack = sohoa_sk_X509_new_null() {
            defer { sohoa_sk_X509_pop_free(stack) }
            for certificate in chain { _ = sohoa_sk_X509_push_up_ref(stack, certificate.x509) }
            try check(TS_RESP_CTX_set_certs(handle, stack), "adding the certificate chain")
        }
        TS_RESP_CTX_add_flags(handle, TS_ORDERING)
    }

    deinit {
        TS_RESP_CTX_free(handle)
    }

    func respond(to request: [UInt8], serials: SerialNumberStore) -> [UInt8] {
        let store = Unmanaged.passUnretained(serials).toOpaque()
        TS_RESP_CTX_set_serial_cb(handle, { _, data in
            guard let data else { return nil }
            let serials = Unmanaged<SerialNumberStore>.fromOpaque(data).takeUnretainedValue()
            guard let serial = try? serials.nextSerial(), let integer = ASN1_INTEGER_new() else { return nil }
            guard ASN1_INTEGER_set_uint64(integer, serial) == 1 else {
                ASN1_INTEGER_free(integer)
                return nil
            }
            return integer
        }, store)
        let response: OpaquePointer? = request.withUnsafeBytes { bytes in
            guard let bio = BIO_new_mem_buf(bytes.baseAddress, Int32(bytes.count)) else { return nil }
            defer { BIO_free(bio) }
            return TS_RESP_create_response(handle, bio)
        }
        _ = OpenSSLError.drainQueue()  // a rejected request leaves reasons behind; the response carries them
        guard let response else { return Self.systemFailure }
        defer { TS_RESP_free(response) }
        return DEREncoding.encode { i2d_TS_RESP(response, $0) } ?? Self.systemFailure
    }

    /// TimeStampResp { status { rejection(2), failInfo systemFailure(25) } }, for when even a
    /// rejection cannot be built.
    static let systemFailure: [UInt8] = [0x30, 0x0C, 0x30, 0x0A, 0x02, 0x01, 0x02,
                                         0x03, 0x05, 0x06, 0x00, 0x00, 0x00, 0x40]
}
