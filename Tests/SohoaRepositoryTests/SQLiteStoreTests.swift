import Foundation
import GRDB
import SohoaRepository
import SohoaTestSupport
import Testing

/// The embedded store passes the conformance suite.
@Suite struct SQLiteStoreTests {
    /// Runs a conformance suite, each check on a new database in a scratch folder.
    func run(_ suite: (() throws -> any Store) throws -> Void) throws {
        let folder = try Fixtures.makeScratch("store")
        defer { Fixtures.removeScratch(folder) }
        var count = 0
        try suite {
            count += 1
            return try SQLiteStore(path: folder.appendingPathComponent("store-\(count).sqlite").path)
        }
    }

    @Test func passesTheStoreConformanceSuite() throws {
        try run(StoreConformance.all)
    }

    @Test func passesTheJobQueueConformanceSuite() throws {
        try run(JobQueueConformance.all)
    }

    @Test func reopeningKeepsEverything() throws {
        let folder = try Fixtures.makeScratch("store-reopen")
        defer { Fixtures.removeScratch(folder) }
        let path = folder.appendingPathComponent("sohoa.sqlite").path
        let filed = try SQLiteStore(path: path).file(StoreConformance.new("kept"), actor: "intake", action: "file")
        let again = try SQLiteStore(path: path)
        #expect(try again.document(filed.id) == filed)
        #expect(AuditChain.problems(in: try again.auditLog()).isEmpty)
    }
}
