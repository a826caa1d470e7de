import Foundation
import Logging
import SohoaPipeline
import SohoaRepository
import SohoaTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Names that are not UTF-8 (a scanner or a Windows share with another code page writes
/// them): Foundation cannot name such a file, so the inbox reads names as bytes. The file is
/// listed and moved to the rejected folder with its bytes, under its name written out with
/// `\xNN` for each byte that is not text, beside a reason in both languages.
@Suite final class UndecodableNameTests {
    let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
    let caseFolder = "001085012345/000.00.01.H26-251124-0001"
    let scratch: URL
    let inbox: String
    let rejected: String
    let jpeg: [UInt8]

    init() throws {
        scratch = try Fixtures.makeScratch("undecodable")
        inbox = scratch.appendingPathComponent("inbox").path
        rejected = scratch.appendingPathComponent("rejected").path
        try FileManager.default.createDirectory(atPath: "\(inbox)/\(caseFolder)", withIntermediateDirectories: true)
        jpeg = try Fixtures.read(try #require(Fixtures.sampleImages().first { $0.hasSuffix(".jpg") }))
    }

    deinit { Fixtures.removeScratch(scratch) }

    /// `scan-` 0xFF 0xFE `.jpg`, as Latin-1 or a broken copy leaves it.
    static let badName: [UInt8] = Array("scan-".utf8) + [0xFF, 0xFE] + Array(".jpg".utf8)
    static let escapedName = #"scan-\xff\xfe.jpg"#

    func rawPath(_ folder: String, _ name: [UInt8]) -> [UInt8] { Array(folder.utf8) + [UInt8(ascii: "/")] + name }

    func createFile(_ path: [UInt8], _ contents: [UInt8]) throws {
        let descriptor = (path + [0]).withUnsafeBufferPointer {
            $0.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_CREAT | O_EXCL | O_WRONLY, 0o644) }
        }
        #expect(descriptor >= 0, "the test cannot make its file: \(String(cString: strerror(errno)))")
        _ = contents.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
    }

    func createFolder(_ path: [UInt8]) {
        let made = (path + [0]).withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { mkdir($0.baseAddress!, 0o755) } }
        #expect(made == 0)
    }

    /// The names in `folder`, as bytes.
    func rawNames(_ folder: String) -> [[UInt8]] {
        guard let directory = opendir(folder) else { return [] }
        defer { closedir(directory) }
        var names: [[UInt8]] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            if name != [0x2E], name != [0x2E, 0x2E] { names.append(name) }
        }
        return names
    }

    func intake() throws -> (InboxIntake, SQLiteStore) {
        let store = try SQLiteStore(path: scratch.appendingPathComponent("s.sqlite").path)
        return (InboxIntake(inbox: inbox, rejected: RejectedFolder.beside(inbox: inbox), store: store, stableFor: 0, logger: quiet), store)
    }

    @Test func theInboxListsTheNameEscaped() throws {
        defer { Fixtures.removeScratch(scratch) }
        try createFile(rawPath("\(inbox)/\(caseFolder)", Self.badName), jpeg)
        let listing = try InboxScanner(root: inbox).scan()
        #expect(listing.documents.isEmpty)
        let problem = try #require(listing.problems.first, "\(listing)")
        #expect(problem.relativePath == "\(caseFolder)/\(Self.escapedName)")
        #expect(problem.explanation.contains("UTF-8") && problem.vietnameseExplanation.contains("UTF-8"), "\(problem)")
    }

    @Test func aFileWhoseNameIsNotUTF8GoesToRejectedWithItsBytes() async throws {
        defer { Fixtures.removeScratch(scratch) }
        try createFile(rawPath("\(inbox)/\(caseFolder)", Self.badName), jpeg)
        let (intake, store) = try intake()
        let pass = try await intake.pass()
        #expect(pass.rejected == 1 && pass.waiting == 0 && pass.claimed == 0, "\(pass)")
        #expect(rawNames("\(inbox)/\(caseFolder)").isEmpty, "nothing stays in the inbox")
        let moved = "\(rejected)/\(caseFolder)/\(Self.escapedName)"
        #expect(try Fixtures.read(moved) == jpeg, "the file keeps its bytes")
        let reason = try String(contentsOfFile: "\(moved).reason.txt", encoding: .utf8)
        #expect(reason.contains("\(caseFolder)/\(Self.escapedName)"), "\(reason)")
        #expect(reason.contains("What was wrong") && reason.contains("UTF-8") && reason.contains("Vấn đề"), "\(reason)")
        #expect(try await store.auditCount(action: "reject") == 1, "the refusal is in the audit log")
        let again = try await intake.pass()
        #expect(again.rejected == 0 && again.waiting == 0, "a second pass finds nothing: \(again)")
    }

    @Test func aFolderWhoseNameIsNotUTF8GoesToRejectedWithWhatItHolds() async throws {
        defer { Fixtures.removeScratch(scratch) }
        let folder = rawPath("\(inbox)/001085012345", Array("h".utf8) + [0xE1, 0xBB] + Array("-so".utf8))
        createFolder(folder)
        try createFile(folder + Array("/trang-1.jpg".utf8), jpeg)
        let (intake, _) = try intake()
        #expect(try await intake.pass().rejected == 1)
        #expect(rawNames("\(inbox)/001085012345") == [Array("000.00.01.H26-251124-0001".utf8)], "only the good case folder stays")
        let moved = #"\#(rejected)/001085012345/h\xe1\xbb-so"#
        #expect(try Fixtures.read("\(moved)/trang-1.jpg") == jpeg)
        #expect(FileManager.default.fileExists(atPath: "\(moved).reason.txt"))
    }
}
