import Foundation
import NIOCore
import PostgresNIO
import SohoaRepository

/// The PostgreSQL store's side of `repo migrate`: rows read out and written as they are. A
/// row already there is left (`ON CONFLICT DO NOTHING`); the numbering of intake entries and
/// jobs continues after the highest number written.
extension PostgresStore {
    public func allCases() async throws -> [Case] {
        try await read { session in
            try await session.rows("SELECT * FROM cases ORDER BY created, code").map { row in
                Case(code: try DossierCode(try row.get("code", as: String.self)), owner: try OwnerID(try row.get("owner", as: String.self)),
                     procedure: try row.get("procedure"), created: try row.date("created"))
            }
        }
    }

    public func allJobs() async throws -> [Job] {
        try await read { session in try await session.rows("SELECT * FROM jobs ORDER BY id").map(PostgresRecords.job) }
    }

    public func allDocumentIDs() async throws -> [DocumentID] {
        try await read { session in
            try await session.rows("SELECT id FROM documents ORDER BY created, id").map { row in
                try DocumentID(try row.get("id", as: String.self))
            }
        }
    }

    /// Runs `insert` (an `INSERT … ON CONFLICT DO NOTHING RETURNING 1`) for each of `items`, then
    /// `then`, in one transaction; returns how many rows were new.
    private func insertNew<T>(_ items: [T], then: PostgresQuery? = nil, _ insert: (T) -> PostgresQuery) async throws -> Int {
        try await write { session in
            var inserted = 0
            for item in items { inserted += try await session.rows(insert(item)).count }
            if let then { try await session.execute(then) }
            return inserted
        }
    }

    public func insertCases(_ cases: [Case]) async throws -> Int {
        try await insertNew(cases) { item in
            """
            INSERT INTO cases (code, owner, procedure, created)
            VALUES (\(item.code.rawValue), \(item.owner.description), \(item.procedure), \(AuditChain.milliseconds(item.created)))
            ON CONFLICT DO NOTHING RETURNING 1 AS new
            """
        }
    }

    public func insertDocuments(_ documents: [(document: Document, versions: [DocumentVersion])]) async throws -> Int {
        try await write { session in
            var inserted = 0
            for (document, versions) in documents {
                let new = try await session.rows("""
                    INSERT INTO documents (id, owner, type, title, issued, valid_until, state, created, public_code)
                    VALUES (\(document.id.rawValue), \(document.owner), \(document.type), \(document.title), \(document.issued),
                            \(document.validUntil), \(document.state.rawValue), \(AuditChain.milliseconds(document.created)),
                            \((document.publicCode ?? PublicCode.random()).rawValue))
                    ON CONFLICT DO NOTHING RETURNING 1 AS new
                    """)
                guard !new.isEmpty else { continue }
                inserted += 1
                for (position, code) in document.cases.enumerated() {
                    try await session.execute("""
                        INSERT INTO document_cases (document_id, case_code, position) VALUES (\(document.id.rawValue), \(code), \(position))
                        """)
                }
                for version in versions {
                    try await session.execute("""
                        INSERT INTO versions (document_id, number, sha256, kind, actor, created, parent, size)
                        VALUES (\(document.id.rawValue), \(version.number), \(version.hash.rawValue), \(version.kind.rawValue),
                                \(version.actor), \(AuditChain.milliseconds(version.created)), \(version.parent?.rawValue), \(version.size))
                        """)
                    for (position, source) in StoreTransferRows.recordedSources(of: version).enumerated() {
                        try await session.execute("""
                            INSERT INTO version_sources (document_id, number, position, sha256)
                            VALUES (\(document.id.rawValue), \(version.number), \(position), \(source.rawValue))
                            """)
                    }
                }
            }
            return inserted
        }
    }

    public func insertIntake(_ entries: [IntakeEntry]) async throws -> Int {
        try await insertNew(entries, then: "SELECT setval(pg_get_serial_sequence('intake', 'id'), (SELECT MAX(id) FROM intake))") { entry in
            let record = entry.record
            return """
                INSERT INTO intake (id, relative_path, size, modified, sha256, owner, case_code, spool, state, received, document_id, note)
                VALUES (\(entry.id), \(record.relativePath), \(record.size), \(AuditChain.milliseconds(record.modified)),
                        \(record.sha256.rawValue), \(record.owner.description), \(record.dossier.rawValue), \(record.spool),
                        \(entry.state.rawValue), \(AuditChain.milliseconds(entry.received)), \(entry.document?.rawValue), \(entry.note))
                ON CONFLICT DO NOTHING RETURNING 1 AS new
                """
        }
    }

    public func insertJobs(_ jobs: [Job]) async throws -> Int {
        try await insertNew(jobs, then: "SELECT setval(pg_get_serial_sequence('jobs', 'id'), (SELECT MAX(id) FROM jobs))") { job in
            """
            INSERT INTO jobs (id, stage, subject, payload, state, attempts, not_before, lease_owner, lease_until, last_error,
                              last_error_vi, created, updated)
            VALUES (\(job.id), \(job.stage), \(job.subject), \(job.payload), \(job.state.rawValue), \(job.attempts),
                    \(AuditChain.milliseconds(job.notBefore)), \(job.leaseOwner), \(job.leaseUntil.map(AuditChain.milliseconds)),
                    \(job.lastError), \(job.lastErrorVietnamese), \(AuditChain.milliseconds(job.created)),
                    \(AuditChain.milliseconds(job.updated)))
            ON CONFLICT DO NOTHING RETURNING 1 AS new
            """
        }
    }

    public func insertAuditEntries(_ entries: [AuditEntry]) async throws -> Int {
        try await write { session in
            try await session.execute("LOCK TABLE audit IN EXCLUSIVE MODE")
            var inserted = 0
            for entry in entries {
                if let row = try await session.row("SELECT hash FROM audit WHERE sequence = \(entry.sequence)") {
                    guard try row.get("hash", as: String.self) == entry.hash else { throw StoreTransferRows.divergent(entry.sequence) }
                    continue
                }
                try await session.execute("""
                    INSERT INTO audit (sequence, time, actor, action, subject, detail, previous, hash)
                    VALUES (\(entry.sequence), \(AuditChain.milliseconds(entry.time)), \(entry.actor), \(entry.action), \(entry.subject),
                            \(entry.detail), \(entry.previous), \(entry.hash))
                    """)
                inserted += 1
            }
            return inserted
        }
    }

    public func insertAccessGrants(_ grants: [AccessGrant]) async throws -> Int {
        try await insertNew(grants) { grant in
            """
            INSERT INTO access (key, name, roles, secret_sha256, created, revoked, certificate_subject, certificate_issuer)
            VALUES (\(grant.key), \(grant.name.rawValue), \(grant.storedRoles), \(grant.secretHash),
                    \(AuditChain.milliseconds(grant.created)), \(grant.revoked.map(AuditChain.milliseconds)),
                    \(grant.certificate?.subject), \(grant.certificate?.issuer))
            ON CONFLICT DO NOTHING RETURNING 1 AS new
            """
        }
    }

    public func insertAnchors(_ anchors: [Anchor]) async throws -> Int {
        try await insertNew(anchors) { anchor in
            """
            INSERT INTO anchors (sequence, head, token, time)
            VALUES (\(anchor.sequence), \(anchor.head), \(ByteBuffer(bytes: anchor.token)), \(AuditChain.milliseconds(anchor.time)))
            ON CONFLICT DO NOTHING RETURNING 1 AS new
            """
        }
    }
}
