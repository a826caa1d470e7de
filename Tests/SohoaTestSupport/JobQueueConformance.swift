import Foundation
import SohoaRepository
import Testing

/// What every `Store`'s intake records and job queue must do: run by each implementation's suite.
public enum JobQueueConformance {
    public typealias C = StoreConformance
    public static let start = Date(timeIntervalSince1970: 1_790_000_000)

    public static func record(_ seed: String, name: String = "scan.tif", spool: String? = nil) -> IntakeRecord {
        IntakeRecord(relativePath: "\(C.citizen)/\(C.first)/\(name)", size: 1234, modified: start, sha256: C.hash(seed),
                     owner: C.citizen, dossier: C.first, spool: spool ?? "spool-\(seed)-\(name)")
    }

    public static func assemble(_ subject: String) -> NewJob { NewJob(stage: "assemble", subject: subject, payload: "spool-\(subject)") }

    public static func receivingQueuesAJobAndDuplicatesAreReported(_ store: any Store) async throws {
        guard case .accepted(let entry, let jobID) = try await store.receive(record("a"), job: assemble("a"), now: start) else {
            Issue.record("the first drop is accepted")
            return
        }
        #expect(entry.state == .received && entry.record == record("a"))
        #expect(try await store.intake(spool: "spool-a-scan.tif") == entry)
        #expect(try await store.job(jobID)?.state == .queued)
        // The same content again, under another name: a duplicate, and no second job.
        let again = try await store.receive(record("a", name: "again.tif"), job: assemble("again"), now: start)
        guard case .duplicate(let duplicate, let original) = again else {
            Issue.record("the same content for the same owner and case is a duplicate, not \(again)")
            return
        }
        #expect(original == entry && duplicate.state == .duplicate)
        #expect(duplicate.note?.contains(entry.record.relativePath) == true, "the report names the first file")
        #expect(try await store.queueSummary(since: start).first { $0.stage == "assemble" }?.queued == 1)
        #expect(try await store.intakeLog(limit: 10).map(\.state) == [.duplicate, .received])
        #expect(try await store.intakeCounts() == [.duplicate: 1, .received: 1])
    }

