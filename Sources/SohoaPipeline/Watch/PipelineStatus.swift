import Foundation
import SohoaRepository

/// What `sohoa status` shows: each stage's queue, its throughput over the last minute, the
/// oldest waiting item, what waits for people (signature, approval), and recent failures.
public struct PipelineStatus: Codable, Sendable {
    public struct Stage: Codable, Sendable {
        public let stage: String
        public let queued: Int
        public let running: Int
        public let done: Int
        public let failed: Int
        /// Jobs finished in the last minute.
        public let throughputPerMinute: Int
        /// When the oldest waiting job was queued, and how long ago.
        public let oldestWaiting: Date?
        public let oldestWaitingSeconds: Int?
    }

    public struct Failure: Codable, Sendable {
        public let stage: String
        public let subject: String
        public let attempts: Int
        /// `retrying` (it waits for another attempt) or `failed` (given up).
        public let state: String
        public let reason: String
        /// The reason in Vietnamese, when it has one (JSON: `reasonVietnamese`, absent otherwise).
        public let reasonVietnamese: String?
        public let time: Date
    }

    /// A process working on the repository (each `sohoa watch`, on any machine) and when it
    /// was last heard from.
    public struct Node: Codable, Sendable {
        /// `HOST:PID`.
        public let name: String
        public let host: String
        public let pid: Int
        public let role: String
        public let inbox: String
        public let workers: Int
        /// Its workers holding a job now.
        public let busyWorkers: Int
        public let started: Date
        public let lastSeen: Date
        public let lastSeenSeconds: Int
        /// `running` (heard from lately), `silent` (not heard from for a while and it did not say
        /// it stopped: killed, or its machine or network is gone) or `stopped`.
        public let state: String
    }

    public let time: Date
    /// Items taken from the inbox, by what became of them: received (in the pipeline), filed,
    /// duplicate, rejected.
    public let intake: [String: Int]
    /// Items refused in the inbox itself, before intake (misplaced files, bad folder names).
    public let refusedInInbox: Int
    public let stages: [Stage]
    /// Documents by state: `pending` waits for an officer's signature, `signed` for approval.
    public let documents: [String: Int]
    public let recentFailures: [Failure]
    /// The nodes heard from in the last day, by name.
    public let nodes: [Node]

    /// Reads the store now.
    public static func read(from store: any Store, now: Date = Date(), failures: Int = 10) async throws -> PipelineStatus {
        // Each inbox has a queue of its own (`assemble@<inbox>`); a stage shows them together.
        let summaries = StageSummary.merged(try await store.queueSummary(since: now.addingTimeInterval(-60)),
                                            by: AssembleStage.stage(ofQueue:))
        let stages = summaries.map { summary in
            Stage(stage: summary.stage, queued: summary.queued, running: summary.running, done: summary.done, failed: summary.failed,
                  throughputPerMinute: summary.doneRecently, oldestWaiting: summary.oldestQueued,
                  oldestWaitingSeconds: summary.oldestQueued.map { max(0, Int(now.timeIntervalSince($0))) })
        }
        let intakeCounts = try await store.intakeCounts()
        let intake = Dictionary(uniqueKeysWithValues: IntakeState.allCases.map { ($0.rawValue, intakeCounts[$0] ?? 0) })
        let counts = try await store.documentCounts()
        let documents = Dictionary(uniqueKeysWithValues: DocumentState.allCases.map { ($0.rawValue, counts[$0] ?? 0) })
        let failures = try await store.recentFailures(limit: failures).map { job in
            Failure(stage: AssembleStage.stage(ofQueue: job.stage), subject: job.subject, attempts: job.attempts, state: job.state == .failed ? "failed" : "retrying",
                    reason: job.lastError ?? "", reasonVietnamese: job.lastErrorVietnamese, time: job.updated)
        }
        let holders = try await store.leaseHolders()
        let nodes = try await store.nodes(seenSince: now.addingTimeInterval(-86_400)).map { node in
            let silence = max(0, now.timeIntervalSince(node.lastSeen))
            let state = node.stopped != nil ? "stopped" : silence > NodeHeartbeat.silentAfter ? "silent" : "running"
            return Node(name: node.name, host: node.host, pid: node.pid, role: node.role, inbox: node.inbox, workers: node.workers,
                        busyWorkers: holders.filter { $0.hasPrefix(node.name + ":") }.count, started: node.started,
                        lastSeen: node.lastSeen, lastSeenSeconds: Int(silence), state: state)
        }
        return PipelineStatus(time: now, intake: intake, refusedInInbox: try await store.auditCount(action: "reject"), stages: stages,
                              documents: documents, recentFailures: failures, nodes: nodes)
    }
}
