import Foundation

/// Moves every record and blob of one repository into another (`sohoa repo migrate`): a
/// branch that outgrows the embedded SQLite moves onto PostgreSQL. Blobs are copied first (each
/// checked against its hash), then cases, documents with their versions and their text, intake
/// entries, jobs, the audit log as it is (so the chain and every anchor still check) and the anchors. Every
/// write keeps its keys and leaves what is already there, so running it again, or again after it
/// was killed, copies nothing twice. The target must be new, or hold only what an earlier run
/// of the same migration copied.
public struct RepositoryMigration: Sendable {
    public let source: Repository
    public let target: Repository

    /// How many of each were copied now (and how many were there already).
    public struct Report: Sendable, Equatable, Codable {
        public var blobs = Count()
        public var cases = Count()
        public var documents = Count()
        /// Versions' text (the pages read by OCR).
        public var texts = Count()
        public var intake = Count()
        public var jobs = Count()
        public var auditEntries = Count()
        public var anchors = Count()
        public var accessGrants = Count()

        public struct Count: Sendable, Equatable, Codable {
            /// Written by this run.
            public var copied = 0
            /// Already in the target (an earlier run copied them).
            public var present = 0

            mutating func add(total: Int, copied: Int) {
                self.copied += copied
                present += total - copied
            }
        }

        /// Whether this run wrote nothing (everything was there already).
        public var copiedNothing: Bool {
            [blobs, cases, documents, texts, intake, jobs, auditEntries, anchors, accessGrants].allSatisfy { $0.copied == 0 }
        }
    }

    /// Why a migration is refused before it copies anything.
    public enum Refusal: Error, Equatable, Sendable, CustomStringConvertible {
        case sameRepository(String)
        case jobsRunning(source: String, workers: [String])
        case targetHasItsOwnHistory(target: String, reason: String)

        public var description: String {
            switch self {
            case .sameRepository(let data):
                return "\(data): the repository would be copied onto itself; name a new repository with --data"
            case .jobsRunning(let source, let workers):
                return "\(source): jobs are being worked on (by \(workers.joined(separator: ", "))); stop every `sohoa watch` "
                    + "and `sohoa sign --pending` on it first, then migrate"
            case .targetHasItsOwnHistory(let target, let reason):
                return "\(target): \(reason); migrate into a new repository (sohoa repo init --data NEW --database URL)"
            }
        }
    }

    public init(from source: Repository, to target: Repository) {
        self.source = source
        self.target = target
    }

    /// Documents written per transaction.
    static let batch = 200

    /// Copies everything; `progress` is told what is done as it goes (for a person watching).
    public func run(actor: String, now: Date = Date(), progress: (String) -> Void = { _ in }) async throws -> Report {
        try await checkTarget(now: now)
        var report = Report()
        let from = source.store, to = target.store

        let hashes = try await from.referencedHashes().sorted()
        for (index, hash) in hashes.enumerated() {
            if target.blobs.contains(hash) {
                report.blobs.present += 1
            } else {
                let (copied, _) = try target.blobs.put(fileAt: source.blobs.path(of: hash))
                guard copied == hash else {
                    throw StoreError.corrupt("\(source.blobs.path(of: hash)): the blob is damaged (its content is \(copied)); "
                                             + "run sohoa repo fsck --data \(source.data)")
                }
                report.blobs.copied += 1
            }
            if (index + 1) % 1000 == 0 { progress("blobs: \(index + 1) of \(hashes.count)") }
        }

        let cases = try await from.allCases()
        report.cases.add(total: cases.count, copied: try await to.insertCases(cases))

        let ids = try await from.allDocumentIDs()
        for start in stride(from: 0, to: ids.count, by: Self.batch) {
            var documents: [(document: Document, versions: [DocumentVersion])] = []
            for id in ids[start..<min(start + Self.batch, ids.count)] {
                guard let document = try await from.document(id) else { continue }
                documents.append((document, try await from.versions(of: id)))
            }
            report.documents.add(total: documents.count, copied: try await to.insertDocuments(documents))
            var texts: [(document: DocumentID, version: Int, pages: [PageTextRecord])] = []
            for (document, _) in documents {
                for (version, pages) in try await from.recordedPageTexts(of: document.id).sorted(by: { $0.key < $1.key }) {
                    texts.append((document.id, version, pages))
                }
            }
            report.texts.add(total: texts.count, copied: try await to.insertPageTexts(texts))
            progress("documents: \(min(start + Self.batch, ids.count)) of \(ids.count)")
        }

        let intake = Array(try await from.intakeLog(limit: Int.max).reversed())
        for part in Self.chunks(intake, 1000) { report.intake.add(total: part.count, copied: try await to.insertIntake(part)) }
        let jobs = try await from.allJobs()
        for part in Self.chunks(jobs, 1000) { report.jobs.add(total: part.count, copied: try await to.insertJobs(part)) }
        let audit = try await from.auditLog()
        for part in Self.chunks(audit, 1000) {
            report.auditEntries.add(total: part.count, copied: try await to.insertAuditEntries(part))
        }
        let anchors = try await from.anchors()
        report.anchors.add(total: anchors.count, copied: try await to.insertAnchors(anchors))
        let grants = try await from.accessGrants()
        report.accessGrants.add(total: grants.count, copied: try await to.insertAccessGrants(grants))
        progress("audit entries: \(audit.count), anchors: \(anchors.count), access grants: \(grants.count)")

        try await to.record(actor: actor, action: "migrate", subject: "repository",
                            detail: "from \(source.data): \(report.documents.copied) document(s), \(report.blobs.copied) blob(s), "
                                + "\(report.auditEntries.copied) audit entries copied; \(report.documents.present) document(s) "
                                + "were there already")
        return report
    }

    /// Refuses a target that is the source, a source whose jobs are being worked on, and a
    /// target with documents or audit entries the source does not have.
    func checkTarget(now: Date) async throws {
        let sameFolder = URL(fileURLWithPath: source.data).standardizedFileURL.resolvingSymlinksInPath()
            == URL(fileURLWithPath: target.data).standardizedFileURL.resolvingSymlinksInPath()
        if sameFolder { throw Refusal.sameRepository(target.data) }
        let running = try await source.store.allJobs().filter { $0.state == .running && ($0.leaseUntil ?? .distantPast) > now }
        if !running.isEmpty {
            throw Refusal.jobsRunning(source: source.data, workers: Array(Set(running.compactMap(\.leaseOwner))).sorted())
        }
        let theirs = try await target.store.auditLog()
        let ours = try await source.store.auditLog()
        for (entry, original) in zip(theirs, ours) where entry.hash != original.hash {
            throw Refusal.targetHasItsOwnHistory(target: target.data,
                                                 reason: "its audit entry \(entry.sequence) is not the one being copied")
        }
        // Past the copied log, only the migrations' own entries may follow.
        if theirs.count > ours.count, let other = theirs[ours.count...].first(where: { $0.action != "migrate" }) {
            throw Refusal.targetHasItsOwnHistory(target: target.data,
                                                 reason: "it has audit entries of its own (entry \(other.sequence): \(other.action))")
        }
        let known = Set(try await source.store.allDocumentIDs())
        if let stranger = try await target.store.allDocumentIDs().first(where: { !known.contains($0) }) {
            throw Refusal.targetHasItsOwnHistory(target: target.data, reason: "it has documents of its own (\(stranger))")
        }
    }

    static func chunks<T>(_ items: [T], _ size: Int) -> [[T]] {
        stride(from: 0, to: items.count, by: size).map { Array(items[$0..<min($0 + size, items.count)]) }
    }
}
