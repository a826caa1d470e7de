import Foundation
import GRDB
import SohoaRepository
import SohoaTestSupport
import Testing

/// The embedded store passes the conformance suite.
@Suite struct SQLiteStoreTests {
    @Test func passesTheStoreConformanceSuite() throws {
        let folder = try Fixtures.makeScratch("store")
        defer { Fixtures.removeScratch(folder) }
        var count = 0
        try StoreConformance.all {
            count += 1
            return try SQLiteStore(path: folder.appendingPathComponent("store-\(count).sqlite").path)
        }
    }

    @Test func passesTheJobQueueConformanceSuite() throws {
        let folder = try Fixtures.makeScratch("store-jobs")
        defer { Fixtures.removeScratch(folder) }
        var count = 0
        try JobQueueConformance.all {
            count += 1
            return try SQLiteStore(path: folder.appendingPathComponent("jobs-\(count).sqlite").path)
        }
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
