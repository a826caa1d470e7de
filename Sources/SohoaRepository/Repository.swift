import Foundation
import SohoaFiles
import SohoaCrypto

#if canImport(Glibc)
import Glibc
#endif

/// The shared repository under a data folder: blobs on disk, records in a `Store`.
/// Every write puts the blob first (synced), then commits the rows that point at it; the
/// blobs of a write that does not get that far are removed (`storingBlobs`).
public struct Repository: Sendable {
    public let data: String
    public let blobs: BlobStore
    /// Blobs stored for rows not committed yet.
    public let pendingWrites: PendingBlobWrites
    public let store: any Store

    /// The repository whose records are in `store` (any engine) and whose blobs are in
    /// `blobs`; its work and pending-write folders are in the blob store's data folder.
    public init(store: any Store, blobs: BlobStore) {
        data = blobs.data
        self.blobs = blobs
        pendingWrites = PendingBlobWrites(data: blobs.data, blobs: blobs)
        self.store = store
    }

    /// Opens the repository in `data` with the embedded SQLite store (`DATA/sohoa.sqlite`),
    /// creating it when new. A folder whose records are elsewhere (`RepositoryDescriptor`) is
    /// refused: it is opened through the engine it names.
    public init(data: String) throws {
        do { try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true) } catch {
            throw StoreError.storage("\(data): the data folder cannot be made (\(error.localizedDescription))")
        }
        if let descriptor = try RepositoryDescriptor.read(in: data), descriptor.engine != .sqlite {
            throw StoreError.refused("\(data): the repository's records are in \(descriptor.database ?? descriptor.engine.rawValue), "
                                     + "not in this folder")
        }
        let blobs = try BlobStore(data: data)
        self.init(store: try SQLiteStore(path: Self.embeddedDatabase(in: data)), blobs: blobs)
    }

    /// Where the embedded default keeps its records in the data folder `data`.
    public static func embeddedDatabase(in data: String) -> String {
        (data as NSString).appendingPathComponent("sohoa.sqlite")
    }

    /// What filing a file did.
    public struct Filed: Sendable {
        public let document: Document
        /// The same content was already filed for this owner: nothing new was made (the
        /// document was linked to the case when it was not yet).
        public let duplicate: Bool
        /// A duplicate that was already in the case: not even a link was made.
        public let alreadyInCase: Bool

        public init(document: Document, duplicate: Bool, alreadyInCase: Bool = false) {
            self.document = document
            self.duplicate = duplicate
            self.alreadyInCase = duplicate && alreadyInCase
        }
    }

    /// Files the PDF at `path` for `owner` in `dossier` as an imported document in `state`.
    public func importPDF(at path: String, owner: OwnerID, dossier: DossierCode, procedure: String? = nil, type: String?, title: String?,
                          state: DocumentState, actor: String) async throws -> Filed {
        try await importPDF(at: path, owner: owner, dossier: dossier, procedure: procedure, type: type, title: title, state: state,
                      actor: actor, beforeFiling: {})
    }

    /// `importPDF`, with `beforeFiling` run between storing the blob and filing its row (tests
    /// make it fail there, as a full disk does).
    func importPDF(at path: String, owner: OwnerID, dossier: DossierCode, procedure: String?, type: String?, title: String?,
                   state: DocumentState, actor: String, beforeFiling: () throws -> Void) async throws -> Filed {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw StoreError.refused("\(path): the file cannot be read") }
        let head = (try? handle.read(upToCount: 1024)) ?? Data()
        try? handle.close()
        guard head.range(of: Data("%PDF-".utf8)) != nil else { throw StoreError.refused("\(path): not a PDF file") }
        _ = try? await removeUnfinishedWrites()  // what an earlier import left when it failed or was killed
        return try await storingBlobs { write in
            let (hash, size) = try await write.put(fileAt: path)
            try beforeFiling()
            if let existing = try await store.documents(owner: owner, containing: hash).first {
                let alreadyInCase = existing.cases.contains(dossier.rawValue)
                if !alreadyInCase {
                    try await store.link(existing.id, to: dossier, actor: actor, action: "import")
                }
                return Filed(document: try await store.document(existing.id) ?? existing, duplicate: true, alreadyInCase: alreadyInCase)
            }
            let document = try await store.file(NewDocument(owner: owner, cases: [dossier], procedure: procedure, type: type, title: title,
                                                      state: state, kind: .imported, hash: hash, size: size),
                                          actor: actor, action: "import")
            return Filed(document: document, duplicate: false)
        }
    }

    /// Runs `body`, which stores blobs with `write.put` and commits the rows that point at
    /// them. When `body` throws (a full disk, a lost lease), the blobs it stored are removed
    /// again, except those a committed row or another running write uses.
    public func storingBlobs<T>(_ body: (PendingBlobWrite) async throws -> T) async throws -> T {
        let write = try await pendingWrites.begin()
        do {
            let result = try await body(write)
            write.finish()
            return result
        } catch {
            write.abandon()
            _ = try? await removeUnfinishedWrites()
            throw error
        }
    }

    /// Removes the blobs of writes that failed or whose process died before committing their
    /// rows (see `PendingBlobWrites`), and records that in the audit log. Imports do it before
    /// they start, and `sohoa watch` when it starts. Returns the blobs removed.
    @discardableResult
    public func removeUnfinishedWrites() async throws -> [ContentHash] {
        let removed = try await pendingWrites.removeLeftovers(store: store)
        if !removed.isEmpty {
            // The blobs are gone either way; an audit log that cannot record it is an error to report.
            try await store.record(actor: "repository", action: "clean", subject: "blobs",
                              detail: "removed \(removed.count) blob(s) of writes that did not finish: "
                                  + removed.map(\.rawValue).joined(separator: ", "))
        }
        return removed
    }

    /// Writes version `number` (the newest when nil) of a document to `output` (temporary
    /// name, synced, renamed), and records the read.
    public func get(_ id: DocumentID, version number: Int?, to output: String, actor: String) async throws -> DocumentVersion {
        let versions = try await store.versions(of: id)
        guard !versions.isEmpty else { throw StoreError.notFound("there is no document \(id)") }
        guard let version = number.map({ wanted in versions.first { $0.number == wanted } }) ?? versions.last else {
            throw StoreError.notFound("document \(id) has no version \(number ?? 0) (it has 1 to \(versions.count))")
        }
        let source = blobs.path(of: version.hash)
        do {
            try DurableFile.replace(output) { temporary in
                try FileManager.default.copyItem(atPath: source, toPath: temporary)
                chmod(temporary, 0o644)
            }
        } catch {
            throw StoreError.storage("\(output): the copy cannot be written (\(error))")
        }
        try await store.record(actor: actor, action: "read", subject: id.rawValue, detail: "version \(version.number) to \(output)")
        return version
    }
}

