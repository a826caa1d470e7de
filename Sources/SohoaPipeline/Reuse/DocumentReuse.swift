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
        /// What stood in the way.
        public enum Reason: Sendable, Equatable {
            /// There is no such document.
            case noSuchDocument
            /// The document is superseded or revoked.
            case notReusable(DocumentState)
            /// Its file could not be read as a PDF to verify (the verifier's words).
            case cannotBeVerified(String)
            /// A signature is not valid, or there is none: the verdict and the verifier's reasons
            /// (in the verifier's language).
            case notValid(Verdict, reasons: [String])
        }

        public let document: DocumentID
        public let reason: Reason
        /// The verification, when the refusal comes from it.
        public let report: FileReport?

        public var description: String {
            switch reason {
            case .noSuchDocument:
                return "there is no document \(document)"
            case .notReusable(let state):
                return "document \(document) is \(state.rawValue) and may not be reused"
            case .cannotBeVerified(let why):
                return "document \(document) cannot be verified: \(why)"
            case .notValid(let verdict, let reasons):
                let what: String = switch verdict {
                case .unsigned: "is not signed"
                case .invalid: "has an invalid signature"
                default: "has a signature that cannot be shown valid"
                }
                return "document \(document) \(what), so it is not reused" + (reasons.isEmpty ? "" : ": " + reasons.joined(separator: " "))
            }
        }
    }

    /// Links document `id` to `dossier` (an audit entry "reuse") and returns the document and
    /// the verification that allowed it.
    public func reuse(_ id: DocumentID, in dossier: DossierCode, actor: String) async throws -> (Document, FileReport) {
        guard let document = try await repository.store.document(id) else {
            throw Refusal(document: id, reason: .noSuchDocument, report: nil)
        }
        guard document.state != .superseded, document.state != .revoked else {
            throw Refusal(document: id, reason: .notReusable(document.state), report: nil)
        }
        let report: FileReport
        do {
            report = try verifier.verify(path: repository.blobs.path(of: document.latest))
        } catch {
            throw Refusal(document: id, reason: .cannotBeVerified(error.reason), report: nil)
        }
        guard report.verdict == .valid else {
            throw Refusal(document: id, reason: .notValid(report.verdict, reasons: report.signatures.flatMap(\.reasons) + report.problems),
                          report: report)
        }
        if !document.cases.contains(dossier.rawValue) {
            try await repository.store.link(id, to: dossier, actor: actor, action: "reuse")
        }
        return (try await repository.store.document(id) ?? document, report)
    }
}
