import Foundation
import GRDB

/// The embedded store: one SQLite database (WAL) under the data folder, through GRDB.
/// The SQL is kept portable (TEXT, INTEGER, times as milliseconds) for the PostgreSQL store.
public final class SQLiteStore: Store {
    private let database: DatabasePool

    /// Opens (creating and migrating) the database at `path`. Processes opening it at the same
    /// time (a watcher starting while `sohoa status` polls) take turns: switching a new file to
    /// WAL and reading which migrations are applied are not covered by SQLite's busy timeout
    /// nor by the migrations' own transactions, so an exclusive lock on `PATH.open-lock` is held
    /// meanwhile.
    public init(path: String) throws {
        let lock = OpeningLock(path: path + ".open-lock")
        defer { lock.release() }
        do {
            var configuration = Configuration()
            configuration.foreignKeysEnabled = true
            configuration.busyMode = .timeout(10)
            configuration.prepareDatabase { db in
                // Pages are read through a memory map instead of a read() call each: a listing
                // of a citizen's documents touches a handful of pages that are already in the
                // operating system's cache. SQLite writes with write() as before.
                try db.execute(sql: "PRAGMA mmap_size = \(Self.memoryMapBytes)")
            }
            database = try DatabasePool(path: path, configuration: configuration)
            let superseded = try database.read { db in try Self.migrator.hasBeenSuperseded(db) }
            if superseded {
                throw StoreError.schemaTooNew("\(path): the repository database was made by a newer version of Sohoa; "
                                              + "this one cannot use it (install the newer version)")
            }
            try Self.migrator.migrate(database)
        } catch let error as StoreError {
            throw error
        } catch {
            throw Self.classify(error, "\(path): the repository database cannot be opened (\(error))")
        }
    }

    /// How much of the database file each connection maps into memory for reading (1 GiB of
    /// address space, not of memory: only the pages read are loaded).
    static let memoryMapBytes = 1 << 30

    /// An exclusive `flock` on a small file beside the database, held while it is opened. The
    /// kernel releases it when the process ends. Where the file cannot be made (a read-only
    /// folder, which no process can migrate either) the store opens without it.
    private struct OpeningLock {
        private let descriptor: Int32

        init(path: String) {
            descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            if descriptor >= 0 {
                while flock(descriptor, LOCK_EX) != 0 && errno == EINTR {}
            }
        }

