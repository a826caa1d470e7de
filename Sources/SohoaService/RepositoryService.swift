import Foundation
import SohoaPDF
import SohoaPipeline
import SohoaRepository
import SohoaVerification

/// The repository's use cases, the same for the command line and for `sohoa serve`: each takes
/// the principal asking, checks its roles, does the work and writes the audit entry naming it.
/// Neither front end reads or changes the records another way, so the two cannot disagree.
public struct RepositoryService: Sendable {
    public let repository: Repository
    /// Verifies for reuse, for `verify` and for the public check.
    public let verifier: DocumentVerifier
    let verifications: VerificationCache

    public init(repository: Repository, verifier: DocumentVerifier, verificationsKeptFor seconds: TimeInterval = 60) {
        self.repository = repository
        self.verifier = verifier
        verifications = VerificationCache(keptFor: seconds)
    }

    var store: any Store { repository.store }

    // MARK: - Reading

    /// Documents matching `query`. A principal that reads everything gets what the filters
    /// select, as `repo list` prints it. An agency must name the citizen and, as `query.dossier`,
    /// the case it serves, which must be that citizen's: it gets that citizen's documents that
    /// may be relied on (signed or approved), whatever case they are in.
    public func list(_ query: DocumentQuery, as principal: Principal) async throws(ServiceError) -> [Document] {
        if principal.may(.readEverything) {
            return try await serviceErrors { try await store.documents(matching: query) }
        }
        try principal.require(.readForCase)
        guard let owner = query.owner else {
            throw .invalidInput("an agency lists one citizen's documents: name the citizen")
        }
        try await checkServedCase(query.dossier, of: owner.description, as: principal)
        var wider = query
        wider.dossier = nil
        let found = try await serviceErrors { try await store.documents(matching: wider) }
        return found.filter { $0.state == .signed || $0.state == .approved }
    }

    /// A document and its versions with their provenance, and the text read on its pages; the
    /// read is audited.
    public func show(_ id: DocumentID, servingCase: DossierCode? = nil,
                     as principal: Principal) async throws(ServiceError) -> ShownDocument {
        let document = try await readableDocument(id, servingCase: servingCase, as: principal)
        let versions = try await serviceErrors { try await store.versions(of: id) }
        let procedure = try await serviceErrors { try await store.procedure(ofCaseFiledFor: document) }
        let pages = try await serviceErrors { try await store.pageTexts(of: id, version: nil) }
        try await audit(read: id, detail: "shown", servingCase: servingCase, as: principal)
        return ShownDocument(document, versions: versions, procedure: procedure, pages: pages)
    }

    /// Version `number` of a document (the newest when nil) and where its bytes are; the read is
    /// audited.
    public func version(_ id: DocumentID, number: Int?, servingCase: DossierCode? = nil,
                        as principal: Principal) async throws(ServiceError) -> (DocumentVersion, path: String) {
        _ = try await readableDocument(id, servingCase: servingCase, as: principal)
        let versions = try await serviceErrors { try await store.versions(of: id) }
        guard let version = number.map({ wanted in versions.first { $0.number == wanted } }) ?? versions.last else {
            throw .notFound("document \(id) has no version \(number ?? 0) (it has 1 to \(versions.count))")
        }
        try await audit(read: id, detail: "version \(version.number)", servingCase: servingCase, as: principal)
        return (version, repository.blobs.path(of: version.hash))
    }

    /// Writes version `number` (the newest when nil) to the file `output`; the read is audited.
    public func copy(_ id: DocumentID, number: Int?, to output: String, as principal: Principal) async throws(ServiceError) -> DocumentVersion {
        _ = try await readableDocument(id, servingCase: nil, as: principal)
        return try await serviceErrors { try await repository.get(id, version: number, to: output, actor: principal.actor) }
    }

    // MARK: - Changing

    /// Files the PDF at `path` for `owner` in `dossier`: a signed PDF as signed, any other as
    /// waiting for signature; the same content filed before for the owner is linked, not copied.
    public func file(pdfAt path: String, owner: OwnerID, dossier: DossierCode, procedure: String? = nil, type: String? = nil,
                     title: String? = nil, as principal: Principal) async throws(ServiceError) -> Repository.Filed {
        try principal.require(.file)
        let signed = (try? QPDFDocument(path: path).signatureDictionaries().isEmpty == false) ?? false
        return try await serviceErrors {
            try await repository.importPDF(at: path, owner: owner, dossier: dossier, procedure: procedure, type: type, title: title,
                                           state: signed ? .signed : .pending, actor: principal.actor)
        }
    }

    /// "Submit once": attaches document `id` to `dossier` after verifying it again now
    /// (`DocumentReuse`). A principal without the role gets `ServiceError.forbidden`; a refusal
    /// by the rules is thrown as the `DocumentReuse.Refusal` it is, with the verification's
    /// reasons (each front end words it: exit 1, or 422 with `ReuseOutcome`).
    public func reuse(_ id: DocumentID, into dossier: DossierCode, as principal: Principal) async throws -> (Document, FileReport) {
        try principal.require(.reuse)
        return try await DocumentReuse(repository: repository, verifier: verifier).reuse(id, in: dossier, actor: principal.actor)
    }

    // MARK: - Checking

    /// Verifies the PDF at `path` as `sohoa verify` does.
    public func verify(pdfAt path: String, as principal: Principal) throws(ServiceError) -> FileReport {
        try principal.require(.verify)
        do { return try verifier.verify(path: path) } catch { throw .refused(error.reason) }
    }

    /// The pipeline as `sohoa status` shows it.
    public func status(as principal: Principal) async throws(ServiceError) -> PipelineStatus {
        try principal.require(.readStatus)
        return try await serviceErrors { try await PipelineStatus.read(from: store) }
    }

    // MARK: - Rules

    /// The document, when the principal may read it (for an agency: for a case of the
    /// document's owner).
    func readableDocument(_ id: DocumentID, servingCase: DossierCode?, as principal: Principal) async throws(ServiceError) -> Document {
        try principal.require(.readForCase)
        guard let document = try await serviceErrors({ try await store.document(id) }) else {
            throw .notFound("there is no document \(id)")
        }
        if !principal.may(.readEverything) {
            try await checkServedCase(servingCase, of: document.owner, as: principal)
        }
        return document
    }

    /// Refuses an agency's read that names no case, or a case that is not `owner`'s.
    func checkServedCase(_ dossier: DossierCode?, of owner: String, as principal: Principal) async throws(ServiceError) {
        guard let dossier else {
            throw .forbidden("\(principal.actor) reads for a case: name the case the read serves (case=…)")
        }
        let caseOwner = try await serviceErrors { try await store.owner(of: dossier) }
        guard let caseOwner else {
            throw .forbidden("the case \(dossier) is not in the repository; a case is opened when its first document is filed")
        }
        guard caseOwner.description == owner else {
            throw .forbidden("the case \(dossier) is not this citizen's: its documents are not read for it")
        }
    }

    func audit(read id: DocumentID, detail: String, servingCase: DossierCode?, as principal: Principal) async throws(ServiceError) {
        let purpose = servingCase.map { " for case \($0)" } ?? ""
        _ = try await serviceErrors {
            try await store.record(actor: principal.actor, action: "read", subject: id.rawValue, detail: detail + purpose)
        }
    }
}
