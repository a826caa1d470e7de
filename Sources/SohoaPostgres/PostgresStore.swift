import Foundation
import Logging
import NIOCore
import PostgresNIO
import SohoaRepository

/// The repository's records on a PostgreSQL server, shared by every node of a centre: any
/// number of processes on any machines file, sign and claim jobs through it at once.
///
/// How it keeps the `Store` contract with several writers:
/// - every multi-row effect is one transaction;
/// - audit entries are appended under `LOCK TABLE audit IN EXCLUSIVE MODE`, taken before the
///   chain's head is read, so entries from every node form one chain (plain reads go on);
/// - a job is claimed with `FOR UPDATE SKIP LOCKED` (two workers never wait for, nor take, the
///   same job), and finished only after its row is locked and still held by the finisher's lease;
/// - a document is locked (`FOR UPDATE`) before a version or a case link is added to it;
/// - intake of the same content for one case is serialized by an advisory lock, so that a
///   duplicate is found even when two nodes receive it at the same moment.
/// A transaction the server rolled back as a deadlock's or a serialization conflict's victim is
/// run again (three times at most); other failures are typed `StoreError`s.
public final class PostgresStore: Store {
    /// Where the records are (shown in messages; never with a password).
    public let location: PostgresLocation
    /// The identity of the repository the database holds (`repository.id`).
    public let repositoryID: String
    private let client: PostgresClient
    private let running: Task<Void, Never>
    private let logger: Logger

    private init(location: PostgresLocation, repositoryID: String, client: PostgresClient, logger: Logger) {
        self.location = location
        self.repositoryID = repositoryID
        self.client = client
        self.logger = logger
        running = Task { await client.run() }
    }

    deinit {
        running.cancel()
    }

    /// What to do with a database that holds no Sohoa repository yet.
    public enum Opening: Sendable, Equatable {
        /// Refuse it (every command but `repo init`): a mistyped URL is reported, not filled.
        case existing
        /// Make the repository `id` in it (`repo init`); a database that already holds another
        /// repository is refused.
        case creating(id: String)
    }

    /// Connects to the database at `location`, checks its schema (a newer one is refused with
    /// `StoreError.schemaTooNew`; an older one is brought up to date, every node taking turns),
    /// and returns the store. `connections` bounds this process's connections.
    public static func open(_ location: PostgresLocation, password: PostgresPassword, opening: Opening = .existing,
                            connections: Int = 8) async throws -> PostgresStore {
        var logger = Logger(label: "sohoa.postgres")
        logger.logLevel = .critical  // failures are reported as StoreErrors, with the server's message
        let tls: PostgresConnection.Configuration.TLS
        let poolTLS: PostgresClient.Configuration.TLS
        do {
            switch location.tls {
            case .disable:
                (tls, poolTLS) = (.disable, .disable)
            case .prefer:
                (tls, poolTLS) = (.prefer(try NIOSSLContext(configuration: .makeClientConfiguration())), .prefer(.makeClientConfiguration()))
            case .require:
                (tls, poolTLS) = (.require(try NIOSSLContext(configuration: .makeClientConfiguration())), .require(.makeClientConfiguration()))
            }
        } catch {
            throw StoreError.unavailable("\(location): TLS cannot be set up (\(error))")
        }
        var probe = PostgresConnection.Configuration(host: location.host, port: location.port, username: location.user,
                                                     password: password.value, database: location.database, tls: tls)
        probe.options.connectTimeout = .seconds(10)
        let repositoryID: String
        do {
            let connection = try await PostgresConnection.connect(configuration: probe, id: 0, logger: logger)
            do {
                if case .existing = opening,
                   let current = try await upToDate(PostgresSession(connection: connection, logger: logger), location: location) {
                    repositoryID = current
                } else {
                    repositoryID = try await connection.withTransaction(logger: logger) { connection in
                        try await migrate(PostgresSession(connection: connection, logger: logger), location: location, opening: opening)
                    }
                }
                try? await connection.close()
            } catch {
                try? await connection.close()
                throw error
            }
        } catch {
            throw PostgresFailure.classify(error, "the repository database cannot be opened", at: location)
        }
        var configuration = PostgresClient.Configuration(host: location.host, port: location.port, username: location.user,
                                                         password: password.value, database: location.database, tls: poolTLS)
        configuration.options.maximumConnections = max(1, connections)
        configuration.options.connectTimeout = Duration.seconds(10)
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        return PostgresStore(location: location, repositoryID: repositoryID, client: client, logger: logger)
    }

