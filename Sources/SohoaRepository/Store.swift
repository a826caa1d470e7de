import Foundation
import SohoaCrypto

/// Why the store refused or failed, in words a person can act on.
public struct StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// The repository's records: documents, their versions, cases, the audit log, and the job
/// queue with the intake records the pipeline works from. One narrow
/// protocol with an embedded SQLite implementation (`SQLiteStore`) and, later, a PostgreSQL
/// one; every implementation passes the same conformance suite. Blobs are not stored here
/// (`BlobStore`): a row only ever points at a blob written and synced before it.
public protocol Store: Sendable {
    /// Files a new document (its row, its case links, its first version, an audit entry) in
    /// one transaction. A case seen for the first time is created for the document's owner; a
    /// case of another owner is refused.
    func file(_ document: NewDocument, actor: String, action: String) throws -> Document

    /// Adds a version made from the newest one (the provenance chain) and moves the document
    /// to `state`, with an audit entry, in one transaction. With `parent`, the newest version
    /// must still be that one (and the document in state `from`, when given): otherwise
    /// someone else added a version meanwhile, and nothing is changed (`StoreError`).
    func addVersion(to id: DocumentID, hash: ContentHash, size: Int, kind: VersionKind, state: DocumentState,
                    expecting parent: ContentHash?, from: DocumentState?, actor: String, action: String) throws -> DocumentVersion

    /// Links a document to another case (no copy), with an audit entry.
    func link(_ id: DocumentID, to dossier: DossierCode, actor: String, action: String) throws

    func document(_ id: DocumentID) throws -> Document?

    /// Whose case it is; nil when there is no such case.
    func owner(of dossier: DossierCode) throws -> OwnerID?

    /// A case, nil when there is no such case.
    func caseRecord(_ dossier: DossierCode) throws -> Case?

    /// Documents in `state`, optionally only one owner's or one case's, oldest first (what
    /// waits for a signature or an approval).
    func documents(in state: DocumentState, owner: OwnerID?, dossier: DossierCode?) throws -> [Document]

    /// An owner's documents, optionally only those of one case or one type, oldest first.
    func documents(owner: OwnerID, dossier: DossierCode?, type: String?) throws -> [Document]

    /// Documents matching every condition of `query`, oldest first.
    func documents(matching query: DocumentQuery) throws -> [Document]

    /// The ids of the documents whose id starts with `prefix`, in order, at most `limit` of them.
    func documentIDs(startingWith prefix: DocumentIDPrefix, limit: Int) throws -> [DocumentID]

    /// Documents of `owner` with a version whose content is `hash` (to find duplicates).
    func documents(owner: OwnerID, containing hash: ContentHash) throws -> [Document]

    /// A document's versions, oldest first.
    func versions(of id: DocumentID) throws -> [DocumentVersion]

    /// Every content hash a version row points at.
    func referencedHashes() throws -> Set<ContentHash>

    /// Appends an entry to the audit log (hash-chained to the previous one).
    @discardableResult
    func record(actor: String, action: String, subject: String, detail: String) throws -> AuditEntry

    /// How many audit entries record `action` (for example `reject`: items refused before intake).
    func auditCount(action: String) throws -> Int

    /// The audit log, oldest first, as stored (for checking the chain).
    func auditLog() throws -> [AuditEntry]

    /// Keeps a time-stamp token over the audit chain's head (the entry `sequence`, whose hash
    /// is `head`), then records the anchoring itself in the log.
    func addAnchor(_ anchor: Anchor, actor: String) throws

    /// Every anchor, oldest first.
    func anchors() throws -> [Anchor]

    // MARK: Intake and the job queue

    /// Records an item claimed from the inbox and queues its first job, in one transaction.
    /// When the same content was already received for the same owner and case (and not
    /// rejected), the item is recorded as a duplicate and nothing is queued.
    func receive(_ record: IntakeRecord, job: NewJob, now: Date) throws -> IntakeOutcome

    /// The intake item moved to spool entry `spool`, if any.
    func intake(spool: String) throws -> IntakeEntry?

    /// Intake items, newest first.
    func intakeLog(limit: Int) throws -> [IntakeEntry]

    /// Marks an intake item rejected (its file is in the rejected folder) and fails its job
    /// for good, in one transaction. `vietnamese` is the reason in the operator's other
    /// language, for `sohoa status`; the English one is what the intake log keeps.
    func reject(_ lease: JobLease, intake: Int64, reason: String, vietnamese: String?, now: Date) throws

    /// Queues a job.
    @discardableResult
    func enqueue(_ job: NewJob, now: Date) throws -> JobID

    /// Takes the oldest job of `stage` that is due, or one whose worker's lease ran out (a
    /// worker that died), and leases it to `worker`, counting the attempt. Nil when nothing is
    /// due. (A job taken over from dead workers again and again shows it in its attempts; the
    /// stage decides when to give up.)
    func claimJob(stage: String, worker: String, leaseFor: TimeInterval, now: Date) throws -> JobLease?

    /// Makes the jobs held by `worker` claimable at once (its process is known to be gone).
    func expireLeases(heldBy worker: String, now: Date) throws

