import Foundation
import SohoaCrypto
import SohoaPDF
import SohoaRepository
import SohoaSigning
import SohoaVerification

/// `sohoa repo refresh`: keeps the repository's signed documents verifiable for decades. Each
/// signed or approved document whose newest version is due (no document time-stamp yet, its
/// newest time-stamp's authority certificate expiring within the window, or an algorithm no
/// longer trusted) and valid now gets a refreshed version: the same bytes followed by validation
/// data and a document time-stamp (`ArchiveRenewal`), filed with its provenance and an audit
/// entry only if the document has not moved on meanwhile. A refresh never changes what was
/// signed. Run again, it finds nothing due; killed, it is simply run again (a version is filed
/// whole or not at all, and a blob without its row is cleaned up at the next start).
public struct ArchiveRefresh: Sendable {
    public let repository: Repository
    public let renewal: ArchiveRenewal
    public let verifier: DocumentVerifier
    /// Documents whose newest time-stamp's authority certificate expires before this are due.
    public let deadline: Date
    /// When the authority's own certificate expires, learnt before the batch: renewing a
    /// time-stamp that expires no earlier would prove nothing longer.
    public let authorityExpires: Date?
    /// Who the versions and audit entries name.
    public let actor: String

    public init(repository: Repository, renewal: ArchiveRenewal, verifier: DocumentVerifier, deadline: Date, authorityExpires: Date?,
                actor: String) {
        self.repository = repository
        self.renewal = renewal
        self.verifier = verifier
        self.deadline = deadline
        self.authorityExpires = authorityExpires
        self.actor = actor
    }

    /// What happened to one document.
    public enum Outcome: Sendable {
        /// A refreshed version was filed.
        case refreshed(DocumentID, version: Int, because: ArchiveRenewalDue, bytesAdded: Int)
        /// Nothing is due.
        case fresh(DocumentID)
        /// Due, but not refreshed, for this reason (it is not valid now, the authority would not help).
        case refused(DocumentID, reason: String)
        /// The refresh failed (the authority, the storage); running again retries it.
        case failed(DocumentID, reason: String)

        public var document: DocumentID {
            switch self {
            case .refreshed(let id, _, _, _), .fresh(let id), .refused(let id, _), .failed(let id, _): id
            }
        }
    }

    /// The documents it looks at: every signed and approved one.
    public func documents() async throws -> [Document] {
        try await repository.store.documents(in: .signed, owner: nil, dossier: nil)
            + repository.store.documents(in: .approved, owner: nil, dossier: nil)
    }

    /// Refreshes `documents`, `workers` at a time, calling `each` as each is done.
    public func run(_ documents: [Document], workers: Int, each: @escaping @Sendable (Outcome) -> Void) async -> [Outcome] {
        _ = try? await repository.removeUnfinishedWrites()
        return await withTaskGroup(of: Outcome.self) { group in
            var pending = documents.makeIterator()
            var outcomes: [Outcome] = []
            for _ in 0..<max(1, workers) {
                guard let document = pending.next() else { break }
                group.addTask { await refresh(document) }
            }
            while let outcome = await group.next() {
                outcomes.append(outcome)
                each(outcome)
                if let document = pending.next() { group.addTask { await refresh(document) } }
            }
            return outcomes
        }
    }

    /// Refreshes one document when it is due and valid now.
    func refresh(_ document: Document) async -> Outcome {
        let id = document.id
        let path = repository.blobs.path(of: document.latest)
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failed(id, reason: "its newest version (\(document.latest)) cannot be read from the blob store")
        }
        let bytes = [UInt8](data)
        guard ContentHash(digest: SHA256.digest(bytes)) == document.latest else {
            return .failed(id, reason: "its newest version's blob does not match its hash \(document.latest) (run sohoa repo fsck)")
        }
        let due: ArchiveRenewalDue
        do {
            guard let reason = ArchiveRenewalDue.reason(try NewestTimeStamp.find(in: QPDFDocument(bytes: bytes, name: id.rawValue)),
                                                        deadline: deadline) else { return .fresh(id) }
            due = reason
        } catch {
            return .refused(id, reason: "its newest version cannot be read as a PDF (\(error))")
        }
        if case .expiresSoon(let expires) = due, let authorityExpires, authorityExpires <= expires {
            return .refused(id, reason: "\(due), and the authority's own certificate expires no later "
                            + "(\(authorityExpires.formatted(.iso8601))): a renewal with it would prove nothing longer; use another")
        }
        let report: FileReport
        do { report = try verifier.verify(path: path) } catch {
            return .refused(id, reason: "it cannot be verified: \(error.reason)")
        }
        guard report.verdict == .valid else {
            let reasons = report.reasonsNotValid
            return .refused(id, reason: "it is \(report.verdict.rawValue) now" + (reasons.isEmpty ? "" : " (" + reasons.joined(separator: "; ") + ")")
                            + "; a refresh proves only what holds")
        }
        let renewed: (bytes: [UInt8], renewed: ArchiveRenewal.Renewed)
        do { renewed = try renewal.renew(bytes, name: id.rawValue) } catch {
            return .failed(id, reason: "\(error)")
        }
        let staging = FileManager.default.temporaryDirectory.appendingPathComponent("sohoa-refresh-\(UUID().uuidString).pdf").path
        defer { try? FileManager.default.removeItem(atPath: staging) }
        do {
            guard FileManager.default.createFile(atPath: staging, contents: Data(renewed.bytes)) else {
                return .failed(id, reason: "the refreshed version cannot be written to \(staging)")
            }
            let version = try await repository.storingBlobs { write in
                let (hash, size) = try await write.put(fileAt: staging)
                return try await repository.store.addVersion(to: id, hash: hash, size: size, kind: .refreshed, state: document.state,
                                                             expecting: document.latest, from: document.state, actor: actor,
                                                             action: "refresh")
            }
            return .refreshed(id, version: version.number, because: due, bytesAdded: renewed.renewed.bytesAdded)
        } catch StoreError.conflict {
            return .failed(id, reason: "it changed while it was refreshed; run again")
        } catch {
            return .failed(id, reason: "\(error)")
        }
    }
}
