import Foundation
import SohoaCrypto
import SohoaRepository
import SohoaSigning

/// Signs what waits in the repository, on this machine or through `sohoa serve` (`SigningDesk`):
/// an officer signs `pending` documents (they become `signed`), an approver signs `signed` ones
/// (they become `approved`). Each signed version is filed with its provenance (made from the
/// version that was signed) and an audit entry.
///
/// A batch that is interrupted is simply run again: documents already moved on are no longer
/// waiting, and a version is only added when the document is still as the signer saw it, so
/// nothing is signed twice into the record.
public struct PendingSigning: Sendable {
    public let desk: any SigningDesk
    public let signer: PAdESSigner
    /// Who signs, for the audit log (the certificate's subject).
    public let actor: String
    /// Sign even where the role's signature does not belong (an approval of an unsigned
    /// document, a second officer signature), reporting it as a warning.
    public let force: Bool
    /// What the officer's visible signature's QR code says of each document (nil: no QR code).
    public let qrCode: DocumentQRCode?

    public init(desk: any SigningDesk, signer: PAdESSigner, actor: String, force: Bool = false, qrCode: DocumentQRCode? = nil) {
        self.desk = desk
        self.signer = signer
        self.actor = actor
        self.force = force
        self.qrCode = qrCode
    }

    /// Signs what waits in `repository`, on this machine.
    public init(repository: Repository, signer: PAdESSigner, actor: String, force: Bool = false, qrCode: DocumentQRCode? = nil) {
        self.init(desk: LocalDesk(repository: repository), signer: signer, actor: actor, force: force, qrCode: qrCode)
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
        try await desk.waiting(in: transition.from, owner: owner, dossier: dossier)
    }

    /// What happened to one document.
    public enum Outcome: Sendable {
        /// Signed and filed as `version`; `warning` says why it should not have been (with `force`).
        case signed(DocumentVersion, SignedFile, warning: SignatureOrderProblem?)
        /// Someone else moved it on meanwhile (before it was signed, or before it was filed).
        case skipped(String)
        /// Not signed: its stored PDF's signatures do not fit the role (see `SignatureOrder`).
        case refused(SignatureOrderProblem)
        case failed(String)
    }

    /// Signs `documents`, one per core at a time on threads of their own (more when each waits
    /// for a time-stamp authority: `BatchSigner.width(for:)`), calling `report`
    /// after each (one call at a time).
    public func run(_ documents: [Document], report: @Sendable (Document, Outcome) -> Void) async -> BatchSummary {
        await desk.removeLeftovers()
        let width = BatchSigner.width(for: signer)
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

    private func signOne(_ document: Document) async -> Outcome {
        let transition = self.transition
        let work = desk.workFolder
        let output = "\(work)/.\(transition.action)-\(document.id)-\(UUID().uuidString.prefix(8)).partial"
        defer { try? FileManager.default.removeItem(atPath: output) }
        do {
            try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
            guard let fetched = try await desk.fetch(document, whileIn: transition.from, into: work) else {
                return .skipped("it is no longer \(transition.from.rawValue)")
            }
            defer { if fetched.isCopy { try? FileManager.default.removeItem(atPath: fetched.path) } }
            let problem = SignatureOrder.problem(signingAs: signer.role, existing: try SignatureOrder.signatureCount(ofFileAt: fetched.path))
            if let problem, !force { return .refused(problem) }
            let time = Date()
            let qrText = signer.role == .officer
                ? qrCode?.text(for: document, procedure: fetched.procedure, publicCode: fetched.publicCode ?? document.publicCode,
                               issuedAt: time)
                : nil
            let signed: SignedFile
            do {
                signed = try signer.withQRCode(qrText).trustingRecordedInk(fetched.isAssembled).sign(fileAt: fetched.path, writingTo: output, at: time,
                                                            expected: Hex.bytes(fetched.hash.rawValue))
            } catch let error as SigningError where error.kind == .inputChanged {
                return .failed("its stored PDF \(fetched.hash) cannot be used: its content changed since it was filed, and "
                               + "nothing was signed; run `sohoa repo fsck`")
            }
            let version = try await desk.file(output, sha256: signed.sha256, madeFrom: fetched, of: document.id, kind: transition.kind, to: transition.to,
                                              from: transition.from, actor: actor, action: transition.action)
            return .signed(version, signed, warning: problem)
        } catch let conflict as SigningDeskConflict {
            return .skipped("someone else signed it first (\(conflict)); nothing was filed")
        } catch {
            return .failed("\(error)")
        }
    }
}