    public static func aClaimedJobIsLeasedToOneWorker(_ store: any Store) async throws {
        let id = try await store.enqueue(assemble("x"), now: start)
        let lease = try #require(try await store.claimJob(stage: "assemble", worker: "w1", leaseFor: 30, now: start))
        #expect(lease.job.id == id && lease.job.attempts == 1 && lease.job.state == .running)
        #expect(try await store.claimJob(stage: "assemble", worker: "w2", leaseFor: 30, now: start + 1) == nil,
                "a job held by a live worker is not given to another")
        #expect(try await store.claimJob(stage: "sign", worker: "w2", leaseFor: 30, now: start) == nil, "stages are apart")
        let renewed = try await store.renew(lease, leaseFor: 30, now: start + 20)
        #expect(try await store.claimJob(stage: "assemble", worker: "w2", leaseFor: 30, now: start + 40) == nil,
                "a heartbeat keeps the lease")
        try await store.complete(renewed, effect: .enqueue([NewJob(stage: "sign", subject: "x", payload: "")]), now: start + 41)
        #expect(try await store.job(id)?.state == .done)
        #expect(try await store.claimJob(stage: "sign", worker: "w2", leaseFor: 30, now: start + 42)?.job.subject == "x",
                "the effect (the next stage's job) was committed with the completion")
    }

    public static func aDeadWorkersJobIsTakenOverAndTheLateWorkerCannotFinishIt(_ store: any Store) async throws {
        _ = try await store.receive(record("b"), job: assemble("b"), now: start)
        let dead = try #require(try await store.claimJob(stage: "assemble", worker: "dead", leaseFor: 10, now: start))
        let heir = try #require(try await store.claimJob(stage: "assemble", worker: "heir", leaseFor: 10, now: start + 11))
        #expect(heir.job.id == dead.job.id && heir.job.attempts == 2)
        let filing = JobEffect.file(C.new("b"), actor: "intake", action: "file", intake: try await store.intake(spool: "spool-b-scan.tif")?.id)
        await #expect(throws: LeaseLost.self) { try await store.complete(dead, effect: filing, now: start + 12) }
        await #expect(throws: LeaseLost.self) { try await store.renew(dead, leaseFor: 10, now: start + 12) }
        #expect(try await store.documents(owner: C.citizen, dossier: nil, type: nil).isEmpty, "the lost lease committed nothing")
        let document = try #require(try await store.complete(heir, effect: filing, now: start + 13))
        #expect(try await store.intake(spool: "spool-b-scan.tif")?.document == document.id)
        #expect(try await store.intake(spool: "spool-b-scan.tif")?.state == .filed)
        await #expect(throws: LeaseLost.self) { try await store.complete(heir, effect: filing, now: start + 14) }
        #expect(try await store.documents(owner: C.citizen, dossier: nil, type: nil).count == 1, "a job that runs twice has one effect")
    }

    public static func failuresWaitForTheirRetryThenDeadLetter(_ store: any Store) async throws {
        let id = try await store.enqueue(assemble("c"), now: start)
        let first = try #require(try await store.claimJob(stage: "assemble", worker: "w", leaseFor: 30, now: start))
        try await store.fail(first, reason: "the disk is full", retryAt: start + 60, now: start + 1)
        #expect(try await store.claimJob(stage: "assemble", worker: "w", leaseFor: 30, now: start + 59) == nil,
                "not before its retry time")
        #expect(try await store.recentFailures(limit: 5).map(\.lastError) == ["the disk is full"])
        let second = try #require(try await store.claimJob(stage: "assemble", worker: "w", leaseFor: 30, now: start + 60))
        #expect(second.job.attempts == 2)
        try await store.fail(second, reason: "page 2 of scan.tif is damaged", vietnamese: "trang 2 của scan.tif bị hỏng",
                       retryAt: nil, now: start + 61)
        #expect(try await store.job(id)?.state == .failed)
        #expect(try await store.job(id)?.lastErrorVietnamese == "trang 2 của scan.tif bị hỏng", "both languages kept for sohoa status")
        #expect(try await store.claimJob(stage: "assemble", worker: "w", leaseFor: 30, now: start + 999) == nil)
        let summary = try #require(try await store.queueSummary(since: start).first { $0.stage == "assemble" })
        #expect(summary.failed == 1 && summary.queued == 0)
    }

    public static func takeOversAreCountedAndAGoneWorkersLeasesCanBeExpired(_ store: any Store) async throws {
        _ = try await store.enqueue(assemble("poison"), now: start)
        var now = start
        for attempt in 1...3 {
            #expect(try await store.claimJob(stage: "assemble", worker: "w\(attempt)", leaseFor: 10, now: now)?.job.attempts == attempt)
            if attempt < 3 { now += 11 }
        }
        #expect(try await store.leaseHolders() == ["w3"])
        _ = try await store.enqueue(assemble("other"), now: now)
        let held = try #require(try await store.claimJob(stage: "assemble", worker: "crashed", leaseFor: 600, now: now))
        #expect(try await store.leaseHolders() == ["w3", "crashed"])
        #expect(try await store.claimJob(stage: "assemble", worker: "restarted", leaseFor: 600, now: now + 1)?.job.id != held.job.id)
        try await store.expireLeases(heldBy: "crashed", now: now + 2)
        #expect(try await store.claimJob(stage: "assemble", worker: "restarted", leaseFor: 600, now: now + 2)?.job.id == held.job.id,
                "a gone worker's job is taken at once, not when its lease runs out")
        #expect(try await store.intakeCounts().isEmpty)
    }

    public static func aReleasedJobIsNotCountedAsAnAttempt(_ store: any Store) async throws {
        _ = try await store.enqueue(assemble("d"), now: start)
        let lease = try #require(try await store.claimJob(stage: "assemble", worker: "w", leaseFor: 30, now: start))
        try await store.release(lease, now: start + 1)
        let again = try #require(try await store.claimJob(stage: "assemble", worker: "v", leaseFor: 30, now: start + 2))
        #expect(again.job.attempts == 1)
    }

    public static func aRejectedItemFailsItsJobAndMayComeBack(_ store: any Store) async throws {
        guard case .accepted(let entry, _) = try await store.receive(record("e"), job: assemble("e"), now: start) else {
            Issue.record("accepted")
            return
        }
        let lease = try #require(try await store.claimJob(stage: "assemble", worker: "w", leaseFor: 30, now: start))
        try await store.reject(lease, intake: entry.id, reason: "the file is not a TIFF", vietnamese: "tệp không phải TIFF", now: start + 1)
        #expect(try await store.intake(spool: entry.record.spool)?.state == .rejected)
        #expect(try await store.job(lease.job.id)?.state == .failed)
        #expect(try await store.recentFailures(limit: 1).first.map { [$0.lastError, $0.lastErrorVietnamese] }
                == ["the file is not a TIFF", "tệp không phải TIFF"])
        // Dropped again (the same bytes, say after the operator fixed the folder): not a duplicate of a rejected item.
        guard case .accepted = try await store.receive(record("e", spool: "second-try"), job: assemble("e2"), now: start + 5) else {
            Issue.record("a rejected item does not make its next drop a duplicate")
            return
        }
    }

    public static func sourcesAreFiledBeforeTheAssembledVersion(_ store: any Store) async throws {
        var one = C.new("pdf-1")
        one.sources = [SourceFile(hash: C.hash("scan-1"), size: 10)]
        one.procedure = "Cấp giấy phép xây dựng"
        let single = try await store.file(one, actor: "intake", action: "file")
        #expect(try await store.versions(of: single.id).map(\.kind) == [.source, .assembled])
        #expect(try await store.versions(of: single.id).map(\.parent) == [nil, C.hash("scan-1")])
        #expect(single.latest == C.hash("pdf-1"))
        #expect(try await store.caseRecord(C.first)?.procedure == "Cấp giấy phép xây dựng")
        var pages = C.new("pdf-2")
        pages.sources = [SourceFile(hash: C.hash("page-1"), size: 10), SourceFile(hash: C.hash("page-2"), size: 10)]
        let folder = try await store.file(pages, actor: "intake", action: "file")
        #expect(try await store.versions(of: folder.id).map(\.hash) == [C.hash("page-1"), C.hash("page-2"), C.hash("pdf-2")])
        #expect(try await store.documents(in: .pending, owner: C.citizen, dossier: nil).map(\.id) == [single.id, folder.id])
        _ = try await store.addVersion(to: single.id, hash: C.hash("signed"), size: 20, kind: .signed, state: .signed,
                                 actor: "officer", action: "sign")
        #expect(try await store.documents(in: .pending, owner: nil, dossier: C.first).map(\.id) == [folder.id])
        #expect(try await store.documents(in: .signed, owner: nil, dossier: nil).map(\.id) == [single.id])
        #expect(try await store.documentCounts() == [.pending: 1, .signed: 1])
    }

    /// Unfinished jobs of a stage move to another queue by their payloads; others stay.
    public static func jobsMoveToAnotherQueueByPayload(_ store: any Store) async throws {
        let now = Date()
        let mine = try await store.enqueue(NewJob(stage: "assemble", subject: "a", payload: "aaaaaaaaaaaaaaaa"), now: now)
        let theirs = try await store.enqueue(NewJob(stage: "assemble", subject: "b", payload: "bbbbbbbbbbbbbbbb"), now: now)
        let finished = try await store.enqueue(NewJob(stage: "assemble", subject: "c", payload: "cccccccccccccccc"), now: now)
        var leases: [JobLease] = []
        while let lease = try await store.claimJob(stage: "assemble", worker: "w", leaseFor: 60, now: now) { leases.append(lease) }
        for lease in leases {
            if lease.job.id == finished { try await store.complete(lease, effect: .none, now: now) } else {
                try await store.release(lease, now: now)
            }
        }
        let moved = try await store.moveJobs(of: "assemble", payloads: ["aaaaaaaaaaaaaaaa", "cccccccccccccccc", "dddddddddddddddd"],
                                             to: "assemble@inbox-1")
        #expect(moved == 1, "only the unfinished job of a listed payload")
        #expect(try await store.job(mine)?.stage == "assemble@inbox-1")
        #expect(try await store.job(theirs)?.stage == "assemble")
        #expect(try await store.job(finished)?.stage == "assemble")
        #expect(try await store.claimJob(stage: "assemble@inbox-1", worker: "w", leaseFor: 60, now: now)?.job.id == mine)
    }

    /// Every check, on a fresh store each (made by `make`).
    public static func all(_ make: () async throws -> any Store) async throws {
        try await receivingQueuesAJobAndDuplicatesAreReported(await make())
        try await aClaimedJobIsLeasedToOneWorker(await make())
        try await aDeadWorkersJobIsTakenOverAndTheLateWorkerCannotFinishIt(await make())
        try await failuresWaitForTheirRetryThenDeadLetter(await make())
        try await takeOversAreCountedAndAGoneWorkersLeasesCanBeExpired(await make())
        try await aReleasedJobIsNotCountedAsAnAttempt(await make())
        try await aRejectedItemFailsItsJobAndMayComeBack(await make())
        try await sourcesAreFiledBeforeTheAssembledVersion(await make())
        try await jobsMoveToAnotherQueueByPayload(await make())
    }
}
