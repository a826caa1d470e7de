import Foundation
import GRDB
import Synchronization
import SohoaRepository
import SohoaTestSupport
import Testing

/// The embedded store passes the conformance suite.
@Suite struct SQLiteStoreTests {
    /// Runs a conformance suite, each check on a new database in a scratch folder.
    func run(_ suite: (() throws -> any Store) async throws -> Void) async throws {
        let folder = try Fixtures.makeScratch("store")
        defer { Fixtures.removeScratch(folder) }
        var count = 0
        try await suite {
            count += 1
            return try SQLiteStore(path: folder.appendingPathComponent("store-\(count).sqlite").path)
        }
    }

    @Test func passesTheStoreConformanceSuite() async throws {
        try await run(StoreConformance.all)
    }

    @Test func passesTheJobQueueConformanceSuite() async throws {
        try await run(JobQueueConformance.all)
    }

    @Test func passesTheSearchConformanceSuite() async throws {
        try await run(SearchConformance.all)
    }

    /// Several stores on one database file, each with connections of its own (as separate
    /// processes have): claims, audit appends and lease take-overs at once.
    @Test func passesTheConcurrencyConformanceSuite() async throws {
        let folder = try Fixtures.makeScratch("store-concurrent")
        defer { Fixtures.removeScratch(folder) }
        var count = 0
        try await StoreConcurrencyConformance.all {
            count += 1
            let path = folder.appendingPathComponent("shared-\(count).sqlite").path
            return { try SQLiteStore(path: path) }
        }
    }

    /// Real processes (`sohoa-test-claimer`), started together on one repository, claim from
    /// one queue: every job is claimed by exactly one of them, and their audit entries form
    /// one chain.
    @Test func processesClaimingAtOnceTakeEachJobOnce() async throws {
        let data = try Fixtures.makeScratch("store-processes")
        defer { Fixtures.removeScratch(data) }
        try await QueueClaimers.claimAtOnce(data: data, store: try Repository(data: data.path).store)
    }

    /// Several processes opening a new repository at once (`sohoa watch` starting while
    /// `sohoa status` polls it): each opens it, and the schema is made once. Here eight
    /// stores, each with connections of its own as a process has, open one new file together.
    @Test func storesOpeningANewDatabaseTogetherMakeItsSchemaOnce() async throws {
        let folder = try Fixtures.makeScratch("store-together")
        defer { Fixtures.removeScratch(folder) }
        for round in 0..<5 {
            let path = folder.appendingPathComponent("together-\(round).sqlite").path
            let failures = Mutex<[String]>([])
            DispatchQueue.concurrentPerform(iterations: 8) { _ in
                do { _ = try SQLiteStore(path: path) } catch { failures.withLock { $0.append("\(error)") } }
            }
            #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0 })")
            #expect(try await SQLiteStore(path: path).documentCounts().values.reduce(0, +) == 0)
        }
    }

    /// Two ids that start alike (ids are random: made so by renaming rows): the prefix they
    /// share is refused naming both, a longer one finds one.
    @Test func anAmbiguousPrefixNamesTheCandidates() async throws {
        let folder = try Fixtures.makeScratch("store-prefix")
        defer { Fixtures.removeScratch(folder) }
        let path = folder.appendingPathComponent("sohoa.sqlite").path
        let store = try SQLiteStore(path: path)
        let twins = try ["abcdef00000000000000000000000001", "abcdef00000000000000000000000002"].map { try DocumentID($0) }
        var old: [DocumentID] = []
        for seed in ["twin 1", "twin 2"] { old.append(try await store.file(StoreConformance.new(seed), actor: "intake", action: "file").id) }
        var configuration = Configuration()
        configuration.foreignKeysEnabled = false
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        let renamed = zip(old, twins).map { ($0, $1) }
        try await queue.write { db in
            for (from, to) in renamed {
                for (table, column) in [("documents", "id"), ("versions", "document_id"), ("document_cases", "document_id")] {
                    try db.execute(sql: "UPDATE \(table) SET \(column) = ? WHERE \(column) = ?", arguments: [to.rawValue, from.rawValue])
                }
            }
        }
        try queue.close()
        let shared = try DocumentIDPrefix("ABCDEF")
        await #expect(throws: DocumentLookupError.ambiguous(shared, candidates: twins, more: false)) {
            try await DocumentLookup.resolve(shared, in: store)
        }
        #expect(try await DocumentLookup.resolve(try DocumentIDPrefix("abcdef00000000000000000000000002"), in: store) == twins[1])
        #expect(try await store.documentIDs(startingWith: shared, limit: 1) == [twins[0]], "the limit holds")
    }

    /// A repository filed before sources were named gets them named when it is opened.
    @Test func aFolderDocumentFiledBeforeGetsItsSourcesNamed() async throws {
        let folder = try Fixtures.makeScratch("store-migrate")
        defer { Fixtures.removeScratch(folder) }
        let path = folder.appendingPathComponent("sohoa.sqlite").path
        var pages = StoreConformance.new("old folder")
        pages.sources = [SourceFile(hash: StoreConformance.hash("old page 1"), size: 1),
                         SourceFile(hash: StoreConformance.hash("old page 2"), size: 2)]
        let filed = try await SQLiteStore(path: path).file(pages, actor: "intake", action: "file")
        // As the version before this one left it: no version_sources, the assembled version's parent null.
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            try db.execute(sql: """
                DROP TABLE version_sources;
                DROP INDEX documents_by_created;
                UPDATE versions SET parent = NULL WHERE kind = 'assembled';
                DELETE FROM grdb_migrations WHERE identifier LIKE '4 %';
                """)
        }
        try queue.close()
        let versions = try await SQLiteStore(path: path).versions(of: filed.id)
        #expect(versions.last?.sources == [StoreConformance.hash("old page 1"), StoreConformance.hash("old page 2")])
        #expect(versions.last?.parent == StoreConformance.hash("old page 1"))
    }

    /// A database a newer Sohoa migrated is refused with its reason, not used.
    @Test func aDatabaseFromANewerSohoaIsRefused() async throws {
        let folder = try Fixtures.makeScratch("store-newer")
        defer { Fixtures.removeScratch(folder) }
        let path = folder.appendingPathComponent("sohoa.sqlite").path
        _ = try await SQLiteStore(path: path).file(StoreConformance.new("kept"), actor: "intake", action: "file")
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('99 from a newer Sohoa')") }
        try queue.close()
        let error = #expect(throws: StoreError.self) { try SQLiteStore(path: path) }
        if case .schemaTooNew? = error {} else { Issue.record("a newer schema is refused as such, not \(String(describing: error))") }
        #expect(error?.isTransient == false)
        #expect(error?.description.contains("made by a newer version of Sohoa") == true)
    }

    @Test func reopeningKeepsEverything() async throws {
        let folder = try Fixtures.makeScratch("store-reopen")
        defer { Fixtures.removeScratch(folder) }
        let path = folder.appendingPathComponent("sohoa.sqlite").path
        let filed = try await SQLiteStore(path: path).file(StoreConformance.new("kept"), actor: "intake", action: "file")
        let again = try SQLiteStore(path: path)
        #expect(try await again.document(filed.id) == filed)
        #expect(AuditChain.problems(in: try await again.auditLog()).isEmpty)
    }
}
