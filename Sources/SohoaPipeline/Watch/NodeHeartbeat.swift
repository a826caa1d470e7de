import Foundation
import Logging
import SohoaRepository

/// Tells the repository this node is alive: when it starts, every `interval` seconds while it
/// runs, and that it stopped when it stops. `sohoa status` calls a node that has not been heard
/// from for `silentAfter` seconds silent (killed, or its machine or network gone).
public struct NodeHeartbeat: Sendable {
    /// Seconds between heartbeats.
    public static let interval: TimeInterval = 10
    /// Seconds without a heartbeat after which a node that did not say it stopped is silent.
    public static let silentAfter: TimeInterval = 3 * interval

    let registry: any NodeRegistry
    let node: NodeRecord
    let logger: Logger

    /// This process as a node of `role` taking scans from `inbox` with `workers` workers.
    public init(registry: any NodeRegistry, role: String, inbox: String, workers: Int, logger: Logger, now: Date = Date()) {
        self.registry = registry
        self.logger = logger
        node = NodeRecord(name: WorkerName.node, host: WorkerName.host, pid: Int(getpid()), role: role, inbox: inbox, workers: workers,
                          started: now, lastSeen: now)
    }

    /// Announces the node, then again every `interval` until `stop`, then records the stop.
    /// A heartbeat that cannot be written (the database away for a moment) is logged once and
    /// tried again at the next beat; the node's work goes on meanwhile.
    public func run(until stop: StopSignal) async {
        var failing = false
        while !stop.isStopped {
            do {
                try await registry.announce(node, now: Date())
                if failing { logger.notice("the node's heartbeat is recorded again") }
                failing = false
            } catch {
                if !failing { logger.warning("the node's heartbeat cannot be recorded now", metadata: ["error": "\(error)"]) }
                failing = true
            }
            let next = Date().addingTimeInterval(Self.interval)
            while !stop.isStopped, Date() < next { try? await Task.sleep(nanoseconds: 200_000_000) }
        }
        do { try await registry.nodeStopped(node.name, now: Date()) } catch {
            logger.warning("the node's stop cannot be recorded", metadata: ["error": "\(error)"])
        }
    }
}
