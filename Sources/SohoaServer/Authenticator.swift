import Foundation
import SohoaCrypto
import SohoaRepository
import SohoaService

/// Finds who a request comes from: `Authorization: Bearer TOKEN` checked against the access
/// grants or, without one, the TLS client certificate the grant names (when the server trusts
/// client certificates). A token or certificate found valid is remembered for `remembered`
/// seconds, behind a lock rather than an actor so that a request with a remembered one waits
/// for nothing (a revocation takes effect within that time). Failed attempts are counted per
/// client address; too many in a minute are answered 429 before any check, so tokens cannot be
/// guessed at speed.
final class Authenticator: @unchecked Sendable {
    private let access: AccessService
    /// Checks client certificates; nil when they may not stand in for tokens.
    private let certificates: ClientCertificateCheck?
    private let remembered: TimeInterval
    private let lock = NSLock()
    /// Valid tokens by the SHA-256 of the token (never the token itself); guarded by `lock`.
    private var known: [String: (principal: Principal, time: Date)] = [:]
    private let failures: RateLimiter

    init(access: AccessService, certificates: ClientCertificateCheck? = nil, remembered: TimeInterval = 5,
         failedAttemptsPerMinute: Double = 30) {
        self.access = access
        self.certificates = certificates
        self.remembered = remembered
        failures = RateLimiter(perSecond: failedAttemptsPerMinute / 60, burst: failedAttemptsPerMinute)
    }

    /// The principal of the request whose `Authorization` header is `header`, from `client`;
    /// without a header, the one `certificate` (the client's TLS certificate, asked for only
    /// then) stands for.
    func principal(authorization header: String?, certificate: () async -> [UInt8]? = { nil }, client: String,
                   now: Date = Date()) async throws(ServiceError) -> Principal {
        if header == nil, let certificates, let presented = await certificate() {
            return try await principal(presenting: presented, check: certificates, client: client, now: now)
        }
        guard let header, header.utf8.count < 1024 else {
            throw .unauthenticated("this needs a token: send it as Authorization: Bearer TOKEN (see sohoa access add)")
        }
        let parts = header.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw .unauthenticated("send the token as Authorization: Bearer TOKEN")
        }
        let token = String(parts[1])
        return try await remembering("token:" + Hex.string(SHA256.digest(Array(token.utf8))), client: client, now: now) {
            () throws(ServiceError) in try await access.principal(bearing: token)
        }
    }

    private func principal(presenting certificate: [UInt8], check: ClientCertificateCheck, client: String,
                           now: Date) async throws(ServiceError) -> Principal {
        try await remembering("certificate:" + Hex.string(SHA256.digest(certificate)), client: client, now: now) {
            () throws(ServiceError) in try await access.principal(presenting: certificate, check: check, now: now)
        }
    }

    /// The principal remembered under `remembrance` (a hash of the credential, never the
    /// credential), or the one `find` finds, counting a refusal against `client`.
    private func remembering(_ remembrance: String, client: String, now: Date,
                             find: () async throws(ServiceError) -> Principal) async throws(ServiceError) -> Principal {
        if let principal = rememberedPrincipal(remembrance, now: now) { return principal }
        guard await failures.hasToken(client, now: now) else {
            throw .tooManyRequests("too many requests with a wrong token or certificate from this address; wait a minute")
        }
        let principal: Principal
        do { principal = try await find() } catch {
            if case .unauthenticated = error {
                _ = await failures.allow(client, now: now)
                ServiceCounters.rejectedToken()
            }
            throw error
        }
        remember(principal, as: remembrance, now: now)
        return principal
    }

    private func rememberedPrincipal(_ remembrance: String, now: Date) -> Principal? {
        lock.withLock {
            guard let kept = known[remembrance], now.timeIntervalSince(kept.time) < remembered else { return nil }
            return kept.principal
        }
    }

    private func remember(_ principal: Principal, as remembrance: String, now: Date) {
        lock.withLock {
            if known.count > 10_000 { known.removeAll() }
            known[remembrance] = (principal, now)
        }
    }
}
