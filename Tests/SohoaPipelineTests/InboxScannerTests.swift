import Foundation
import SohoaImaging
import SohoaPipeline
import SohoaRepository
import SohoaTestSupport
import Testing

@Suite struct SampleInboxTests {
    @Test func samplesAreACleanInbox() throws {
        let listing = try InboxScanner(root: Fixtures.samples.path).scan()
        #expect(listing.problems.isEmpty, "\(listing.problems)")
        #expect(listing.waiting.isEmpty)
        #expect(listing.documents.count >= 6)
        #expect(Set(listing.documents.map(\.owner)).count >= 3)
        #expect(listing.documents.contains { $0.owner.isOrganisation })
        #expect(listing.documents.contains { $0.isFolder && $0.imageFiles.count > 1 })
        for document in listing.documents {
            let metadata = try #require(document.metadata, "\(document.relativePath) has no sidecar")
            #expect(metadata.title?.isEmpty == false)
            #expect(document.relativePath.hasPrefix("\(document.owner)/\(document.caseID)/"))
        }
    }

    @Test func everySampleDocumentIsReadable() throws {
        let listing = try InboxScanner(root: Fixtures.samples.path).scan()
        let inspector = DocumentInspector()
        for document in listing.documents {
            let inspection = inspector.inspect(document)
            #expect(inspection.failure == nil, "\(String(describing: inspection.failure))")
            #expect(!inspection.pages.isEmpty)
        }
    }
}

@Suite final class HostileInboxTests {
    let root: URL
    let jpeg: [UInt8]

    init() throws {
        root = try Fixtures.makeScratch("inbox")
        let sample = try #require(Fixtures.sampleImages().first { $0.hasSuffix(".jpg") })
        jpeg = try Fixtures.read(sample)
    }

    deinit { Fixtures.removeScratch(root) }

    func put(_ relative: String, _ bytes: [UInt8]? = nil) throws {
        try Fixtures.write(bytes ?? jpeg, named: relative, in: root)
    }

    func scan() throws -> InboxListing { try InboxScanner(root: root.path).scan() }

    func problemAt(_ path: String, in listing: InboxListing) -> InboxProblem? {
        listing.problems.first { $0.relativePath == path }
    }

    @Test func goodDocumentIsListed() throws {
        try put("001085012345/000.00.01.H26-251124-0001/scan.jpg")
        let listing = try scan()
        let document = try #require(listing.documents.first)
        #expect(document.owner == .person("001085012345"))
        #expect(document.caseID.rawValue == "000.00.01.H26-251124-0001")
        #expect(document.imageFiles == [root.path + "/001085012345/000.00.01.H26-251124-0001/scan.jpg"])
        #expect(document.metadata == nil)
    }

    @Test func badOwnerFolderIsRefusedAndNothingBelowIsTaken() throws {
        try put("12345/000.00.01.H26-251124-0001/scan.jpg")
        let listing = try scan()
        #expect(listing.documents.isEmpty)
        let problem = try #require(problemAt("12345", in: listing))
        #expect(problem.explanation.contains("12-digit"))
    }

