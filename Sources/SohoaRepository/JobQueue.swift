import Foundation

/// A job's number in the store's queue.
public typealias JobID = Int64

/// Where a job is: waiting (possibly until a retry time), held by a worker, finished, or given
/// up on (the dead-letter state: a permanent error, or too many attempts).
public enum JobState: String, Sendable, Codable, CaseIterable {
    case queued, running, done, failed
}

/// A job to put in the queue.
public struct NewJob: Sendable, Equatable {
    /// The stage that runs it (for example `assemble`).
    public var stage: String
    /// What it works on, for people: a document's inbox path, a document id.
    public var subject: String
    /// What the stage needs to run it (a stage-defined text, typically a spool name).
    public var payload: String

    public init(stage: String, subject: String, payload: String) {
        self.stage = stage
        self.subject = subject
        self.payload = payload
    }
}

/// A job as the queue holds it.
public struct Job: Sendable, Equatable, Codable {
    public let id: JobID
    public let stage: String
    public let subject: String
    public let payload: String
    public let state: JobState
    /// How many times a worker has taken it.
    public let attempts: Int
    /// Not to be taken before this time (the retry back-off).
    public let notBefore: Date
    /// The worker holding it and until when, while it runs.
    public let leaseOwner: String?
    public let leaseUntil: Date?
    /// Why the last attempt failed, in words.
    public let lastError: String?
    /// The same in Vietnamese, when the reason had a Vietnamese text (a system's own message has none).
    public let lastErrorVietnamese: String?
    public let created: Date
    public let updated: Date

    public init(id: JobID, stage: String, subject: String, payload: String, state: JobState, attempts: Int, notBefore: Date,
                leaseOwner: String?, leaseUntil: Date?, lastError: String?, lastErrorVietnamese: String? = nil,
                created: Date, updated: Date) {
        self.id = id
        self.stage = stage
        self.subject = subject
        self.payload = payload
        self.state = state
        self.attempts = attempts
        self.notBefore = notBefore
        self.leaseOwner = leaseOwner
        self.leaseUntil = leaseUntil
        self.lastError = lastError
        self.lastErrorVietnamese = lastErrorVietnamese
        self.created = created
        self.updated = updated
    }
}

/// A claimed job: `worker` holds it until `until`, and only the holder of a current lease can
/// complete, fail, renew or release it. A worker whose lease ran out has lost the job.
public struct JobLease: Sendable, Equatable {
    public let job: Job
    public let worker: String
    public let until: Date

    public init(job: Job, worker: String, until: Date) {
        self.job = job
        self.worker = worker
        self.until = until
    }
}

/// Why a lease is no longer good: another worker took the job over, or it was finished.
public struct LeaseLost: Error, Equatable, Sendable, CustomStringConvertible {
    public let job: JobID
    public var description: String { "job \(job) is no longer held by this worker (its lease ran out and it was taken over)" }

    public init(job: JobID) {
        self.job = job
    }
}

/// What a finished job leaves behind. It is committed in the same transaction as the job's
/// completion, so a job that runs twice has its effect once.
public enum JobEffect: Sendable {
    /// Nothing beyond the completion.
    case none
    /// The next stage's jobs.
    case enqueue([NewJob])
    /// A new document, and the intake item it came from (marked filed with it).
    case file(NewDocument, actor: String, action: String, intake: Int64?)
}

/// A file or folder taken from the inbox: where it was, what it held, whose it is.
public struct IntakeRecord: Sendable, Equatable {
    /// `<owner>/<case>/<name>` inside the inbox.
    public let relativePath: String
    public let size: Int
    /// The modification time it had when claimed.
    public let modified: Date
    /// SHA-256 of the file; for a folder, of its pages' names and hashes.
    public let sha256: ContentHash
    public let owner: OwnerID
    public let dossier: DossierCode
    /// The spool entry it was moved to.
    public let spool: String

    public init(relativePath: String, size: Int, modified: Date, sha256: ContentHash, owner: OwnerID, dossier: DossierCode,
                spool: String) {
        self.relativePath = relativePath
        self.size = size
        self.modified = modified
        self.sha256 = sha256
        self.owner = owner
        self.dossier = dossier
        self.spool = spool
    }
}

