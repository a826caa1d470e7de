import Foundation
import Logging
import SohoaPipeline
import SohoaRepository
import SohoaTestSupport
import Testing

/// The spool after a crash at each step of a claim or a rejection: `recoverSpool` finishes the
/// step, so no item is lost or taken twice. And names read back from the store are checked
/// before they become paths.
@Suite struct SpoolRecoveryTests {
    let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
    let relative = "001085012345/000.00.01.H26-251124-0001/don-de-nghi.tif"

    struct Setup {
        let scratch: URL
        let inbox: String
        let store: SQLiteStore
        let intake: InboxIntake
    }

    func setUp(_ label: String) throws -> Setup {
        let scratch = try Fixtures.makeScratch(label)
        let inbox = scratch.appendingPathComponent("inbox").path
        try FileManager.default.createDirectory(atPath: "\(inbox)/001085012345/000.00.01.H26-251124-0001",
                                                withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Fixtures.samples.appendingPathComponent(relative).path,
                                         toPath: "\(inbox)/\(relative)")
        let sidecar = relative.replacingOccurrences(of: ".tif", with: ".json")
        try FileManager.default.copyItem(atPath: Fixtures.samples.appendingPathComponent(sidecar).path,
                                         toPath: "\(inbox)/\(sidecar)")
        let store = try SQLiteStore(path: scratch.appendingPathComponent("s.sqlite").path)
        let intake = InboxIntake(inbox: inbox, rejected: RejectedFolder.beside(inbox: inbox), store: store, stableFor: 0,
                                 logger: quiet)
        return Setup(scratch: scratch, inbox: inbox, store: store, intake: intake)
    }

    @Test func aClaimTheProcessDidNotRecordIsRecordedOnce() async throws {
        let setup = try setUp("spool-unrecorded")
        defer { Fixtures.removeScratch(setup.scratch) }
        // The process moved the file into the spool and died before the store heard of it
        // (and before its sidecar followed it).
        let item = try #require(try setup.intake.spool.claim(relative))
        let sidecar = relative.replacingOccurrences(of: ".tif", with: ".json")
        let spooledSidecar = try #require(setup.intake.spool.sidecar(of: item))
        try FileManager.default.moveItem(atPath: spooledSidecar, toPath: "\(setup.inbox)/\(sidecar)")
        #expect(!FileManager.default.fileExists(atPath: "\(setup.inbox)/\(relative)"))
        #expect(try await setup.store.intake(spool: item.entry) == nil)
        #expect(try await setup.intake.recoverSpool() == 1)
        let entry = try #require(try await setup.store.intake(spool: item.entry))
        #expect(entry.state == .received && entry.record.relativePath == relative)
        #expect(setup.intake.spool.sidecar(of: item) != nil, "the sidecar joined its item")
        #expect(!FileManager.default.fileExists(atPath: "\(setup.inbox)/\(sidecar)"))
        #expect(try await setup.store.queueSummary(since: .distantPast).first?.queued == 1)
        #expect(try await setup.intake.recoverSpool() == 0, "a second recovery changes nothing")
        #expect(try await setup.store.queueSummary(since: .distantPast).first?.queued == 1)
    }

    @Test func aRejectionTheProcessDidNotFinishIsFinished() async throws {
        let setup = try setUp("spool-rejection")
        defer { Fixtures.removeScratch(setup.scratch) }
        #expect(try await setup.intake.pass().claimed == 1)
        let entry = try #require(try await setup.store.intakeLog(limit: 1).first)
        // The store recorded the rejection; the process died before moving the file.
        let lease = try #require(try await setup.store.claimJob(stage: "assemble", worker: "w", leaseFor: 30, now: Date()))
        try await setup.store.reject(lease, intake: entry.id, reason: "page 2 is damaged", now: Date())
        #expect(try await setup.intake.recoverSpool() == 1)
        let rejected = setup.scratch.appendingPathComponent("rejected").path
        #expect(FileManager.default.fileExists(atPath: "\(rejected)/\(relative)"))
        let reason = try String(contentsOfFile: "\(rejected)/\(relative).reason.txt", encoding: .utf8)
        #expect(reason.contains("page 2 is damaged"))
        #expect(setup.intake.spool.entries().isEmpty)
    }

    @Test func theLeftoversOfAFiledItemAreRemoved() async throws {
        let setup = try setUp("spool-filed")
        defer { Fixtures.removeScratch(setup.scratch) }
        #expect(try await setup.intake.pass().claimed == 1)
        let entry = try #require(try await setup.store.intakeLog(limit: 1).first)
        let lease = try #require(try await setup.store.claimJob(stage: "assemble", worker: "w", leaseFor: 30, now: Date()))
        let document = NewDocument(owner: entry.record.owner, cases: [entry.record.dossier], state: .pending, kind: .assembled,
                                   hash: entry.record.sha256, size: 1)
        _ = try await setup.store.complete(lease, effect: .file(document, actor: "intake", action: "file", intake: entry.id), now: Date())
        #expect(setup.intake.spool.entries() == [entry.record.spool], "died before removing the spool entry")
        #expect(try await setup.intake.recoverSpool() == 1)
        #expect(setup.intake.spool.entries().isEmpty)
    }

    @Test(arguments: ["", "..", "../../etc", "0123456789abcde", "0123456789ABCDEF", "0123456789abcdef/..", "0123456789abcdeg"])
    func badEntryNamesAreNotPaths(name: String) {
        #expect(!Spool.isEntryName(name))
    }

    @Test(arguments: ["001085012345/000.00.01.H26-251124-0001/..", "../000.00.01.H26-251124-0001/a.tif",
                      "001085012345/../a.tif", "001085012345/000.00.01.H26-251124-0001/a/b.tif",
                      "001085012345/000.00.01.H26-251124-0001/", "/etc/passwd"])
    func badItemPathsAreNotPaths(path: String) {
        #expect(!Spool.isItemPath(path))
        let spool = Spool(inbox: "/tmp/nowhere")
        #expect(spool.item(inEntry: "0123456789abcdef", relativePath: path) == nil)
    }

    @Test func goodNamesAreAccepted() {
        #expect(Spool.isEntryName("0123456789abcdef"))
        #expect(Spool.isItemPath(relative))
    }
}
