import Foundation

/// Every record of a store read out as it is, and written into another as it was: what
/// `sohoa repo migrate` moves a repository with (from the embedded SQLite to PostgreSQL). The
/// writes keep every key, time and hash (so the audit chain and its anchors still check) and
/// leave a row that is already there as it is, so a copy run again, or again after it was
/// killed, copies nothing twice.
public protocol StoreTransfer: Sendable {
    /// Every case, oldest first.
    func allCases() async throws -> [Case]

    /// Every job, in the order they were queued.
    func allJobs() async throws -> [Job]

    /// The ids of every document, oldest first.
    func allDocumentIDs() async throws -> [DocumentID]

    /// Writes `cases` as they are; those already there are left. Returns how many were new.
    func insertCases(_ cases: [Case]) async throws -> Int

    /// Writes each document with its case links and versions, as they are, in one transaction;
    /// a document already there is left as it is. Its cases must be there already. Returns how
    /// many were new.
    func insertDocuments(_ documents: [(document: Document, versions: [DocumentVersion])]) async throws -> Int

    /// Writes intake entries with their numbers; those already there are left. Returns how many were new.
    func insertIntake(_ entries: [IntakeEntry]) async throws -> Int

    /// Writes jobs with their numbers, states and leases; those already there are left. Returns
    /// how many were new.
    func insertJobs(_ jobs: [Job]) async throws -> Int

    /// Writes audit entries with their sequences, times and hashes, in order. An entry already
    /// there must be the same one (`StoreError.conflict` otherwise: the target has a history of
    /// its own). Returns how many were new.
    func insertAuditEntries(_ entries: [AuditEntry]) async throws -> Int

    /// Writes anchors as they are; those already there are left. Returns how many were new.
    func insertAnchors(_ anchors: [Anchor]) async throws -> Int

    /// Writes access grants as they are (revoked ones too); those already there are left.
    /// Returns how many were new.
    func insertAccessGrants(_ grants: [AccessGrant]) async throws -> Int
}
