import Foundation
import GRDB
import SohoaTestSupport
import Testing

@testable import SohoaRepository

/// The repository on disk: blobs written before rows, deduplicated, read back whole, and
/// `fsck` finding every kind of damage.
@Suite final class RepositoryTests {
    let data: URL
    let repository: Repository
    let pdf: String

    init() throws {
        data = try Fixtures.makeScratch("repo")
        repository = try Repository(data: data.appendingPathComponent("data").path)
        pdf = try Fixtures.write(Array("%PDF-1.7\n% a signed document\n%%EOF\n".utf8), named: "doc.pdf", in: data)
    }

    deinit { Fixtures.removeScratch(data) }

    func importDocument(_ path: String? = nil, dossier: DossierCode = StoreConformance.first) async throws -> Repository.Filed {
        try await repository.importPDF(at: path ?? pdf, owner: StoreConformance.citizen, dossier: dossier, type: "giay-to",
                                 title: "Giấy tờ", state: .signed, actor: "officer")
    }

    @Test func importingStoresTheBlobWhereTheLayoutSaysAndReadsItBack() async throws {
        let filed = try await importDocument()
        #expect(!filed.duplicate)
        let hash = filed.document.latest
        let blob = repository.blobs.path(of: hash)
        #expect(blob.hasSuffix("blobs/sha256/\(hash.rawValue.prefix(2))/\(hash.rawValue.dropFirst(2).prefix(2))/\(hash.rawValue)"))
        #expect(try Fixtures.read(blob) == (try Fixtures.read(pdf)))
        #expect(((try FileManager.default.attributesOfItem(atPath: blob))[.posixPermissions] as? Int) == 0o444, "read-only")
        let copy = data.appendingPathComponent("copy.pdf").path
        _ = try await repository.get(filed.document.id, version: nil, to: copy, actor: "auditor")
        #expect(try Fixtures.read(copy) == (try Fixtures.read(pdf)))
        #expect(try await repository.store.auditLog().map(\.action) == ["import", "read"], "the read is in the audit log")
        await #expect(throws: StoreError.self) { try await repository.get(filed.document.id, version: 7, to: copy, actor: "auditor") }
    }

    @Test func theSameContentIsFiledOnceAndLinkedToANewCase() async throws {
        let first = try await importDocument()
        let again = try await importDocument()
        #expect(again.duplicate && again.document.id == first.document.id)
        let elsewhere = try await importDocument(dossier: StoreConformance.second)
        #expect(elsewhere.duplicate && elsewhere.document.cases == [StoreConformance.first.rawValue, StoreConformance.second.rawValue])
        #expect(repository.blobs.inventory().blobs.count == 1, "one blob")
        #expect(try await repository.fsck(repair: false).isClean)
    }

    @Test func aFileThatIsNotAPDFIsRefusedAndNothingIsStored() async throws {
        let text = try Fixtures.write(Array("hello".utf8), named: "note.pdf", in: data)
        await #expect(throws: StoreError.self) { try await importDocument(text) }
        #expect(repository.blobs.inventory().blobs.isEmpty)
        #expect(try await repository.store.auditLog().isEmpty)
    }

