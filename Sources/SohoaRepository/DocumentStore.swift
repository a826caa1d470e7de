import Foundation

/// Documents, their versions (the provenance chain) and the cases they belong to. Each write
/// records its audit entry in the same transaction (see `AuditLog` for how entries are
/// appended).
public protocol DocumentStore: Sendable {
    /// Files a new document (its row, its case links, its first version, an audit entry) in
    /// one transaction. A case seen for the first time is created for the document's owner; a
    /// case of another owner is refused.
    func file(_ document: NewDocument, actor: String, action: String) async throws -> Document

    /// Adds a version made from the newest one (the provenance chain) and moves the document
    /// to `state`, with an audit entry, in one transaction. With `parent`, the newest version
    /// must still be that one (and the document in state `from`, when given): otherwise
    /// someone else added a version meanwhile, and nothing is changed (`StoreError`).
    func addVersion(to id: DocumentID, hash: ContentHash, size: Int, kind: VersionKind, state: DocumentState,
                    expecting parent: ContentHash?, from: DocumentState?, actor: String, action: String) async throws -> DocumentVersion

    /// Links a document to another case (no copy), with an audit entry.
    func link(_ id: DocumentID, to dossier: DossierCode, actor: String, action: String) async throws

    func document(_ id: DocumentID) async throws -> Document?

    /// The document whose public check code is `code`; nil when there is none.
    func document(publicCode code: PublicCode) async throws -> Document?

    /// Whose case it is; nil when there is no such case.
    func owner(of dossier: DossierCode) async throws -> OwnerID?

    /// A case, nil when there is no such case.
    func caseRecord(_ dossier: DossierCode) async throws -> Case?

    /// Documents in `state`, optionally only one owner's or one case's, oldest first (what
    /// waits for a signature or an approval).
    func documents(in state: DocumentState, owner: OwnerID?, dossier: DossierCode?) async throws -> [Document]

    /// An owner's documents, optionally only those of one case or one type, oldest first.
    func documents(owner: OwnerID, dossier: DossierCode?, type: String?) async throws -> [Document]

    /// Documents matching every condition of `query`, oldest first.
    func documents(matching query: DocumentQuery) async throws -> [Document]

    /// The ids of the documents whose id starts with `prefix`, in order, at most `limit` of them.
    func documentIDs(startingWith prefix: DocumentIDPrefix, limit: Int) async throws -> [DocumentID]

    /// Documents of `owner` with a version whose content is `hash` (to find duplicates).
    func documents(owner: OwnerID, containing hash: ContentHash) async throws -> [Document]

    /// A document's versions, oldest first.
    func versions(of id: DocumentID) async throws -> [DocumentVersion]

    /// Every content hash a version row points at.
    func referencedHashes() async throws -> Set<ContentHash>

    /// How many documents are in each state.
    func documentCounts() async throws -> [DocumentState: Int]
}

extension DocumentStore {
    /// Adds a version made from whatever version is newest.
    public func addVersion(to id: DocumentID, hash: ContentHash, size: Int, kind: VersionKind, state: DocumentState,
                           actor: String, action: String) async throws -> DocumentVersion {
        try await addVersion(to: id, hash: hash, size: size, kind: kind, state: state, expecting: nil, from: nil, actor: actor,
                       action: action)
    }
}

extension DocumentStore {
    /// The procedure (mã TTHC) of the case `document` was first filed for, when one was recorded.
    public func procedure(ofCaseFiledFor document: Document) async throws -> String? {
        guard let first = document.cases.first, let dossier = try? DossierCode(first) else { return nil }
        return try await caseRecord(dossier)?.procedure
    }
}
