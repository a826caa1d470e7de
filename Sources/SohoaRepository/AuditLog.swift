import Foundation
import SohoaCrypto

/// The hash-chained audit log and the time-stamp anchors over it.
///
/// Appending is serialized across every writer of the store, whatever the number of
/// connections, processes or nodes: each entry's sequence is one more than the entry before it
/// and its `previous` is that entry's hash. An implementation reads the chain's head and
/// inserts the new entry in one transaction that holds the log's write lock from before the
/// read until the commit (SQLite: a `BEGIN IMMEDIATE` transaction; PostgreSQL: a
/// transaction-scoped lock on the log, for example `LOCK TABLE audit IN SHARE ROW EXCLUSIVE
/// MODE` or an advisory lock, taken before the head is read). The writes of `DocumentStore`
/// that record an entry append it the same way, in their own transaction.
public protocol AuditLog: Sendable {
    /// Appends an entry to the audit log (hash-chained to the previous one).
    @discardableResult
    func record(actor: String, action: String, subject: String, detail: String) async throws -> AuditEntry

    /// How many audit entries record `action` (for example `reject`: items refused before intake).
    func auditCount(action: String) async throws -> Int

    /// The audit log, oldest first, as stored (for checking the chain).
    func auditLog() async throws -> [AuditEntry]

    /// Keeps a time-stamp token over the audit chain's head (the entry `sequence`, whose hash
    /// is `head`), then records the anchoring itself in the log.
    func addAnchor(_ anchor: Anchor, actor: String) async throws

    /// Every anchor, oldest first.
    func anchors() async throws -> [Anchor]
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