    @Test func fsckFindsAChangedAndAMissingBlob() async throws {
        let filed = try await importDocument()
        let other = try await importDocument(try Fixtures.write(Array("%PDF-1.7\n% another\n%%EOF\n".utf8), named: "b.pdf", in: data))
        let changed = repository.blobs.path(of: filed.document.latest)
        chmod(changed, 0o644)
        var bytes = try Fixtures.read(changed)
        bytes[3] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: changed))
        try FileManager.default.removeItem(atPath: repository.blobs.path(of: other.document.latest))
        let report = try await repository.fsck(repair: true)
        #expect(report.problems.contains { $0.object == filed.document.latest.rawValue && $0.problem.contains("changed") })
        #expect(report.problems.contains { $0.object == other.document.latest.rawValue && $0.problem.contains("missing") })
        #expect(report.removed.isEmpty, "repair never removes what a row points at")
        #expect(FileManager.default.fileExists(atPath: changed))
    }

    @Test func fsckFindsAnEditedOrDeletedAuditRow() async throws {
        _ = try await importDocument()
        _ = try await importDocument(dossier: StoreConformance.second)
        let database = try DatabaseQueue(path: data.appendingPathComponent("data/sohoa.sqlite").path)
        try await database.write { try $0.execute(sql: "UPDATE audit SET actor = 'someone else' WHERE sequence = 1") }
        #expect(try await repository.fsck(repair: false).problems.contains { $0.problem.contains("audit entry 1 was changed") })
        try await database.write { try $0.execute(sql: "DELETE FROM audit WHERE sequence = 1") }
        let report = try await repository.fsck(repair: false)
        #expect(report.problems.contains { $0.problem.contains("does not link") }, "\(report.problems)")
    }

    /// A full disk: the blob is stored, then filing its row fails. The import removes the blob
    /// it wrote, so fsck finds nothing to repair; what other rows point at stays.
    @Test func anImportWhoseRowCannotBeFiledLeavesNoOrphan() async throws {
        let kept = try await importDocument()
        let other = try Fixtures.write(Array("%PDF-1.7\n% never filed\n%%EOF\n".utf8), named: "full.pdf", in: data)
        for source in [other, pdf] {  // new content, and content a filed row already points at
            let error = await #expect(throws: StoreError.self) {
                try await repository.importPDF(at: source, owner: StoreConformance.citizen, dossier: StoreConformance.second, procedure: nil,
                                         type: nil, title: nil, state: .pending, actor: "officer",
                                         beforeFiling: { throw StoreError.unavailable("database or disk is full") })
            }
            #expect(error?.description == "database or disk is full")
        }
        let report = try await repository.fsck(repair: false)
        #expect(report.isClean, "orphans: \(report.orphans), problems: \(report.problems)")
        #expect(repository.blobs.inventory().blobs == [kept.document.latest])
        #expect(repository.blobs.problem(with: kept.document.latest) == nil)
    }

    /// A process killed between storing blobs and committing their rows leaves its marker
    /// unlocked: the next import removes those blobs, but not one a committed row points at,
    /// nor one a write still running (holding its marker) has stored.
    @Test func theNextImportRemovesWhatAKilledWriteLeftAndNothingInUse() async throws {
        let kept = try await importDocument()
        let lost = try Fixtures.write(Array("%PDF-1.7\n% killed before filing\n%%EOF\n".utf8), named: "lost.pdf", in: data)
        let busy = try Fixtures.write(Array("%PDF-1.7\n% being filed\n%%EOF\n".utf8), named: "busy.pdf", in: data)
        let lostHash: ContentHash
        do {  // the killed write: dropped without finishing, as a dead process drops its locks
            let killed = try await repository.pendingWrites.begin()
            lostHash = try await killed.put(fileAt: lost).hash
            let killedAgain = try await killed.put(fileAt: pdf).hash
            #expect(killedAgain == kept.document.latest)
        }
        let running = try await repository.pendingWrites.begin()
        let busyHash = try await running.put(fileAt: busy).hash
        #expect(Set(try await repository.fsck(repair: false).orphans) == [lostHash.rawValue, busyHash.rawValue])

        let next = try await importDocument(try Fixtures.write(Array("%PDF-1.7\n% next\n%%EOF\n".utf8), named: "next.pdf", in: data))
        #expect(!repository.blobs.contains(lostHash), "the killed write's blob is removed")
        #expect(repository.blobs.contains(busyHash), "a running write's blob is kept")
        #expect(repository.blobs.problem(with: kept.document.latest) == nil && repository.blobs.contains(next.document.latest))
        #expect(try await repository.fsck(repair: false).orphans == [busyHash.rawValue])
        #expect(try await repository.store.auditLog().contains { $0.action == "clean" && $0.detail.contains(lostHash.rawValue) })
        running.finish()
        #expect(try FileManager.default.contentsOfDirectory(atPath: repository.pendingWrites.folder).isEmpty, "no marker left")
    }

    @Test func aCrashBetweenBlobAndRowLeavesOnlyAnOrphanThatRepairRemoves() async throws {
        let kept = try await importDocument()
        // What a process killed after writing the blob and before committing the row leaves:
        let orphanSource = try Fixtures.write(Array("%PDF-1.7\n% never filed\n%%EOF\n".utf8), named: "o.pdf", in: data)
        let orphan = try repository.blobs.put(fileAt: orphanSource).hash
        let leftover = repository.blobs.root + "/.incoming-interrupted"
        _ = FileManager.default.createFile(atPath: leftover, contents: Data("half".utf8))
        let report = try await repository.fsck(repair: false)
        #expect(report.problems.isEmpty, "an orphan is not damage: \(report.problems)")
        #expect(Set(report.orphans) == [orphan.rawValue, leftover])
        let repaired = try await repository.fsck(repair: true)
        #expect(Set(repaired.removed) == [orphan.rawValue, leftover])
        #expect(!repository.blobs.contains(orphan) && repository.blobs.contains(kept.document.latest))
        #expect(try await repository.fsck(repair: false).isClean)
    }
}