extension Repository {
    /// Time-stamps the audit chain's current head with the RFC 3161 authority at `tsa` and keeps
    /// the token (checked before it is kept: granted, over the head, with our nonce).
    public func anchor(tsa: URL, actor: String) async throws -> Anchor {
        guard let head = try await store.auditLog().last else {
            throw StoreError.refused("the audit log is empty: there is nothing to anchor yet")
        }
        let token: [UInt8]
        do { token = try HTTPTimeStamper(url: tsa).token(for: Hex.bytes(head.hash)) } catch {
            throw StoreError.unavailable("\(error)")
        }
        let anchor = Anchor(sequence: head.sequence, head: head.hash, token: token, time: Date())
        try await store.addAnchor(anchor, actor: actor)
        return anchor
    }
}

/// What `sohoa repo fsck` found.
public struct FsckReport: Sendable, Codable {
    public struct Problem: Sendable, Codable, Equatable {
        /// The blob's hash, the document's id, or the audit entry's sequence.
        public let object: String
        public let problem: String
    }

    public var blobsChecked = 0
    public var auditEntriesChecked = 0
    public var anchorsChecked = 0
    /// Damage: blobs changed or missing, rows pointing at nothing, a broken audit chain.
    public var problems: [Problem] = []
    /// Blobs no row points at, and leftovers of interrupted writes (not damage: `--repair` removes them).
    public var orphans: [String] = []
    /// What `--repair` removed.
    public var removed: [String] = []

    public var isClean: Bool { problems.isEmpty && orphans.isEmpty }
}

