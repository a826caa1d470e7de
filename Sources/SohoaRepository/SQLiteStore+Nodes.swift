import Foundation
import GRDB

/// The embedded store's node registry (one machine's watchers).
extension SQLiteStore {
    public func announce(_ node: NodeRecord, now: Date) async throws {
        try await write { db in
            try db.execute(sql: """
                INSERT INTO nodes (name, host, pid, role, inbox, workers, started, last_seen, stopped)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)
                ON CONFLICT (name) DO UPDATE SET inbox = excluded.inbox, workers = excluded.workers, last_seen = excluded.last_seen,
                    stopped = NULL
                """, arguments: [node.name, node.host, node.pid, node.role, node.inbox, node.workers,
                                 AuditChain.milliseconds(node.started), AuditChain.milliseconds(now)])
        }
    }

    public func nodeStopped(_ name: String, now: Date) async throws {
        try await write { db in
            try db.execute(sql: "UPDATE nodes SET stopped = ?, last_seen = ? WHERE name = ?",
                           arguments: [AuditChain.milliseconds(now), AuditChain.milliseconds(now), name])
        }
    }

    public func nodes(seenSince since: Date) async throws -> [NodeRecord] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM nodes WHERE last_seen >= ? ORDER BY name",
                             arguments: [AuditChain.milliseconds(since)]).map { row in
                NodeRecord(name: row["name"], host: row["host"], pid: row["pid"], role: row["role"], inbox: row["inbox"],
                           workers: row["workers"], started: AuditChain.date(milliseconds: row["started"]),
                           lastSeen: AuditChain.date(milliseconds: row["last_seen"]),
                           stopped: (row["stopped"] as Int64?).map(AuditChain.date(milliseconds:)))
            }
        }
    }
}
