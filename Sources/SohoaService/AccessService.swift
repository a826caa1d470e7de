import Foundation
import SohoaRepository

/// Granting and revoking access to the service (`sohoa access`), and finding who a token
/// belongs to (`sohoa serve`).
public struct AccessService: Sendable {
    public let store: any AccessRegistry

    public init(store: any AccessRegistry) {
        self.store = store
    }

    /// A grant and its token, which is shown once and never kept.
    public struct Granted: Sendable {
        public let grant: AccessGrant
        public let token: AccessToken
    }

    /// Gives `name` the roles `roles` and a new token.
    public func grant(_ name: AccessName, roles: [AccessRole], as principal: Principal, now: Date = Date()) async throws(ServiceError) -> Granted {
        try principal.require(.manageAccess)
        guard !roles.isEmpty else { throw .invalidInput("give at least one role: " + AccessRole.allCases.map(\.rawValue).joined(separator: ", ")) }
        let token = AccessToken.generate()
        let grant = AccessGrant(name: name, roles: Array(Set(roles)), key: token.key, secretHash: token.secretHash, created: now)
        try await serviceErrors { try await store.grantAccess(grant, actor: principal.actor) }
        return Granted(grant: grant, token: token)
    }

    /// Every grant, revoked ones too, oldest first.
    public func grants(as principal: Principal) async throws(ServiceError) -> [AccessGrant] {
        try principal.require(.manageAccess)
        return try await serviceErrors { try await store.accessGrants() }
    }

    /// Revokes the grant in force under `name`.
    public func revoke(_ name: AccessName, as principal: Principal, now: Date = Date()) async throws(ServiceError) {
        try principal.require(.manageAccess)
        let revoked = try await serviceErrors { try await store.revokeAccess(name: name, now: now, actor: principal.actor) }
        guard revoked else { throw .notFound("\(name) has no access to revoke") }
    }

    /// Whether the grant whose token has the public part `key` is still in force.
    public func isInForce(key: String) async throws(ServiceError) -> Bool {
        try await serviceErrors { try await store.accessGrant(key: key)?.revoked == nil }
    }

    /// The principal a bearer token stands for. Refused alike whether the token is malformed,
    /// unknown, wrong or revoked, so that an answer tells nothing about which.
    public func principal(bearing text: String) async throws(ServiceError) -> Principal {
        let refusal = ServiceError.unauthenticated("the token is not valid (unknown, mistyped or revoked)")
        guard let token = AccessToken(text) else { throw refusal }
        guard let grant = try await serviceErrors({ try await store.accessGrant(key: token.key) }), grant.revoked == nil,
              token.opens(grant) else { throw refusal }
        return .holder(of: grant)
    }
}
