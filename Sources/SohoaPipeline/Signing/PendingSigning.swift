import Foundation
import SohoaRepository
import SohoaSigning

/// Signs what waits in the repository: an officer signs `pending` documents (they become
/// `signed`), an approver signs `signed` ones (they become `approved`). Each signed version is
/// filed with its provenance (made from the version that was signed) and an audit entry.
///
/// A batch that is interrupted is simply run again: documents already moved on are no longer
/// waiting, and a version is only added when the document is still as the signer saw it, so
/// nothing is signed twice into the record.
public struct PendingSigning: Sendable {
    public let repository: Repository
    public let signer: PAdESSigner
    /// Who signs, for the audit log (the certificate's subject).
    public let actor: String
    /// Sign even where the role's signature does not belong (an approval of an unsigned
    /// document, a second officer signature), reporting it as a warning.
    public let force: Bool

    public init(repository: Repository, signer: PAdESSigner, actor: String, force: Bool = false) {
        self.repository = repository
        self.signer = signer
        self.actor = actor
        self.force = force
    }

    /// The state documents wait in for this role, and the state and version kind signing moves them to.
    var transition: (from: DocumentState, to: DocumentState, kind: VersionKind, action: String) {
        switch signer.role {
        case .officer: return (.pending, .signed, .signed, "sign")
        case .approver: return (.signed, .approved, .approved, "approve")
        }
    }

    /// The documents waiting for this role, of one owner, one case, or all.
    public func waiting(owner: OwnerID?, dossier: DossierCode?) async throws -> [Document] {
        try await repository.store.documents(in: transition.from, owner: owner, dossier: dossier)
    }

    /// What happened to one document.
    public enum Outcome: Sendable {
        /// Signed and filed as `version`; `warning` says why it should not have been (with `force`).
        case signed(DocumentVersion, SignedFile, warning: SignatureOrderProblem?)
        /// Someone else moved it on meanwhile.
        case skipped(String)
        /// Not signed: its stored PDF's signatures do not fit the role (see `SignatureOrder`).
        case refused(SignatureOrderProblem)
        case failed(String)
    }

    /// Signs `documents`, one per core at a time on threads of their own, calling `report`
    /// after each (one call at a time).
    public func run(_ documents: [Document], report: @Sendable (Document, Outcome) -> Void) async -> BatchSummary {
        await removeLeftovers()
        let width = ProcessInfo.processInfo.activeProcessorCount
        let threads = WorkerThreads(count: width, name: "sohoa sign")
        defer { threads.shutdown() }
        return await BatchSummary.collect(documents, width: width, on: threads,
                                          work: { document in await signOne(document) }, tally: { outcome in
            switch outcome {
            case .signed: .signed
            case .skipped: .skipped
            case .failed: .failed
            case .refused: .refused
            }
        }, report: { _, document, outcome in report(document, outcome) })
    }

    /// Removes the signed copies a killed batch left unfiled (more than an hour old, so a
    /// batch running beside this one keeps its own), and the blobs of filings that did not
    /// finish (never one a row points at, nor one a running batch uses).
    private func removeLeftovers() async {
        _ = try? await repository.removeUnfinishedWrites()
        let work = (repository.data as NSString).appendingPathComponent("work")
        let manager = FileManager.default
        for name in (try? manager.contentsOfDirectory(atPath: work)) ?? []
        where (name.hasPrefix(".sign-") || name.hasPrefix(".approve-")) && name.hasSuffix(".partial") {
            let path = "\(work)/\(name)"
            if let modified = (try? manager.attributesOfItem(atPath: path))?[.modificationDate] as? Date,
               Date().timeIntervalSince(modified) > 3600 {
                try? manager.removeItem(atPath: path)
            }
        }
    }

    private func signOne(_ document: Document) async -> Outcome {
        let transition = self.transition
        let work = (repository.data as NSString).appendingPathComponent("work")
        let output = "\(work)/.\(transition.action)-\(document.id)-\(UUID().uuidString.prefix(8)).partial"
        defer { try? FileManager.default.removeItem(atPath: output) }
        do {
            guard let current = try await repository.store.document(document.id), current.state == transition.from else {
                return .skipped("it is no longer \(transition.from.rawValue)")
            }
            if let problem = repository.blobs.problem(with: current.latest) {
                return .failed("its stored PDF \(current.latest) cannot be used: \(problem); run `sohoa repo fsck`")
            }
            let stored = repository.blobs.path(of: current.latest)
            let problem = SignatureOrder.problem(signingAs: signer.role, existing: try SignatureOrder.signatureCount(ofFileAt: stored))
            if let problem, !force { return .refused(problem) }
            try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
            let signed = try signer.sign(fileAt: stored, writingTo: output)
            let version = try await repository.storingBlobs { write in
                let (hash, size) = try write.put(fileAt: output)
                return try await repository.store.addVersion(
                    to: document.id, hash: hash, size: size, kind: transition.kind, state: transition.to, expecting: current.latest,
                    from: transition.from, actor: actor, action: transition.action)
            }
            return .signed(version, signed, warning: problem)
        } catch {
            return .failed("\(error)")
        }
    }
}
