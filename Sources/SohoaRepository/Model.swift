import Foundation
import SohoaCrypto

/// An identifier that is its text: written to JSON as that string, and checked again by its
/// own rules when read back.
public protocol TextIdentifier: Codable {
    var rawValue: String { get }
    init(_ text: String) throws(IdentifierError)
}

extension TextIdentifier {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// A document's identifier: 32 lower-case hexadecimal digits (128 random bits).
public struct DocumentID: Hashable, Sendable, CustomStringConvertible, TextIdentifier {
    public let rawValue: String

    static let kind = "document id"

    /// Parses `text`, which must be exactly a document id.
    public init(_ text: String) throws(IdentifierError) {
        guard Hex.isLowercase(text, length: 32) else {
            throw IdentifierError(kind: Self.kind, text: text,
                                  reason: "a document id is 32 lower-case hexadecimal digits, as `sohoa repo import` printed it")
        }
        rawValue = text
    }

    /// A new random id.
    public static func random() -> DocumentID {
        try! DocumentID(Hex.random(bytes: 16))  // 32 lower-case hex digits by construction
    }

    public var description: String { rawValue }

}

/// A SHA-256 digest written as 64 lower-case hexadecimal digits: how blobs are named.
public struct ContentHash: Hashable, Sendable, CustomStringConvertible, TextIdentifier, Comparable {
    public let rawValue: String

    static let kind = "SHA-256 hash"

    public init(_ text: String) throws(IdentifierError) {
        guard Hex.isLowercase(text, length: 64) else {
            throw IdentifierError(kind: Self.kind, text: text, reason: "a SHA-256 hash is 64 lower-case hexadecimal digits")
        }
        rawValue = text
    }

    /// The hash of a digest's bytes.
    public init(digest: [UInt8]) {
        rawValue = Hex.string(digest)
    }

    public var description: String { rawValue }
    public static func < (a: ContentHash, b: ContentHash) -> Bool { a.rawValue < b.rawValue }

}

/// Where a document is in its life (SPEC.md).
public enum DocumentState: String, Sendable, Codable, CaseIterable {
    case pending, signed, approved, superseded, revoked
}

/// What a version of a document is.
public enum VersionKind: String, Sendable, Codable, CaseIterable {
    case source, assembled, signed, approved, imported
    /// The same signed bytes followed by fresh validation data and a document time-stamp
    /// (`sohoa repo refresh`).
    case refreshed
}

/// A filed document: its owner, the cases it belongs to, and where it is in its life.
public struct Document: Sendable, Equatable, Codable {
    public let id: DocumentID
    public let owner: String
    public let type: String?
    public let title: String?
    public let issued: String?
    public let validUntil: String?
    public let state: DocumentState
    public let created: Date
    /// Dossier codes, in the order the document was linked to them.
    public let cases: [String]
    /// The newest version's content hash.
    public let latest: ContentHash
    /// Its code for the public check page (nil only in records read from before codes existed).
    public let publicCode: PublicCode?

    public init(id: DocumentID, owner: String, type: String?, title: String?, issued: String?, validUntil: String?,
                state: DocumentState, created: Date, cases: [String], latest: ContentHash, publicCode: PublicCode? = nil) {
        self.id = id
        self.owner = owner
        self.type = type
        self.title = title
        self.issued = issued
        self.validUntil = validUntil
        self.state = state
        self.created = created
        self.cases = cases
        self.latest = latest
        self.publicCode = publicCode
    }
}

/// One version of a document: content-addressed bytes and where they came from.
public struct DocumentVersion: Sendable, Equatable, Codable {
    /// 1 for the first version, then 2, 3, ...
    public let number: Int
    public let hash: ContentHash
    public let kind: VersionKind
    public let actor: String
    public let created: Date
    /// The version it was made from (the provenance chain): the first of `sources`, nil for a
    /// version made from nothing filed (a scan, an imported PDF).
    public let parent: ContentHash?
    /// Every version it was made from, in order: the page scans of an assembled PDF (each a
    /// `source` version of the same document), the version that was signed for a signed one.
    /// Empty when `parent` is nil.
    public let sources: [ContentHash]
    public let size: Int

    public init(number: Int, hash: ContentHash, kind: VersionKind, actor: String, created: Date, parent: ContentHash?,
                sources: [ContentHash], size: Int) {
        self.number = number
        self.hash = hash
        self.kind = kind
        self.actor = actor
        self.created = created
        self.parent = parent
        self.sources = sources
        self.size = size
    }
}

/// A scanned page file a document was made from, filed as a `source` version.
public struct SourceFile: Sendable, Equatable {
    public var hash: ContentHash
    public var size: Int

    public init(hash: ContentHash, size: Int) {
        self.hash = hash
        self.size = size
    }
}

/// What is filed together: a new document, the scans it was made from, and its first version
/// of its own.
public struct NewDocument: Sendable {
    public var owner: OwnerID
    public var cases: [DossierCode]
    /// The procedure a case is opened for, kept when the case is first seen.
    public var procedure: String?
    public var type: String?
    public var title: String?
    public var issued: String?
    public var validUntil: String?
    public var state: DocumentState
    public var kind: VersionKind
    public var hash: ContentHash
    public var size: Int
    /// The scans it was made from, in page order. They are filed first, as `source` versions;
    /// the version of kind `kind` then names them all as its `sources`, the first as its parent.
    public var sources: [SourceFile]
    /// The text read on its pages (by OCR), kept with its version of kind `kind`; empty when
    /// none was read.
    public var pages: [PageTextRecord]

    public init(owner: OwnerID, cases: [DossierCode], procedure: String? = nil, type: String? = nil, title: String? = nil,
                issued: String? = nil, validUntil: String? = nil, state: DocumentState, kind: VersionKind,
                hash: ContentHash, size: Int, sources: [SourceFile] = [], pages: [PageTextRecord] = []) {
        self.owner = owner
        self.pages = pages
        self.cases = cases
        self.procedure = procedure
        self.sources = sources
        self.type = type
        self.title = title
        self.issued = issued
        self.validUntil = validUntil
        self.state = state
        self.kind = kind
        self.hash = hash
        self.size = size
    }
}

/// A case: the dossier a citizen's request is handled in.
public struct Case: Sendable, Equatable {
    public let code: DossierCode
    public let owner: OwnerID
    public let procedure: String?
    public let created: Date

    public init(code: DossierCode, owner: OwnerID, procedure: String?, created: Date) {
        self.code = code
        self.owner = owner
        self.procedure = procedure
        self.created = created
    }
}

/// One entry of the append-only audit log.
public struct AuditEntry: Sendable, Equatable, Codable {
    public let sequence: Int
    public let time: Date
    public let actor: String
    /// file, sign, approve, import, reuse, read, export, anchor, repair
    public let action: String
    /// What it was done to: a document id, a case, a hash.
    public let subject: String
    public let detail: String
    /// The previous entry's hash (64 zeros for the first).
    public let previous: String
    /// SHA-256 over this entry's fields and `previous`.
    public let hash: String

    public init(sequence: Int, time: Date, actor: String, action: String, subject: String, detail: String,
                previous: String, hash: String) {
        self.sequence = sequence
        self.time = time
        self.actor = actor
        self.action = action
        self.subject = subject
        self.detail = detail
        self.previous = previous
        self.hash = hash
    }
}
