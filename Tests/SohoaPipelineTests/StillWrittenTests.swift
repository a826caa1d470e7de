import Foundation
import Logging
import SohoaPipeline
import SohoaRepository
import SohoaTestSupport
import Testing

/// A scan a writer still holds open (a feeder between pages, a copy that paused) is left in
/// the inbox, however long it has looked unchanged; it is taken whole once the writer closes it.
@Suite struct StillWrittenTests {
    let caseFolder = IntakeSetup.caseFolder

    func setUp(_ label: String) throws -> IntakeSetup { try IntakeSetup(label) }

    var scan: [UInt8] {
        get throws {
            Array(try Data(contentsOf: Fixtures.samples.appendingPathComponent("\(caseFolder)/can-cuoc-cong-dan.jpg")))
        }
    }

    /// Opens `path` for writing with its first `count` bytes of `bytes` written.
    func startWriting(_ path: String, _ bytes: [UInt8], count: Int) throws -> FileHandle {
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.write(contentsOf: bytes.prefix(count))
        try handle.synchronize()
        return handle
    }

    @Test func aScanStillOpenForWritingWaitsAndIsTakenWholeOnceClosed() async throws {
        let setup = try setUp("still-written")
        defer { Fixtures.removeScratch(setup.scratch) }
        let bytes = try scan
        let relative = "\(caseFolder)/trang-1.jpg"
        let writer = try startWriting("\(setup.inbox)/\(relative)", bytes, count: bytes.count / 2)
        for _ in 0..<3 {
            let pass = try await setup.intake.pass()
            #expect(pass.claimed == 0 && pass.rejected == 0 && pass.waiting == 1, "\(pass)")
            #expect(FileManager.default.fileExists(atPath: "\(setup.inbox)/\(relative)"), "left to its writer")
        }
        try writer.write(contentsOf: bytes.dropFirst(bytes.count / 2))
        try writer.close()
        #expect(try await setup.intake.pass().claimed == 1)
        let entry = try #require(try await setup.store.intakeLog(limit: 1).first)
        #expect(entry.record.relativePath == relative && entry.record.size == bytes.count, "taken whole: \(entry.record)")
        #expect(!FileManager.default.fileExists(atPath: setup.rejected))
    }

    @Test func aSidecarStillBeingWrittenRejectsNeitherItNorItsScan() async throws {
        let setup = try setUp("still-written-sidecar")
        defer { Fixtures.removeScratch(setup.scratch) }
        try Data(try scan).write(to: URL(fileURLWithPath: "\(setup.inbox)/\(caseFolder)/don.jpg"))
        let sidecar = Array(#"{"documentType": "Đơn đề nghị", "title": "Đơn"}"#.utf8)
        let writer = try startWriting("\(setup.inbox)/\(caseFolder)/don.json", sidecar, count: 10)
        let pass = try await setup.intake.pass()
        #expect(pass.rejected == 0 && pass.claimed == 0, "\(pass)")
        #expect(!FileManager.default.fileExists(atPath: setup.rejected))
        try writer.write(contentsOf: sidecar.dropFirst(10))
        try writer.close()
        let after = try await setup.intake.pass()
        #expect(after.claimed == 1 && after.rejected == 0, "\(after)")
        #expect(!FileManager.default.fileExists(atPath: setup.rejected))
    }

    @Test func theWriterCheckTellsOpenFromClosed() throws {
        let scratch = try Fixtures.makeScratch("open-writers")
        defer { Fixtures.removeScratch(scratch) }
        let path = scratch.appendingPathComponent("a.tif").path
        let writer = try startWriting(path, [1, 2, 3], count: 3)
        #expect(OpenWriters.state(of: path) == .openForWriting)
        #expect(OpenWriters.state(of: scratch.path) == .openForWriting, "a folder: any of its files")
        try writer.close()
        #expect(OpenWriters.state(of: path) == .closed)
        #expect(OpenWriters.state(of: scratch.path) == .closed)
        #expect(OpenWriters.state(of: scratch.appendingPathComponent("none").path) == .unknown)
        let reader = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? reader.close() }
        #expect(OpenWriters.state(of: path) == .closed, "a reader is no writer")
    }
}

/// A writer that opens the file again after its claim (closed, paused, reopened to append):
/// the lease cannot see it before the claim, but the assembler's "incomplete" on a file that
/// changed since is a retry, never a rejection.
@Suite struct ChangedAfterClaimTests {
    let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
    let caseFolder = IntakeSetup.caseFolder

    @Test func aTruncatedScanThatIsStillGrowingIsRetriedAndOneThatIsNotIsRejected() async throws {
        let scratch = try Fixtures.makeScratch("changed-after-claim")
        defer { Fixtures.removeScratch(scratch) }
        let inbox = scratch.appendingPathComponent("inbox").path
        try FileManager.default.createDirectory(atPath: "\(inbox)/\(caseFolder)", withIntermediateDirectories: true)
        let repository = try Repository(data: scratch.appendingPathComponent("data").path)
        // A long window (the passes are told the time), so that "changed a moment ago" holds
        // however slowly this test runs: the stage counts a writer as gone after 4 windows.
        let intake = InboxIntake(inbox: inbox, rejected: RejectedFolder.beside(inbox: inbox), store: repository.store,
                                 stableFor: 600, logger: quiet)
        let stage = AssembleStage(intake: intake, repository: repository, logger: quiet)
        let bytes = Array(try Data(contentsOf: Fixtures.samples.appendingPathComponent("\(caseFolder)/can-cuoc-cong-dan.jpg")))
        let half = bytes.count / 2
        try Data(bytes.prefix(half)).write(to: URL(fileURLWithPath: "\(inbox)/\(caseFolder)/tre.jpg"))
        try Data(bytes.prefix(half - 7)).write(to: URL(fileURLWithPath: "\(inbox)/\(caseFolder)/hong.jpg"))
        let start = Date()
        #expect(try await intake.pass(now: start).waiting == 2)
        #expect(try await intake.pass(now: start.addingTimeInterval(601)).claimed == 2)

        // The writer of tre.jpg comes back and appends, still not done, after the claim.
        let growing = try #require(try await repository.store.intakeLog(limit: 2).first { $0.record.relativePath.hasSuffix("tre.jpg") })
        let spooled = try #require(intake.spool.item(inEntry: growing.record.spool, relativePath: growing.record.relativePath))
        let writer = try FileHandle(forWritingTo: URL(fileURLWithPath: spooled.path))
        try writer.seekToEnd()
        try writer.write(contentsOf: bytes[half..<(half + 100)])
        try writer.close()

        var outcomes: [String: String] = [:]
        while let lease = try await repository.store.claimJob(stage: AssembleStage.name, worker: "w", leaseFor: 30, now: Date()) {
            do {
                try await stage.run(lease)
                outcomes[lease.job.subject] = "filed"
            } catch PipelineFailure.transient {
                outcomes[lease.job.subject] = "retry"
                try await repository.store.fail(lease, reason: "retry", retryAt: Date().addingTimeInterval(3600), now: Date())
            } catch PipelineFailure.permanent {
                outcomes[lease.job.subject] = "rejected"
                try await repository.store.fail(lease, reason: "rejected", retryAt: nil, now: Date())
            }
        }
        #expect(outcomes == ["\(caseFolder)/tre.jpg": "retry", "\(caseFolder)/hong.jpg": "rejected"], "\(outcomes)")
    }
}
