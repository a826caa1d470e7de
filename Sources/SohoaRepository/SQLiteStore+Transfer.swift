import Foundation
import GRDB

/// The embedded store's side of `repo migrate`: rows read out and written back as they are.
extension SQLiteStore {
    public func allCases() async throws -> [Case] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM cases ORDER BY created, code").map { row in
                Case(code: try DossierCode(row["code"] as String), owner: try OwnerID(row["owner"] as String),
                     procedure: row["procedure"], created: AuditChain.date(milliseconds: row["created"]))
            }
        }
    }

    public func allJobs() async throws -> [Job] {
        try await read { db in try Row.fetchAll(db, sql: "SELECT * FROM jobs ORDER BY id").map(Self.job) }
    }

    public func allDocumentIDs() async throws -> [DocumentID] {
        try await read { db in
            try String.fetchAll(db, sql: "SELECT id FROM documents ORDER BY created, id").map { text in try DocumentID(text) }
        }
    }

    /// Runs `sql`, an `INSERT OR IGNORE`, for each of `items` in one transaction; returns how
    /// many rows were new.
    private func insertNew<T: Sendable>(_ items: [T], sql: String,
                                        _ arguments: @escaping @Sendable (T) -> StatementArguments) async throws -> Int {
        try await write { db in
            var inserted = 0
            for item in items {
                try db.execute(sql: sql, arguments: arguments(item))
                inserted += db.changesCount
            }
            return inserted
        }
    }

    public func insertCases(_ cases: [Case]) async throws -> Int {
        try await insertNew(cases, sql: "INSERT OR IGNORE INTO cases (code, owner, procedure, created) VALUES (?, ?, ?, ?)") { item in
            [item.code.rawValue, item.owner.description, item.procedure, AuditChain.milliseconds(item.created)]
        }
    }

    public func insertDocuments(_ documents: [(document: Document, versions: [DocumentVersion])]) async throws -> Int {
        try await write { db in
            var inserted = 0
            for (document, versions) in documents {
                try db.execute(sql: """
                    INSERT OR IGNORE INTO documents (id, owner, type, title, issued, valid_until, state, created, public_code)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [document.id.rawValue, document.owner, document.type, document.title, document.issued,
                                     document.validUntil, document.state.rawValue, AuditChain.milliseconds(document.created),
                                     (document.publicCode ?? PublicCode.random()).rawValue])
                guard db.changesCount == 1 else { continue }
                inserted += 1
                for (position, code) in document.cases.enumerated() {
                    try db.execute(sql: "INSERT INTO document_cases (document_id, case_code, position) VALUES (?, ?, ?)",
                                   arguments: [document.id.rawValue, code, position])
                }
                for version in versions {
                    try db.execute(sql: """
                        INSERT INTO versions (document_id, number, sha256, kind, actor, created, parent, size)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [document.id.rawValue, version.number, version.hash.rawValue, version.kind.rawValue,
                                         version.actor, AuditChain.milliseconds(version.created), version.parent?.rawValue,
                                         version.size])
                    for (position, source) in StoreTransferRows.recordedSources(of: version).enumerated() {
                        try db.execute(sql: "INSERT INTO version_sources (document_id, number, position, sha256) VALUES (?, ?, ?, ?)",
                                       arguments: [document.id.rawValue, version.number, position, source.rawValue])
                    }
                }
            }
            return inserted
        }
    }

    public func insertIntake(_ entries: [IntakeEntry]) async throws -> Int {
        try await insertNew(entries, sql: """
            INSERT OR IGNORE INTO intake (id, relative_path, size, modified, sha256, owner, case_code, spool, state, received,
                                          document_id, note)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """) { entry in
            let record = entry.record
            return [entry.id, record.relativePath, record.size, AuditChain.milliseconds(record.modified), record.sha256.rawValue,
                    record.owner.description, record.dossier.rawValue, record.spool, entry.state.rawValue,
                    AuditChain.milliseconds(entry.received), entry.document?.rawValue, entry.note]
        }
    }

    public func insertJobs(_ jobs: [Job]) async throws -> Int {
        try await insertNew(jobs, sql: """
            INSERT OR IGNORE INTO jobs (id, stage, subject, payload, state, attempts, not_before, lease_owner, lease_until,
                                        last_error, last_error_vi, created, updated)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """) { job in
            [job.id, job.stage, job.subject, job.payload, job.state.rawValue, job.attempts, AuditChain.milliseconds(job.notBefore),
             job.leaseOwner, job.leaseUntil.map(AuditChain.milliseconds), job.lastError, job.lastErrorVietnamese,
             AuditChain.milliseconds(job.created), AuditChain.milliseconds(job.updated)]
        }
    }

    public func insertAuditEntries(_ entries: [AuditEntry]) async throws -> Int {
        try await write { db in
            var inserted = 0
            for entry in entries {
                if let hash = try String.fetchOne(db, sql: "SELECT hash FROM audit WHERE sequence = ?", arguments: [entry.sequence]) {
                    guard hash == entry.hash else { throw StoreTransferRows.divergent(entry.sequence) }
                    continue
                }
                try db.execute(sql: """
                    INSERT INTO audit (sequence, time, actor, action, subject, detail, previous, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [entry.sequence, AuditChain.milliseconds(entry.time), entry.actor, entry.action, entry.subject,
                                     entry.detail, entry.previous, entry.hash])
                inserted += 1
            }
            return inserted
        }
    }

    public func insertAccessGrants(_ grants: [AccessGrant]) async throws -> Int {
        try await insertNew(grants, sql: """
            INSERT OR IGNORE INTO access (key, name, roles, secret_sha256, created, revoked, certificate_subject, certificate_issuer)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """) { grant in
            [grant.key, grant.name.rawValue, grant.storedRoles, grant.secretHash, AuditChain.milliseconds(grant.created),
             grant.revoked.map(AuditChain.milliseconds), grant.certificate?.subject, grant.certificate?.issuer]
        }
    }

    public func insertAnchors(_ anchors: [Anchor]) async throws -> Int {
        try await insertNew(anchors, sql: "INSERT OR IGNORE INTO anchors (sequence, head, token, time) VALUES (?, ?, ?, ?)") { anchor in
            [anchor.sequence, anchor.head, Data(anchor.token), AuditChain.milliseconds(anchor.time)]
        }
    }
}

/// What both engines' transfers share.
public enum StoreTransferRows {
    /// The sources a version's own rows must name: none when they are only its parent (what a
    /// store reads back for a version without source rows), all of them otherwise.
    public static func recordedSources(of version: DocumentVersion) -> [ContentHash] {
        version.sources == (version.parent.map { [$0] } ?? []) ? [] : version.sources
    }

    /// The error for an audit entry the target holds differently.
    public static func divergent(_ sequence: Int) -> StoreError {
        .conflict("audit entry \(sequence) of this repository differs from the one being copied: it has a history of its own; "
                  + "copy into a new repository")
    }
}
