import Foundation
import Logging
import SohoaPipeline
import SohoaRepository
import SohoaTestSupport
import Testing

/// Each inbox has its own queue in the repository (`assemble@<inbox id>`): a job queued by an
/// earlier Sohoa under the bare stage name, for an item in this inbox's spool, is taken over by
/// this inbox's watcher when it starts, and the document is filed.
@Suite struct InboxQueueTests {
    @Test func aJobQueuedBeforeInboxesHadQueuesIsFiledByItsInboxsWatcher() async throws {
        let scratch = try Fixtures.makeScratch("inbox-queue")
        defer { Fixtures.removeScratch(scratch) }
        let inbox = scratch.appendingPathComponent("inbox").path
        let caseFolder = "\(inbox)/001085012345/000.00.01.H26-251124-0001"
        try FileManager.default.createDirectory(atPath: caseFolder, withIntermediateDirectories: true)
        let sample = try #require(Fixtures.sampleImages().first { $0.hasSuffix(".tif") })
        try FileManager.default.copyItem(atPath: sample, toPath: "\(caseFolder)/scan.tif")
        let data = scratch.appendingPathComponent("data").path
        let repository = try Repository(data: data)
        let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

        // What an earlier version did: the item claimed, its job queued under the bare stage name.
        let legacy = InboxIntake(inbox: inbox, rejected: RejectedFolder.beside(inbox: inbox), store: repository.store, stableFor: 0,
                                 logger: quiet)
        #expect(try await legacy.pass().claimed == 1)
        #expect(try await repository.store.queueSummary(since: Date()).map(\.stage) == ["assemble"])

        var settings = WatchSettings(inbox: inbox, data: data)
        settings.stableFor = 0
        let service = try WatchService(settings: settings, repository: repository, logger: quiet)
        let stop = StopSignal()
        let running = Task { try await service.run(until: stop) }
        let deadline = Date().addingTimeInterval(60)
        while try await repository.store.intakeCounts()[.filed] != 1, Date() < deadline {
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        stop.stop()
        try await running.value
        #expect(try await repository.store.intakeCounts()[.filed] == 1, "the legacy job was taken and its document filed")
        let queues = try await repository.store.queueSummary(since: Date.distantPast)
        #expect(queues.count == 1 && queues.first?.stage.hasPrefix("assemble@inbox-") == true && queues.first?.done == 1, "\(queues)")
    }
}
