import Foundation
import HTTPTypes
import SohoaCrypto
import SohoaRepository
import SohoaService

/// Finds who a request comes from: `Authorization: Bearer TOKEN` checked against the access
/// grants. A token found valid is remembered for `remembered` seconds (so a listing does not
/// read the grants every time; a revocation takes effect within that time). Failed attempts are
/// counted per client address; too many in a minute are answered 429 before any check, so
/// tokens cannot be guessed at speed.
actor Authenticator {
    private let access: AccessService
    private let remembered: TimeInterval
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
        // Remembered by the token's hash, never by the token itself.
        let remembrance = ContentHash(digest: SHA256.digest(Array(token.utf8))).rawValue
        if let kept = known[remembrance], now.timeIntervalSince(kept.time) < remembered { return kept.principal }
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
        if known.count > 10_000 { known.removeAll() }
        known[remembrance] = (principal, now)
        return principal
    }
}