    /// The repository's id when the schema is exactly the one this binary knows (what every
    /// start but the first after an upgrade finds): read without a transaction or a lock. Nil
    /// when there is something to do or to refuse, which `migrate` then does under the lock.
    private static func upToDate(_ session: PostgresSession, location: PostgresLocation) async throws -> String? {
        let present = try await session.row("""
            SELECT to_regclass('sohoa_schema') IS NOT NULL AND to_regclass('repository') IS NOT NULL AS present
            """)?.get("present", as: Bool.self) ?? false
        guard present, let row = try await session.row("""
            SELECT (SELECT MAX(version) FROM sohoa_schema) AS version, (SELECT id FROM repository LIMIT 1) AS id
            """) else { return nil }
        guard try row.get("version", as: Int?.self) == PostgresSchema.current else { return nil }
        return try row.get("id", as: String?.self)
    }

    /// Applies the migrations the database lacks, in one transaction under the schema lock;
    /// returns the repository's id.
    private static func migrate(_ session: PostgresSession, location: PostgresLocation, opening: Opening) async throws -> String {
        try await session.execute("SELECT pg_advisory_xact_lock(\(PostgresSchema.lockNamespace), \(PostgresSchema.schemaLock))")
        let hasSchema = try await session.row("SELECT to_regclass('sohoa_schema') IS NOT NULL AS present")?.get("present", as: Bool.self)
            ?? false
        if !hasSchema, case .existing = opening {
            throw StoreError.refused("\(location): the database holds no Sohoa repository; "
                                     + "make one with sohoa repo init --data DIR --database \(location)")
        }
        try await session.execute(PostgresQuery(unsafeSQL: PostgresSchema.bookkeeping))
        let applied = try await session.row("SELECT COALESCE(MAX(version), 0) AS version FROM sohoa_schema")?.get("version", as: Int.self) ?? 0
        if applied > PostgresSchema.current {
            throw StoreError.schemaTooNew("\(location): the repository database was made by a newer version of Sohoa "
                                          + "(schema \(applied); this one knows up to \(PostgresSchema.current)); "
                                          + "this node cannot use it (install the newer version on it)")
        }
        let now = AuditChain.milliseconds(Date())
        for migration in PostgresSchema.migrations where migration.version > applied {
            for statement in migration.statements { try await session.execute(PostgresQuery(unsafeSQL: statement)) }
            try await session.execute("""
                INSERT INTO sohoa_schema (version, name, applied) VALUES (\(migration.version), \(migration.name), \(now))
                """)
        }
        let existing = try await session.row("SELECT id FROM repository LIMIT 1")?.get("id", as: String.self)
        switch (opening, existing) {
        case (.existing, let id?):
            return id
        case (.existing, nil):
            throw StoreError.corrupt("\(location): the database has Sohoa's tables but no repository record")
        case (.creating(let id), nil):
            try await session.execute("INSERT INTO repository (id, created) VALUES (\(id), \(now))")
            return id
        case (.creating(let id), let other?):
            guard other == id else {
                throw StoreError.refused("\(location): the database already holds another Sohoa repository (\(other)); "
                                         + "give each repository a database of its own")
            }
            return id
        }
    }

    // MARK: - Running queries

    func read<T: Sendable>(_ body: (PostgresSession) async throws -> T) async throws -> T {
        do {
            return try await client.withConnection { connection in try await body(PostgresSession(connection: connection, logger: logger)) }
        } catch {
            throw PostgresFailure.classify(error, "the repository database cannot be read", at: location)
        }
    }

