import Foundation
import PostgresNIO
import SohoaRepository

/// The node registry on PostgreSQL: every node of the cluster, on any machine.
extension PostgresStore {
    public func announce(_ node: NodeRecord, now: Date) async throws {
        try await write { session in
            try await session.execute("""
                INSERT INTO nodes (name, host, pid, role, inbox, workers, started, last_seen, stopped)
                VALUES (\(node.name), \(node.host), \(node.pid), \(node.role), \(node.inbox), \(node.workers),
                        \(AuditChain.milliseconds(node.started)), \(AuditChain.milliseconds(now)), NULL)
                ON CONFLICT (name) DO UPDATE SET inbox = excluded.inbox, workers = excluded.workers, last_seen = excluded.last_seen,
                    stopped = NULL
                """)
        }
    }

    public func nodeStopped(_ name: String, now: Date) async throws {
        let time = AuditChain.milliseconds(now)
        try await write { session in
            try await session.execute("UPDATE nodes SET stopped = \(time), last_seen = \(time) WHERE name = \(name)")
        }
    }

    public func nodes(seenSince since: Date) async throws -> [NodeRecord] {
        try await read { session in
            try await session.rows("""
                SELECT * FROM nodes WHERE last_seen >= \(AuditChain.milliseconds(since)) ORDER BY name
                """).map { row in
                NodeRecord(name: try row.get("name"), host: try row.get("host"), pid: try row.get("pid"), role: try row.get("role"),
                           inbox: try row.get("inbox"), workers: try row.get("workers"), started: try row.date("started"),
                           lastSeen: try row.date("last_seen"),
                           stopped: try row.get("stopped", as: Int64?.self).map(AuditChain.date(milliseconds:)))
            }
        }
    }
}
