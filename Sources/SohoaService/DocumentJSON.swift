import Foundation
import SohoaRepository

/// How a document is listed for scripts (`repo list --json` and `GET /api/v1/documents`; the
/// keys of SPEC.md and more). A document without a type or title has them as null, so that
/// every key is always there.
public struct ListedDocument: Encodable, Sendable {
    public let id: String, citizen: String, cases: [String], type: String?, title: String?, state: String, sha256: String
    public let created: Date

    enum CodingKeys: String, CodingKey { case id, citizen, cases, type, title, state, sha256, created }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(citizen, forKey: .citizen)
        try container.encode(cases, forKey: .cases)
        try container.encode(type, forKey: .type)
        try container.encode(title, forKey: .title)
        try container.encode(state, forKey: .state)
        try container.encode(sha256, forKey: .sha256)
        try container.encode(created, forKey: .created)
    }

    public init(_ document: Document) {
        id = document.id.rawValue
        citizen = document.owner
        cases = document.cases
        type = document.type
        title = document.title
        state = document.state.rawValue
        sha256 = document.latest.rawValue
        created = document.created
    }
}

/// A document with its versions (`repo show --json`, `GET /api/v1/documents/{id}`).
public struct ShownDocument: Encodable, Sendable {
    public let document: ListedDocument
    public let versions: [DocumentVersion]
    public let publicCode: String?
    /// The procedure (mã TTHC) of the case the document was first filed for; nil when none was recorded.
    public let procedure: String?
    /// The text read on each page of its newest version (empty when none was read).
    public let pages: [PageTextRecord]
    /// The document as the store keeps it.
    public let record: Document

    enum CodingKeys: String, CodingKey { case document, versions, publicCode, procedure, pages }

    public init(_ document: Document, versions: [DocumentVersion], procedure: String? = nil, pages: [PageTextRecord] = []) {
        self.document = ListedDocument(document)
        self.versions = versions
        self.pages = pages
        publicCode = document.publicCode?.rawValue
        self.procedure = procedure
        record = document
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(document, forKey: .document)
        try container.encode(versions, forKey: .versions)
        try container.encode(publicCode, forKey: .publicCode)
        try container.encode(procedure, forKey: .procedure)
        try container.encode(pages, forKey: .pages)
    }
}

/// A filed PDF (`repo import --json`, `POST /api/v1/documents`): the document as listed, the
/// case it was filed for, and whether it was filed before.
public struct FiledDocument: Encodable, Sendable {
    public let document: ListedDocument
    public let dossier: String
    public let duplicate: Bool

    public init(_ filed: Repository.Filed, dossier: DossierCode) {
        document = ListedDocument(filed.document)
        self.dossier = dossier.rawValue
        duplicate = filed.duplicate
    }

    enum Keys: String, CodingKey { case `case`, duplicate }

    public func encode(to encoder: any Encoder) throws {
        try document.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(dossier, forKey: .case)
        try container.encode(duplicate, forKey: .duplicate)
    }
}

/// What a reuse did (`repo reuse --json`, `POST /api/v1/documents/{id}/reuse`): `cases` only
/// when attached, `reason` only when refused.
public struct ReuseOutcome: Encodable, Sendable {
    public let id: String
    public let `case`: String
    public let attached: Bool
    public let cases: [String]?
    public let verdict: String?
    public let reason: String?

    public init(id: String, case dossier: String, attached: Bool, cases: [String]?, verdict: String?, reason: String?) {
        self.id = id
        self.case = dossier
        self.attached = attached
        self.cases = cases
        self.verdict = verdict
        self.reason = reason
    }
}

/// A signed version filed from a signer's machine (`POST /api/v1/documents/{id}/versions`):
/// the document as it is now, and the version.
public struct FiledVersion: Encodable, Sendable {
    public let document: ListedDocument
    public let version: DocumentVersion

    public init(_ document: Document, version: DocumentVersion) {
        self.document = ListedDocument(document)
        self.version = version
    }
}
