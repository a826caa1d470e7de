import Foundation

/// The processes working on a repository (each `sohoa watch`, on any machine), as they last
/// said: `sohoa status` shows the whole cluster from it. A node announces itself when it
/// starts, again at every heartbeat, and says when it stops; one that stopped answering (killed,
/// its machine gone) keeps its last heartbeat, which is how it is told apart.
public protocol NodeRegistry: Sendable {
    /// Records `node` as running now (a start or a heartbeat: its row is made or refreshed).
    func announce(_ node: NodeRecord, now: Date) async throws

    /// Records that the node `name` stopped cleanly.
    func nodeStopped(_ name: String, now: Date) async throws

    /// Every node heard from since `since` (a heartbeat, or its stop), by name.
    func nodes(seenSince since: Date) async throws -> [NodeRecord]
}

/// One node: a process working on the repository.
public struct NodeRecord: Sendable, Equatable, Codable {
    /// `HOST:PID`, the start of its workers' names.
    public let name: String
    public let host: String
    public let pid: Int
    /// What it does: `watch`.
    public let role: String
    /// The inbox it takes scans from.
    public let inbox: String
    /// How many workers it runs.
    public let workers: Int
    public let started: Date
    /// Its last heartbeat.
    public let lastSeen: Date
    /// When it stopped cleanly; nil while it runs (or when it died without saying so).
    public let stopped: Date?

    public init(name: String, host: String, pid: Int, role: String, inbox: String, workers: Int, started: Date, lastSeen: Date,
                stopped: Date? = nil) {
        self.name = name
        self.host = host
        self.pid = pid
        self.role = role
        self.inbox = inbox
        self.workers = workers
        self.started = started
        self.lastSeen = lastSeen
        self.stopped = stopped
    }
}
