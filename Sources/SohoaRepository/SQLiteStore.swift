import Foundation
import GRDB

/// The embedded store: one SQLite database (WAL) under the data folder, through GRDB.
/// The SQL is kept portable (TEXT, INTEGER, times as milliseconds) for the PostgreSQL store.
public final class SQLiteStore: Store {
    private let database: DatabasePool

    /// Opens (creating and migrating) the database at `path`.
    public init(path: String) throws {
        do {
            var configuration = Configuration()
            configuration.foreignKeysEnabled = true
            configuration.busyMode = .timeout(10)
            database = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(database)
        } catch {
            throw StoreError("\(path): the repository database cannot be opened (\(error))")
        }
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("1 documents, versions, cases, audit") { db in
            try db.execute(sql: """
                CREATE TABLE cases (
                    code TEXT PRIMARY KEY, owner TEXT NOT NULL, created INTEGER NOT NULL);
                CREATE TABLE documents (
                    id TEXT PRIMARY KEY, owner TEXT NOT NULL, type TEXT, title TEXT, issued TEXT, valid_until TEXT,
                    state TEXT NOT NULL, created INTEGER NOT NULL);
                CREATE INDEX documents_by_owner ON documents(owner, created);
                CREATE TABLE document_cases (
                    document_id TEXT NOT NULL REFERENCES documents(id), case_code TEXT NOT NULL REFERENCES cases(code),
                    position INTEGER NOT NULL, PRIMARY KEY (document_id, case_code));
                CREATE INDEX document_cases_by_case ON document_cases(case_code);
                CREATE TABLE versions (
                    document_id TEXT NOT NULL REFERENCES documents(id), number INTEGER NOT NULL, sha256 TEXT NOT NULL,
                    kind TEXT NOT NULL, actor TEXT NOT NULL, created INTEGER NOT NULL, parent TEXT, size INTEGER NOT NULL,
                    PRIMARY KEY (document_id, number));
                CREATE INDEX versions_by_hash ON versions(sha256);
                CREATE TABLE audit (
                    sequence INTEGER PRIMARY KEY, time INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
                    subject TEXT NOT NULL, detail TEXT NOT NULL, previous TEXT NOT NULL, hash TEXT NOT NULL);
                """)
        }
        migrator.registerMigration("2 anchors") { db in
            try db.execute(sql: """
                CREATE TABLE anchors (
                    sequence INTEGER PRIMARY KEY, head TEXT NOT NULL, token BLOB NOT NULL, time INTEGER NOT NULL);
                """)
        }
        return migrator
    }

