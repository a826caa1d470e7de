import Foundation
import SohoaTestSupport
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `sohoa tsa serve` as a real HTTP time-stamp authority, checked with `openssl ts`.
@Suite(.serialized) final class TSAServeTests {
    let scratch: URL
    func cert(_ name: String) -> String { Fixtures.certs.appendingPathComponent(name).path }

    init() throws {
        scratch = try Fixtures.makeScratch("tsa-serve")
    }

    deinit { Fixtures.removeScratch(scratch) }

    func post(_ url: URL, body: Data, contentType: String) async throws -> (Int, String, Data) {
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        request.httpBody = body
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as? HTTPURLResponse
        return (http?.statusCode ?? 0, http?.value(forHTTPHeaderField: "Content-Type") ?? "", data)
    }

    @Test func answersOverHTTPAndStopsCleanlyOnSIGTERM() async throws {
        let authority = try LocalTSA.start(serialFile: scratch.appendingPathComponent("serial").path)
        let process = authority.process
        let url = try #require(URL(string: authority.url))
        defer { authority.stop() }
        let dataPath = try Fixtures.write(Array("đơn đề nghị".utf8), named: "data.txt", in: scratch)
        let queryPath = dataPath + ".tsq"
        #expect(try Tools.run("openssl", ["ts", "-query", "-data", dataPath, "-sha256", "-cert", "-out", queryPath]).status == 0)

        let (status, type, reply) = try await post(url, body: try Data(contentsOf: URL(fileURLWithPath: queryPath)),
                                                   contentType: "application/timestamp-query")
        #expect(status == 200 && type == "application/timestamp-reply")
        let replyPath = try Fixtures.write(Array(reply), named: "reply.tsr", in: scratch)
        let verified = try Tools.run("openssl", ["ts", "-verify", "-data", dataPath, "-in", replyPath,
                                                 "-CAfile", cert("root-ca.pem"), "-untrusted", cert("issuing-ca.pem")])
        #expect(verified.stdout.contains("Verification: OK"), "\(verified.stdout) \(verified.stderr)")

        let (garbageStatus, _, garbageReply) = try await post(url, body: Data("garbage".utf8),
                                                              contentType: "application/timestamp-query")
        #expect(garbageStatus == 200)
        let rejected = try Fixtures.write(Array(garbageReply), named: "rejected.tsr", in: scratch)
        #expect(try Tools.run("openssl", ["ts", "-reply", "-in", rejected, "-text"]).stdout.contains("Status: Rejected"))

        let (wrongType, _, _) = try await post(url, body: Data("x".utf8), contentType: "text/plain")
        #expect(wrongType == 415)
        let (tooLarge, _, _) = try await post(url, body: Data(count: 200_000), contentType: "application/timestamp-query")
        #expect(tooLarge == 413)

        process.terminate()  // SIGTERM
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "a graceful stop exits 0")
    }

    @Test func unusableCertificateIsRefusedBeforeListening() throws {
        let result = try Run.process(Fixtures.productsDirectory.appendingPathComponent("sohoa").path,
                                     ["tsa", "serve", "--cert", cert("officer.pem"), "--key", cert("officer.key.pem"),
                                      "--listen", "127.0.0.1:0",
                                      "--serial-file", scratch.appendingPathComponent("s").path])
        #expect(result.status == 3)
        #expect(result.stderr.contains("timeStamping"))
    }

    @Test func aBusyPortIsSaidPlainly() throws {
        let authority = try LocalTSA.start(serialFile: scratch.appendingPathComponent("serial").path)
        defer { authority.stop() }
        let port = String(authority.url.split(separator: ":").last ?? "").filter { $0.isNumber }
        let result = try Run.process(Fixtures.productsDirectory.appendingPathComponent("sohoa").path,
                                     ["tsa", "serve", "--cert", cert("tsa.pem"), "--key", cert("tsa.key.pem"),
                                      "--listen", "127.0.0.1:\(port)", "--serial-file", scratch.appendingPathComponent("s2").path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("port 127.0.0.1:\(port) is already in use by another program"), "\(result.stderr)")
        #expect(!result.stderr.contains("errno"), "\(result.stderr)")
        #expect(result.stderr.filter { $0 == "(" }.count == result.stderr.filter { $0 == ")" }.count, "\(result.stderr)")
    }

    @Test func helpGivesExamplesAndExitCodes() throws {
        let help = try Run.process(Fixtures.productsDirectory.appendingPathComponent("sohoa").path, ["tsa", "serve", "--help"])
        let text = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(help.status == 0 && text.contains("Examples:") && text.contains("Exit status: 0"), "\(help.stdout)")
    }
}
