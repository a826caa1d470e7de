import Foundation
import SohoaRepository

/// Where documents wait for a signature and where their signed versions go: the repository on
/// this machine (`LocalDesk`), or the central repository through `sohoa serve` (`RemoteDesk`).
/// `PendingSigning` signs on this machine either way; only fetching and filing differ.
public protocol SigningDesk: Sendable {
    /// The documents waiting in `state`, of one owner, of one case, or all, oldest first.
    func waiting(in state: DocumentState, owner: OwnerID?, dossier: DossierCode?) async throws -> [Document]

    /// The newest version of `document` as a file to sign, while the document is still in
    /// `state`; nil when it has moved on. A temporary copy is made in `work` when needed.
    func fetch(_ document: Document, whileIn state: DocumentState, into work: String) async throws -> FetchedVersion?

    /// Files the signed copy at `path` (synced, of SHA-256 `sha256` as the signer wrote it),
    /// made from `fetched`, as the document's next version of `kind`, moving it from `from` to
    /// `to`. Throws `SigningDeskConflict` when the document moved on meanwhile (another signer
    /// was first): nothing is filed then.
    func file(_ path: String, sha256: [UInt8], madeFrom fetched: FetchedVersion, of document: DocumentID, kind: VersionKind, to: DocumentState,
              from: DocumentState, actor: String, action: String) async throws -> DocumentVersion

    /// Where signed copies are written before they are filed.
    var workFolder: String { get }

    /// Removes what an interrupted batch left behind.
    func removeLeftovers() async
}

/// A version fetched to be signed.
public struct FetchedVersion: Sendable {
    /// The file to sign.
    public let path: String
    /// Its SHA-256: the version the signed one is made from.
    public let hash: ContentHash
    /// Whether `path` is a copy made for this signature (removed afterwards).
    public let isCopy: Bool
    /// What the QR code says of the document: its code for the public check page, and the
    /// procedure (mã TTHC) of the case it was filed for.
    public let publicCode: PublicCode?
    public let procedure: String?
    /// Whether the repository says Sohoa's assembler made this version (it is checked against
    /// `hash` as it is signed): its page 1 records where its scan has strokes, and a visible
    /// signature is placed by that record instead of decoding the scan again.
    public let isAssembled: Bool

    public init(path: String, hash: ContentHash, isCopy: Bool, publicCode: PublicCode? = nil, procedure: String? = nil,
                isAssembled: Bool = false) {
        self.path = path
        self.hash = hash
        self.isCopy = isCopy
        self.publicCode = publicCode
        self.procedure = procedure
        self.isAssembled = isAssembled
    }
}

/// The document moved on before the signed version could be filed: someone else signed it first.
public struct SigningDeskConflict: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// The repository on this machine: waiting documents read from its store, the stored blob
/// signed where it is, the signed version filed with its provenance.
public struct LocalDesk: SigningDesk {
    public let repository: Repository

    public init(repository: Repository) {
        self.repository = repository
    }

    public var workFolder: String { (repository.data as NSString).appendingPathComponent("work") }

    public func waiting(in state: DocumentState, owner: OwnerID?, dossier: DossierCode?) async throws -> [Document] {
        try await repository.store.documents(in: state, owner: owner, dossier: dossier)
    }

    /// The stored blob itself (no copy). Its content is checked against its hash as it is
    /// signed (`PAdESSigner.sign(fileAt:writingTo:at:expected:)`), in the one reading signing makes.
    public func fetch(_ document: Document, whileIn state: DocumentState, into work: String) async throws -> FetchedVersion? {
        guard let current = try await repository.store.document(document.id), current.state == state else { return nil }
        guard repository.blobs.contains(current.latest) else {
            throw StoreError.corrupt("its stored PDF \(current.latest) cannot be used: the blob is missing; run `sohoa repo fsck`")
        }
        // Only a pending document's newest version can be the assembler's.
        let assembled = current.state == .pending
            ? try await repository.store.versions(of: current.id).last { $0.hash == current.latest }?.kind == .assembled : false
        return FetchedVersion(path: repository.blobs.path(of: current.latest), hash: current.latest, isCopy: false,
                              publicCode: current.publicCode,
                              procedure: try await repository.store.procedure(ofCaseFiledFor: current), isAssembled: assembled)
    }

    /// The signed copy, written into the work folder inside the data folder, becomes its blob
    /// by a link: it is neither copied nor read again.
    public func file(_ path: String, sha256: [UInt8], madeFrom fetched: FetchedVersion, of document: DocumentID, kind: VersionKind,
                     to: DocumentState, from: DocumentState, actor: String, action: String) async throws -> DocumentVersion {
        do {
            return try await repository.storingBlobs { write in
                let (hash, size) = try await write.put(syncedFileAt: path, hash: ContentHash(digest: sha256))
                return try await repository.store.addVersion(to: document, hash: hash, size: size, kind: kind, state: to,
                                                             expecting: fetched.hash, from: from, actor: actor, action: action)
            }
        } catch StoreError.conflict(let text) {
            throw SigningDeskConflict(text)
        }
    }

    /// The signed copies a killed batch left unfiled (more than an hour old, so a batch running
    /// beside this one keeps its own), and the blobs of filings that did not finish (never one a
    /// row points at, nor one a running batch uses).
    public func removeLeftovers() async {
        _ = try? await repository.removeUnfinishedWrites()
        SigningWork.removeStale(in: workFolder) { SigningWork.isSignedCopy($0) }
    }
}

/// The files a signing batch keeps in its work folder: signed copies before they are filed
/// (`.sign-…partial`, `.approve-…partial`), and versions fetched to be signed (`.fetched-…`).
enum SigningWork {
    /// Whether `name` is a signed copy not filed yet.
    static func isSignedCopy(_ name: String) -> Bool {
        (name.hasPrefix(".sign-") || name.hasPrefix(".approve-")) && name.hasSuffix(".partial")
    }

    /// Removes the files of `folder` that `matches` names and that are more than an hour old: a
    /// killed batch's, never those of a batch running beside this one.
    static func removeStale(in folder: String, matching matches: (String) -> Bool) {
        let manager = FileManager.default
        for name in (try? manager.contentsOfDirectory(atPath: folder)) ?? [] where matches(name) {
            let path = "\(folder)/\(name)"
            if let modified = (try? manager.attributesOfItem(atPath: path))?[.modificationDate] as? Date,
               Date().timeIntervalSince(modified) > 3600 {
                try? manager.removeItem(atPath: path)
            }
        }
    }
}
