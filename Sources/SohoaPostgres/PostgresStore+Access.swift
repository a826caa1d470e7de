import Foundation
import PostgresNIO
import SohoaRepository

/// The access grants on PostgreSQL: one list for every node of the service.
extension PostgresStore {
    public func grantAccess(_ grant: AccessGrant, actor: String) async throws {
        let now = Date()
        try await write { session in
            // The partial unique index refuses a second grant in force; checked first for the words.
            if try await session.row("SELECT 1 AS found FROM access WHERE name = \(grant.name.rawValue) AND revoked IS NULL") != nil {
                throw StoreError.conflict("\(grant.name) already has access; revoke it first to give it other roles or a new token")
            }
            if let certificate = grant.certificate,
               let holder = try await session.row("""
                   SELECT name FROM access
                   WHERE certificate_subject = \(certificate.subject) AND certificate_issuer = \(certificate.issuer) AND revoked IS NULL
                   """) {
                throw StoreError.conflict(AccessGrant.certificateTaken(certificate, by: try holder.get("name", as: String.self)))
            }
            try await session.execute("""
                INSERT INTO access (key, name, roles, secret_sha256, created, revoked, certificate_subject, certificate_issuer)
                VALUES (\(grant.key), \(grant.name.rawValue), \(grant.storedRoles), \(grant.secretHash),
                        \(AuditChain.milliseconds(grant.created)), NULL, \(grant.certificate?.subject), \(grant.certificate?.issuer))
                """)
            _ = try await Self.appendAudit(session, actor: actor, action: "access", subject: grant.name.rawValue,
                                           detail: grant.auditDetail, time: now)
        }
    }

    public func accessGrants() async throws -> [AccessGrant] {
        try await read { session in try await session.rows("SELECT * FROM access ORDER BY created, key").map(Self.grant) }
    }

    public func accessGrant(key: String) async throws -> AccessGrant? {
        try await read { session in try await session.row("SELECT * FROM access WHERE key = \(key)").map(Self.grant) }
    }

    public func accessGrant(certificate: CertificateBinding) async throws -> AccessGrant? {
        try await read { session in
            try await session.row("""
                SELECT * FROM access
                WHERE certificate_subject = \(certificate.subject) AND certificate_issuer = \(certificate.issuer) AND revoked IS NULL
                """).map(Self.grant)
        }
    }

    public func revokeAccess(name: AccessName, now: Date, actor: String) async throws -> Bool {
        try await write { session in
            let revoked = try await session.rows("""
                UPDATE access SET revoked = \(AuditChain.milliseconds(now)) WHERE name = \(name.rawValue) AND revoked IS NULL
                RETURNING 1 AS revoked
                """)
            guard !revoked.isEmpty else { return false }
            _ = try await Self.appendAudit(session, actor: actor, action: "access", subject: name.rawValue, detail: "revoked", time: now)
            return true
        }
    }

    private static func grant(_ row: PostgresRandomAccessRow) throws -> AccessGrant {
        AccessGrant(name: try AccessName(try row.get("name", as: String.self)),
                    roles: try AccessGrant.roles(stored: try row.get("roles", as: String.self)), key: try row.get("key"),
                    secretHash: try row.get("secret_sha256"), created: try row.date("created"),
                    revoked: try row.get("revoked", as: Int64?.self).map(AuditChain.date(milliseconds:)),
                    certificate: AccessGrant.certificate(subject: try row.get("certificate_subject", as: String?.self),
                                                         issuer: try row.get("certificate_issuer", as: String?.self)))
    }
}