/// Where an intake item is.
public enum IntakeState: String, Sendable, Codable, CaseIterable {
    /// Claimed and queued.
    case received
    /// Its document is filed.
    case filed
    /// The same content was already received for the same owner and case.
    case duplicate
    /// It could not be used; the file went to the rejected folder.
    case rejected
}

/// An intake item as the store keeps it.
public struct IntakeEntry: Sendable, Equatable {
    public let id: Int64
    public let record: IntakeRecord
    public let state: IntakeState
    public let received: Date
    /// The document filed from it.
    public let document: DocumentID?
    /// Why it was rejected, or which item it duplicates.
    public let note: String?

    public init(id: Int64, record: IntakeRecord, state: IntakeState, received: Date, document: DocumentID?, note: String?) {
        self.id = id
        self.record = record
        self.state = state
        self.received = received
        self.document = document
        self.note = note
    }
}

/// What the store did with an item brought in from the inbox.
public enum IntakeOutcome: Sendable, Equatable {
    /// Recorded, and its first job queued.
    case accepted(IntakeEntry, job: JobID)
    /// The same content was already received for this owner and case: recorded as a
    /// duplicate of `original`, and no job queued.
    case duplicate(IntakeEntry, original: IntakeEntry)
}

/// One stage's queue at a moment, for `sohoa status`.
public struct StageSummary: Sendable, Equatable, Codable {
    public let stage: String
    public let queued: Int
    public let running: Int
    public let done: Int
    public let failed: Int
    /// Jobs finished since the time asked about.
    public let doneRecently: Int
    /// When the oldest waiting job was queued.
    public let oldestQueued: Date?

    public init(stage: String, queued: Int, running: Int, done: Int, failed: Int, doneRecently: Int, oldestQueued: Date?) {
        self.stage = stage
        self.queued = queued
        self.running = running
        self.done = done
        self.failed = failed
        self.doneRecently = doneRecently
        self.oldestQueued = oldestQueued
    }
}

extension StageSummary {
    /// One stage's jobs in one state, as a store counts them (`GROUP BY stage, state`).
    public struct Count: Sendable {
        public let stage: String
        public let state: JobState
        public let count: Int
        /// When the oldest of them was queued (milliseconds since 1970).
        public let oldest: Int64
        /// How many of them were updated since the time asked about.
        public let recent: Int

        public init(stage: String, state: JobState, count: Int, oldest: Int64, recent: Int) {
            self.stage = stage
            self.state = state
            self.count = count
            self.oldest = oldest
            self.recent = recent
        }
    }

    /// Each stage's summary from its counts by state, in the order the stages first appear.
    public static func summaries(of counts: [Count]) -> [StageSummary] {
        var stages: [String] = []
        var byStage: [String: [JobState: Count]] = [:]
        for count in counts {
            if byStage[count.stage] == nil { stages.append(count.stage) }
            byStage[count.stage, default: [:]][count.state] = count
        }
        return stages.map { stage in
            let states = byStage[stage] ?? [:]
            return StageSummary(stage: stage, queued: states[.queued]?.count ?? 0, running: states[.running]?.count ?? 0,
                                done: states[.done]?.count ?? 0, failed: states[.failed]?.count ?? 0,
                                doneRecently: states[.done]?.recent ?? 0,
                                oldestQueued: states[.queued].map { AuditChain.date(milliseconds: $0.oldest) })
        }
    }
}

extension StageSummary {
    /// The summaries of queues that `group` names the same (the queues of one stage) added up
    /// into one each, named by `group`, in name order.
    public static func merged(_ summaries: [StageSummary], by group: (String) -> String) -> [StageSummary] {
        var merged: [String: StageSummary] = [:]
        for summary in summaries {
            let name = group(summary.stage)
            let before = merged[name]
            merged[name] = StageSummary(stage: name, queued: (before?.queued ?? 0) + summary.queued,
                                        running: (before?.running ?? 0) + summary.running, done: (before?.done ?? 0) + summary.done,
                                        failed: (before?.failed ?? 0) + summary.failed,
                                        doneRecently: (before?.doneRecently ?? 0) + summary.doneRecently,
                                        oldestQueued: [before?.oldestQueued, summary.oldestQueued].compactMap { $0 }.min())
        }
        return merged.keys.sorted().compactMap { merged[$0] }
    }
}
