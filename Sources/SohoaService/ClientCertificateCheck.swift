import Foundation
import SohoaCrypto
import SohoaRepository
import Synchronization

/// Signing in with a TLS client certificate instead of a token (`sohoa serve --client-ca`):
/// agencies hold organisation certificates, and one issued by an authority the centre trusts
/// for this stands for the grant that names its subject and issuer (`sohoa access add
/// --certificate`).
///
/// The TLS handshake has already checked the chain; this checks it again the way Sohoa checks
/// signers — a path to the authorities at the current time, the clientAuth purpose, and
/// revocation through the CRLs and OCSP responders the certificate names. A certificate whose
/// revocation status cannot be learnt is refused, unless the server runs offline. What was
/// learnt about a certificate is kept for `keepFor` seconds; a refusal only for `retryAfter`
/// (a revocation service that did not answer may answer the next time).
public final class ClientCertificateCheck: Sendable {
    /// The authorities whose certificates may sign in (with their intermediates).
    public let authorities: TrustAnchors
    /// Fetches revocation data; nil when the server runs offline (revocation is then not checked).
    public let fetcher: RevocationFetcher?
    /// Seconds a certificate found good is not checked again.
    public let keepFor: TimeInterval
    /// Seconds a refused certificate stays refused before it is checked again.
    public let retryAfter: TimeInterval
    private let known = Mutex<[String: (outcome: Result<CertificateBinding, ServiceError>, time: Date)]>([:])

    public init(authorities: TrustAnchors, fetcher: RevocationFetcher?, keepFor: TimeInterval = 300, retryAfter: TimeInterval = 30) {
        self.authorities = authorities
        self.fetcher = fetcher
        self.keepFor = keepFor
        self.retryAfter = retryAfter
    }

    /// The subject and issuer of the certificate `der` when it may sign in now; refused
    /// (`ServiceError.unauthenticated`) with the reason otherwise.
    public func binding(of der: [UInt8], now: Date = Date()) throws(ServiceError) -> CertificateBinding {
        let fingerprint = Hex.string(SHA256.digest(der))
        if let kept = known.withLock({ $0[fingerprint] }) {
            let age = now.timeIntervalSince(kept.time)
            switch kept.outcome {
            case .success(let binding) where age < keepFor: return binding
            case .failure(let refusal) where age < retryAfter: throw refusal
            default: break
            }
        }
        let outcome = Result { () throws(ServiceError) in try check(der, now: now) }
        known.withLock { entries in
            if entries.count > 10_000 { entries.removeAll() }
            entries[fingerprint] = (outcome, now)
        }
        return try outcome.get()
    }

    private func check(_ der: [UInt8], now: Date) throws(ServiceError) -> CertificateBinding {
        guard let certificate = try? Certificate(der: der, name: "the client certificate") else {
            throw .unauthenticated("the client certificate cannot be read")
        }
        let path = CertificatePathValidator.validate(certificate, intermediates: [], anchors: authorities, at: now,
                                                     usage: .clientAuthentication)
        switch path.status {
        case .trusted:
            break
        case .outsideValidity(let subject, _):
            throw .unauthenticated("the client certificate is not valid now (\(subject) is outside its validity period)")
        case .untrustedRoot, .incomplete:
            throw .unauthenticated("the client certificate \(certificate.subject) is not issued by an authority this service trusts")
        case .wrongUsage:
            throw .unauthenticated("the client certificate \(certificate.subject) is not meant for signing in (no clientAuth usage)")
        case .failed(let reason):
            throw .unauthenticated("the client certificate \(certificate.subject) is not valid: \(reason)")
        }
        if let fetcher {
            switch RevocationChecker(lists: [], fetcher: fetcher).status(of: path.certificates, at: now) {
            case .good:
                break
            case .revoked(let subject, let date, let reason):
                throw .unauthenticated("the client certificate is revoked (\(subject), \(reason), since \(date))")
            case .unknown(_, let why):
                throw .unauthenticated("the client certificate's revocation status cannot be learnt now: \(why)")
            }
        }
        return CertificateBinding(subject: certificate.subject, issuer: certificate.issuer)
    }
}
