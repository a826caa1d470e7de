import Foundation
import SohoaRepository
import Testing

/// What every `Store` must do when several instances of it — each with connections of its own,
/// as separate processes or nodes have — work on one repository at once: run by each
/// implementation's suite.
public enum StoreConcurrencyConformance {
    public typealias C = StoreConformance
    /// Opens one more instance of the same store, with connections of its own.
    public typealias Opener = () async throws -> any Store

    /// How many instances work at once.
    static let instances = 4

    /// Instances claiming and completing jobs of one stage at once: every job is claimed
    /// exactly once, and all of them are done.
    public static func claimsFromSeveralInstancesTakeEachJobOnce(_ open: Opener) async throws {
        var opened: [any Store] = []
        for _ in 0..<instances { opened.append(try await open()) }
        let stores = opened
        let jobs = 80
        let queuedAt = Date()
        var queued: Set<JobID> = []
        for index in 0..<jobs {
            queued.insert(try await stores[0].enqueue(NewJob(stage: "claim", subject: "job \(index)", payload: "\(index)"), now: queuedAt))
        }
        let results = await concurrently(instances) { index -> (claimed: [JobID], failure: String?) in
            let store = stores[index]
            var claimed: [JobID] = []
            do {
                while let lease = try await store.claimJob(stage: "claim", worker: "node \(index)", leaseFor: 600, now: Date()) {
                    claimed.append(lease.job.id)
                    try await store.complete(lease, effect: .none, now: Date())
                }
                return (claimed, nil)
            } catch {
                return (claimed, "node \(index): \(error)")
            }
        }
        let failures = results.compactMap(\.failure)
        #expect(failures.isEmpty, "\(failures)")
        let ids = results.flatMap(\.claimed)
        #expect(ids.count == jobs && Set(ids) == queued, "each job claimed once: \(ids.count) claims of \(jobs) jobs")
        #expect(try await stores[0].queueSummary(since: queuedAt).first { $0.stage == "claim" }?.done == jobs)
    }

    /// Instances appending to the audit log at once, by itself and with filings (which append
    /// in their own transactions): one unbroken chain, each instance's entries in its order.
    public static func auditAppendsFromSeveralInstancesFormOneChain(_ open: Opener) async throws {
        var opened: [any Store] = []
        for _ in 0..<instances { opened.append(try await open()) }
        let stores = opened
        let each = 30
        let failures = await concurrently(instances) { index -> String? in
            do {
                for number in 0..<each {
                    if number % 5 == 4 {
                        _ = try await stores[index].file(C.new("node \(index) document \(number)"), actor: "node \(index)", action: "file")
                    } else {
                        try await stores[index].record(actor: "node \(index)", action: "test", subject: "entry", detail: "\(number)")
                    }
                }
                return nil
            } catch {
                return "node \(index): \(error)"
            }
        }.compactMap { $0 }
        #expect(failures.isEmpty, "\(failures)")
        let log = try await stores[0].auditLog()
        #expect(log.count == instances * each)
        #expect(log.map(\.sequence) == Array(1...max(1, log.count)))
        #expect(AuditChain.problems(in: log).isEmpty, "\(AuditChain.problems(in: log))")
        for index in 0..<instances {
            let details = log.filter { $0.actor == "node \(index)" && $0.action == "test" }.map(\.detail)
            #expect(details == (0..<each).filter { $0 % 5 != 4 }.map(String.init), "node \(index)'s entries in its order")
        }
        #expect(try await stores[1].auditLog() == log, "every instance reads the same chain")
    }

    /// A worker's lease runs out and another instance takes the job over while the first one
    /// commits: whichever is first, the document is filed once, and a holder that lost its
    /// lease commits nothing.
    public static func aLeaseTakenOverWhileItsHolderCommitsFilesOnce(_ open: Opener) async throws {
        let holder = try await open()
        let heir = try await open()
        for round in 0..<20 {
            let now = JobQueueConformance.start + Double(round) * 100
            let seed = "takeover \(round)"
            let record = JobQueueConformance.record(seed)
            guard case .accepted(let entry, _) = try await holder.receive(record, job: NewJob(stage: "takeover", subject: seed, payload: record.spool),
                                                                    now: now) else {
                Issue.record("round \(round): the drop is accepted")
                return
            }
            let lease = try #require(try await holder.claimJob(stage: "takeover", worker: "holder", leaseFor: 1, now: now))
            let filing = JobEffect.file(C.new(seed), actor: "intake", action: "file", intake: entry.id)
            let seen = await concurrently(2) { side -> String in
                let outcome: String
                do {
                    if side == 0 {
                        _ = try await holder.complete(lease, effect: filing, now: now + 0.5)
                        outcome = "holder committed"
                    } else if let taken = try await heir.claimJob(stage: "takeover", worker: "heir", leaseFor: 60, now: now + 2) {
                        _ = try await heir.complete(taken, effect: filing, now: now + 3)
                        outcome = "heir committed"
                    } else {
                        outcome = "nothing to take over"
                    }
                } catch is LeaseLost {
                    outcome = "holder refused"
                } catch {
                    outcome = "\(error)"
                }
                return outcome
            }.sorted()
            #expect(seen == ["holder committed", "nothing to take over"] || seen == ["heir committed", "holder refused"],
                    "round \(round): \(seen)")
            #expect(try await holder.documents(owner: C.citizen, containing: C.hash(seed)).count == 1, "round \(round): filed once")
            #expect(try await heir.intake(spool: record.spool)?.state == .filed)
        }
        #expect(AuditChain.problems(in: try await heir.auditLog()).isEmpty)
    }

    /// Runs `body` for 0..<`count` at once, each in a task of its own, and collects what they return.
    static func concurrently<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) async -> T) async -> [T] {
        await withTaskGroup(of: T.self) { group in
            for index in 0..<count { group.addTask { await body(index) } }
            var results: [T] = []
            for await result in group { results.append(result) }
            return results
        }
    }

    /// Every check, each on a new store: `fresh` makes one and returns how to open more
    /// instances of it.
    public static func all(_ fresh: () async throws -> Opener) async throws {
        try await claimsFromSeveralInstancesTakeEachJobOnce(await fresh())
        try await auditAppendsFromSeveralInstancesFormOneChain(await fresh())
        try await aLeaseTakenOverWhileItsHolderCommitsFilesOnce(await fresh())
    }
}