        func release() {
            guard descriptor >= 0 else { return }
            flock(descriptor, LOCK_UN)
            close(descriptor)
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
        migrator.registerMigration("3 case procedure, intake, job queue") { db in
            try db.execute(sql: """
                ALTER TABLE cases ADD COLUMN procedure TEXT;
                CREATE INDEX documents_by_state ON documents(state, created);
                CREATE TABLE intake (
                    id INTEGER PRIMARY KEY, relative_path TEXT NOT NULL, size INTEGER NOT NULL, modified INTEGER NOT NULL,
                    sha256 TEXT NOT NULL, owner TEXT NOT NULL, case_code TEXT NOT NULL, spool TEXT NOT NULL UNIQUE,
                    state TEXT NOT NULL, received INTEGER NOT NULL, document_id TEXT, note TEXT);
                CREATE INDEX intake_by_content ON intake(owner, case_code, sha256);
                CREATE TABLE jobs (
                    id INTEGER PRIMARY KEY, stage TEXT NOT NULL, subject TEXT NOT NULL, payload TEXT NOT NULL,
                    state TEXT NOT NULL, attempts INTEGER NOT NULL, not_before INTEGER NOT NULL, lease_owner TEXT,
                    lease_until INTEGER, last_error TEXT, created INTEGER NOT NULL, updated INTEGER NOT NULL);
                CREATE INDEX jobs_due ON jobs(stage, state, not_before);
                CREATE INDEX jobs_by_update ON jobs(state, updated);
                """)
        }
        migrator.registerMigration("4 version sources, documents by filing time") { db in
            // Every version a version was made from, in order (the pages of a folder document).
            // Documents filed before named none when they had several pages: their assembled
            // version was made from the source versions before it, which are named now.
            try db.execute(sql: """
                CREATE TABLE version_sources (
                    document_id TEXT NOT NULL, number INTEGER NOT NULL, position INTEGER NOT NULL, sha256 TEXT NOT NULL,
                    PRIMARY KEY (document_id, number, position),
                    FOREIGN KEY (document_id, number) REFERENCES versions(document_id, number));
                INSERT INTO version_sources (document_id, number, position, sha256)
                    SELECT a.document_id, a.number, s.number - 1, s.sha256
                    FROM versions a JOIN versions s ON s.document_id = a.document_id AND s.kind = 'source' AND s.number < a.number
                    WHERE a.kind = 'assembled' AND a.parent IS NULL;
                UPDATE versions SET parent = (
                    SELECT sha256 FROM version_sources v
                    WHERE v.document_id = versions.document_id AND v.number = versions.number AND v.position = 0)
                WHERE kind = 'assembled' AND parent IS NULL;
                CREATE INDEX documents_by_created ON documents(created);
                """)
        }
        migrator.registerMigration("5 failure reasons in Vietnamese") { db in
            try db.execute(sql: "ALTER TABLE jobs ADD COLUMN last_error_vi TEXT")
        }
        migrator.registerMigration("6 nodes") { db in
            try db.execute(sql: """
                CREATE TABLE nodes (
                    name TEXT PRIMARY KEY, host TEXT NOT NULL, pid INTEGER NOT NULL, role TEXT NOT NULL, inbox TEXT NOT NULL,
                    workers INTEGER NOT NULL, started INTEGER NOT NULL, last_seen INTEGER NOT NULL, stopped INTEGER);
                """)
        }
        migrator.registerMigration("7 public check codes, access grants") { db in
            // Documents filed before get a code of the same form (16 bytes of SQLite's
            // randomness, which it seeds from the system's).
            try db.execute(sql: """
                ALTER TABLE documents ADD COLUMN public_code TEXT;
                UPDATE documents SET public_code = lower(hex(randomblob(16))) WHERE public_code IS NULL;
                CREATE UNIQUE INDEX documents_by_public_code ON documents(public_code);
                CREATE TABLE access (
                    key TEXT PRIMARY KEY, name TEXT NOT NULL, roles TEXT NOT NULL, secret_sha256 TEXT NOT NULL,
                    created INTEGER NOT NULL, revoked INTEGER);
                CREATE UNIQUE INDEX access_in_force ON access(name) WHERE revoked IS NULL;
                """)
        }
        migrator.registerMigration("8 a citizen's documents in listing order") { db in
            // A listing is ordered by filing time and id: with the id in the index, SQLite reads
            // a citizen's documents in order instead of sorting them afterwards.
            try db.execute(sql: """
                CREATE INDEX documents_by_owner_in_order ON documents(owner, created, id);
                DROP INDEX documents_by_owner;
                """)
        }
        migrator.registerMigration("9 client certificates standing for access grants") { db in
            try db.execute(sql: """
                ALTER TABLE access ADD COLUMN certificate_subject TEXT;
                ALTER TABLE access ADD COLUMN certificate_issuer TEXT;
                CREATE UNIQUE INDEX access_by_certificate ON access(certificate_subject, certificate_issuer)
                    WHERE revoked IS NULL AND certificate_subject IS NOT NULL;
                """)
        }
        migrator.registerMigration("10 the text of versions, and its word index") { db in
            // The index holds each page's folded words (`SearchText`), its rows numbered as the
            // pages' rows; it keeps no copy of the text (contentless), which `page_text` has.
            try db.execute(sql: """
                CREATE TABLE page_text (
                    id INTEGER PRIMARY KEY, document_id TEXT NOT NULL, number INTEGER NOT NULL, page INTEGER NOT NULL,
                    text TEXT NOT NULL, confidence REAL, flag TEXT,
                    UNIQUE (document_id, number, page),
                    FOREIGN KEY (document_id, number) REFERENCES versions(document_id, number));
                CREATE VIRTUAL TABLE page_words USING fts5(words, content = '', tokenize = 'unicode61 remove_diacritics 0');
                """)
        }
        return migrator
    }

    public func file(_ new: NewDocument, actor: String, action: String) async throws -> Document {
        try await write { db in try Self.file(db, new, actor: actor, action: action, now: Date()) }
    }

