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
        /// The token to hand to the holder; nil for a grant a client certificate signs in for,
        /// whose token nobody is ever shown.
        public let token: AccessToken?
    }

    /// Gives `name` the roles `roles` and a new token, or, with `certificate`, lets that client
    /// certificate sign in for it instead.
    public func grant(_ name: AccessName, roles: [AccessRole], certificate: CertificateBinding? = nil, as principal: Principal,
                      now: Date = Date()) async throws(ServiceError) -> Granted {
        try principal.require(.manageAccess)
        guard !roles.isEmpty else { throw .invalidInput("give at least one role: " + AccessRole.allCases.map(\.rawValue).joined(separator: ", ")) }
        let token = AccessToken.generate()
        let grant = AccessGrant(name: name, roles: Array(Set(roles)), key: token.key, secretHash: token.secretHash, created: now,
                                certificate: certificate)
        try await serviceErrors { try await store.grantAccess(grant, actor: principal.actor) }
        return Granted(grant: grant, token: certificate == nil ? token : nil)
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

    /// The principal a TLS client certificate (DER) stands for: checked by `check`, then the
    /// grant in force that names its subject and issuer.
    public func principal(presenting certificate: [UInt8], check: ClientCertificateCheck,
                          now: Date = Date()) async throws(ServiceError) -> Principal {
        let binding = try check.binding(of: certificate, now: now)
        guard let grant = try await serviceErrors({ try await store.accessGrant(certificate: binding) }) else {
            throw .unauthenticated("no access is given to the client certificate \(binding.subject) (see sohoa access add --certificate)")
        }
        return .holder(of: grant)
    }
}
