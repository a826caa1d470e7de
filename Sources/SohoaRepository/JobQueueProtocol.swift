import Foundation

/// The intake records and the durable job queue the pipeline works from: jobs are claimed
/// with a lease, renewed by a heartbeat, and finished together with their effect in one
/// transaction. A claim is exclusive across every worker of the store (every connection,
/// process and node): no job is held by two leases at once, and a lease taken over makes its
/// former holder's `renew`, `complete`, `fail`, `release` and `reject` throw `LeaseLost`
/// without changing anything.
public protocol JobQueue: Sendable {
    /// Records an item claimed from the inbox and queues its first job, in one transaction.
    /// When the same content was already received for the same owner and case (and not
    /// rejected), the item is recorded as a duplicate and nothing is queued.
    func receive(_ record: IntakeRecord, job: NewJob, now: Date) async throws -> IntakeOutcome

    /// The intake item moved to spool entry `spool`, if any.
    func intake(spool: String) async throws -> IntakeEntry?

    /// Intake items, newest first.
    func intakeLog(limit: Int) async throws -> [IntakeEntry]

    /// Marks an intake item rejected (its file is in the rejected folder) and fails its job
    /// for good, in one transaction. `vietnamese` is the reason in the operator's other
    /// language, for `sohoa status`; the English one is what the intake log keeps.
    func reject(_ lease: JobLease, intake: Int64, reason: String, vietnamese: String?, now: Date) async throws

    /// Queues a job.
    @discardableResult
    func enqueue(_ job: NewJob, now: Date) async throws -> JobID

    /// Takes the oldest job of `stage` that is due, or one whose worker's lease ran out (a
    /// worker that died), and leases it to `worker`, counting the attempt. Nil when nothing is
    /// due. (A job taken over from dead workers again and again shows it in its attempts; the
    /// stage decides when to give up.)
    func claimJob(stage: String, worker: String, leaseFor: TimeInterval, now: Date) async throws -> JobLease?

    /// Moves the unfinished jobs of `stage` whose payload is one of `payloads` to `newStage`;
    /// returns how many moved. (Jobs queued before their stage had one queue per inbox are
    /// given to the inbox that holds their items.)
    func moveJobs(of stage: String, payloads: [String], to newStage: String) async throws -> Int

    /// Makes the jobs held by `worker` claimable at once (its process is known to be gone).
    func expireLeases(heldBy worker: String, now: Date) async throws

    /// The workers holding leases now.
    func leaseHolders() async throws -> Set<String>

    /// How many intake items are in each state.
    func intakeCounts() async throws -> [IntakeState: Int]

    /// Extends a lease (the worker's heartbeat). Throws `LeaseLost` when it is no longer held.
    func renew(_ lease: JobLease, leaseFor: TimeInterval, now: Date) async throws -> JobLease

    /// Finishes a job and commits its effect with it. Throws `LeaseLost`, and commits
    /// nothing, when the lease is no longer held. Returns the document filed, if any.
    @discardableResult
    func complete(_ lease: JobLease, effect: JobEffect, now: Date) async throws -> Document?

    /// Records a failed attempt: the job waits until `retryAt`, or, when `retryAt` is nil,
    /// fails for good (the dead-letter state). `vietnamese` is the reason in Vietnamese when
    /// there is one (a system's own message has none).
    func fail(_ lease: JobLease, reason: String, vietnamese: String?, retryAt: Date?, now: Date) async throws

    /// Gives a job back unfinished (a worker shutting down); the attempt is not counted.
    func release(_ lease: JobLease, now: Date) async throws

    /// A job, nil when there is none with that number.
    func job(_ id: JobID) async throws -> Job?

    /// Each stage's counts, with the jobs finished since `since`.
    func queueSummary(since: Date) async throws -> [StageSummary]

    /// Jobs whose last attempt failed (waiting for a retry, or failed for good), newest first.
    func recentFailures(limit: Int) async throws -> [Job]
}

extension JobQueue {
    /// `reject(_:intake:reason:vietnamese:now:)` with the reason in English only.
    public func reject(_ lease: JobLease, intake: Int64, reason: String, now: Date) async throws {
        try await reject(lease, intake: intake, reason: reason, vietnamese: nil, now: now)
    }

    /// `fail(_:reason:vietnamese:retryAt:now:)` with the reason in English only.
    public func fail(_ lease: JobLease, reason: String, retryAt: Date?, now: Date) async throws {
        try await fail(lease, reason: reason, vietnamese: nil, retryAt: retryAt, now: now)
    }
}