    public func file(_ new: NewDocument, actor: String, action: String) throws -> Document {
        let id = DocumentID.random()
        let now = Date()
        return try write { db in
            try db.execute(sql: "INSERT INTO documents (id, owner, type, title, issued, valid_until, state, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           arguments: [id.rawValue, new.owner.description, new.type, new.title, new.issued, new.validUntil,
                                       new.state.rawValue, AuditChain.milliseconds(now)])
            for dossier in new.cases { try Self.link(db, id, new.owner.description, dossier, now) }
            try db.execute(sql: "INSERT INTO versions (document_id, number, sha256, kind, actor, created, parent, size) VALUES (?, 1, ?, ?, ?, ?, NULL, ?)",
                           arguments: [id.rawValue, new.hash.rawValue, new.kind.rawValue, actor, AuditChain.milliseconds(now), new.size])
            _ = try Self.append(db, actor: actor, action: action, subject: id.rawValue,
                                detail: "\(new.kind.rawValue) \(new.hash.rawValue) for \(new.owner) in \(new.cases.map(\.rawValue).joined(separator: ","))",
                                time: now)
            guard let document = try Self.document(db, id) else { throw StoreError("the document \(id) vanished while it was filed") }
            return document
        }
    }

    public func addVersion(to id: DocumentID, hash: ContentHash, size: Int, kind: VersionKind, state: DocumentState,
                           actor: String, action: String) throws -> DocumentVersion {
        let now = Date()
        return try write { db in
            guard let latest = try Row.fetchOne(db, sql: "SELECT number, sha256 FROM versions WHERE document_id = ? ORDER BY number DESC LIMIT 1",
                                                arguments: [id.rawValue]) else {
                throw StoreError("there is no document \(id)")
            }
            let number: Int = latest["number"] + 1
            let parent: String = latest["sha256"]
            try db.execute(sql: "INSERT INTO versions (document_id, number, sha256, kind, actor, created, parent, size) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           arguments: [id.rawValue, number, hash.rawValue, kind.rawValue, actor, AuditChain.milliseconds(now), parent, size])
            try db.execute(sql: "UPDATE documents SET state = ? WHERE id = ?", arguments: [state.rawValue, id.rawValue])
            _ = try Self.append(db, actor: actor, action: action, subject: id.rawValue,
                                detail: "version \(number): \(kind.rawValue) \(hash.rawValue) from \(parent)", time: now)
            return DocumentVersion(number: number, hash: hash, kind: kind, actor: actor, created: now,
                                   parent: try ContentHash(parent), size: size)
        }
    }

    public func link(_ id: DocumentID, to dossier: DossierCode, actor: String, action: String) throws {
        let now = Date()
        try write { db in
            guard let owner = try String.fetchOne(db, sql: "SELECT owner FROM documents WHERE id = ?", arguments: [id.rawValue]) else {
                throw StoreError("there is no document \(id)")
            }
            try Self.link(db, id, owner, dossier, now)
            _ = try Self.append(db, actor: actor, action: action, subject: id.rawValue, detail: "linked to \(dossier)", time: now)
        }
    }

    public func document(_ id: DocumentID) throws -> Document? {
        try read { db in try Self.document(db, id) }
    }

    public func owner(of dossier: DossierCode) throws -> OwnerID? {
        try read { db in
            try String.fetchOne(db, sql: "SELECT owner FROM cases WHERE code = ?", arguments: [dossier.rawValue])
                .map { text in try OwnerID(text) }
        }
    }

    public func documents(owner: OwnerID, dossier: DossierCode?, type: String?) throws -> [Document] {
        try read { db in
            var sql = "SELECT id FROM documents WHERE owner = ?"
            var arguments: StatementArguments = [owner.description]
            if let dossier {
                sql += " AND id IN (SELECT document_id FROM document_cases WHERE case_code = ?)"
                arguments += [dossier.rawValue]
            }
            if let type {
                sql += " AND type = ?"
                arguments += [type]
            }
            sql += " ORDER BY created, id"
            return try String.fetchAll(db, sql: sql, arguments: arguments).compactMap { text in
                try Self.document(db, try DocumentID(text))
            }
        }
    }

    public func documents(owner: OwnerID, containing hash: ContentHash) throws -> [Document] {
        try read { db in
            try String.fetchAll(db, sql: """
                SELECT DISTINCT d.id FROM documents d JOIN versions v ON v.document_id = d.id
                WHERE d.owner = ? AND v.sha256 = ? ORDER BY d.created, d.id
                """, arguments: [owner.description, hash.rawValue]).compactMap { try Self.document(db, try DocumentID($0)) }
        }
    }

    public func versions(of id: DocumentID) throws -> [DocumentVersion] {
        try read { db in try Self.versions(db, id) }
    }

    public func referencedHashes() throws -> Set<ContentHash> {
        try read { db in
            Set(try String.fetchAll(db, sql: "SELECT DISTINCT sha256 FROM versions").compactMap { try? ContentHash($0) })
        }
    }

    @discardableResult
    public func record(actor: String, action: String, subject: String, detail: String) throws -> AuditEntry {
        try write { db in try Self.append(db, actor: actor, action: action, subject: subject, detail: detail, time: Date()) }
    }

    public func auditLog() throws -> [AuditEntry] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit ORDER BY sequence").map { row in
                AuditEntry(sequence: row["sequence"], time: AuditChain.date(milliseconds: row["time"]), actor: row["actor"],
                           action: row["action"], subject: row["subject"], detail: row["detail"], previous: row["previous"],
                           hash: row["hash"])
            }
        }
    }

    public func addAnchor(_ anchor: Anchor, actor: String) throws {
        try write { db in
            try db.execute(sql: "INSERT INTO anchors (sequence, head, token, time) VALUES (?, ?, ?, ?)",
                           arguments: [anchor.sequence, anchor.head, Data(anchor.token), AuditChain.milliseconds(anchor.time)])
            _ = try Self.append(db, actor: actor, action: "anchor", subject: "audit",
                                detail: "entry \(anchor.sequence) (\(anchor.head)) time-stamped", time: Date())
        }
    }

    public func anchors() throws -> [Anchor] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM anchors ORDER BY sequence").map { row in
                Anchor(sequence: row["sequence"], head: row["head"], token: [UInt8](row["token"] as Data),
                       time: AuditChain.date(milliseconds: row["time"]))
            }
        }
    }

    // MARK: - Inside transactions

    private func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try database.read(body) } catch let error as StoreError { throw error } catch {
            throw StoreError("the repository database cannot be read (\(error))")
        }
    }

    private func write<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try database.write(body) } catch let error as StoreError { throw error } catch {
            throw StoreError("the repository database cannot be written (\(error))")
        }
    }

    private static func link(_ db: Database, _ id: DocumentID, _ owner: String, _ dossier: DossierCode, _ now: Date) throws {
        if let caseOwner = try String.fetchOne(db, sql: "SELECT owner FROM cases WHERE code = ?", arguments: [dossier.rawValue]) {
            guard caseOwner == owner else {
                throw StoreError("the case \(dossier) belongs to \(caseOwner), not to \(owner)")
            }
        } else {
            try db.execute(sql: "INSERT INTO cases (code, owner, created) VALUES (?, ?, ?)",
                           arguments: [dossier.rawValue, owner, AuditChain.milliseconds(now)])
        }
        let position = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM document_cases WHERE document_id = ?", arguments: [id.rawValue]) ?? 0
        try db.execute(sql: "INSERT OR IGNORE INTO document_cases (document_id, case_code, position) VALUES (?, ?, ?)",
                       arguments: [id.rawValue, dossier.rawValue, position])
    }

    private static func append(_ db: Database, actor: String, action: String, subject: String, detail: String,
                               time: Date) throws -> AuditEntry {
        let last = try Row.fetchOne(db, sql: "SELECT sequence, hash FROM audit ORDER BY sequence DESC LIMIT 1")
        let sequence = (last?["sequence"] as Int? ?? 0) + 1
        let previous: String = last?["hash"] ?? AuditChain.genesis
        let hash = AuditChain.hash(sequence: sequence, time: time, actor: actor, action: action, subject: subject,
                                   detail: detail, previous: previous)
        try db.execute(sql: "INSERT INTO audit (sequence, time, actor, action, subject, detail, previous, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       arguments: [sequence, AuditChain.milliseconds(time), actor, action, subject, detail, previous, hash])
        return AuditEntry(sequence: sequence, time: AuditChain.date(milliseconds: AuditChain.milliseconds(time)), actor: actor,
                          action: action, subject: subject, detail: detail, previous: previous, hash: hash)
    }

    private static func document(_ db: Database, _ id: DocumentID) throws -> Document? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM documents WHERE id = ?", arguments: [id.rawValue]) else { return nil }
        let cases = try String.fetchAll(db, sql: "SELECT case_code FROM document_cases WHERE document_id = ? ORDER BY position",
                                        arguments: [id.rawValue])
        guard let latest = try versions(db, id).last else { return nil }
        return Document(id: id, owner: row["owner"], type: row["type"], title: row["title"], issued: row["issued"],
                        validUntil: row["valid_until"], state: DocumentState(rawValue: row["state"]) ?? .pending,
                        created: AuditChain.date(milliseconds: row["created"]), cases: cases, latest: latest.hash)
    }

    private static func versions(_ db: Database, _ id: DocumentID) throws -> [DocumentVersion] {
        try Row.fetchAll(db, sql: "SELECT * FROM versions WHERE document_id = ? ORDER BY number", arguments: [id.rawValue]).map { row in
            DocumentVersion(number: row["number"], hash: try ContentHash(row["sha256"]),
                            kind: VersionKind(rawValue: row["kind"]) ?? .imported, actor: row["actor"],
                            created: AuditChain.date(milliseconds: row["created"]),
                            parent: try (row["parent"] as String?).map { try ContentHash($0) }, size: row["size"])
        }
    }
}
