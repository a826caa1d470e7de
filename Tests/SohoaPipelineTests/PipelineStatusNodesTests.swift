import Foundation
import SohoaPipeline
import SohoaRepository
import SohoaTestSupport
import Testing

/// How `sohoa status` tells nodes apart: running (heard from lately), silent (it stopped
/// answering without saying it stopped: killed, or its machine gone) and stopped.
@Suite struct PipelineStatusNodesTests {
    @Test func aNodeNotHeardFromIsSilentAndOneThatSaidSoIsStopped() async throws {
        let folder = try Fixtures.makeScratch("status-nodes")
        defer { Fixtures.removeScratch(folder) }
        let store = try SQLiteStore(path: folder.appendingPathComponent("sohoa.sqlite").path)
        let now = Date()
        func node(_ name: String, heard: TimeInterval) -> NodeRecord {
            NodeRecord(name: name, host: String(name.split(separator: ":")[0]), pid: 1, role: "watch", inbox: "/srv/inbox",
                       workers: 2, started: now.addingTimeInterval(-3600), lastSeen: now.addingTimeInterval(-heard))
        }
        try await store.announce(node("alive:1", heard: 0), now: now.addingTimeInterval(-2))
        try await store.announce(node("killed:1", heard: 0), now: now.addingTimeInterval(-NodeHeartbeat.silentAfter - 5))
        try await store.announce(node("done:1", heard: 0), now: now.addingTimeInterval(-300))
        try await store.nodeStopped("done:1", now: now.addingTimeInterval(-290))
        let lease = try #require(try await {
            _ = try await store.enqueue(NewJob(stage: "assemble", subject: "s", payload: "p"), now: now)
            return try await store.claimJob(stage: "assemble", worker: "alive:1:assemble:1", leaseFor: 60, now: now)
        }())
        #expect(lease.worker == "alive:1:assemble:1")
        let status = try await PipelineStatus.read(from: store, now: now)
        let states = Dictionary(uniqueKeysWithValues: status.nodes.map { ($0.name, $0.state) })
        #expect(states == ["alive:1": "running", "killed:1": "silent", "done:1": "stopped"])
        #expect(status.nodes.first { $0.name == "alive:1" }?.busyWorkers == 1)
        #expect(status.nodes.first { $0.name == "killed:1" }?.lastSeenSeconds ?? 0 >= Int(NodeHeartbeat.silentAfter))
    }
}