/// `repo anchor`: a time-stamp over the audit chain's head makes a rewritten history, or a
/// forged anchor, visible to fsck.
@Suite(.serialized) final class AnchorTests {
    let data: URL
    let repository: Repository

    init() throws {
        data = try Fixtures.makeScratch("anchor")
        repository = try Repository(data: data.appendingPathComponent("data").path)
    }

    deinit { Fixtures.removeScratch(data) }

    func fileTwo() async throws {
        for (name, dossier) in [("a.pdf", StoreConformance.first), ("b.pdf", StoreConformance.second)] {
            let pdf = try Fixtures.write(Array("%PDF-1.7\n% \(name)\n%%EOF\n".utf8), named: name, in: data)
            _ = try await repository.importPDF(at: pdf, owner: StoreConformance.citizen, dossier: dossier, type: nil, title: nil,
                                         state: .signed, actor: "officer")
        }
    }

    func anchored() async throws -> Anchor {
        let authority = try LocalTSA.start(serialFile: data.appendingPathComponent("serial").path)
        defer { authority.stop() }
        return try await repository.anchor(tsa: try #require(URL(string: authority.url)), actor: "auditor")
    }

    @Test func anAnchoredHistoryChecksClean() async throws {
        try await fileTwo()
        let anchor = try await anchored()
        #expect(anchor.sequence == 2)
        let report = try await repository.fsck(repair: false)
        #expect(report.isClean && report.anchorsChecked == 1, "\(report.problems)")
        #expect(try await repository.store.auditLog().last?.action == "anchor")
    }

    @Test func aHistoryRewrittenConsistentlyIsStillCaughtByItsAnchor() async throws {
        try await fileTwo()
        _ = try await anchored()
        // A database administrator edits entry 1 and recomputes every hash after it: the chain
        // alone looks whole again, but the anchored head no longer matches.
        let database = try DatabaseQueue(path: data.appendingPathComponent("data/sohoa.sqlite").path)
        try await database.write { db in
            var previous = AuditChain.genesis
            for row in try Row.fetchAll(db, sql: "SELECT * FROM audit ORDER BY sequence") {
                let sequence: Int = row["sequence"]
                let actor = sequence == 1 ? "someone else" : row["actor"] as String
                let hash = AuditChain.hash(sequence: sequence, time: AuditChain.date(milliseconds: row["time"]), actor: actor,
                                           action: row["action"], subject: row["subject"], detail: row["detail"], previous: previous)
                try db.execute(sql: "UPDATE audit SET actor = ?, previous = ?, hash = ? WHERE sequence = ?",
                               arguments: [actor, previous, hash, sequence])
                previous = hash
            }
        }
        let report = try await repository.fsck(repair: false)
        #expect(!report.problems.contains { $0.object == "audit" }, "the rewritten chain is consistent in itself")
        #expect(report.problems.contains { $0.object == "anchor 2" && $0.problem.contains("rewritten") }, "\(report.problems)")
    }

    @Test func aForgedAnchorIsCaught() async throws {
        try await fileTwo()
        _ = try await anchored()
        let database = try DatabaseQueue(path: data.appendingPathComponent("data/sohoa.sqlite").path)
        try await database.write { db in
            var token = [UInt8](try Data.fetchOne(db, sql: "SELECT token FROM anchors") ?? Data())
            token[token.count - 20] ^= 0x01
            try db.execute(sql: "UPDATE anchors SET token = ?", arguments: [Data(token)])
        }
        let report = try await repository.fsck(repair: false)
        #expect(report.problems.contains { $0.object == "anchor 2" && $0.problem.contains("forged or damaged") }, "\(report.problems)")
    }
}
