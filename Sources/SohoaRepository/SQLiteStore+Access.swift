import Foundation
import GRDB

/// The embedded store's access grants.
extension SQLiteStore {
    public func grantAccess(_ grant: AccessGrant, actor: String) async throws {
        let now = Date()
        try await write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM access WHERE name = ? AND revoked IS NULL", arguments: [grant.name.rawValue]) == true {
                throw StoreError.conflict("\(grant.name) already has access; revoke it first to give it other roles or a new token")
            }
            if let certificate = grant.certificate,
               let holder = try String.fetchOne(db, sql: """
                   SELECT name FROM access WHERE certificate_subject = ? AND certificate_issuer = ? AND revoked IS NULL
                   """, arguments: [certificate.subject, certificate.issuer]) {
                throw StoreError.conflict(AccessGrant.certificateTaken(certificate, by: holder))
            }
            try db.execute(sql: """
                INSERT INTO access (key, name, roles, secret_sha256, created, revoked, certificate_subject, certificate_issuer)
                VALUES (?, ?, ?, ?, ?, NULL, ?, ?)
                """, arguments: [grant.key, grant.name.rawValue, grant.storedRoles, grant.secretHash,
                                 AuditChain.milliseconds(grant.created), grant.certificate?.subject, grant.certificate?.issuer])
            _ = try Self.appendAudit(db, actor: actor, action: "access", subject: grant.name.rawValue, detail: grant.auditDetail, time: now)
        }
    }

    public func accessGrants() async throws -> [AccessGrant] {
        try await read { db in try Row.fetchAll(db, sql: "SELECT * FROM access ORDER BY created, key").map(Self.grant) }
    }

    public func accessGrant(key: String) async throws -> AccessGrant? {
        try await read { db in try Row.fetchOne(db, sql: "SELECT * FROM access WHERE key = ?", arguments: [key]).map(Self.grant) }
    }

    public func accessGrant(certificate: CertificateBinding) async throws -> AccessGrant? {
        try await read { db in
            try Row.fetchOne(db, sql: """
                SELECT * FROM access WHERE certificate_subject = ? AND certificate_issuer = ? AND revoked IS NULL
                """, arguments: [certificate.subject, certificate.issuer]).map(Self.grant)
        }
    }

    public func revokeAccess(name: AccessName, now: Date, actor: String) async throws -> Bool {
        try await write { db in
            try db.execute(sql: "UPDATE access SET revoked = ? WHERE name = ? AND revoked IS NULL",
                           arguments: [AuditChain.milliseconds(now), name.rawValue])
            guard db.changesCount > 0 else { return false }
            _ = try Self.appendAudit(db, actor: actor, action: "access", subject: name.rawValue, detail: "revoked", time: now)
            return true
        }
    }

    private static func grant(_ row: Row) throws -> AccessGrant {
        AccessGrant(name: try AccessName(row["name"] as String), roles: try AccessGrant.roles(stored: row["roles"]), key: row["key"],
                    secretHash: row["secret_sha256"], created: AuditChain.date(milliseconds: row["created"]),
                    revoked: (row["revoked"] as Int64?).map(AuditChain.date(milliseconds:)),
                    certificate: AccessGrant.certificate(subject: row["certificate_subject"], issuer: row["certificate_issuer"]))
    }
}