    public func addVersion(to id: DocumentID, hash: ContentHash, size: Int, kind: VersionKind, state: DocumentState,
                           expecting expected: ContentHash?, from: DocumentState?, actor: String,
                           action: String) async throws -> DocumentVersion {
        let now = Date()
        return try await write { db in
            guard let latest = try Row.fetchOne(db.cachedStatement(sql: "SELECT number, sha256 FROM versions WHERE document_id = ? ORDER BY number DESC LIMIT 1"),
                                                arguments: [id.rawValue]) else {
                throw StoreError.notFound("there is no document \(id)")
            }
            let number: Int = latest["number"] + 1
            let parent: String = latest["sha256"]
            if let expected, expected.rawValue != parent {
                throw StoreError.conflict("document \(id) has a newer version than the one this was made from; nothing was added")
            }
            if let from, try String.fetchOne(db.cachedStatement(sql: "SELECT state FROM documents WHERE id = ?"), arguments: [id.rawValue]) != from.rawValue {
                throw StoreError.conflict("document \(id) is no longer \(from.rawValue); nothing was added")
            }
            try db.cachedStatement(sql: "INSERT INTO versions (document_id, number, sha256, kind, actor, created, parent, size) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .execute(arguments: [id.rawValue, number, hash.rawValue, kind.rawValue, actor, AuditChain.milliseconds(now), parent, size])
            try db.cachedStatement(sql: "UPDATE documents SET state = ? WHERE id = ?").execute(arguments: [state.rawValue, id.rawValue])
            _ = try Self.append(db, actor: actor, action: action, subject: id.rawValue,
                                detail: "version \(number): \(kind.rawValue) \(hash.rawValue) from \(parent)", time: now)
            let made = try ContentHash(parent)
            return DocumentVersion(number: number, hash: hash, kind: kind, actor: actor, created: now, parent: made,
                                   sources: [made], size: size)
        }
    }

    public func link(_ id: DocumentID, to dossier: DossierCode, actor: String, action: String) async throws {
        let now = Date()
        try await write { db in
            guard let owner = try String.fetchOne(db, sql: "SELECT owner FROM documents WHERE id = ?", arguments: [id.rawValue]) else {
                throw StoreError.notFound("there is no document \(id)")
            }
            try Self.link(db, id, owner, dossier, now)
            _ = try Self.append(db, actor: actor, action: action, subject: id.rawValue, detail: "linked to \(dossier)", time: now)
        }
    }

    public func document(_ id: DocumentID) async throws -> Document? {
        try await read { db in try Self.document(db, id) }
    }

    public func document(publicCode code: PublicCode) async throws -> Document? {
        try await read { db in
            try String.fetchOne(db.cachedStatement(sql: "SELECT id FROM documents WHERE public_code = ?"), arguments: [code.rawValue])
                .flatMap { text in try Self.document(db, try DocumentID(text)) }
        }
    }

    public func owner(of dossier: DossierCode) async throws -> OwnerID? {
        try await read { db in
            try String.fetchOne(db, sql: "SELECT owner FROM cases WHERE code = ?", arguments: [dossier.rawValue])
                .map { text in try OwnerID(text) }
        }
    }

    public func documents(owner: OwnerID, dossier: DossierCode?, type: String?) async throws -> [Document] {
        try await documents(matching: DocumentQuery(owner: owner, dossier: dossier, type: type))
    }

    public func caseRecord(_ dossier: DossierCode) async throws -> Case? {
        try await read { db in
            guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM cases WHERE code = ?"), arguments: [dossier.rawValue]) else {
                return nil
            }
            return Case(code: dossier, owner: try OwnerID(row["owner"] as String), procedure: row["procedure"],
                        created: AuditChain.date(milliseconds: row["created"]))
        }
    }

    public func documents(in state: DocumentState, owner: OwnerID?, dossier: DossierCode?) async throws -> [Document] {
        try await documents(matching: DocumentQuery(owner: owner, dossier: dossier, state: state))
    }

    public func documents(matching query: DocumentQuery) async throws -> [Document] {
        try await readEach { db in
            var conditions: [String] = []
            var arguments = StatementArguments()
            if let state = query.state {
                conditions.append("d.state = ?")
                arguments += [state.rawValue]
            }
            if let owner = query.owner {
                conditions.append("d.owner = ?")
                arguments += [owner.description]
            }
            if let dossier = query.dossier {
                conditions.append("d.id IN (SELECT document_id FROM document_cases WHERE case_code = ?)")
                arguments += [dossier.rawValue]
            }
            if let type = query.type {
                conditions.append("d.type = ?")
                arguments += [type]
            }
            if let from = query.filedFrom {
                conditions.append("d.created >= ?")
                arguments += [AuditChain.milliseconds(from)]
            }
            if let before = query.filedBefore {
                conditions.append("d.created < ?")
                arguments += [AuditChain.milliseconds(before)]
            }
            let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
            // Two statements whatever the number of documents: the documents with their newest
            // version, then every case link of those documents in order. Both are compiled once
            // per connection and filter combination (cached), not at every listing.
            let rows = try Row.fetchAll(db.cachedStatement(sql: """
                SELECT \(Self.documentColumns) FROM documents d\(filter) ORDER BY d.created, d.id
                """), arguments: arguments)
            var links: [String: [(position: Int, code: String)]] = [:]
            for link in try Row.fetchAll(db.cachedStatement(sql: """
                SELECT document_id, position, case_code FROM document_cases WHERE document_id IN (SELECT d.id FROM documents d\(filter))
                """), arguments: arguments) {
                links[link[0], default: []].append((link[1], link[2]))
            }
            return try rows.compactMap { row in
                try Self.document(row, cases: (links[row[0] as String] ?? []).sorted { $0.position < $1.position }.map(\.code))
            }
        }
    }

