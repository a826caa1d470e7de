import Foundation
import SohoaRepository
import SohoaSigning
import SohoaVerification

/// What a signed version sent from a signer's own machine (`sohoa sign --pending --server`) must
/// be before it is filed: the signature of the role the document waits for, added as an
/// incremental update to exactly the version the signer was given, and not invalid.
extension RepositoryService {
    /// The step a document takes when it is signed in the state it is in: a `pending` one is
    /// signed by an officer, a `signed` one approved by an approver.
    static func signingStep(from state: DocumentState) -> (permission: Permission, to: DocumentState, kind: VersionKind, action: String)? {
        switch state {
        case .pending: (.sign, .signed, .signed, "sign")
        case .signed: (.approve, .approved, .approved, "approve")
        default: nil
        }
    }

    /// Files the PDF at `path` as the next version of document `id`, signed by `principal` on its
    /// own machine from the version whose hash is `parent`. Refused when the document has moved
    /// on (`preconditionFailed`: another signer was first), when nothing about it waits for the
    /// principal's role, or when the upload is not that version with one more signature that
    /// holds (`refused`, with the reason). Audited as the principal.
    public func fileSignedVersion(_ id: DocumentID, uploadedAt path: String, madeFrom parent: ContentHash,
                                  as principal: Principal) async throws(ServiceError) -> (Document, DocumentVersion) {
        try principal.require(anyOf: [.sign, .approve])
        guard let document = try await serviceErrors({ try await store.document(id) }) else {
            throw .notFound("there is no document \(id)")
        }
        // Moved on first: a signer who lost a race is told so, whatever the document waits for now.
        guard document.latest == parent else {
            throw .preconditionFailed("document \(id) changed since it was fetched: its newest version is now \(document.latest), "
                                      + "not \(parent); nothing was filed")
        }
        guard let step = Self.signingStep(from: document.state) else {
            throw .conflict("document \(id) is \(document.state.rawValue): nothing about it waits for a signature")
        }
        try principal.require(step.permission)
        try checkUpload(at: path, extends: repository.blobs.path(of: parent))
        return try await serviceErrors {
            let version = try await repository.storingBlobs { write in
                let (hash, size) = try await write.put(fileAt: path)
                do {
                    return try await store.addVersion(to: id, hash: hash, size: size, kind: step.kind, state: step.to, expecting: parent,
                                                      from: document.state, actor: principal.actor, action: step.action)
                } catch StoreError.conflict(let text) {
                    throw ServiceError.preconditionFailed(text)
                }
            }
            return (try await store.document(id) ?? document, version)
        }
    }

    /// Refuses an upload that does not begin with the stored version's bytes, that adds other than
    /// one signature, or whose newest signature is broken or invalid (what follows it, such as the
    /// validation data of a B-LT signature, is judged by the verifier's change analysis).
    func checkUpload(at path: String, extends stored: String) throws(ServiceError) {
        guard let upload = FileManager.default.contents(atPath: path), let original = FileManager.default.contents(atPath: stored) else {
            throw .unavailable("the upload or the stored version cannot be read just now")
        }
        guard upload.count > original.count, upload.prefix(original.count) == original else {
            throw .refused("the upload is not the version it was made from with a signature added to it (an incremental update "
                           + "of exactly those bytes); nothing was filed")
        }
        let before: Int, after: Int
        do {
            before = try SignatureOrder.signatureCount(ofFileAt: stored)
            after = try SignatureOrder.signatureCount(ofFileAt: path)
        } catch {
            throw .refused("the upload cannot be read as a PDF: \(error)")
        }
        guard after == before + 1 else {
            throw .refused("the upload has \(after) signature(s) where the version it was made from has \(before): exactly one must be added")
        }
        let report: FileReport
        do { report = try verifier.verify(path: path) } catch { throw .refused(error.reason) }
        guard let newest = report.signatures.last(where: { $0.type == "signature" }), newest.integrity == "intact",
              newest.verdict != .invalid, report.verdict != .invalid else {
            let reasons = report.signatures.last?.reasons.joined(separator: " ") ?? "no signature could be read"
            throw .refused("the added signature does not hold, so nothing was filed: \(reasons)")
        }
    }
}