    /// Runs `body` in one transaction, again when the server rolled it back as a deadlock's or
    /// serialization conflict's victim.
    func write<T: Sendable>(_ body: (PostgresSession) async throws -> T) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await client.withTransaction(logger: logger) { connection in
                    try await body(PostgresSession(connection: connection, logger: logger))
                }
            } catch where attempt < 3 && PostgresFailure.isRetryable(error) {
                attempt += 1
            } catch {
                throw PostgresFailure.classify(error, "the repository database cannot be written", at: location)
            }
        }
    }

    // MARK: - Documents

    public func file(_ new: NewDocument, actor: String, action: String) async throws -> Document {
        try await write { session in try await Self.file(session, new, actor: actor, action: action, now: Date()) }
    }

    public func addVersion(to id: DocumentID, hash: ContentHash, size: Int, kind: VersionKind, state: DocumentState,
                           expecting expected: ContentHash?, from: DocumentState?, actor: String,
                           action: String) async throws -> DocumentVersion {
        let now = Date()
        let time = AuditChain.milliseconds(now)
        return try await write { session in
            guard let document = try await session.row("SELECT state FROM documents WHERE id = \(id.rawValue) FOR UPDATE"),
                  let latest = try await session.row("""
                    SELECT number, sha256 FROM versions WHERE document_id = \(id.rawValue) ORDER BY number DESC LIMIT 1
                    """) else {
                throw StoreError.notFound("there is no document \(id)")
            }
            let number = try latest.get("number", as: Int.self) + 1
            let parent = try latest.get("sha256", as: String.self)
            if let expected, expected.rawValue != parent {
                throw StoreError.conflict("document \(id) has a newer version than the one this was made from; nothing was added")
            }
            if let from, try document.get("state", as: String.self) != from.rawValue {
                throw StoreError.conflict("document \(id) is no longer \(from.rawValue); nothing was added")
            }
            try await session.execute("""
                INSERT INTO versions (document_id, number, sha256, kind, actor, created, parent, size)
                VALUES (\(id.rawValue), \(number), \(hash.rawValue), \(kind.rawValue), \(actor), \(time), \(parent), \(size))
                """)
            try await session.execute("UPDATE documents SET state = \(state.rawValue) WHERE id = \(id.rawValue)")
            _ = try await Self.append(session, actor: actor, action: action, subject: id.rawValue,
                                      detail: "version \(number): \(kind.rawValue) \(hash.rawValue) from \(parent)", time: now)
            let made = try ContentHash(parent)
            return DocumentVersion(number: number, hash: hash, kind: kind, actor: actor, created: AuditChain.date(milliseconds: time),
                                   parent: made, sources: [made], size: size)
        }
    }

    public func link(_ id: DocumentID, to dossier: DossierCode, actor: String, action: String) async throws {
        let now = Date()
        try await write { session in
            guard let row = try await session.row("SELECT owner FROM documents WHERE id = \(id.rawValue) FOR UPDATE") else {
                throw StoreError.notFound("there is no document \(id)")
            }
            try await Self.link(session, id, owner: try row.get("owner"), dossier, procedure: nil, now)
            _ = try await Self.append(session, actor: actor, action: action, subject: id.rawValue, detail: "linked to \(dossier)", time: now)
        }
    }

    public func document(_ id: DocumentID) async throws -> Document? {
        try await read { session in try await Self.document(session, id) }
    }

    public func document(publicCode code: PublicCode) async throws -> Document? {
        try await read { session in
            try await session.row("""
                SELECT \(unescaped: PostgresRecords.documentColumns) FROM documents d WHERE d.public_code = \(code.rawValue)
                """).flatMap(PostgresRecords.document)
        }
    }

    public func owner(of dossier: DossierCode) async throws -> OwnerID? {
        try await read { session in
            try await session.row("SELECT owner FROM cases WHERE code = \(dossier.rawValue)")
                .map { row in try OwnerID(try row.get("owner", as: String.self)) }
        }
    }

    public func caseRecord(_ dossier: DossierCode) async throws -> Case? {
        try await read { session in
            guard let row = try await session.row("SELECT owner, procedure, created FROM cases WHERE code = \(dossier.rawValue)") else {
                return nil
            }
            return Case(code: dossier, owner: try OwnerID(try row.get("owner", as: String.self)), procedure: try row.get("procedure"),
                        created: try row.date("created"))
        }
    }

    public func documents(in state: DocumentState, owner: OwnerID?, dossier: DossierCode?) async throws -> [Document] {
        try await documents(matching: DocumentQuery(owner: owner, dossier: dossier, state: state))
    }

    public func documents(owner: OwnerID, dossier: DossierCode?, type: String?) async throws -> [Document] {
        try await documents(matching: DocumentQuery(owner: owner, dossier: dossier, type: type))
    }

    public func documents(matching query: DocumentQuery) async throws -> [Document] {
        var conditions: [String] = []
        var bindings = PostgresBindings()
        func condition(_ sql: (String) -> String, _ value: String) {
            bindings.append(value)
            conditions.append(sql("$\(bindings.count)"))
        }
        func condition(_ sql: (String) -> String, _ value: Int64) {
            bindings.append(value)
            conditions.append(sql("$\(bindings.count)"))
        }
        if let state = query.state { condition({ "d.state = \($0)" }, state.rawValue) }
        if let owner = query.owner { condition({ "d.owner = \($0)" }, owner.description) }
        if let dossier = query.dossier {
            condition({ "d.id IN (SELECT document_id FROM document_cases WHERE case_code = \($0))" }, dossier.rawValue)
        }
        if let type = query.type { condition({ "d.type = \($0)" }, type) }
        if let from = query.filedFrom { condition({ "d.created >= \($0)" }, AuditChain.milliseconds(from)) }
        if let before = query.filedBefore { condition({ "d.created < \($0)" }, AuditChain.milliseconds(before)) }
        if let owner = query.owner, query == DocumentQuery(owner: owner) {
            // A citizen's documents, the service's busiest listing: a statement each connection
            // prepares once, so the server plans it once.
            return try await read { session in
                var documents: [Document] = []
                for try await row in try await session.connection.execute(DocumentsOfOwner(owner: owner.description), logger: logger) {
                    if let document = try PostgresRecords.document(positional: row) { documents.append(document) }
                }
                return documents
            }
        }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let sql = "SELECT \(PostgresRecords.documentColumns) FROM documents d\(filter) ORDER BY d.created, d.id"
        return try await read { session in
            try await session.rows(PostgresQuery(unsafeSQL: sql, binds: bindings)).compactMap(PostgresRecords.document)
        }
    }

    public func documentIDs(startingWith prefix: DocumentIDPrefix, limit: Int) async throws -> [DocumentID] {
        // The prefix is hexadecimal digits only, and ids sort bytewise: every id starting with
        // it lies from the prefix itself up to (not including) the prefix followed by "g".
        try await read { session in
            try await session.rows("""
                SELECT id FROM documents WHERE id >= \(prefix.rawValue) AND id < \(prefix.rawValue + "g") ORDER BY id LIMIT \(max(0, limit))
                """).map { row in try DocumentID(try row.get("id", as: String.self)) }
        }
    }

    public func documents(owner: OwnerID, containing hash: ContentHash) async throws -> [Document] {
        try await read { session in
            try await session.rows("""
                SELECT \(unescaped: PostgresRecords.documentColumns) FROM documents d
                WHERE d.owner = \(owner.description)
                  AND EXISTS (SELECT 1 FROM versions x WHERE x.document_id = d.id AND x.sha256 = \(hash.rawValue))
                ORDER BY d.created, d.id
                """).compactMap(PostgresRecords.document)
        }
    }

    public func versions(of id: DocumentID) async throws -> [DocumentVersion] {
        try await read { session in
            try await session.rows("""
                SELECT \(unescaped: PostgresRecords.versionColumns) FROM versions v WHERE v.document_id = \(id.rawValue) ORDER BY v.number
                """).map(PostgresRecords.version)
        }
    }

    public func referencedHashes() async throws -> Set<ContentHash> {
        try await read { session in
            Set(try await session.rows("SELECT DISTINCT sha256 FROM versions").compactMap { row in
                try? ContentHash(try row.get("sha256", as: String.self))
            })
        }
    }

    public func documentCounts() async throws -> [DocumentState: Int] {
        try await read { session in
            var counts: [DocumentState: Int] = [:]
            for row in try await session.rows("SELECT state, COUNT(*) AS n FROM documents GROUP BY state") {
                if let state = DocumentState(rawValue: try row.get("state", as: String.self)) { counts[state] = try row.get("n") }
            }
            return counts
        }
    }

    // MARK: - The audit log

    @discardableResult
    public func record(actor: String, action: String, subject: String, detail: String) async throws -> AuditEntry {
        try await write { session in
            try await Self.append(session, actor: actor, action: action, subject: subject, detail: detail, time: Date())
        }
    }

    public func auditCount(action: String) async throws -> Int {
        try await read { session in
            try await session.row("SELECT COUNT(*) AS n FROM audit WHERE action = \(action)")?.get("n", as: Int.self) ?? 0
        }
    }

    public func auditLog() async throws -> [AuditEntry] {
        try await read { session in try await session.rows("SELECT * FROM audit ORDER BY sequence").map(PostgresRecords.auditEntry) }
    }

    public func addAnchor(_ anchor: Anchor, actor: String) async throws {
        try await write { session in
            try await session.execute("""
                INSERT INTO anchors (sequence, head, token, time)
                VALUES (\(anchor.sequence), \(anchor.head), \(ByteBuffer(bytes: anchor.token)), \(AuditChain.milliseconds(anchor.time)))
                """)
            _ = try await Self.append(session, actor: actor, action: "anchor", subject: "audit",
                                      detail: "entry \(anchor.sequence) (\(anchor.head)) time-stamped", time: Date())
        }
    }

    public func anchors() async throws -> [Anchor] {
        try await read { session in
            try await session.rows("SELECT * FROM anchors ORDER BY sequence").map { row in
                let token = try row.get("token", as: ByteBuffer.self)
                return Anchor(sequence: try row.get("sequence"), head: try row.get("head"), token: Array(token.readableBytesView),
                              time: try row.date("time"))
            }
        }
    }

    // MARK: - Intake and the job queue

    public func receive(_ record: IntakeRecord, job: NewJob, now: Date) async throws -> IntakeOutcome {
        let time = AuditChain.milliseconds(now)
        return try await write { session in
            let key = "\(record.owner)/\(record.dossier)/\(record.sha256)"
            try await session.execute("SELECT pg_advisory_xact_lock(\(PostgresSchema.lockNamespace), hashtext(\(key)))")
            let original = try await session.row("""
                SELECT * FROM intake WHERE owner = \(record.owner.description) AND case_code = \(record.dossier.rawValue)
                  AND sha256 = \(record.sha256.rawValue) AND state IN ('received', 'filed')
                ORDER BY id LIMIT 1
                """).map(PostgresRecords.intakeEntry)
            let state: IntakeState = original == nil ? .received : .duplicate
            let note = original.map { "the same content as \($0.record.relativePath), received before (item \($0.id))" }
            guard let inserted = try await session.row("""
                INSERT INTO intake (relative_path, size, modified, sha256, owner, case_code, spool, state, received, note)
                VALUES (\(record.relativePath), \(record.size), \(AuditChain.milliseconds(record.modified)), \(record.sha256.rawValue),
                        \(record.owner.description), \(record.dossier.rawValue), \(record.spool), \(state.rawValue), \(time), \(note))
                RETURNING id
                """) else { throw StoreError.corrupt("the intake record was not written") }
            let entry = IntakeEntry(id: try inserted.get("id"), record: record, state: state,
                                    received: AuditChain.date(milliseconds: time), document: nil, note: note)
            if let original { return .duplicate(entry, original: original) }
            return .accepted(entry, job: try await Self.enqueue(session, job, time: time))
        }
    }

    public func intake(spool: String) async throws -> IntakeEntry? {
        try await read { session in try await session.row("SELECT * FROM intake WHERE spool = \(spool)").map(PostgresRecords.intakeEntry) }
    }

    public func intakeLog(limit: Int) async throws -> [IntakeEntry] {
        try await read { session in
            try await session.rows("SELECT * FROM intake ORDER BY id DESC LIMIT \(max(0, limit))").map(PostgresRecords.intakeEntry)
        }
    }

    public func intakeCounts() async throws -> [IntakeState: Int] {
        try await read { session in
            var counts: [IntakeState: Int] = [:]
            for row in try await session.rows("SELECT state, COUNT(*) AS n FROM intake GROUP BY state") {
                if let state = IntakeState(rawValue: try row.get("state", as: String.self)) { counts[state] = try row.get("n") }
            }
            return counts
        }
    }

    public func reject(_ lease: JobLease, intake: Int64, reason: String, vietnamese: String?, now: Date) async throws {
        try await write { session in
            try await Self.checkHeld(session, lease)
            try await session.execute("UPDATE intake SET state = 'rejected', note = \(reason) WHERE id = \(intake)")
            try await session.execute("""
                UPDATE jobs SET state = 'failed', last_error = \(reason), last_error_vi = \(vietnamese), lease_owner = NULL,
                    lease_until = NULL, updated = \(AuditChain.milliseconds(now))
                WHERE id = \(lease.job.id)
                """)
        }
    }

    public func enqueue(_ job: NewJob, now: Date) async throws -> JobID {
        try await write { session in try await Self.enqueue(session, job, time: AuditChain.milliseconds(now)) }
    }

    public func claimJob(stage: String, worker: String, leaseFor: TimeInterval, now: Date) async throws -> JobLease? {
        let time = AuditChain.milliseconds(now)
        let until = AuditChain.milliseconds(now.addingTimeInterval(leaseFor))
        // One statement: the oldest due job no other claimer has locked, taken and leased.
        return try await write { session in
            try await session.row("""
                UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_owner = \(worker), lease_until = \(until),
                    updated = \(time)
                WHERE id = (
                    SELECT id FROM jobs
                    WHERE stage = \(stage) AND ((state = 'queued' AND not_before <= \(time)) OR (state = 'running' AND lease_until < \(time)))
                    ORDER BY not_before, id LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING *
                """).map { row in JobLease(job: try PostgresRecords.job(row), worker: worker, until: AuditChain.date(milliseconds: until)) }
        }
    }

    public func moveJobs(of stage: String, payloads: [String], to newStage: String) async throws -> Int {
        try await write { session in
            try await session.rows("""
                UPDATE jobs SET stage = \(newStage)
                WHERE stage = \(stage) AND payload = ANY(\(payloads)) AND state IN ('queued', 'running')
                RETURNING id
                """).count
        }
    }

    public func expireLeases(heldBy worker: String, now: Date) async throws {
        try await write { session in
            try await session.execute("""
                UPDATE jobs SET lease_until = \(AuditChain.milliseconds(now) - 1) WHERE state = 'running' AND lease_owner = \(worker)
                """)
        }
    }

    public func leaseHolders() async throws -> Set<String> {
        try await read { session in
            Set(try await session.rows("SELECT DISTINCT lease_owner FROM jobs WHERE state = 'running' AND lease_owner IS NOT NULL")
                .map { row in try row.get("lease_owner", as: String.self) })
        }
    }

    public func renew(_ lease: JobLease, leaseFor: TimeInterval, now: Date) async throws -> JobLease {
        let until = AuditChain.milliseconds(now.addingTimeInterval(leaseFor))
        return try await write { session in
            try await Self.checkHeld(session, lease)
            try await session.execute("UPDATE jobs SET lease_until = \(until) WHERE id = \(lease.job.id)")
            return JobLease(job: lease.job, worker: lease.worker, until: AuditChain.date(milliseconds: until))
        }
    }

    public func complete(_ lease: JobLease, effect: JobEffect, now: Date) async throws -> Document? {
        let time = AuditChain.milliseconds(now)
        return try await write { session in
            try await Self.checkHeld(session, lease)
            var filed: Document?
            switch effect {
            case .none:
                break
            case .enqueue(let jobs):
                for job in jobs { _ = try await Self.enqueue(session, job, time: time) }
            case .file(let new, let actor, let action, let intake):
                let document = try await Self.file(session, new, actor: actor, action: action, now: now)
                if let intake {
                    try await session.execute("UPDATE intake SET state = 'filed', document_id = \(document.id.rawValue) WHERE id = \(intake)")
                }
                filed = document
            }
            try await session.execute("""
                UPDATE jobs SET state = 'done', lease_owner = NULL, lease_until = NULL, updated = \(time) WHERE id = \(lease.job.id)
                """)
            return filed
        }
    }

    public func fail(_ lease: JobLease, reason: String, vietnamese: String?, retryAt: Date?, now: Date) async throws {
        let time = AuditChain.milliseconds(now)
        try await write { session in
            try await Self.checkHeld(session, lease)
            if let retryAt {
                try await session.execute("""
                    UPDATE jobs SET state = 'queued', not_before = \(AuditChain.milliseconds(retryAt)), last_error = \(reason),
                        last_error_vi = \(vietnamese), lease_owner = NULL, lease_until = NULL, updated = \(time)
                    WHERE id = \(lease.job.id)
                    """)
            } else {
                try await session.execute("""
                    UPDATE jobs SET state = 'failed', last_error = \(reason), last_error_vi = \(vietnamese), lease_owner = NULL,
                        lease_until = NULL, updated = \(time)
                    WHERE id = \(lease.job.id)
                    """)
            }
        }
    }

    public func release(_ lease: JobLease, now: Date) async throws {
        try await write { session in
            try await Self.checkHeld(session, lease)
            try await session.execute("""
                UPDATE jobs SET state = 'queued', attempts = attempts - 1, lease_owner = NULL, lease_until = NULL,
                    updated = \(AuditChain.milliseconds(now))
                WHERE id = \(lease.job.id)
                """)
        }
    }

    public func job(_ id: JobID) async throws -> Job? {
        try await read { session in try await session.row("SELECT * FROM jobs WHERE id = \(id)").map(PostgresRecords.job) }
    }

    public func queueSummary(since: Date) async throws -> [StageSummary] {
        try await read { session in
            let rows = try await session.rows("""
                SELECT stage, state, COUNT(*) AS n, MIN(created) AS oldest,
                       SUM(CASE WHEN updated >= \(AuditChain.milliseconds(since)) THEN 1 ELSE 0 END) AS recent
                FROM jobs GROUP BY stage, state ORDER BY stage
                """)
            return try StageSummary.summaries(of: rows.compactMap { row in
                try JobState(rawValue: row.get("state", as: String.self)).map { state in
                    StageSummary.Count(stage: try row.get("stage"), state: state, count: try row.get("n"), oldest: try row.get("oldest"),
                                       recent: try row.get("recent"))
                }
            })
        }
    }

    public func recentFailures(limit: Int) async throws -> [Job] {
        try await read { session in
            try await session.rows("""
                SELECT * FROM jobs WHERE last_error IS NOT NULL AND state IN ('queued', 'failed')
                ORDER BY updated DESC, id DESC LIMIT \(max(0, limit))
                """).map(PostgresRecords.job)
        }
    }

    // MARK: - Inside transactions

    private static func enqueue(_ session: PostgresSession, _ job: NewJob, time: Int64) async throws -> JobID {
        guard let row = try await session.row("""
            INSERT INTO jobs (stage, subject, payload, state, attempts, not_before, created, updated)
            VALUES (\(job.stage), \(job.subject), \(job.payload), 'queued', 0, \(time), \(time), \(time))
            RETURNING id
            """) else { throw StoreError.corrupt("the job was not queued") }
        return try row.get("id")
    }

    /// Locks the job's row, then throws `LeaseLost` unless `lease` still holds it: running, by
    /// the same worker, in the same attempt. Held until the transaction ends, the lock keeps a
    /// claimer from taking the job over while its holder commits.
    private static func checkHeld(_ session: PostgresSession, _ lease: JobLease) async throws {
        let row = try await session.row("SELECT state, lease_owner, attempts FROM jobs WHERE id = \(lease.job.id) FOR UPDATE")
        guard let row, try row.get("state", as: String.self) == JobState.running.rawValue,
              try row.get("lease_owner", as: String?.self) == lease.worker, try row.get("attempts", as: Int.self) == lease.job.attempts else {
            throw LeaseLost(job: lease.job.id)
        }
    }

    private static func file(_ session: PostgresSession, _ new: NewDocument, actor: String, action: String,
                             now: Date) async throws -> Document {
        let id = DocumentID.random()
        let time = AuditChain.milliseconds(now)
        try await session.execute("""
            INSERT INTO documents (id, owner, type, title, issued, valid_until, state, created, public_code)
            VALUES (\(id.rawValue), \(new.owner.description), \(new.type), \(new.title), \(new.issued), \(new.validUntil),
                    \(new.state.rawValue), \(time), \(PublicCode.random().rawValue))
            """)
        for dossier in new.cases { try await link(session, id, owner: new.owner.description, dossier, procedure: new.procedure, now) }
        for (index, source) in new.sources.enumerated() {
            try await session.execute("""
                INSERT INTO versions (document_id, number, sha256, kind, actor, created, parent, size)
                VALUES (\(id.rawValue), \(index + 1), \(source.hash.rawValue), \(VersionKind.source.rawValue), \(actor), \(time),
                        NULL, \(source.size))
                """)
        }
        let number = new.sources.count + 1
        try await session.execute("""
            INSERT INTO versions (document_id, number, sha256, kind, actor, created, parent, size)
            VALUES (\(id.rawValue), \(number), \(new.hash.rawValue), \(new.kind.rawValue), \(actor), \(time),
                    \(new.sources.first?.hash.rawValue), \(new.size))
            """)
        for (position, source) in new.sources.enumerated() {
            try await session.execute("""
                INSERT INTO version_sources (document_id, number, position, sha256)
                VALUES (\(id.rawValue), \(number), \(position), \(source.hash.rawValue))
                """)
        }
        try await insertPageTexts(session, id, version: number, new.pages)
        let sources = new.sources.isEmpty ? "" : " from \(new.sources.map(\.hash.rawValue).joined(separator: ","))"
        _ = try await append(session, actor: actor, action: action, subject: id.rawValue,
                             detail: "\(new.kind.rawValue) \(new.hash.rawValue)\(sources) for \(new.owner) in "
                                 + new.cases.map(\.rawValue).joined(separator: ","),
                             time: now)
        guard let document = try await document(session, id) else {
            throw StoreError.corrupt("the document \(id) vanished while it was filed")
        }
        return document
    }

    /// Links a document to a case, making the case for `owner` when it is new (two nodes making
    /// it at once: one inserts, the other finds it); another owner's case is refused.
    private static func link(_ session: PostgresSession, _ id: DocumentID, owner: String, _ dossier: DossierCode, procedure: String?,
                             _ now: Date) async throws {
        try await session.execute("""
            INSERT INTO cases (code, owner, procedure, created) VALUES (\(dossier.rawValue), \(owner), \(procedure),
                \(AuditChain.milliseconds(now)))
            ON CONFLICT (code) DO NOTHING
            """)
        guard let caseOwner = try await session.row("SELECT owner FROM cases WHERE code = \(dossier.rawValue)")?.get("owner", as: String.self) else {
            throw StoreError.corrupt("the case \(dossier) vanished while a document was linked to it")
        }
        guard caseOwner == owner else {
            throw StoreError.ownedByAnotherCitizen(dossier: dossier, owner: caseOwner, claimant: owner)
        }
        try await session.execute("""
            INSERT INTO document_cases (document_id, case_code, position)
            SELECT \(id.rawValue), \(dossier.rawValue), COUNT(*) FROM document_cases WHERE document_id = \(id.rawValue)
            ON CONFLICT DO NOTHING
            """)
    }

    /// Appends an audit entry: the log is locked against other writers (every node) before its
    /// head is read, until the transaction ends.
    /// Appends an audit entry inside a write transaction (for the store's other files).
    static func appendAudit(_ session: PostgresSession, actor: String, action: String, subject: String, detail: String,
                            time: Date) async throws -> AuditEntry {
        try await append(session, actor: actor, action: action, subject: subject, detail: detail, time: time)
    }

    private static func append(_ session: PostgresSession, actor: String, action: String, subject: String, detail: String,
                               time: Date) async throws -> AuditEntry {
        try await session.execute("LOCK TABLE audit IN EXCLUSIVE MODE")
        let last = try await session.row("SELECT sequence, hash FROM audit ORDER BY sequence DESC LIMIT 1")
        let sequence = (try last?.get("sequence", as: Int.self) ?? 0) + 1
        let previous = try last?.get("hash", as: String.self) ?? AuditChain.genesis
        let hash = AuditChain.hash(sequence: sequence, time: time, actor: actor, action: action, subject: subject, detail: detail,
                                   previous: previous)
        try await session.execute("""
            INSERT INTO audit (sequence, time, actor, action, subject, detail, previous, hash)
            VALUES (\(sequence), \(AuditChain.milliseconds(time)), \(actor), \(action), \(subject), \(detail), \(previous), \(hash))
            """)
        return AuditEntry(sequence: sequence, time: AuditChain.date(milliseconds: AuditChain.milliseconds(time)), actor: actor,
                          action: action, subject: subject, detail: detail, previous: previous, hash: hash)
    }

    private static func document(_ session: PostgresSession, _ id: DocumentID) async throws -> Document? {
        try await session.row("SELECT \(unescaped: PostgresRecords.documentColumns) FROM documents d WHERE d.id = \(id.rawValue)")
            .flatMap(PostgresRecords.document)
    }
}

/// One citizen's documents in listing order, as a prepared statement.
struct DocumentsOfOwner: PostgresPreparedStatement {
    typealias Row = PostgresRow
    static let name = "sohoa_documents_of_owner"
    static let sql = "SELECT \(PostgresRecords.documentColumns) FROM documents d WHERE d.owner = $1 ORDER BY d.created, d.id"

    let owner: String

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(owner)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
}
