import Foundation
import Logging
import SohoaPipeline
import SohoaRepository
import SohoaTestSupport
import Synchronization
import Testing

/// The workers over a real store: retries with back-off, give-up, heartbeats, shutdown.
@Suite struct StageWorkersTests {
    /// A stage whose jobs do what the test says: fail a few times, take long, then finish.
    final class ScriptedStage: StageHandler, @unchecked Sendable {
        let stage = "test"
        let store: any Store
        let transientFailures: Int
        let permanent: Bool
        let duration: TimeInterval
        /// What the failing runs throw instead of a transient pipeline failure.
        let storeFailure: StoreError?
        let runs = Mutex(0)
        let rejected = Mutex<[String]>([])
        /// While closed, a run waits (for tests that stop the workers mid-job).
        let gate = Mutex(true)

        init(store: any Store, transientFailures: Int = 0, permanent: Bool = false, duration: TimeInterval = 0,
             storeFailure: StoreError? = nil) {
            self.store = store
            self.storeFailure = storeFailure
            self.transientFailures = transientFailures
            self.permanent = permanent
            self.duration = duration
        }

        func run(_ lease: JobLease) async throws {
            let run = runs.withLock { count in
                count += 1
                return count
            }
            // Blocking waits: the workers run on threads of their own.
            if duration > 0 { usleep(useconds_t(duration * 1_000_000)) }
            while !gate.withLock({ $0 }) { usleep(10_000) }
            if permanent { throw PipelineFailure.permanent(OperatorText(english: "page 1 of \(lease.job.subject) is damaged")) }
            if run <= transientFailures {
                if let storeFailure { throw storeFailure }
                throw PipelineFailure.transient("the disk is full (run \(run))")
            }
            try await store.complete(lease, effect: .none, now: Date())
        }

        func reject(_ lease: JobLease, problem: OperatorText) async throws {
            rejected.withLock { $0.append(problem.english) }
            try await store.fail(lease, reason: problem.english, retryAt: nil, now: Date())
        }
    }

    let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    func makeStore(_ label: String) throws -> (URL, any Store) {
        let folder = try Fixtures.makeScratch(label)
        return (folder, try SQLiteStore(path: folder.appendingPathComponent("s.sqlite").path))
    }

    /// Runs the workers until `done` holds (or 60 s pass), then stops them. The workers and the
    /// waiting run on a thread of their own, so suites that block Swift's shared pool cannot
    /// hold them up.
    func run(_ workers: StageWorkers, until done: @escaping @Sendable () async throws -> Bool) async throws {
        let executor = WorkerThreads(count: 1, name: "stage workers test")
        defer { executor.shutdown() }
        try await withTaskExecutorPreference(executor) { () async throws -> Void in
            let stop = StopSignal()
            let running = Task(executorPreference: executor) { await workers.run(until: stop) }
            let deadline = Date().addingTimeInterval(60)
            while !(try await done()), Date() < deadline { try await Task.sleep(nanoseconds: 50_000_000) }
            stop.stop()
            await running.value
        }
    }

    @Test func transientFailuresAreRetriedWithBackOffThenSucceed() async throws {
        let (folder, store) = try makeStore("workers-retry")
        defer { Fixtures.removeScratch(folder) }
        let id = try await store.enqueue(NewJob(stage: "test", subject: "scan.tif", payload: ""), now: Date())
        let stage = ScriptedStage(store: store, transientFailures: 2)
        let policy = RetryPolicy(base: 0.2, cap: 1, maxAttempts: 5)
        let started = Date()
        try await run(StageWorkers(handler: stage, store: store, count: 2, policy: policy, logger: quiet)) {
            try await store.job(id)?.state == .done
        }
        let job = try #require(try await store.job(id))
        #expect(job.state == .done && job.attempts == 3)
        #expect(job.lastError == "the disk is full (run 2)", "the last failure is kept for `sohoa status`")
        // Waits of at least half of 0.2 s and 0.4 s (the jitter takes off up to half).
        #expect(Date().timeIntervalSince(started) >= 0.3, "the retries waited")
        #expect(stage.rejected.withLock { $0 }.isEmpty)
    }

    @Test func permanentFailuresAndExhaustedRetriesAreGivenUp() async throws {
        let (folder, store) = try makeStore("workers-give-up")
        defer { Fixtures.removeScratch(folder) }
        let damaged = try await store.enqueue(NewJob(stage: "test", subject: "damaged.tif", payload: ""), now: Date())
        let permanent = ScriptedStage(store: store, permanent: true)
        try await run(StageWorkers(handler: permanent, store: store, count: 1, logger: quiet)) {
            try await store.job(damaged)?.state == .failed
        }
        #expect(try await store.job(damaged)?.attempts == 1, "a damaged scan is not tried again")
        #expect(permanent.rejected.withLock { $0 } == ["page 1 of damaged.tif is damaged"])

        let busy = try await store.enqueue(NewJob(stage: "test", subject: "busy.tif", payload: ""), now: Date())
        let always = ScriptedStage(store: store, transientFailures: 100)
        let policy = RetryPolicy(base: 0.05, cap: 0.1, maxAttempts: 3)
        try await run(StageWorkers(handler: always, store: store, count: 1, policy: policy, logger: quiet)) {
            try await store.job(busy)?.state == .failed
        }
        #expect(try await store.job(busy)?.attempts == 3)
        #expect(always.rejected.withLock { $0 }.first?.contains("tried 3 times") == true)
    }

