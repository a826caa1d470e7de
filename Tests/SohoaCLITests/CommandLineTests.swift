import Foundation
import SohoaTestSupport
import Testing

/// The `sohoa` executable, run as users and scripts run it.
@Suite struct CommandLineTests {
    let sohoa = Fixtures.productsDirectory.appendingPathComponent("sohoa").path

    func run(_ arguments: String...) throws -> ProcessResult {
        try #require(FileManager.default.isExecutableFile(atPath: sohoa), "build sohoa first (make test does)")
        return try Run.process(sohoa, arguments)
    }

    @Test func helpListsTheWholeContract() throws {
        let result = try run("--help")
        #expect(result.status == 0)
        for command in ["assemble", "sign", "verify", "tsa", "watch", "status", "repo", "inbox"] {
            #expect(result.stdout.contains("  \(command) "), "sohoa --help does not list \(command)")
        }
    }

    @Test(arguments: [
        ["assemble", "--help"], ["sign", "--help"], ["verify", "--help"], ["tsa", "serve", "--help"],
        ["watch", "--help"], ["status", "--help"], ["repo", "--help"], ["repo", "import", "--help"],
        ["repo", "list", "--help"], ["repo", "show", "--help"], ["repo", "get", "--help"],
        ["repo", "reuse", "--help"], ["repo", "export", "--help"], ["repo", "fsck", "--help"],
        ["repo", "anchor", "--help"], ["inbox", "--help"], ["tsa", "--help"], ["config", "--help"],
        ["config", "show", "--help"], ["--help"],
    ])
    func everyCommandHasItsOwnHelpWithExamplesAndExitStatus(arguments: [String]) throws {
        let result = try Run.process(sohoa, arguments)
        #expect(result.status == 0)
        let name = (["sohoa"] + arguments.dropLast()).joined(separator: " ")
        #expect(result.stdout.contains("USAGE: \(name)"))
        #expect(result.stdout.contains("Examples:") && result.stdout.contains("\n  \(name)"), "an example of \(name)")
        #expect(result.stdout.contains("Exit status:"), "\(name) states its exit status")
    }

    @Test func verifyHelpStatesTheExitCodes() throws {
        let result = try run("verify", "--help")
        let text = result.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(text.contains("0 every file is signed and every signature is valid"))
        #expect(text.contains("3 usage error or unreadable input"))
    }

    @Test(arguments: [["verify"], ["assemble", "a.tif"], ["sign", "--role", "boss", "a.pdf"], ["no-such-command"],
                      ["tsa", "serve", "--cert", "c", "--key", "k", "--listen", "0.0.0.0"]])
    func usageErrorsExit3(arguments: [String]) throws {
        let result = try Run.process(sohoa, arguments)
        #expect(result.status == 3)
        #expect(result.stderr.contains("Error:"))
    }

    @Test func inboxListsEverySampleDocument() throws {
        let result = try run("inbox", Fixtures.samples.path)
        #expect(result.status == 0, "\(result.stderr)")
        let files = Fixtures.sampleImages()
        #expect(!files.isEmpty)
        for file in files {
            let components = file.split(separator: "/").map(String.init)
            // A page of a folder document is listed under its folder's name.
            let listed = result.stdout.contains(components[components.count - 1])
                || result.stdout.contains(components[components.count - 2] + "/")
            #expect(listed, "\(file) is missing from the listing")
        }
        #expect(!result.stdout.contains("REFUSED"))
    }

    @Test func inboxJSONIsMachineReadable() throws {
        let result = try run("inbox", "--json", "--headers-only", Fixtures.samples.path)
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let documents = try #require(object["documents"] as? [[String: Any]])
        #expect(documents.count >= 6)
        for document in documents {
            #expect(document["owner"] is String && document["case"] is String)
            let pages = try #require(document["pages"] as? [[String: Any]])
            #expect(!pages.isEmpty)
            #expect(pages.allSatisfy { ($0["width"] as? Int ?? 0) > 1000 && $0["dpi"] != nil })
        }
        #expect((object["problems"] as? [Any])?.isEmpty == true)
    }

    @Test func inboxRefusalsExit1WithReasons() throws {
        let scratch = try Fixtures.makeScratch("cli-inbox")
        defer { Fixtures.removeScratch(scratch) }
        let sample = try #require(Fixtures.sampleImages().first { $0.hasSuffix(".jpg") })
        let bytes = try Fixtures.read(sample)
        try Fixtures.write(Array(bytes.prefix(bytes.count / 2)), named: "001085012345/000.00.01.H26-251124-0001/cut.jpg",
                           in: scratch)
        try Fixtures.write([1, 2, 3], named: "001085012345/notes.txt", in: scratch)
        let result = try run("inbox", scratch.path)
        #expect(result.status == 1)
        #expect(result.stdout.contains("cut.jpg"))
        #expect(result.stdout.contains("REFUSED"))
        #expect(result.stdout.contains("001085012345/notes.txt: files must be placed in a folder"))
    }

    @Test func missingInboxExits3NamingIt() throws {
        let result = try run("inbox", "/nonexistent/inbox")
        #expect(result.status == 3)
        #expect(result.stderr.contains("/nonexistent/inbox"))
    }
}
