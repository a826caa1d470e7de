import Foundation
import Logging
import PostgresNIO
import SohoaRepository

/// One connection inside a transaction (or on its own), with the few ways the store uses it:
/// every query is sent with its values bound, never spliced into the SQL.
struct PostgresSession {
    let connection: PostgresConnection
    let logger: Logger

    /// Every row `query` returns, read into memory (the store's results are small).
    func rows(_ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        var rows: [PostgresRandomAccessRow] = []
        for try await row in try await connection.query(query, logger: logger) { rows.append(row.makeRandomAccess()) }
        return rows
    }

    func row(_ query: PostgresQuery) async throws -> PostgresRandomAccessRow? {
        try await rows(query).first
    }

    func execute(_ query: PostgresQuery) async throws {
        _ = try await rows(query)
    }
}

extension PostgresRandomAccessRow {
    /// The value of column `name` (a missing column is a damaged row, not a crash).
    func get<T: PostgresDecodable>(_ name: String, as type: T.Type = T.self) throws -> T {
        guard contains(name) else { throw StoreError.corrupt("a row has no column \(name)") }
        return try self[name].decode(T.self)
    }

    /// A time kept as milliseconds since 1970.
    func date(_ name: String) throws -> Date {
        AuditChain.date(milliseconds: try get(name, as: Int64.self))
    }
}

/// Reads a row's cells one after the other, each as its own type.
struct CellReader {
    private var cells: PostgresRow.Iterator

    init(_ row: PostgresRow) {
        cells = row.makeIterator()
    }

    /// The next cell as a `T`; a row with fewer cells than read is corrupt.
    mutating func next<T: PostgresDecodable>(_ type: T.Type) throws -> T {
        guard let cell = cells.next() else { throw StoreError.corrupt("a row of the database has fewer columns than Sohoa reads") }
        return try cell.decode(T.self)
    }
}

/// Column lists and row readers the store's queries share.
enum PostgresRecords {
    /// A document with its cases (in linking order) and its newest version's hash, all kept in
    /// its row (schema migration 5).
    static let documentColumns = """
        d.id, d.owner, d.type, d.title, d.issued, d.valid_until, d.state, d.created, d.public_code,
        d.case_codes AS cases, d.latest_sha256 AS latest
        """

    static func document(_ row: PostgresRandomAccessRow) throws -> Document? {
        guard let latest = try row.get("latest", as: String?.self) else { return nil }
        return Document(id: try DocumentID(try row.get("id", as: String.self)), owner: try row.get("owner"),
                        type: try row.get("type"), title: try row.get("title"), issued: try row.get("issued"),
                        validUntil: try row.get("valid_until"),
                        state: DocumentState(rawValue: try row.get("state", as: String.self)) ?? .pending,
                        created: try row.date("created"), cases: try row.get("cases", as: [String].self),
                        latest: try ContentHash(latest),
                        publicCode: try row.get("public_code", as: String?.self).map { text in try PublicCode(text) })
    }

    /// The same document read by position, from a row of exactly `documentColumns` in their
    /// order (the busiest reads, where looking each column up by name shows).
    static func document(positional row: PostgresRow) throws -> Document? {
        var cells = CellReader(row)
        let id = try cells.next(String.self), owner = try cells.next(String.self)
        let type = try cells.next(String?.self), title = try cells.next(String?.self)
        let issued = try cells.next(String?.self), validUntil = try cells.next(String?.self)
        let state = try cells.next(String.self), created = try cells.next(Int64.self), publicCode = try cells.next(String?.self)
        let cases = try cells.next([String].self)
        guard let latest = try cells.next(String?.self) else { return nil }
        return Document(id: try DocumentID(id), owner: owner, type: type, title: title, issued: issued, validUntil: validUntil,
                        state: DocumentState(rawValue: state) ?? .pending, created: AuditChain.date(milliseconds: created),
                        cases: cases, latest: try ContentHash(latest), publicCode: try publicCode.map { text in try PublicCode(text) })
    }

    /// A version with the versions it was made from, in one row.
    static let versionColumns = """
        v.number, v.sha256, v.kind, v.actor, v.created, v.parent, v.size,
        ARRAY(SELECT s.sha256 FROM version_sources s WHERE s.document_id = v.document_id AND s.number = v.number
              ORDER BY s.position) AS sources
        """

    static func version(_ row: PostgresRandomAccessRow) throws -> DocumentVersion {
        let parent = try row.get("parent", as: String?.self).map { text in try ContentHash(text) }
        let sources = try row.get("sources", as: [String].self).map { text in try ContentHash(text) }
        // Versions added one after another (signed, approved) name their one parent only.
        return DocumentVersion(number: try row.get("number"), hash: try ContentHash(try row.get("sha256", as: String.self)),
                               kind: VersionKind(rawValue: try row.get("kind", as: String.self)) ?? .imported,
                               actor: try row.get("actor"), created: try row.date("created"), parent: parent,
                               sources: sources.isEmpty ? parent.map { [$0] } ?? [] : sources, size: try row.get("size"))
    }

    static func auditEntry(_ row: PostgresRandomAccessRow) throws -> AuditEntry {
        AuditEntry(sequence: try row.get("sequence"), time: try row.date("time"), actor: try row.get("actor"),
                   action: try row.get("action"), subject: try row.get("subject"), detail: try row.get("detail"),
                   previous: try row.get("previous"), hash: try row.get("hash"))
    }

    static func job(_ row: PostgresRandomAccessRow) throws -> Job {
        let id: JobID = try row.get("id")
        guard let state = JobState(rawValue: try row.get("state", as: String.self)) else {
            throw StoreError.corrupt("job \(id) has an unknown state")
        }
        return Job(id: id, stage: try row.get("stage"), subject: try row.get("subject"), payload: try row.get("payload"),
                   state: state, attempts: try row.get("attempts"), notBefore: try row.date("not_before"),
                   leaseOwner: try row.get("lease_owner"),
                   leaseUntil: try row.get("lease_until", as: Int64?.self).map(AuditChain.date(milliseconds:)),
                   lastError: try row.get("last_error"), lastErrorVietnamese: try row.get("last_error_vi"),
                   created: try row.date("created"), updated: try row.date("updated"))
    }

    static func intakeEntry(_ row: PostgresRandomAccessRow) throws -> IntakeEntry {
        let record = IntakeRecord(relativePath: try row.get("relative_path"), size: try row.get("size"),
                                  modified: try row.date("modified"), sha256: try ContentHash(try row.get("sha256", as: String.self)),
                                  owner: try OwnerID(try row.get("owner", as: String.self)),
                                  dossier: try DossierCode(try row.get("case_code", as: String.self)), spool: try row.get("spool"))
        return IntakeEntry(id: try row.get("id"), record: record,
                           state: IntakeState(rawValue: try row.get("state", as: String.self)) ?? .received,
                           received: try row.date("received"),
                           document: try row.get("document_id", as: String?.self).map { text in try DocumentID(text) },
                           note: try row.get("note"))
    }
}
