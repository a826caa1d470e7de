import Foundation
import Logging
import SohoaRepository
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One stage of the pipeline as the workers see it.
public protocol StageHandler: Sendable {
    /// The stage's name in the job queue.
    var stage: String { get }
    /// Runs a job. It commits its effect with `store.complete`; it throws
    /// `PipelineFailure.permanent` for input that will never work (a `StoreError` that is not
    /// transient is a refusal too), anything else to retry.
    func run(_ lease: JobLease) async throws
    /// Gives a job up for good (its input goes where people will see it), with the reason.
    func reject(_ lease: JobLease, problem: OperatorText) async throws
}

/// When a failed job is tried again: exponential back-off with jitter, up to a cap, and a
/// number of attempts after which it is given up.
public struct RetryPolicy: Sendable {
    public var base: TimeInterval = 1
    public var cap: TimeInterval = 300
    public var maxAttempts = 8

    public init(base: TimeInterval = 1, cap: TimeInterval = 300, maxAttempts: Int = 8) {
        self.base = base
        self.cap = cap
        self.maxAttempts = maxAttempts
    }

    /// The wait after the `attempt`-th failure: base·2^(attempt−1), capped, times a random
    /// factor between 0.5 and 1 (so workers that failed together do not retry together).
    public func delay(afterAttempt attempt: Int) -> TimeInterval {
        let exponential = base * pow(2, Double(max(0, min(attempt - 1, 30))))
        return min(cap, exponential) * Double.random(in: 0.5...1)
    }
}

/// A flag a signal handler sets and workers read: stop taking new work.
public final class StopSignal: Sendable {
    private let stopped = Mutex(false)

    public init() {}

    public func stop() { stopped.withLock { $0 = true } }

    public var isStopped: Bool { stopped.withLock { $0 } }
}

/// Names a worker so that a later process can tell whether it is still alive:
/// `<host>:<pid>:<stage>:<n>`.
public enum WorkerName {
    public static func make(stage: String, index: Int) -> String {
        "\(host):\(getpid()):\(stage):\(index)"
    }

    /// This process as a node: `<host>:<pid>`, the start of each of its workers' names.
    public static var node: String { "\(host):\(getpid())" }

    /// Whether `name` is a worker of a process on this machine that no longer runs.
    public static func isGone(_ name: String) -> Bool {
        let parts = name.split(separator: ":")
        guard parts.count >= 2, String(parts[0]) == host, let pid = Int32(parts[1]), pid != getpid() else { return false }
        return kill(pid, 0) != 0 && errno == ESRCH
    }

    public static let host = ProcessInfo.processInfo.hostName.replacingOccurrences(of: ":", with: "-")
}

/// Runs a stage's jobs with a fixed number of workers: each takes a job, keeps its lease alive
/// with a heartbeat while it runs, and then completes it, retries it later, or gives it up.
/// When asked to stop, workers take no new job and finish the ones they hold.
public struct StageWorkers: Sendable {
    public let handler: any StageHandler
    public let store: any JobQueue
    public let count: Int
    public let leaseFor: TimeInterval
    public let policy: RetryPolicy
    /// The language of the reasons the log gives.
    public let language: OperatorLanguage
    public let logger: Logger

    public init(handler: any StageHandler, store: any JobQueue, count: Int, leaseFor: TimeInterval = 30,
                policy: RetryPolicy = RetryPolicy(), language: OperatorLanguage = .english, logger: Logger) {
        self.language = language
        self.handler = handler
        self.store = store
        self.count = max(1, count)
        self.leaseFor = leaseFor
        self.policy = policy
        self.logger = logger
    }

    /// Runs until `stop` is set and every held job is finished. The workers run on threads of
    /// their own (one per worker and one more), not on Swift's shared pool.
    public func run(until stop: StopSignal) async {
        let threads = WorkerThreads(count: count + 1, name: "sohoa \(handler.stage)")
        defer { threads.shutdown() }
        await withTaskGroup(of: Void.self) { group in
            for index in 1...count {
                let name = WorkerName.make(stage: handler.stage, index: index)
                group.addTask(executorPreference: threads) { await work(as: name, until: stop) }
            }
        }
    }

    /// One worker's loop. It runs on the workers' own threads, so waiting blocks the thread
    /// (a timer-based sleep would wait for Swift's shared pool to wake it).
    private func work(as worker: String, until stop: StopSignal) async {
        var idle: useconds_t = 50_000
        while !stop.isStopped {
            let lease: JobLease
            do {
                guard let claimed = try await store.claimJob(stage: handler.stage, worker: worker, leaseFor: leaseFor, now: Date()) else {
                    usleep(idle)
                    idle = min(idle * 2, 400_000)
                    continue
                }
                lease = claimed
                idle = 50_000
            } catch {
                logger.warning("the job queue cannot be read", metadata: ["stage": "\(handler.stage)", "error": "\(error)"])
                sleep(1)
                continue
            }
            await process(lease)
        }
    }