    public func documentIDs(startingWith prefix: DocumentIDPrefix, limit: Int) async throws -> [DocumentID] {
        // The prefix is hexadecimal digits only: every id starting with it sorts from the
        // prefix itself up to (not including) the prefix followed by "g".
        try await read { db in
            try String.fetchAll(db, sql: "SELECT id FROM documents WHERE id >= ? AND id < ? ORDER BY id LIMIT ?",
                                arguments: [prefix.rawValue, prefix.rawValue + "g", max(0, limit)])
                .map { text in try DocumentID(text) }
        }
    }

    public func documents(owner: OwnerID, containing hash: ContentHash) async throws -> [Document] {
        try await read { db in
            try String.fetchAll(db, sql: """
                SELECT DISTINCT d.id FROM documents d JOIN versions v ON v.document_id = d.id
                WHERE d.owner = ? AND v.sha256 = ? ORDER BY d.created, d.id
                """, arguments: [owner.description, hash.rawValue]).compactMap { try Self.document(db, try DocumentID($0)) }
        }
    }

    public func versions(of id: DocumentID) async throws -> [DocumentVersion] {
        try await read { db in try Self.versions(db, id) }
    }

    public func referencedHashes() async throws -> Set<ContentHash> {
        try await read { db in
            Set(try String.fetchAll(db, sql: "SELECT DISTINCT sha256 FROM versions").compactMap { try? ContentHash($0) })
        }
    }

    @discardableResult
    public func record(actor: String, action: String, subject: String, detail: String) async throws -> AuditEntry {
        try await write { db in try Self.append(db, actor: actor, action: action, subject: subject, detail: detail, time: Date()) }
    }

    public func auditCount(action: String) async throws -> Int {
        try await read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit WHERE action = ?", arguments: [action]) ?? 0 }
    }