extension Repository {
    /// Re-hashes every blob, checks every row's blob and the audit chain, lists orphans;
    /// with `repair`, removes orphans only (never what a row points at).
    public func fsck(repair: Bool) async throws -> FsckReport {
        var report = FsckReport()
        let referenced = try await store.referencedHashes()
        let (stored, strays) = blobs.inventory()
        let storedSet = Set(stored)
        for hash in stored {
            report.blobsChecked += 1
            if let problem = blobs.problem(with: hash) {
                report.problems.append(.init(object: hash.rawValue, problem: problem))
            }
        }
        for hash in referenced.subtracting(storedSet).sorted() {
            report.problems.append(.init(object: hash.rawValue, problem: "a version points at this blob, which is missing"))
        }
        let log = try await store.auditLog()
        report.auditEntriesChecked = log.count
        for problem in AuditChain.problems(in: log) {
            report.problems.append(.init(object: "audit", problem: problem))
        }
        let byHash = Dictionary(log.map { ($0.sequence, $0.hash) }, uniquingKeysWith: { first, _ in first })
        for anchor in try await store.anchors() {
            report.anchorsChecked += 1
            if byHash[anchor.sequence] != anchor.head {
                report.problems.append(.init(object: "anchor \(anchor.sequence)",
                                             problem: "the audit entry it time-stamped is no longer the one it was: history was rewritten"))
            }
            let check = TimeStampCheck(token: anchor.token, over: Hex.bytes(anchor.head))
            if let problem = check.problem {
                report.problems.append(.init(object: "anchor \(anchor.sequence)", problem: "the time-stamp is forged or damaged: \(problem)"))
            }
        }
        let orphans = storedSet.subtracting(referenced).sorted()
        report.orphans = orphans.map(\.rawValue) + strays
        if repair {
            for hash in orphans {
                try blobs.remove(hash)
                report.removed.append(hash.rawValue)
            }
            for stray in strays {
                try? FileManager.default.removeItem(atPath: stray)
                report.removed.append(stray)
            }
            if !report.removed.isEmpty {
                try await store.record(actor: "fsck", action: "repair", subject: "blobs",
                                 detail: "removed \(report.removed.count) orphan(s)")
            }
        }
        return report
    }
}

extension Repository {
    /// What an export holds.
    public struct Export: Sendable {
        public let documents: Int
        public let auditEntries: Int
        /// The bundle's own SHA-256.
        public let sha256: ContentHash
    }

    /// Writes a case's bundle to `output` (a ZIP archive, written under a temporary name,
    /// synced and renamed): each document's newest version as `documents/<id>.pdf`,
    /// `SHA256SUMS` (which `sha256sum -c` checks), `manifest.json` (the documents and their
    /// versions), and `audit.jsonl` (the audit entries about the case and its documents).
    public func export(case dossier: DossierCode, to output: String, actor: String) async throws -> Export {
        guard let owner = try await store.owner(of: dossier) else { throw StoreError.notFound("there is no case \(dossier)") }
        let documents = try await store.documents(owner: owner, dossier: dossier, type: nil)
        guard !documents.isEmpty else { throw StoreError.notFound("the case \(dossier) has no documents") }
        var zip = ZipWriter()
        var sums = ""
        struct Entry: Encodable { let id: String, citizen: String, cases: [String], type: String?, title: String?, state: String,
                                  sha256: String, file: String, versions: [DocumentVersion] }
        var manifest: [Entry] = []
        for document in documents {
            let name = "documents/\(document.id).pdf"
            let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: blobs.path(of: document.latest))))
            guard ContentHash(digest: SHA256.digest(bytes)) == document.latest else {
                throw StoreError.corrupt("the blob of document \(document.id) is damaged; run `sohoa repo fsck`")
            }
            try zip.add(name, bytes)
            sums += "\(document.latest)  \(name)\n"
            manifest.append(Entry(id: document.id.rawValue, citizen: document.owner, cases: document.cases, type: document.type,
                                  title: document.title, state: document.state.rawValue, sha256: document.latest.rawValue,
                                  file: name, versions: try await store.versions(of: document.id)))
        }
        let subjects = Set(documents.map(\.id.rawValue) + [dossier.rawValue])
        let entries = try await store.auditLog().filter { subjects.contains($0.subject) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let audit = try entries.map { String(decoding: try encoder.encode($0), as: UTF8.self) + "\n" }.joined()
        encoder.outputFormatting.insert(.prettyPrinted)
        try zip.add("SHA256SUMS", Array(sums.utf8))
        try zip.add("manifest.json", Array(try encoder.encode(manifest)))
        try zip.add("audit.jsonl", Array(audit.utf8))
        let archive = zip.finish()
        do {
            try DurableFile.replace(output) { temporary in try Data(archive).write(to: URL(fileURLWithPath: temporary)) }
        } catch {
            throw StoreError.storage("\(output): the export cannot be written (\(error))")
        }
        try await store.record(actor: actor, action: "export", subject: dossier.rawValue,
                         detail: "\(documents.count) document(s) to \(output)")
        return Export(documents: documents.count, auditEntries: entries.count, sha256: ContentHash(digest: SHA256.digest(archive)))
    }
}
