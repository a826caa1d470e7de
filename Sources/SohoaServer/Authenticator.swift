import Foundation
import SohoaCrypto
import SohoaRepository
import SohoaService

/// Finds who a request comes from: `Authorization: Bearer TOKEN` checked against the access
/// grants. A token found valid is remembered for `remembered` seconds, behind a lock rather than
/// an actor so that a request with a remembered token waits for nothing (a revocation takes
/// effect within that time). Failed attempts are counted per client address; too many in a
/// minute are answered 429 before any check, so tokens cannot be guessed at speed.
final class Authenticator: @unchecked Sendable {
    private let access: AccessService
    private let remembered: TimeInterval
    private let lock = NSLock()
    /// Valid tokens by the SHA-256 of the token (never the token itself); guarded by `lock`.
    private var known: [String: (principal: Principal, time: Date)] = [:]
    private let failures: RateLimiter

    init(access: AccessService, remembered: TimeInterval = 5, failedAttemptsPerMinute: Double = 30) {
        self.access = access
        self.remembered = remembered
        failures = RateLimiter(perSecond: failedAttemptsPerMinute / 60, burst: failedAttemptsPerMinute)
    }

    /// The principal of the request whose `Authorization` header is `header`, from `client`.
    func principal(authorization header: String?, client: String, now: Date = Date()) async throws(ServiceError) -> Principal {
        guard let header, header.count < 1024 else {
            throw .unauthenticated("this needs a token: send it as Authorization: Bearer TOKEN (see sohoa access add)")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw .unauthenticated("send the token as Authorization: Bearer TOKEN")
        }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        let remembrance = Hex.string(SHA256.digest(Array(token.utf8)))
        if let principal = rememberedPrincipal(remembrance, now: now) { return principal }
        guard await failures.hasToken(client, now: now) else {
            throw .tooManyRequests("too many requests with a wrong token from this address; wait a minute")
        }
        let principal: Principal
        do { principal = try await access.principal(bearing: token) } catch {
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