    /// The repository refusing a job (another citizen's case) is given up at once with its
    /// words, never retried as if it were transient; the repository unavailable for a while is
    /// retried.
    @Test func aStoreRefusalIsGivenUpAtOnceAndAnUnavailableStoreIsRetried() async throws {
        let (folder, store) = try makeStore("workers-store-errors")
        defer { Fixtures.removeScratch(folder) }
        let policy = RetryPolicy(base: 0.05, cap: 0.1, maxAttempts: 5)
        let theirs = try await store.enqueue(NewJob(stage: "test", subject: "theirs.tif", payload: ""), now: Date())
        let refusal = StoreError.ownedByAnotherCitizen(dossier: try DossierCode("000.00.01.H26-251124-0001"), owner: "079203004567",
                                                       claimant: "001085012345")
        let refusing = ScriptedStage(store: store, transientFailures: 100, storeFailure: refusal)
        try await run(StageWorkers(handler: refusing, store: store, count: 1, policy: policy, logger: quiet)) {
            try await store.job(theirs)?.state == .failed
        }
        #expect(try await store.job(theirs)?.attempts == 1, "a refusal is not tried again")
        #expect(refusing.rejected.withLock { $0 } == [refusal.description])

        let locked = try await store.enqueue(NewJob(stage: "test", subject: "locked.tif", payload: ""), now: Date())
        let unavailable = ScriptedStage(store: store, transientFailures: 2,
                                        storeFailure: .unavailable("the repository database cannot be written (database is locked)"))
        try await run(StageWorkers(handler: unavailable, store: store, count: 1, policy: policy, logger: quiet)) {
            try await store.job(locked)?.state == .done
        }
        #expect(try await store.job(locked)?.attempts == 3, "an unavailable database is tried again")
        #expect(unavailable.rejected.withLock { $0 }.isEmpty)
    }

    @Test func aHeartbeatKeepsALongJobFromBeingTakenOver() async throws {
        let (folder, store) = try makeStore("workers-heartbeat")
        defer { Fixtures.removeScratch(folder) }
        let id = try await store.enqueue(NewJob(stage: "test", subject: "long.tif", payload: ""), now: Date())
        let stage = ScriptedStage(store: store, duration: 2.5)
        // Leases of 1 s, a job of 2.5 s, and a second worker waiting for work.
        try await run(StageWorkers(handler: stage, store: store, count: 2, leaseFor: 1, logger: quiet)) {
            try await store.job(id)?.state == .done
        }
        #expect(stage.runs.withLock { $0 } == 1, "the job ran once: its lease was renewed while it ran")
        #expect(try await store.job(id)?.attempts == 1)
    }

    @Test func stoppingLetsTheHeldJobFinish() async throws {
        let (folder, store) = try makeStore("workers-stop")
        defer { Fixtures.removeScratch(folder) }
        let id = try await store.enqueue(NewJob(stage: "test", subject: "slow.tif", payload: ""), now: Date())
        let next = try await store.enqueue(NewJob(stage: "test", subject: "next.tif", payload: ""), now: Date())
        let stage = ScriptedStage(store: store)
        stage.gate.withLock { $0 = false }
        let stop = StopSignal()
        let workers = StageWorkers(handler: stage, store: store, count: 1, logger: quiet)
        let executor = WorkerThreads(count: 1, name: "stage workers test")
        defer { executor.shutdown() }
        try await withTaskExecutorPreference(executor) { () async throws -> Void in
            let running = Task(executorPreference: executor) { await workers.run(until: stop) }
            #expect(try await waitFor { try await store.job(id)?.state == .running })
            stop.stop()
            stage.gate.withLock { $0 = true }
            await running.value
        }
        #expect(try await store.job(id)?.state == .done, "the job in hand was finished")
        #expect(try await store.job(next)?.state == .queued, "no new job was taken after the stop")
    }

    func waitFor(_ condition: () async throws -> Bool) async throws -> Bool {
        for _ in 0..<1000 {
            if try await condition() { return true }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        return false
    }

    @Test func backOffGrowsAndIsCapped() {
        let policy = RetryPolicy(base: 1, cap: 60, maxAttempts: 10)
        for attempt in 1...10 {
            let delay = policy.delay(afterAttempt: attempt)
            let full = min(60, pow(2, Double(attempt - 1)))
            #expect(delay >= full / 2 && delay <= full, "attempt \(attempt): \(delay) s")
        }
    }
}
