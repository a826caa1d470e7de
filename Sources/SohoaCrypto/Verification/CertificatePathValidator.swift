import COpenSSL
import CShims
import Foundation

/// The certificates a verifier trusts as roots (`--trust`).
public struct TrustAnchors: Sendable {
    public let certificates: [Certificate]

    public init(_ certificates: [Certificate]) {
        self.certificates = certificates
    }

    /// Loads PEM or DER certificates from files, and from every file directly in a folder.
    public init(loading paths: [String]) throws {
        var certificates: [Certificate] = []
        for path in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                throw OpenSSLError(operation: "reading the trust anchors \(path)", reasons: ["no such file or folder"])
            }
            if isFolder.boolValue {
                for name in try FileManager.default.contentsOfDirectory(atPath: path).sorted() where !name.hasPrefix(".") {
                    let file = (path as NSString).appendingPathComponent(name)
                    if let loaded = try? Certificate.load(fileAt: file) { certificates += loaded }
                }
            } else {
                certificates += try Certificate.load(fileAt: path)
            }
        }
        self.certificates = certificates
    }
}

/// What a certificate is checked for.
public enum CertificateUsage: Sendable {
    /// Signing documents: digitalSignature or nonRepudiation.
    case signing
    /// Signing time-stamps: extended key usage timeStamping (critical, RFC 3161 §2.3).
    case timeStamping
    /// Signing in to a TLS server: extended key usage clientAuth, when the certificate has one.
    case clientAuthentication
}

/// The outcome of building and checking a path from a certificate to a trust anchor.
public struct CertificatePath: Sendable {
    public enum Status: Sendable, Equatable {
        case trusted
        /// The chain ends at a root that is not among the anchors.
        case untrustedRoot(String)
        /// An issuer is missing: the chain cannot be completed.
        case incomplete(String)
        /// A certificate of the path was not valid at the time of validation.
        case outsideValidity(subject: String, notAfter: Date?)
        /// The certificate is not meant for this use.
        case wrongUsage(String)
        /// Anything else OpenSSL refused, in its words.
        case failed(String)
    }

    public let status: Status
    /// From the certificate up to the anchor, when a path was built.
    public let certificates: [Certificate]
}

/// Builds and checks certificate paths with OpenSSL against the anchors, at a given time.
public enum CertificatePathValidator {
    public static func validate(_ certificate: Certificate, intermediates: [Certificate], anchors: TrustAnchors,
                                at time: Date, usage: CertificateUsage) -> CertificatePath {
        ERR_clear_error()
        guard let store = X509_STORE_new(), let context = X509_STORE_CTX_new(),
              let untrusted = sohoa_sk_X509_new_null() else {
            return CertificatePath(status: .failed("OpenSSL could not start a path check"), certificates: [])
        }
        defer {
            X509_STORE_CTX_free(context)
            X509_STORE_free(store)
            sohoa_sk_X509_pop_free(untrusted)
        }
        for anchor in anchors.certificates { X509_STORE_add_cert(store, anchor.x509) }
        for intermediate in intermediates { _ = sohoa_sk_X509_push_up_ref(untrusted, intermediate.x509) }
        guard X509_STORE_CTX_init(context, store, certificate.x509, untrusted) == 1 else {
            return CertificatePath(status: .failed(OpenSSLError.drain("starting the path check").description), certificates: [])
        }
        let parameters = X509_STORE_CTX_get0_param(context)
        X509_VERIFY_PARAM_set_time(parameters, time_t(time.timeIntervalSince1970))
        switch usage {
        case .timeStamping: X509_STORE_CTX_set_purpose(context, X509_PURPOSE_TIMESTAMP_SIGN)
        case .clientAuthentication: X509_STORE_CTX_set_purpose(context, X509_PURPOSE_SSL_CLIENT)
        case .signing: break
        }
        let verified = X509_verify_cert(context) == 1
        var path: [Certificate] = []
        if let chain = X509_STORE_CTX_get1_chain(context) {
            for index in 0..<sohoa_sk_X509_num(chain) {
                if let x509 = sohoa_sk_X509_value(chain, index), X509_up_ref(x509) == 1 { path.append(Certificate(taking: x509)) }
            }
            sohoa_sk_X509_pop_free(chain)
        }
        let error = X509_STORE_CTX_get_error(context)
        let failing = X509_STORE_CTX_get_current_cert(context).flatMap { x509 -> Certificate? in
            X509_up_ref(x509) == 1 ? Certificate(taking: x509) : nil
        }
        ERR_clear_error()
        guard verified else {
            return CertificatePath(status: status(for: error, failing: failing), certificates: path)
        }
        if usage == .signing, !certificate.allowsSigning {
            return CertificatePath(status: .wrongUsage("its key usage does not allow signing (digitalSignature or nonRepudiation)"),
                                   certificates: path)
        }
        return CertificatePath(status: .trusted, certificates: path)
    }

    private static func status(for error: Int32, failing: Certificate?) -> CertificatePath.Status {
        let subject = failing?.subject ?? "a certificate"
        switch error {
        case X509_V_ERR_CERT_HAS_EXPIRED, X509_V_ERR_CERT_NOT_YET_VALID:
            return .outsideValidity(subject: subject, notAfter: failing?.notAfter)
        case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
            return .untrustedRoot(subject)
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
             X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
            return .incomplete(subject)
        case X509_V_ERR_INVALID_PURPOSE:
            return .wrongUsage("\(subject) is not meant for this use")
        default:
            return .failed("\(subject): \(String(cString: X509_verify_cert_error_string(Int(error))))")
        }
    }
}

extension Certificate {
    /// Whether key usage allows signing (digitalSignature or nonRepudiation; no extension allows all).
    public var allowsSigning: Bool {
        let usage = X509_get_key_usage(x509)
        return usage == UInt32.max || usage & UInt32(KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION) != 0
    }
}
