import Foundation
import SohoaRepository
import Synchronization
import Testing

/// What every `Store` must do when several instances of it — each with connections of its own,
/// as separate processes or nodes have — work on one repository at once: run by each
/// implementation's suite.
public enum StoreConcurrencyConformance {
    public typealias C = StoreConformance
    /// Opens one more instance of the same store, with connections of its own.
    public typealias Opener = () throws -> any Store

    /// How many instances work at once.
    static let instances = 4

    /// Instances claiming and completing jobs of one stage at once: every job is claimed
    /// exactly once, and all of them are done.
    public static func claimsFromSeveralInstancesTakeEachJobOnce(_ open: Opener) throws {
        let stores = try (0..<instances).map { _ in try open() }
        let jobs = 80
        let queuedAt = Date()
        var queued: Set<JobID> = []
        for index in 0..<jobs {
            queued.insert(try stores[0].enqueue(NewJob(stage: "claim", subject: "job \(index)", payload: "\(index)"), now: queuedAt))
        }
        let claimed = Mutex<[JobID]>([])
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: instances) { index in
            let store = stores[index]
            do {
                while let lease = try store.claimJob(stage: "claim", worker: "node \(index)", leaseFor: 600, now: Date()) {
                    claimed.withLock { $0.append(lease.job.id) }
                    try store.complete(lease, effect: .none, now: Date())
                }
            } catch {
                failures.withLock { $0.append("node \(index): \(error)") }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0 })")
        let ids = claimed.withLock { $0 }
        #expect(ids.count == jobs && Set(ids) == queued, "each job claimed once: \(ids.count) claims of \(jobs) jobs")
        #expect(try stores[0].queueSummary(since: queuedAt).first { $0.stage == "claim" }?.done == jobs)
    }

    /// Instances appending to the audit log at once, by itself and with filings (which append
    /// in their own transactions): one unbroken chain, each instance's entries in its order.
    public static func auditAppendsFromSeveralInstancesFormOneChain(_ open: Opener) throws {
        let stores = try (0..<instances).map { _ in try open() }
        let each = 30
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: instances) { index in
            do {
                for number in 0..<each {
                    if number % 5 == 4 {
                        _ = try stores[index].file(C.new("node \(index) document \(number)"), actor: "node \(index)", action: "file")
                    } else {
                        try stores[index].record(actor: "node \(index)", action: "test", subject: "entry", detail: "\(number)")
                    }
                }
            } catch {
                failures.withLock { $0.append("node \(index): \(error)") }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0 })")
        let log = try stores[0].auditLog()
        #expect(log.count == instances * each)
        #expect(log.map(\.sequence) == Array(1...max(1, log.count)))
        #expect(AuditChain.problems(in: log).isEmpty, "\(AuditChain.problems(in: log))")
        for index in 0..<instances {
            let details = log.filter { $0.actor == "node \(index)" && $0.action == "test" }.map(\.detail)
            #expect(details == (0..<each).filter { $0 % 5 != 4 }.map(String.init), "node \(index)'s entries in its order")
        }
        #expect(try stores[1].auditLog() == log, "every instance reads the same chain")
    }

    /// A worker's lease runs out and another instance takes the job over while the first one
    /// commits: whichever is first, the document is filed once, and a holder that lost its
    /// lease commits nothing.
    public static func aLeaseTakenOverWhileItsHolderCommitsFilesOnce(_ open: Opener) throws {
        let holder = try open()
        let heir = try open()
        for round in 0..<20 {
            let now = JobQueueConformance.start + Double(round) * 100
            let seed = "takeover \(round)"
            let record = JobQueueConformance.record(seed)
            guard case .accepted(let entry, _) = try holder.receive(record, job: NewJob(stage: "takeover", subject: seed, payload: record.spool),
                                                                    now: now) else {
                Issue.record("round \(round): the drop is accepted")
                return
            }
            let lease = try #require(try holder.claimJob(stage: "takeover", worker: "holder", leaseFor: 1, now: now))
            let filing = JobEffect.file(C.new(seed), actor: "intake", action: "file", intake: entry.id)
            let outcomes = Mutex<[String]>([])
            DispatchQueue.concurrentPerform(iterations: 2) { side in
                let outcome: String
                do {
                    if side == 0 {
                        _ = try holder.complete(lease, effect: filing, now: now + 0.5)
                        outcome = "holder committed"
                    } else if let taken = try heir.claimJob(stage: "takeover", worker: "heir", leaseFor: 60, now: now + 2) {
                        _ = try heir.complete(taken, effect: filing, now: now + 3)
                        outcome = "heir committed"
                    } else {
                        outcome = "nothing to take over"
                    }
                } catch is LeaseLost {
                    outcome = "holder refused"
                } catch {
                    outcome = "\(error)"
                }
                outcomes.withLock { $0.append(outcome) }
            }
            let seen = outcomes.withLock { $0 }.sorted()
            #expect(seen == ["holder committed", "nothing to take over"] || seen == ["heir committed", "holder refused"],
                    "round \(round): \(seen)")
            #expect(try holder.documents(owner: C.citizen, containing: C.hash(seed)).count == 1, "round \(round): filed once")
            #expect(try heir.intake(spool: record.spool)?.state == .filed)
        }
        #expect(AuditChain.problems(in: try heir.auditLog()).isEmpty)
    }

    /// Every check, each on a new store: `fresh` makes one and returns how to open more
    /// instances of it.
    public static func all(_ fresh: () throws -> Opener) throws {
        try claimsFromSeveralInstancesTakeEachJobOnce(fresh())
        try auditAppendsFromSeveralInstancesFormOneChain(fresh())
        try aLeaseTakenOverWhileItsHolderCommitsFilesOnce(fresh())
    }
}