    public func auditLog() async throws -> [AuditEntry] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit ORDER BY sequence").map { row in
                AuditEntry(sequence: row["sequence"], time: AuditChain.date(milliseconds: row["time"]), actor: row["actor"],
                           action: row["action"], subject: row["subject"], detail: row["detail"], previous: row["previous"],
                           hash: row["hash"])
            }
        }
    }

    public func addAnchor(_ anchor: Anchor, actor: String) async throws {
        try await write { db in
            try db.execute(sql: "INSERT INTO anchors (sequence, head, token, time) VALUES (?, ?, ?, ?)",
                           arguments: [anchor.sequence, anchor.head, Data(anchor.token), AuditChain.milliseconds(anchor.time)])
            _ = try Self.append(db, actor: actor, action: "anchor", subject: "audit",
                                detail: "entry \(anchor.sequence) (\(anchor.head)) time-stamped", time: Date())
        }
    }

    public func anchors() async throws -> [Anchor] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM anchors ORDER BY sequence").map { row in
                Anchor(sequence: row["sequence"], head: row["head"], token: [UInt8](row["token"] as Data),
                       time: AuditChain.date(milliseconds: row["time"]))
            }
        }
    }

    // MARK: - Intake and the job queue

    public func receive(_ record: IntakeRecord, job: NewJob, now: Date) async throws -> IntakeOutcome {
        try await write { db in
            let time = AuditChain.milliseconds(now)
            let original = try Row.fetchOne(db, sql: """
                SELECT * FROM intake WHERE owner = ? AND case_code = ? AND sha256 = ? AND state IN ('received', 'filed')
                ORDER BY id LIMIT 1
                """, arguments: [record.owner.description, record.dossier.rawValue, record.sha256.rawValue])
                .map(Self.intakeEntry)
            let state: IntakeState = original == nil ? .received : .duplicate
            let note = original.map { "the same content as \($0.record.relativePath), received before (item \($0.id))" }
            try db.execute(sql: """
                INSERT INTO intake (relative_path, size, modified, sha256, owner, case_code, spool, state, received, note)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [record.relativePath, record.size, AuditChain.milliseconds(record.modified), record.sha256.rawValue,
                                 record.owner.description, record.dossier.rawValue, record.spool, state.rawValue, time, note])
            let entry = IntakeEntry(id: db.lastInsertedRowID, record: record, state: state,
                                    received: AuditChain.date(milliseconds: time), document: nil, note: note)
            if let original { return .duplicate(entry, original: original) }
            return .accepted(entry, job: try Self.enqueue(db, job, time: time))
        }
    }

    public func intake(spool: String) async throws -> IntakeEntry? {
        try await read { db in try Row.fetchOne(db, sql: "SELECT * FROM intake WHERE spool = ?", arguments: [spool]).map(Self.intakeEntry) }
    }

    public func intakeLog(limit: Int) async throws -> [IntakeEntry] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM intake ORDER BY id DESC LIMIT ?", arguments: [limit]).map(Self.intakeEntry)
        }
    }

    public func reject(_ lease: JobLease, intake: Int64, reason: String, vietnamese: String?, now: Date) async throws {
        try await write { db in
            try Self.checkHeld(db, lease)
            try db.execute(sql: "UPDATE intake SET state = 'rejected', note = ? WHERE id = ?", arguments: [reason, intake])
            try db.execute(sql: """
                UPDATE jobs SET state = 'failed', last_error = ?, last_error_vi = ?, lease_owner = NULL, lease_until = NULL, updated = ?
                WHERE id = ?
                """, arguments: [reason, vietnamese, AuditChain.milliseconds(now), lease.job.id])
        }
    }

    public func enqueue(_ job: NewJob, now: Date) async throws -> JobID {
        try await write { db in try Self.enqueue(db, job, time: AuditChain.milliseconds(now)) }
    }

    public func claimJob(stage: String, worker: String, leaseFor: TimeInterval, now: Date) async throws -> JobLease? {
        try await write { db in
            let time = AuditChain.milliseconds(now)
            if let row = try Row.fetchOne(db, sql: """
                SELECT * FROM jobs WHERE stage = ? AND ((state = 'queued' AND not_before <= ?) OR (state = 'running' AND lease_until < ?))
                ORDER BY not_before, id LIMIT 1
                """, arguments: [stage, time, time]) {
                let job = try Self.job(row)
                let until = AuditChain.milliseconds(now.addingTimeInterval(leaseFor))
                try db.execute(sql: "UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_owner = ?, lease_until = ?, updated = ? WHERE id = ?",
                               arguments: [worker, until, time, job.id])
                guard let claimed = try Row.fetchOne(db, sql: "SELECT * FROM jobs WHERE id = ?", arguments: [job.id]) else { return nil }
                return JobLease(job: try Self.job(claimed), worker: worker, until: AuditChain.date(milliseconds: until))
            }
            return nil
        }
    }

    public func moveJobs(of stage: String, payloads: [String], to newStage: String) async throws -> Int {
        try await write { db in
            var moved = 0
            for payload in payloads {
                try db.execute(sql: "UPDATE jobs SET stage = ? WHERE stage = ? AND payload = ? AND state IN ('queued', 'running')",
                               arguments: [newStage, stage, payload])
                moved += db.changesCount
            }
            return moved
        }
    }

    public func expireLeases(heldBy worker: String, now: Date) async throws {
        try await write { db in
            try db.execute(sql: "UPDATE jobs SET lease_until = ? WHERE state = 'running' AND lease_owner = ?",
                           arguments: [AuditChain.milliseconds(now) - 1, worker])
        }
    }

    public func leaseHolders() async throws -> Set<String> {
        try await read { db in
            Set(try String.fetchAll(db, sql: "SELECT DISTINCT lease_owner FROM jobs WHERE state = 'running' AND lease_owner IS NOT NULL"))
        }
    }

    public func documentCounts() async throws -> [DocumentState: Int] {
        try await read { db in
            var counts: [DocumentState: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM documents GROUP BY state") {
                if let state = DocumentState(rawValue: row["state"]) { counts[state] = row["n"] }
            }
            return counts
        }
    }

    public func intakeCounts() async throws -> [IntakeState: Int] {
        try await read { db in
            var counts: [IntakeState: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM intake GROUP BY state") {
                if let state = IntakeState(rawValue: row["state"]) { counts[state] = row["n"] }
            }
            return counts
        }
    }

    public func renew(_ lease: JobLease, leaseFor: TimeInterval, now: Date) async throws -> JobLease {
        try await write { db in
            try Self.checkHeld(db, lease)
            let until = AuditChain.milliseconds(now.addingTimeInterval(leaseFor))
            try db.execute(sql: "UPDATE jobs SET lease_until = ? WHERE id = ?", arguments: [until, lease.job.id])
            return JobLease(job: lease.job, worker: lease.worker, until: AuditChain.date(milliseconds: until))
        }
    }

    public func complete(_ lease: JobLease, effect: JobEffect, now: Date) async throws -> Document? {
        try await write { db in
            try Self.checkHeld(db, lease)
            let time = AuditChain.milliseconds(now)
            var filed: Document?
            switch effect {
            case .none:
                break
            case .enqueue(let jobs):
                for job in jobs { _ = try Self.enqueue(db, job, time: time) }
            case .file(let new, let actor, let action, let intake):
                let document = try Self.file(db, new, actor: actor, action: action, now: now)
                if let intake {
                    try db.execute(sql: "UPDATE intake SET state = 'filed', document_id = ? WHERE id = ?",
                                   arguments: [document.id.rawValue, intake])
                }
                filed = document
            }
            try db.execute(sql: "UPDATE jobs SET state = 'done', lease_owner = NULL, lease_until = NULL, updated = ? WHERE id = ?",
                           arguments: [time, lease.job.id])
            return filed
        }
    }

    public func fail(_ lease: JobLease, reason: String, vietnamese: String?, retryAt: Date?, now: Date) async throws {
        try await write { db in
            try Self.checkHeld(db, lease)
            let time = AuditChain.milliseconds(now)
            if let retryAt {
                try db.execute(sql: """
                    UPDATE jobs SET state = 'queued', not_before = ?, last_error = ?, last_error_vi = ?, lease_owner = NULL,
                        lease_until = NULL, updated = ?
                    WHERE id = ?
                    """, arguments: [AuditChain.milliseconds(retryAt), reason, vietnamese, time, lease.job.id])
            } else {
                try db.execute(sql: """
                    UPDATE jobs SET state = 'failed', last_error = ?, last_error_vi = ?, lease_owner = NULL, lease_until = NULL, updated = ?
                    WHERE id = ?
                    """, arguments: [reason, vietnamese, time, lease.job.id])
            }
        }
    }

    public func release(_ lease: JobLease, now: Date) async throws {
        try await write { db in
            try Self.checkHeld(db, lease)
            try db.execute(sql: """
                UPDATE jobs SET state = 'queued', attempts = attempts - 1, lease_owner = NULL, lease_until = NULL, updated = ?
                WHERE id = ?
                """, arguments: [AuditChain.milliseconds(now), lease.job.id])
        }
    }

    public func job(_ id: JobID) async throws -> Job? {
        try await read { db in try Row.fetchOne(db, sql: "SELECT * FROM jobs WHERE id = ?", arguments: [id]).map(Self.job) }
    }

    public func queueSummary(since: Date) async throws -> [StageSummary] {
        try await read { db in
            let counts = try Row.fetchAll(db, sql: """
                SELECT stage, state, COUNT(*) AS n, MIN(created) AS oldest,
                       SUM(CASE WHEN updated >= ? THEN 1 ELSE 0 END) AS recent
                FROM jobs GROUP BY stage, state ORDER BY stage
                """, arguments: [AuditChain.milliseconds(since)])
            return StageSummary.summaries(of: counts.compactMap { row in
                JobState(rawValue: row["state"]).map { state in
                    StageSummary.Count(stage: row["stage"], state: state, count: row["n"], oldest: row["oldest"], recent: row["recent"])
                }
            })
        }
    }

    public func recentFailures(limit: Int) async throws -> [Job] {
        try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM jobs WHERE last_error IS NOT NULL AND state IN ('queued', 'failed') ORDER BY updated DESC, id DESC LIMIT ?
                """, arguments: [limit]).map(Self.job)
        }
    }

    private static func enqueue(_ db: Database, _ job: NewJob, time: Int64) throws -> JobID {
        try db.execute(sql: """
            INSERT INTO jobs (stage, subject, payload, state, attempts, not_before, created, updated) VALUES (?, ?, ?, 'queued', 0, ?, ?, ?)
            """, arguments: [job.stage, job.subject, job.payload, time, time, time])
        return db.lastInsertedRowID
    }

    /// Throws `LeaseLost` unless `lease` still holds its job: running, by the same worker, in
    /// the same attempt.
    private static func checkHeld(_ db: Database, _ lease: JobLease) throws {
        let row = try Row.fetchOne(db, sql: "SELECT state, lease_owner, attempts FROM jobs WHERE id = ?", arguments: [lease.job.id])
        guard let row, row["state"] == JobState.running.rawValue, row["lease_owner"] == lease.worker,
              row["attempts"] == lease.job.attempts else {
            throw LeaseLost(job: lease.job.id)
        }
    }

    static func job(_ row: Row) throws -> Job {
        guard let state = JobState(rawValue: row["state"]) else { throw StoreError.corrupt("job \(row["id"] as Int64) has an unknown state") }
        return Job(id: row["id"], stage: row["stage"], subject: row["subject"], payload: row["payload"], state: state,
                   attempts: row["attempts"], notBefore: AuditChain.date(milliseconds: row["not_before"]),
                   leaseOwner: row["lease_owner"], leaseUntil: (row["lease_until"] as Int64?).map(AuditChain.date(milliseconds:)),
                   lastError: row["last_error"], lastErrorVietnamese: row["last_error_vi"], created: AuditChain.date(milliseconds: row["created"]),
                   updated: AuditChain.date(milliseconds: row["updated"]))
    }

    private static func intakeEntry(_ row: Row) throws -> IntakeEntry {
        let record = IntakeRecord(relativePath: row["relative_path"], size: row["size"],
                                  modified: AuditChain.date(milliseconds: row["modified"]), sha256: try ContentHash(row["sha256"]),
                                  owner: try OwnerID(row["owner"] as String), dossier: try DossierCode(row["case_code"] as String),
                                  spool: row["spool"])
        return IntakeEntry(id: row["id"], record: record, state: IntakeState(rawValue: row["state"]) ?? .received,
                           received: AuditChain.date(milliseconds: row["received"]),
                           document: try (row["document_id"] as String?).map { try DocumentID($0) }, note: row["note"])
    }

    // MARK: - Inside transactions

    func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        do { return try await database.read(body) } catch let error as StoreError { throw error } catch {
            throw Self.classify(error, "the repository database cannot be read (\(error))")
        }
    }

    /// `read` without the transaction that makes its statements see one snapshot: for reads
    /// whose statements stay right when a write lands between them (a listing: its second
    /// statement only adds to the rows of the first), on the busiest routes of `sohoa serve`.
    func readEach<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        do { return try await database.unsafeRead(body) } catch let error as StoreError { throw error } catch {
            throw Self.classify(error, "the repository database cannot be read (\(error))")
        }
    }

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction: it takes SQLite's write lock before
    /// its first read, so no other connection or process writes between what `body` reads
    /// (the audit chain's head, a job's lease) and what it writes (the `Store` contract).
    func write<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await database.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        } catch let error as StoreError { throw error } catch let error as LeaseLost {
            throw error
        } catch {
            throw Self.classify(error, "the repository database cannot be written (\(error))")
        }
    }

    /// The kind of an error from SQLite (or from reading a row), with the sentence to show.
    private static func classify(_ error: any Error, _ sentence: String) -> StoreError {
        if error is CancellationError { return .unavailable(sentence) }
        guard let error = error as? DatabaseError else { return .corrupt(sentence) }  // a row that is not what it should be
        switch error.resultCode.primaryResultCode {
        case .SQLITE_CORRUPT, .SQLITE_NOTADB, .SQLITE_MISMATCH, .SQLITE_FORMAT: return .corrupt(sentence)
        case .SQLITE_CONSTRAINT: return .conflict(sentence)
        default: return .unavailable(sentence)
        }
    }

    private static func file(_ db: Database, _ new: NewDocument, actor: String, action: String, now: Date) throws -> Document {
        let id = DocumentID.random()
        let time = AuditChain.milliseconds(now)
        try db.execute(sql: """
            INSERT INTO documents (id, owner, type, title, issued, valid_until, state, created, public_code)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [id.rawValue, new.owner.description, new.type, new.title, new.issued, new.validUntil,
                             new.state.rawValue, time, PublicCode.random().rawValue])
        for dossier in new.cases { try link(db, id, new.owner.description, dossier, procedure: new.procedure, now) }
        let insertVersion = "INSERT INTO versions (document_id, number, sha256, kind, actor, created, parent, size) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        for (index, source) in new.sources.enumerated() {
            try db.execute(sql: insertVersion, arguments: [id.rawValue, index + 1, source.hash.rawValue, VersionKind.source.rawValue,
                                                           actor, time, nil as String?, source.size])
        }
        let number = new.sources.count + 1
        try db.execute(sql: insertVersion, arguments: [id.rawValue, number, new.hash.rawValue, new.kind.rawValue, actor,
                                                       time, new.sources.first?.hash.rawValue, new.size])
        for (position, source) in new.sources.enumerated() {
            try db.execute(sql: "INSERT INTO version_sources (document_id, number, position, sha256) VALUES (?, ?, ?, ?)",
                           arguments: [id.rawValue, number, position, source.hash.rawValue])
        }
        try insertPageTexts(db, id, version: number, new.pages)
        let sources = new.sources.isEmpty ? "" : " from \(new.sources.map(\.hash.rawValue).joined(separator: ","))"
        _ = try append(db, actor: actor, action: action, subject: id.rawValue,
                       detail: "\(new.kind.rawValue) \(new.hash.rawValue)\(sources) for \(new.owner) in \(new.cases.map(\.rawValue).joined(separator: ","))",
                       time: now)
        guard let document = try document(db, id) else { throw StoreError.corrupt("the document \(id) vanished while it was filed") }
        return document
    }

    private static func link(_ db: Database, _ id: DocumentID, _ owner: String, _ dossier: DossierCode, procedure: String? = nil,
                             _ now: Date) throws {
        if let caseOwner = try String.fetchOne(db, sql: "SELECT owner FROM cases WHERE code = ?", arguments: [dossier.rawValue]) {
            guard caseOwner == owner else {
                throw StoreError.ownedByAnotherCitizen(dossier: dossier, owner: caseOwner, claimant: owner)
            }
        } else {
            try db.execute(sql: "INSERT INTO cases (code, owner, procedure, created) VALUES (?, ?, ?, ?)",
                           arguments: [dossier.rawValue, owner, procedure, AuditChain.milliseconds(now)])
        }
        let position = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM document_cases WHERE document_id = ?", arguments: [id.rawValue]) ?? 0
        try db.execute(sql: "INSERT OR IGNORE INTO document_cases (document_id, case_code, position) VALUES (?, ?, ?)",
                       arguments: [id.rawValue, dossier.rawValue, position])
    }

    /// Appends an audit entry inside a write transaction (for the store's other files).
    static func appendAudit(_ db: Database, actor: String, action: String, subject: String, detail: String,
                            time: Date) throws -> AuditEntry {
        try append(db, actor: actor, action: action, subject: subject, detail: detail, time: time)
    }

    private static func append(_ db: Database, actor: String, action: String, subject: String, detail: String,
                               time: Date) throws -> AuditEntry {
        let last = try Row.fetchOne(db.cachedStatement(sql: "SELECT sequence, hash FROM audit ORDER BY sequence DESC LIMIT 1"))
        let sequence = (last?["sequence"] as Int? ?? 0) + 1
        let previous: String = last?["hash"] ?? AuditChain.genesis
        let hash = AuditChain.hash(sequence: sequence, time: time, actor: actor, action: action, subject: subject,
                                   detail: detail, previous: previous)
        try db.cachedStatement(sql: "INSERT INTO audit (sequence, time, actor, action, subject, detail, previous, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
            .execute(arguments: [sequence, AuditChain.milliseconds(time), actor, action, subject, detail, previous, hash])
        return AuditEntry(sequence: sequence, time: AuditChain.date(milliseconds: AuditChain.milliseconds(time)), actor: actor,
                          action: action, subject: subject, detail: detail, previous: previous, hash: hash)
    }

    private static func document(_ db: Database, _ id: DocumentID) throws -> Document? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT \(documentColumns) FROM documents d WHERE d.id = ?"),
                                         arguments: [id.rawValue]) else { return nil }
        let cases = try String.fetchAll(db.cachedStatement(sql: "SELECT case_code FROM document_cases WHERE document_id = ? ORDER BY position"),
                                        arguments: [id.rawValue])
        return try document(row, cases: cases)
    }

    /// A document's columns, in the order `document(_:cases:)` reads them (by position: a
    /// listing reads many rows, and finding a column by its name costs more than the query).
    private static let documentColumns = """
        d.id, d.owner, d.type, d.title, d.issued, d.valid_until, d.state, d.created, d.public_code,
        (SELECT v.sha256 FROM versions v WHERE v.document_id = d.id ORDER BY v.number DESC LIMIT 1) AS latest
        """

    /// A document from its row (`documentColumns`) and its cases in linking order; nil for a row
    /// without a version (never written so).
    private static func document(_ row: Row, cases: [String]) throws -> Document? {
        guard let latest = row[9] as String? else { return nil }
        return Document(id: try DocumentID(row[0] as String), owner: row[1], type: row[2], title: row[3], issued: row[4],
                        validUntil: row[5], state: DocumentState(rawValue: row[6]) ?? .pending,
                        created: AuditChain.date(milliseconds: row[7]), cases: cases, latest: try ContentHash(latest),
                        publicCode: try (row[8] as String?).map { text in try PublicCode(text) })
    }

    private static func versions(_ db: Database, _ id: DocumentID) throws -> [DocumentVersion] {
        var sources: [Int: [ContentHash]] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT number, sha256 FROM version_sources WHERE document_id = ? ORDER BY number, position"),
                                    arguments: [id.rawValue]) {
            sources[row["number"], default: []].append(try ContentHash(row["sha256"]))
        }
        return try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM versions WHERE document_id = ? ORDER BY number"),
                                arguments: [id.rawValue]).map { row in
            let number: Int = row["number"]
            let parent = try (row["parent"] as String?).map { try ContentHash($0) }
            // Versions added one after another (signed, approved) name their one parent only.
            return DocumentVersion(number: number, hash: try ContentHash(row["sha256"]),
                                   kind: VersionKind(rawValue: row["kind"]) ?? .imported, actor: row["actor"],
                                   created: AuditChain.date(milliseconds: row["created"]), parent: parent,
                                   sources: sources[number] ?? parent.map { [$0] } ?? [], size: row["size"])
        }
    }
}