    @Test func badCaseFolderIsRefused() throws {
        try put("001085012345/000.00.01.H26-251332-0001/scan.jpg")
        let listing = try scan()
        #expect(listing.documents.isEmpty)
        #expect(problemAt("001085012345/000.00.01.H26-251332-0001", in: listing)?.explanation
                    .contains("dossier code") == true)
    }

    @Test func filesOutsideACaseFolderAreRefused() throws {
        try put("scan.jpg")
        try put("001085012345/scan.jpg")
        let listing = try scan()
        #expect(problemAt("scan.jpg", in: listing)?.reason == .notInsideCase)
        #expect(problemAt("001085012345/scan.jpg", in: listing)?.reason == .notInsideCase)
    }

    @Test func unsupportedFileTypeIsRefusedByName() throws {
        try put("001085012345/000.00.01.H26-251124-0001/contract.pdf", Array("%PDF".utf8))
        let listing = try scan()
        let problem = try #require(problemAt("001085012345/000.00.01.H26-251124-0001/contract.pdf", in: listing))
        #expect(problem.reason == .unsupportedFile(extension: "pdf"))
        #expect(problem.explanation.contains(".tif, .tiff, .png, .jpg or .jpeg"))
    }

    @Test func linksAreNeverFollowed() throws {
        try FileManager.default.createDirectory(at: root.appendingPathComponent("001085012345/000.00.01.H26-251124-0001"),
                                                withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: root.path + "/001085012345/000.00.01.H26-251124-0001/passwd.jpg", withDestinationPath: "/etc/passwd")
        try FileManager.default.createSymbolicLink(atPath: root.path + "/079190004567", withDestinationPath: "/etc")
        let listing = try scan()
        #expect(listing.documents.isEmpty)
        #expect(problemAt("001085012345/000.00.01.H26-251124-0001/passwd.jpg", in: listing)?.reason == .link)
        #expect(problemAt("079190004567", in: listing)?.reason == .link)
    }

    @Test func hiddenFilesAreIgnoredUntilRenamed() throws {
        try put("001085012345/000.00.01.H26-251124-0001/.scan.jpg.part")
        try put(".DS_Store", [0])
        let listing = try scan()
        #expect(listing.documents.isEmpty && listing.problems.isEmpty && listing.waiting.isEmpty)
    }

    @Test func folderDocumentWaitsForItsReadyMarker() throws {
        try put("001085012345/000.00.01.H26-251124-0001/ho-khau/page-001.jpg")
        var listing = try scan()
        #expect(listing.documents.isEmpty)
        #expect(listing.waiting == ["001085012345/000.00.01.H26-251124-0001/ho-khau"])
        try put("001085012345/000.00.01.H26-251124-0001/ho-khau/page-002.jpg")
        try put("001085012345/000.00.01.H26-251124-0001/ho-khau/.ready", [])
        listing = try scan()
        let document = try #require(listing.documents.first)
        #expect(document.isFolder)
        #expect(document.imageFiles.map { ($0 as NSString).lastPathComponent } == ["page-001.jpg", "page-002.jpg"])
    }

    @Test func readyFolderWithoutPagesIsRefused() throws {
        try put("001085012345/000.00.01.H26-251124-0001/empty/.ready", [])
        let listing = try scan()
        #expect(problemAt("001085012345/000.00.01.H26-251124-0001/empty", in: listing)?.reason == .emptyFolder)
    }

    @Test func sidecarIsReadAndABrokenOneIsRefused() throws {
        try put("001085012345/000.00.01.H26-251124-0001/a.jpg")
        try put("001085012345/000.00.01.H26-251124-0001/a.json",
                Array(#"{"documentType": "Giấy khai sinh", "title": "Bản sao", "issueDate": "2025-11-20"}"#.utf8))
        try put("001085012345/000.00.01.H26-251124-0001/b.jpg")
        try put("001085012345/000.00.01.H26-251124-0001/b.json", Array("{not json".utf8))
        try put("001085012345/000.00.01.H26-251124-0001/c.jpg")
        try put("001085012345/000.00.01.H26-251124-0001/c.json", Array(#"{"issueDate": "20/11/2025"}"#.utf8))
        let listing = try scan()
        #expect(listing.documents.map(\.name) == ["a.jpg"])
        #expect(listing.documents.first?.metadata?.documentType == "Giấy khai sinh")
        #expect(problemAt("001085012345/000.00.01.H26-251124-0001/b.json", in: listing) != nil)
        #expect(problemAt("001085012345/000.00.01.H26-251124-0001/c.json", in: listing)?.explanation
                    .contains("YYYY-MM-DD") == true)
    }

    @Test func missingInboxIsAFailureNamingIt() {
        let error = #expect(throws: InboxScanner.Failure.self) {
            try InboxScanner(root: root.path + "/absent").scan()
        }
        #expect(error?.description.contains("absent") == true)
    }

    @Test func brokenPageIsReportedWithItsFileAndPage() throws {
        try put("001085012345/000.00.01.H26-251124-0001/cut.jpg", Array(jpeg.prefix(jpeg.count / 3)))
        let listing = try scan()
        let inspection = DocumentInspector().inspect(try #require(listing.documents.first))
        let failure = try #require(inspection.failure)
        #expect(failure.file.hasSuffix("cut.jpg"))
        #expect(failure.page == 1)
    }
}
