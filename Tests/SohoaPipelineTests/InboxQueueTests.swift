import Foundation
import Logging
@testable import SohoaPipeline
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

        // The new version's watcher on that inbox: it takes the job over into its inbox's queue
        // (what `run` does first), and its stage files the document.
        var settings = WatchSettings(inbox: inbox, data: data)
        settings.stableFor = 0
        let service = try WatchService(settings: settings, repository: repository, logger: quiet)
        try await service.adoptJobsQueuedBeforeInboxQueues()
        let queue = service.intake.queue
        #expect(queue.hasPrefix("assemble@inbox-"))
        #expect(try await repository.store.claimJob(stage: AssembleStage.name, worker: "w", leaseFor: 30, now: Date()) == nil,
                "nothing is left under the bare stage name")
        let lease = try #require(try await repository.store.claimJob(stage: queue, worker: "w", leaseFor: 30, now: Date()))
        try await AssembleStage(intake: service.intake, repository: repository, logger: quiet).run(lease)
        #expect(try await repository.store.intakeCounts()[.filed] == 1, "the legacy job was taken and its document filed")
        let queues = try await repository.store.queueSummary(since: Date.distantPast)
        #expect(queues.map(\.stage) == [queue] && queues.first?.done == 1, "\(queues)")
    }
}