    private func process(_ lease: JobLease) async {
        let job = lease.job
        let metadata: Logger.Metadata = ["stage": "\(job.stage)", "job": "\(job.id)", "subject": "\(job.subject)",
                                         "attempt": "\(job.attempts)"]
        if job.attempts > policy.maxAttempts {
            let last = job.lastError ?? "the worker running it stopped each time"
            await giveUp(lease, Self.gaveUp(after: job.attempts - 1, last: last), metadata)
            return
        }
        let heartbeat = Heartbeat(lease: lease, store: store, leaseFor: leaseFor)
        defer { heartbeat.stop() }
        do {
            try await handler.run(lease)
        } catch let lost as LeaseLost {
            logger.warning("lease lost; another worker has the job", metadata: metadata.merging(["error": "\(lost)"]) { $1 })
        } catch PipelineFailure.permanent(let problem) {
            await giveUp(lease, problem, metadata)
        } catch let refusal as StoreError where !refusal.isTransient {
            // The repository said no (another citizen's case, a conflict, a damaged row): the
            // same attempt again would get the same answer.
            await giveUp(lease, OperatorText(refusal: refusal), metadata)
        } catch {
            let reason = "\(error)"
            if job.attempts >= policy.maxAttempts {
                await giveUp(lease, Self.gaveUp(after: job.attempts, last: reason), metadata)
                return
            }
            let wait = policy.delay(afterAttempt: job.attempts)
            logger.warning("will retry", metadata: metadata.merging(["error": "\(reason)", "in": "\(String(format: "%.1f", wait))s"]) { $1 })
            do { try await store.fail(lease, reason: reason, retryAt: Date().addingTimeInterval(wait), now: Date()) } catch {
                logger.error("the failure cannot be recorded", metadata: metadata.merging(["error": "\(error)"]) { $1 })
            }
        }
    }

    /// How the reason of a job given up after its attempts begins.
    static let gaveUpPrefix = "Sohoa tried"

    static func gaveUp(after attempts: Int, last: String) -> OperatorText {
        // The last problem is the system's own message, in English only: the Vietnamese part
        // points to it instead of mixing it in.
        OperatorText(vietnamese: "Sohoa đã thử \(attempts) lần nhưng không xử lý xong; lỗi lần cuối là thông báo của hệ thống, "
                         + "chỉ có bằng tiếng Anh (xem phần \"What was wrong\" bên dưới)",
                     english: "\(gaveUpPrefix) \(attempts) times and could not finish it; the last problem: \(last)")
    }

    private func giveUp(_ lease: JobLease, _ problem: OperatorText, _ metadata: Logger.Metadata) async {
        logger.error("given up", metadata: metadata.merging(["reason": "\(problem.text(in: language))"]) { $1 })
        do { try await handler.reject(lease, problem: problem) } catch {
            logger.error("the job cannot be given up cleanly now; what is left is finished later",
                         metadata: metadata.merging(["error": "\(error)"]) { $1 })
        }
    }
}

/// Renews a lease every third of its length, on a thread of its own, so a worker busy with a
/// long job never loses it, until stopped. Its task runs on its own executor (one thread), not
/// on Dispatch's or Swift's shared threads: a process whose tasks block those (a test run, a
/// busy server) would hold the heartbeat up, and `stop()` with it. The renewal itself is the
/// store's async call; the wait between two is a blocking wait on that one thread.
final class Heartbeat: @unchecked Sendable {
    // @unchecked Sendable: `stopped` and `finished` are only touched under `condition`.
    private let condition = NSCondition()
    private var stopped = false
    private var finished = false
    private let thread = WorkerThreads(count: 1, name: "sohoa heartbeat")

    init(lease: JobLease, store: any JobQueue, leaseFor: TimeInterval) {
        let interval = max(0.01, leaseFor / 3)
        Task(executorPreference: thread) { [self] in
            var current = lease
            while waitForTheNextBeat(interval) {
                // The lease gone: nothing more to keep.
                guard let renewed = try? await store.renew(current, leaseFor: leaseFor, now: Date()) else { break }
                current = renewed
            }
            finish()
        }
    }

    /// Waits `interval`; false when stopped meanwhile.
    private func waitForTheNextBeat(_ interval: TimeInterval) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date().addingTimeInterval(interval)
        while !stopped {
            if !condition.wait(until: deadline) { return !stopped }
        }
        return false
    }

    private func finish() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// Stops the renewals; when it returns, none is under way or will follow.
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
        thread.shutdown()
    }
}