    /// The workers holding leases now.
    func leaseHolders() throws -> Set<String>

    /// How many documents are in each state.
    func documentCounts() throws -> [DocumentState: Int]

    /// How many intake items are in each state.
    func intakeCounts() throws -> [IntakeState: Int]

    /// Extends a lease (the worker's heartbeat). Throws `LeaseLost` when it is no longer held.
    func renew(_ lease: JobLease, leaseFor: TimeInterval, now: Date) throws -> JobLease

    /// Finishes a job and commits its effect with it. Throws `LeaseLost`, and commits
    /// nothing, when the lease is no longer held. Returns the document filed, if any.
    @discardableResult
    func complete(_ lease: JobLease, effect: JobEffect, now: Date) throws -> Document?

    /// Records a failed attempt: the job waits until `retryAt`, or, when `retryAt` is nil,
    /// fails for good (the dead-letter state). `vietnamese` is the reason in Vietnamese when
    /// there is one (a system's own message has none).
    func fail(_ lease: JobLease, reason: String, vietnamese: String?, retryAt: Date?, now: Date) throws

    /// Gives a job back unfinished (a worker shutting down); the attempt is not counted.
    func release(_ lease: JobLease, now: Date) throws

    /// A job, nil when there is none with that number.
    func job(_ id: JobID) throws -> Job?

    /// Each stage's counts, with the jobs finished since `since`.
    func queueSummary(since: Date) throws -> [StageSummary]

    /// Jobs whose last attempt failed (waiting for a retry, or failed for good), newest first.
    func recentFailures(limit: Int) throws -> [Job]
}

extension Store {
    /// Adds a version made from whatever version is newest.
    public func addVersion(to id: DocumentID, hash: ContentHash, size: Int, kind: VersionKind, state: DocumentState,
                           actor: String, action: String) throws -> DocumentVersion {
        try addVersion(to: id, hash: hash, size: size, kind: kind, state: state, expecting: nil, from: nil, actor: actor,
                       action: action)
    }
}

/// An RFC 3161 time-stamp over the audit chain's head at some moment: history up to that
/// entry cannot be rewritten afterwards without the anchor failing its check.
public struct Anchor: Sendable, Equatable, Codable {
    /// The anchored entry.
    public let sequence: Int
    /// Its hash; the token is over the 32 bytes it spells (its imprint is their SHA-256).
    public let head: String
    /// The DER TimeStampToken.
    public let token: [UInt8]
    public let time: Date

    public init(sequence: Int, head: String, token: [UInt8], time: Date) {
        self.sequence = sequence
        self.head = head
        self.token = token
        self.time = time
    }
}

/// The audit log's hash chain: each entry's hash covers its fields and the previous hash, so
/// an entry edited, removed or inserted afterwards breaks every later link.
public enum AuditChain {
    /// The "previous hash" of the first entry.
    public static let genesis = String(repeating: "0", count: 64)

    /// The hash of an entry with these fields (length-prefixed, so no field can run into another).
    public static func hash(sequence: Int, time: Date, actor: String, action: String, subject: String, detail: String,
                            previous: String) -> String {
        let fields = ["\(sequence)", "\(milliseconds(time))", actor, action, subject, detail, previous]
        let canonical = fields.map { "\($0.utf8.count):\($0);" }.joined()
        return ContentHash(digest: SHA256.digest(Array(canonical.utf8))).rawValue
    }

    /// Every entry whose hash or link is wrong, with the reason, in order.
    public static func problems(in entries: [AuditEntry]) -> [String] {
        var problems: [String] = []
        var previous = genesis
        var expectedSequence = entries.first?.sequence ?? 1
        for entry in entries {
            if entry.sequence != expectedSequence {
                problems.append("audit entry \(expectedSequence) is missing (the next one is \(entry.sequence))")
            }
            if entry.previous != previous {
                problems.append("audit entry \(entry.sequence) does not link to the entry before it")
            }
            let computed = hash(sequence: entry.sequence, time: entry.time, actor: entry.actor, action: entry.action,
                                subject: entry.subject, detail: entry.detail, previous: entry.previous)
            if computed != entry.hash {
                problems.append("audit entry \(entry.sequence) was changed after it was written (its hash does not match)")
            }
            previous = entry.hash
            expectedSequence = entry.sequence + 1
        }
        return problems
    }

    /// Times are kept as whole milliseconds since 1970, the same in every store.
    public static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    public static func date(milliseconds: Int64) -> Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }
}

extension Store {
    /// `reject(_:intake:reason:vietnamese:now:)` with the reason in English only.
    public func reject(_ lease: JobLease, intake: Int64, reason: String, now: Date) throws {
        try reject(lease, intake: intake, reason: reason, vietnamese: nil, now: now)
    }

    /// `fail(_:reason:vietnamese:retryAt:now:)` with the reason in English only.
    public func fail(_ lease: JobLease, reason: String, retryAt: Date?, now: Date) throws {
        try fail(lease, reason: reason, vietnamese: nil, retryAt: retryAt, now: now)
    }
}
