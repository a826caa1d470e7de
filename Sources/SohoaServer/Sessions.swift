import Foundation
import SohoaCrypto
import SohoaService

/// The status page's logins: a person signs in once with their token and gets a session
/// cookie (a fresh random value, never the token) that lasts `lifetime`, or until the token's
/// grant is revoked (the page checks the grant at every view). Sessions live in this process
/// only; a restart asks everyone to sign in again.
actor Sessions {
    private let lifetime: TimeInterval
    private var sessions: [String: (principal: Principal, grant: String, expires: Date)] = [:]
    static let cookie = "sohoa_session"

    init(lifetime: TimeInterval = 8 * 3600) {
        self.lifetime = lifetime
    }

    /// A new session for `principal`, signed in with the token whose public part is `grant`; its
    /// id for the cookie.
    func open(for principal: Principal, grant: String, now: Date = Date()) -> String {
        let id = Hex.random(bytes: 32)
        if sessions.count > 10_000 { sessions = sessions.filter { $0.value.expires > now } }
        sessions[id] = (principal, grant, now.addingTimeInterval(lifetime))
        return id
    }

    /// The principal of session `id` and its grant's key, while it lasts.
    func principal(_ id: String, now: Date = Date()) -> (principal: Principal, grant: String)? {
        guard let session = sessions[id] else { return nil }
        guard session.expires > now else {
            sessions[id] = nil
            return nil
        }
        return (session.principal, session.grant)
    }

    func close(_ id: String) { sessions[id] = nil }
}
