import Foundation
import SohoaTestSupport
import Testing

/// `sohoa sign --pending --server`: officers and approvers sign on their own machines, with a
/// PKCS#12 file or a PKCS#11 token, against the central repository behind `sohoa serve`; the
/// service files a signed version only when the document is still as the signer saw it.
@Suite(.serialized) struct RemoteSigningTests {
    let sohoa = Fixtures.productsDirectory.appendingPathComponent("sohoa").path

    func cert(_ name: String) -> String { Fixtures.certs.appendingPathComponent(name).path }

    func listed(_ data: String, _ arguments: [String] = []) throws -> [[String: Any]] {
        let result = try Run.process(sohoa, ["repo", "list", "--data", data, "--json"] + arguments)
        return ((try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])?["documents"] as? [[String: Any]]) ?? []
    }

    func versions(_ data: String, _ id: String) throws -> [[String: Any]] {
        let shown = try Run.process(sohoa, ["repo", "show", "--data", data, id, "--json"])
        return ((try? JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])?["versions"] as? [[String: Any]]) ?? []
    }

    func token(_ data: String, _ name: String, _ roles: String...) throws -> String {
        let added = try Run.process(sohoa, ["access", "add", "--data", data, "--name", name] + roles.flatMap { ["--role", $0] })
        #expect(added.status == 0, "\(added.stderr)")
        return added.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func officersAndApproversSignAgainstTheCentralRepositoryWithAFileAndWithAToken() async throws {
        try CRLServer.ensureRunning()
        let module = try SoftHSMToken.prepared.get()
        let configuration = try #require(SoftHSMToken.configuration)
        let scratch = try Fixtures.makeScratch("remote-signing")
        defer { Fixtures.removeScratch(scratch) }
        let data = try FiledRepository.make(sohoa: sohoa, in: scratch, count: 6)
        let officer = try token(data, "can-bo.an", "officer")
        let approver = try token(data, "lanh-dao.binh", "approver")
        let operatorToken = try token(data, "tiep-nhan", "operator")
        let authority = try LocalTSA.start(serialFile: scratch.appendingPathComponent("serial").path)
        defer { authority.stop() }
        let server = try ServedRepository(data: data, arguments: ["--trust", cert("root-ca.pem")])
        defer { server.stop() }
        let environment = ["P": "sohoa-test", "T": officer, "A": approver, "O": operatorToken, "PIN": SoftHSMToken.pin,
                           "SOFTHSM2_CONF": configuration, "XDG_STATE_HOME": scratch.appendingPathComponent("state").path]
        let citizen = try #require(try listed(data).first?["citizen"] as? String)
        let citizensDocuments = try listed(data, ["--citizen", citizen]).count

        // The officer with a PKCS#12 file: one citizen's documents.
        let withFile = try Run.process(sohoa, ["sign", "--pending", "--server", server.base, "--token-env", "T", "--citizen", citizen,
                                               "--p12", cert("officer.p12"), "--password-env", "P", "--tsa", authority.url],
                                       environment: environment)
        #expect(withFile.status == 0 && withFile.stdout.contains("\(citizensDocuments) of \(citizensDocuments) signed"),
                "\(withFile.stdout) \(withFile.stderr)")
        #expect(!withFile.stdout.contains(officer) && !withFile.stderr.contains(officer), "the token is never shown")
        // The officer with the SoftHSM2 token: the rest.
        let withToken = try Run.process(sohoa, ["sign", "--pending", "--server", server.base + "/", "--token-env", "T", "--all",
                                                "--pkcs11-module", module, "--token", SoftHSMToken.label, "--pin-env", "PIN",
                                                "--key-label", "officer-ecdsa", "--chain", cert("chain.pem"), "--tsa", authority.url],
                                        environment: environment)
        #expect(withToken.status == 0 && withToken.stdout.contains("\(6 - citizensDocuments) of \(6 - citizensDocuments) signed"),
                "\(withToken.stdout) \(withToken.stderr)")
        #expect(try listed(data, ["--state", "signed"]).count == 6)

        // A token whose role may not: refused by the service, nothing filed.
        let wrongRole = try Run.process(sohoa, ["sign", "--pending", "--server", server.base, "--token-env", "O", "--all",
                                                "--role", "approver", "--p12", cert("approver.p12"), "--password-env", "P"],
                                        environment: environment)
        #expect(wrongRole.status == 1 && wrongRole.stderr.contains("403"), "\(wrongRole.stdout) \(wrongRole.stderr)")

        // The approver approves everything; the versions name the principals.
        let approved = try Run.process(sohoa, ["sign", "--pending", "--server", server.base, "--token-env", "A", "--all",
                                               "--role", "approver", "--p12", cert("approver.p12"), "--password-env", "P",
                                               "--tsa", authority.url, "--ltv"], environment: environment)
        #expect(approved.status == 0 && approved.stdout.contains("6 of 6 approved"), "\(approved.stdout) \(approved.stderr)")
        let documents = try listed(data)
        #expect(documents.count == 6 && documents.allSatisfy { $0["state"] as? String == "approved" })
        let id = try #require(documents.first?["id"] as? String)
        let history = try versions(data, id)
        #expect(history.suffix(2).map { $0["actor"] as? String } == ["api:can-bo.an", "api:lanh-dao.binh"], "\(history)")
        #expect(history.suffix(2).map { $0["kind"] as? String } == ["signed", "approved"])
        let pdf = scratch.appendingPathComponent("approved.pdf").path
        #expect(try Run.process(sohoa, ["repo", "get", "--data", data, id, "-o", pdf]).status == 0)
        let verified = try Run.process(sohoa, ["verify", "--trust", cert("root-ca.pem"), pdf])
        #expect(verified.status == 0, "both signatures, made on the signers' machines, verify: \(verified.stdout)")
        #expect(try Tools.run("pdfsig", [pdf]).stdout.components(separatedBy: "Signature is Valid.").count - 1 == 2)
    }

    /// The officer signing on their own machine draws the same QR code as at the centre: the
    /// service tells the signer the case's procedure and the document's public check code.
    @Test func aQRCodeDrawnAgainstTheCentralRepositoryCarriesTheProcedureAndThePublicLink() async throws {
        try CRLServer.ensureRunning()
        let scratch = try Fixtures.makeScratch("remote-qr")
        defer { Fixtures.removeScratch(scratch) }
        let data = scratch.appendingPathComponent("data").path
        let unsigned = scratch.appendingPathComponent("doc.pdf").path
        let sample = Fixtures.samples.appendingPathComponent("001085012345/000.00.01.H26-251124-0001/don-de-nghi.tif").path
        #expect(try Run.process(sohoa, ["assemble", "-o", unsigned, sample]).status == 0)
        let imported = try Run.process(sohoa, ["repo", "import", "--data", data, "--citizen", "001085012345", "--case",
                                               "000.00.01.H26-251124-0001", "--procedure", "1.001193", "--title", "Đơn đề nghị",
                                               unsigned])
        #expect(imported.status == 0, "\(imported.stderr)")
        let id = imported.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let officer = try token(data, "can-bo.an", "officer")
        let server = try ServedRepository(data: data, arguments: ["--trust", cert("root-ca.pem")])
        defer { server.stop() }
        let base = "https://tracuu.example.vn"
        let signed = try Run.process(sohoa, ["sign", "--pending", "--server", server.base, "--token-env", "T", "--all",
                                             "--p12", cert("officer.p12"), "--password-env", "P", "--check-url-base", base],
                                     environment: ["P": "sohoa-test", "T": officer,
                                                   "XDG_STATE_HOME": scratch.appendingPathComponent("state").path])
        #expect(signed.status == 0, "\(signed.stdout) \(signed.stderr)")
        let shown = try Run.process(sohoa, ["repo", "show", "--data", data, id, "--json"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        #expect(document["procedure"] as? String == "1.001193", "repo show --json names the case's procedure")
        let code = try #require(document["publicCode"] as? String)
        let pdf = scratch.appendingPathComponent("signed.pdf").path
        #expect(try Run.process(sohoa, ["repo", "get", "--data", data, id, "-o", pdf]).status == 0)
        let lines = try PageQRCode.lines(of: pdf, renderingInto: scratch.appendingPathComponent("render").path)
        #expect(lines.prefix(3) == ["Mã hồ sơ: 000.00.01.H26-251124-0001", "Mã TTHC: 1.001193", "Số định danh: 001******345"],
                "\(lines)")
        #expect(lines.last == "Tra cứu: \(base)/v/\(code)", "\(lines)")
    }

    @Test func ofTwoSignersRacingOnOneDocumentExactlyOneFiles() async throws {
        try CRLServer.ensureRunning()
        let scratch = try Fixtures.makeScratch("remote-race")
        defer { Fixtures.removeScratch(scratch) }
        let data = try FiledRepository.make(sohoa: sohoa, in: scratch, count: 4)
        let officer = try token(data, "can-bo.an", "officer")
        let server = try ServedRepository(data: data, arguments: ["--trust", cert("root-ca.pem")])
        defer { server.stop() }

        // Two whole batches at once, on the same documents: every document signed once.
        func batch(_ name: String) throws -> Process {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: sohoa)
            process.arguments = ["sign", "--pending", "--server", server.base, "--token-env", "T", "--all", "--p12", cert("officer.p12"),
                                 "--password-env", "P"]
            process.environment = ProcessInfo.processInfo.environment.merging(
                ["P": "sohoa-test", "T": officer, "XDG_STATE_HOME": scratch.appendingPathComponent(name).path]) { $1 }
            let log = scratch.appendingPathComponent("\(name).log")
            FileManager.default.createFile(atPath: log.path, contents: nil)
            let handle = try FileHandle(forWritingTo: log)
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            return process
        }
        let first = try batch("first"), second = try batch("second")
        first.waitUntilExit()
        second.waitUntilExit()
        let logs = try ["first", "second"].map { try String(contentsOf: scratch.appendingPathComponent("\($0).log"), encoding: .utf8) }
        #expect(first.terminationStatus == 0 && second.terminationStatus == 0, "\(logs)")
        for document in try listed(data) {
            let id = try #require(document["id"] as? String)
            #expect(document["state"] as? String == "signed")
            #expect(try versions(data, id).filter { $0["kind"] as? String == "signed" }.count == 1, "\(id) signed once")
        }

        // Two signed copies of one version sent at once: one filed, the other told it was late.
        let pdf = scratch.appendingPathComponent("fresh.pdf").path
        let sample = Fixtures.samples.appendingPathComponent("001085012345/000.00.01.H26-251124-0001/don-de-nghi.tif").path
        #expect(try Run.process(sohoa, ["assemble", "-o", pdf, sample]).status == 0)
        let imported = try Run.process(sohoa, ["repo", "import", "--data", data, "--citizen", "001234567890",
                                               "--case", "000.00.01.H26-261205-0007", pdf])
        let id = imported.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let parent = try #require(try versions(data, id).last?["hash"] as? String)
        var copies: [Data] = []
        for name in ["a", "b"] {
            let out = scratch.appendingPathComponent("signed-\(name)").path
            let signed = try Run.process(sohoa, ["sign", "--p12", cert("officer.p12"), "--password-env", "P", "--reason", "signer \(name)",
                                                 "--out", out, pdf],
                                         environment: ["P": "sohoa-test"])
            #expect(signed.status == 0, "\(signed.stderr)")
            copies.append(try Data(contentsOf: URL(fileURLWithPath: "\(out)/fresh.pdf")))
        }
        #expect(copies[0] != copies[1])
        let firstCopy = copies[0], secondCopy = copies[1]
        async let one = server.request("/api/v1/documents/\(id)/versions", method: "POST", token: officer, body: firstCopy,
                                       contentType: "application/pdf", headers: ["If-Match": "\"\(parent)\""])
        async let other = server.request("/api/v1/documents/\(id)/versions", method: "POST", token: officer, body: secondCopy,
                                         contentType: "application/pdf", headers: ["If-Match": "\"\(parent)\""])
        let statuses = [try await one.status, try await other.status].sorted()
        #expect(statuses == [201, 412], "\(statuses)")
        #expect(try versions(data, id).count == 2, "exactly one version filed")

        // What is not a signed continuation of the newest version is refused, and nothing filed.
        let another = try Run.process(sohoa, ["repo", "import", "--data", data, "--citizen", "001234567891",
                                            "--case", "000.00.01.H26-261205-0009", "--title", "Đơn", pdf])
        let pending = another.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let pendingParent = try #require(try versions(data, pending).last?["hash"] as? String)
        let path = "/api/v1/documents/\(pending)/versions"
        #expect(try await server.request(path, method: "POST", token: officer, body: copies[0], contentType: "application/pdf").status == 428)
        let stale = try await server.request(path, method: "POST", token: officer, body: copies[0], contentType: "application/pdf",
                                             headers: ["If-Match": "\"\(String(repeating: "0", count: 64))\""])
        #expect(stale.status == 412, "\(stale.text)")
        let unsigned = try Data(contentsOf: URL(fileURLWithPath: pdf))
        for (body, why) in [(unsigned, "no signature added"), (Data("%PDF-1.7 nothing".utf8), "not that version"),
                            (unsigned + Data("\n%%EOF\n".utf8), "bytes added, no signature")] {
            let refused = try await server.request(path, method: "POST", token: officer, body: body, contentType: "application/pdf",
                                                   headers: ["If-Match": "\"\(pendingParent)\""])
            #expect(refused.status == 422, "\(why): \(refused.status) \(refused.text)")
        }
        #expect(try versions(data, pending).count == 1, "nothing filed")
    }
}
