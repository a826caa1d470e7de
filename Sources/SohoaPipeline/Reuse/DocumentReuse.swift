import Foundation
import SohoaRepository
import SohoaVerification

/// "Submit once": attaches an already-filed document to a citizen's new case, after checking
/// that it may still be relied on — its state (not superseded or revoked) and every one of its
/// signatures, verified again now. Only a document whose signatures are all valid is reused.
public struct DocumentReuse: Sendable {
    public let repository: Repository
    public let verifier: DocumentVerifier

    public init(repository: Repository, verifier: DocumentVerifier) {
        self.repository = repository
        self.verifier = verifier
    }

    /// Why a document was not reused.
    public struct Refusal: Error, CustomStringConvertible, Sendable {
        public let description: String
        /// The verification, when the refusal comes from it.
        public let report: FileReport?
    }

    /// Links document `id` to `dossier` (an audit entry "reuse") and returns the document and
    /// the verification that allowed it.
    public func reuse(_ id: DocumentID, in dossier: DossierCode, actor: String) throws -> (Document, FileReport) {
        guard let document = try repository.store.document(id) else {
            throw Refusal(description: "there is no document \(id)", report: nil)
        }
        guard document.state != .superseded, document.state != .revoked else {
            throw Refusal(description: "document \(id) is \(document.state.rawValue) and may not be reused", report: nil)
        }
        let report: FileReport
        do {
            report = try verifier.verify(path: repository.blobs.path(of: document.latest))
        } catch {
            throw Refusal(description: "document \(id) cannot be verified: \(error.reason)", report: nil)
        }
        guard report.verdict == .valid else {
            let reasons = report.signatures.flatMap(\.reasons) + report.problems
            let what: String = switch report.verdict {
            case .unsigned: "is not signed"
            case .invalid: "has an invalid signature"
            default: "has a signature that cannot be shown valid"
            }
            throw Refusal(description: "document \(id) \(what), so it is not reused"
                          + (reasons.isEmpty ? "" : ": " + reasons.joined(separator: " ")), report: report)
        }
        if !document.cases.contains(dossier.rawValue) {
            try repository.store.link(id, to: dossier, actor: actor, action: "reuse")
        }
        return (try repository.store.document(id) ?? document, report)
    }
}
