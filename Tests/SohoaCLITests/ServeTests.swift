import Foundation
import SohoaTestSupport
import Testing

/// `sohoa serve` over a real loopback connection, on both engines: every endpoint for every
/// role, the agency's case rule, the audit entries naming the principal, bad input answered
/// with a clear 4xx, and the public check page that shows nothing of the citizen.
@Suite(.serialized) struct ServeTests {
    let sohoa = Fixtures.productsDirectory.appendingPathComponent("sohoa").path

    func cert(_ name: String) -> String { Fixtures.certs.appendingPathComponent(name).path }

    /// An unsigned PDF assembled from a sample scan.
    func assembled(in scratch: URL) throws -> Data {
        let output = scratch.appendingPathComponent("assembled.pdf").path
        let sample = Fixtures.samples.appendingPathComponent("001085012345/000.00.01.H26-251124-0001/don-de-nghi.tif").path
        #expect(try Run.process(sohoa, ["assemble", "-o", output, sample]).status == 0)
        return try Data(contentsOf: URL(fileURLWithPath: output))
    }

    /// A repository with approved documents of two citizens, a token for each role, served.
    struct Setup {
        let data: String
        let environment: [String: String]
        let tokens: [String: String]
        /// An approved document, its citizen and its case; and another citizen's case.
        let document: String, citizen: String, dossier: String, otherCitizen: String, otherDossier: String
        let server: ServedRepository
    }

    func setUp(_ engine: String, scratch: URL, serveArguments: [String] = []) throws -> Setup {
        try CRLServer.ensureRunning()
        var environment = ["P": "sohoa-test", "TZ": "Asia/Ho_Chi_Minh"]
        let data = scratch.appendingPathComponent("data").path
        if engine == "postgres" {
            environment.merge(try TestPostgres.server().environment) { $1 }
            let made = try Run.process(sohoa, ["repo", "init", "--data", data, "--database", try TestPostgres.freshDatabase("serve")],
                                       environment: environment)
            #expect(made.status == 0, "\(made.stderr)")
        }
        _ = try FiledRepository.make(sohoa: sohoa, in: scratch, count: 4, environment: environment)
        let authority = try LocalTSA.start(serialFile: scratch.appendingPathComponent("serial").path)
        defer { authority.stop() }
        for (role, p12) in [("officer", "officer.p12"), ("approver", "approver.p12")] {
            let signed = try Run.process(sohoa, ["sign", "--pending", "--all", "--data", data, "--role", role, "--p12", cert(p12),
                                                 "--password-env", "P", "--tsa", authority.url, "--ltv"], environment: environment)
            #expect(signed.status == 0, "\(signed.stdout) \(signed.stderr)")
        }
        let listed = try Run.process(sohoa, ["repo", "list", "--data", data, "--json"], environment: environment)
        let documents = try #require((try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any])?["documents"]
            as? [[String: Any]])
        let first = try #require(documents.first)
        let citizen = try #require(first["citizen"] as? String)
        let other = try #require(documents.first { $0["citizen"] as? String != citizen })
        var tokens: [String: String] = [:]
        for role in ["operator", "officer", "approver", "auditor", "agency", "admin"] {
            let added = try Run.process(sohoa, ["access", "add", "--data", data, "--name", "test-\(role)", "--role", role],
                                        environment: environment)
            #expect(added.status == 0, "\(added.stderr)")
            tokens[role] = added.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let leaver = try Run.process(sohoa, ["access", "add", "--data", data, "--name", "leaver", "--role", "auditor"],
                                     environment: environment)
        tokens["revoked"] = leaver.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try Run.process(sohoa, ["access", "revoke", "--data", data, "leaver"], environment: environment).status == 0)
        let server = try ServedRepository(data: data, arguments: ["--trust", cert("root-ca.pem"), "--offline"] + serveArguments,
                                          environment: environment)
        return Setup(data: data, environment: environment, tokens: tokens, document: try #require(first["id"] as? String),
                     citizen: citizen, dossier: try #require((first["cases"] as? [String])?.first),
                     otherCitizen: try #require(other["citizen"] as? String),
                     otherDossier: try #require((other["cases"] as? [String])?.first), server: server)
    }

    @Test(arguments: ["sqlite", "postgres"])
    func everyEndpointAnswersEveryRoleAsTheRulesSay(engine: String) async throws {
        let scratch = try Fixtures.makeScratch("serve-\(engine)")
        defer { Fixtures.removeScratch(scratch) }
        let setup = try setUp(engine, scratch: scratch)
        let server = setup.server
        defer { #expect(server.stop() == 0, "a graceful stop exits 0") }
        let token = setup.tokens
        let documentPath = "/api/v1/documents/\(setup.document)"

        #expect(try await server.request("/healthz").status == 200)
        let openAPI = try await server.request("/openapi.json")
        #expect(openAPI.status == 200 && (openAPI.json?["paths"] as? [String: Any])?["/api/v1/documents"] != nil)

        // 401 without a valid token, wherever a token is needed.
        for (method, path) in [("GET", "/api/v1/documents?citizen=\(setup.citizen)"), ("GET", documentPath),
                               ("GET", documentPath + "/versions/1"), ("POST", documentPath + "/reuse"),
                               ("POST", "/api/v1/documents"), ("POST", "/api/v1/verify"), ("GET", "/api/v1/status")] {
            for presented in [nil, "sohoa_0123456789abcdef_" + String(repeating: "0", count: 64), "garbage", token["revoked"]] {
                let answer = try await server.request(path, method: method, token: presented)
                #expect(answer.status == 401, "\(method) \(path) with \(presented == nil ? "no token" : "a bad token"): \(answer.status)")
                #expect(answer.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
                #expect((answer.json?["error"] as? [String: Any])?["code"] as? String == "unauthenticated")
            }
        }

        // The listing: what `repo list --json` prints, for the roles that read everything.
        let cli = try Run.process(sohoa, ["repo", "list", "--data", setup.data, "--citizen", setup.citizen, "--json"],
                                  environment: setup.environment)
        let expected = try #require(try JSONSerialization.jsonObject(with: Data(cli.stdout.utf8)) as? [String: Any])
        for role in ["auditor", "officer", "approver"] {
            let answer = try await server.request("/api/v1/documents?citizen=\(setup.citizen)", token: token[role])
            #expect(answer.status == 200, "\(role): \(answer.text)")
            #expect(NSDictionary(dictionary: answer.json ?? [:]).isEqual(to: expected), "\(role) gets what repo list --json prints")
        }
        for role in ["operator", "admin"] {
            #expect(try await server.request("/api/v1/documents?citizen=\(setup.citizen)", token: token[role]).status == 403, "\(role)")
        }
        // An agency reads a citizen's documents only for a case of that citizen's.
        let agency = token["agency"]
        #expect(try await server.request("/api/v1/documents?citizen=\(setup.citizen)", token: agency).status == 403)
        #expect(try await server.request("/api/v1/documents?citizen=\(setup.citizen)&case=\(setup.otherDossier)", token: agency).status == 403)
        #expect(try await server.request("/api/v1/documents?citizen=\(setup.citizen)&case=000.00.01.H26-991231-9999",
                                         token: agency).status == 403)
        let forCase = try await server.request("/api/v1/documents?citizen=\(setup.citizen)&case=\(setup.dossier)", token: agency)
        #expect(forCase.status == 200)
        let agencyIDs = ((forCase.json?["documents"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }
        #expect(agencyIDs.contains(setup.document))
        #expect(((forCase.json?["documents"] as? [[String: Any]]) ?? []).allSatisfy { $0["citizen"] as? String == setup.citizen })

        // One document: as `repo show --json`, with its public code.
        let shown = try await server.request(documentPath, token: token["auditor"])
        #expect(shown.status == 200)
        let versions = try #require(shown.json?["versions"] as? [[String: Any]])
        let code = try #require(shown.json?["publicCode"] as? String)
        #expect(try await server.request(documentPath + "?case=\(setup.dossier)", token: agency).status == 200)
        #expect(try await server.request(documentPath + "?case=\(setup.otherDossier)", token: agency).status == 403)
        #expect(try await server.request(documentPath, token: agency).status == 403)
        #expect(try await server.request(documentPath, token: token["operator"]).status == 403)
        #expect(try await server.request("/api/v1/documents/" + String(repeating: "0", count: 32), token: token["auditor"]).status == 404)
        for tricky in ["..%2F..%2Fetc%2Fpasswd", "3F9A", "%00", String(repeating: "a", count: 5000)] {
            let answer = try await server.request("/api/v1/documents/\(tricky)", token: token["auditor"])
            #expect([400, 404].contains(answer.status), "\(tricky.prefix(20)): \(answer.status)")
        }

        // A version's bytes, with their SHA-256 in a header.
        let newest = try #require(versions.last?["number"] as? Int)
        let bytes = try await server.request(documentPath + "/versions/\(newest)", token: token["officer"])
        #expect(bytes.status == 200 && bytes.header("Content-Type") == "application/pdf")
        let digest = try Tools.run("sha256sum", [try Fixtures.write(Array(bytes.body), named: "got.pdf", in: scratch)])
        #expect(digest.stdout.hasPrefix(bytes.header("X-Content-SHA256") ?? "none"))
        #expect(bytes.header("X-Content-SHA256") == versions.last?["hash"] as? String)
        #expect(try await server.request(documentPath + "/versions/99", token: token["officer"]).status == 404)
        #expect(try await server.request(documentPath + "/versions/0", token: token["officer"]).status == 400)
        #expect(try await server.request(documentPath + "/versions/one", token: token["officer"]).status == 400)

        // Verifying an upload: the file object of `verify --json`.
        let verified = try await server.request("/api/v1/verify?name=birth.pdf", method: "POST", token: token["auditor"], body: bytes.body,
                                                contentType: "application/pdf")
        #expect(verified.status == 200 && verified.json?["verdict"] as? String == "valid", "\(verified.text)")
        #expect(verified.json?["path"] as? String == "birth.pdf")
        let notPDF = try await server.request("/api/v1/verify", method: "POST", token: token["auditor"], body: Data("hello".utf8),
                                              contentType: "application/pdf")
        #expect(notPDF.status == 422, "\(notPDF.text)")
        #expect(try await server.request("/api/v1/verify", method: "POST", token: token["admin"], body: bytes.body,
                                         contentType: "application/pdf").status == 403)

        // Reuse for another case of the same citizen: verified first.
        let newCase = "000.00.01.H26-261205-0042"
        let reuse = try await server.request(documentPath + "/reuse", method: "POST", token: agency, body: Data("{\"case\": \"\(newCase)\"}".utf8),
                                             contentType: "application/json")
        #expect(reuse.status == 200 && reuse.json?["attached"] as? Bool == true, "\(reuse.text)")
        #expect((reuse.json?["cases"] as? [String])?.contains(newCase) == true)
        let otherCitizens = try await server.request(documentPath + "/reuse", method: "POST", token: agency,
                                                     body: Data("{\"case\": \"\(setup.otherDossier)\"}".utf8), contentType: "application/json")
        #expect(otherCitizens.status == 422, "another citizen's case: \(otherCitizens.text)")
        for body in ["{", "[]", "{\"case\": 5}", "{\"case\": \"../../x\"}", ""] {
            let answer = try await server.request(documentPath + "/reuse", method: "POST", token: agency, body: Data(body.utf8),
                                                  contentType: "application/json")
            #expect(answer.status == 400, "\(body): \(answer.status) \(answer.text)")
        }
        #expect(try await server.request(documentPath + "/reuse", method: "POST", token: token["auditor"],
                                         body: Data("{\"case\": \"\(newCase)\"}".utf8), contentType: "application/json").status == 403)

        // Filing: a raw PDF or a form, as `repo import` does.
        let unsigned = try assembled(in: scratch)
        let filePath = "/api/v1/documents?citizen=001234567890&case=000.00.01.H26-261205-0100&title=%C4%90%C6%A1n"
        let filed = try await server.request(filePath, method: "POST", token: token["operator"], body: unsigned, contentType: "application/pdf")
        #expect(filed.status == 201 && filed.json?["state"] as? String == "pending" && filed.json?["duplicate"] as? Bool == false,
                "\(filed.text)")
        #expect(filed.json?["title"] as? String == "Đơn")
        let again = try await server.request(filePath, method: "POST", token: token["operator"], body: unsigned, contentType: "application/pdf")
        #expect(again.status == 200 && again.json?["duplicate"] as? Bool == true)
        let (form, formType) = ServedRepository.form(["citizen": "001234567891", "case": "000.00.01.H26-261205-0101",
                                                      "type": "contract"], file: bytes.body)
        let signedForm = try await server.request("/api/v1/documents", method: "POST", token: token["officer"], body: form, contentType: formType)
        #expect(signedForm.status == 201 && signedForm.json?["state"] as? String == "signed", "\(signedForm.text)")
        #expect(try await server.request(filePath, method: "POST", token: token["auditor"], body: unsigned,
                                         contentType: "application/pdf").status == 403)
        let refused = try await server.request(filePath, method: "POST", token: token["operator"], body: Data("not a pdf".utf8),
                                               contentType: "application/pdf")
        #expect(refused.status == 422, "\(refused.text)")
        for (path, body, type) in [("/api/v1/documents?case=000.00.01.H26-261205-0100", unsigned, "application/pdf"),
                                   ("/api/v1/documents?citizen=12&case=000.00.01.H26-261205-0100", unsigned, "application/pdf"),
                                   ("/api/v1/documents", Data("--x\r\nbroken".utf8), "multipart/form-data; boundary=x"),
                                   (filePath, unsigned, "text/plain")] {
            let answer = try await server.request(path, method: "POST", token: token["operator"], body: body, contentType: type)
            #expect(answer.status == 400, "\(path) \(type): \(answer.status) \(answer.text)")
        }
        // The other citizen's case is refused for this citizen.
        let wrongOwner = try await server.request("/api/v1/documents?citizen=001234567890&case=\(setup.otherDossier)", method: "POST",
                                                  token: token["operator"], body: unsigned + Data("\n%x".utf8), contentType: "application/pdf")
        #expect(wrongOwner.status == 422, "\(wrongOwner.text)")

        // The status, for those who follow the pipeline.
        let status = try await server.request("/api/v1/status", token: token["operator"])
        #expect(status.status == 200 && status.json?["stages"] != nil)
        #expect(try await server.request("/api/v1/status", token: agency).status == 403)

        // Every read and change names its principal in the audit log.
        let exported = scratch.appendingPathComponent("case.zip").path
        #expect(try Run.process(sohoa, ["repo", "export", "--data", setup.data, "--case", setup.dossier, "-o", exported],
                                environment: setup.environment).status == 0)
        let audit = try Tools.run("unzip", ["-p", exported, "audit.jsonl"]).stdout
        #expect(audit.contains("\"actor\":\"api:test-auditor\"") && audit.contains("\"detail\":\"shown\""), "\(audit)")
        #expect(audit.contains("\"actor\":\"api:test-agency\"") && audit.contains("for case \(setup.dossier)"))
        #expect(audit.contains("\"action\":\"reuse\"") && audit.contains("linked to \(newCase)"))
        #expect(audit.contains("\"detail\":\"version \(newest)\""))

        // The public check: anyone, no token; nothing of the citizen.
        let check = try await server.request("/v/\(code).json")
        #expect(check.status == 200 && check.json?["verdict"] as? String == "valid" && check.json?["reliable"] as? Bool == true,
                "\(check.text)")
        #expect(check.json?["state"] as? String == "approved")
        #expect(check.json?["sha256"] as? String == versions.last?["hash"] as? String)
        let signers = (check.json?["signatures"] as? [[String: Any]] ?? []).compactMap { $0["signer"] as? String }
        #expect(signers.contains { $0.contains("Nguyễn Văn An") }, "\(signers)")
        let page = try await server.request("/v/\(code)")
        #expect(page.status == 200 && page.header("Content-Type")?.hasPrefix("text/html") == true)
        #expect(page.text.contains("Tài liệu hợp lệ") && page.text.contains(versions.last?["hash"] as? String ?? "-"))
        for shown in [check.text, page.text] {
            #expect(!shown.contains(setup.citizen), "the public check never shows the citizen's identifier")
        }
        #expect(try await server.request("/v/" + String(repeating: "0", count: 32) + ".json").status == 404)
        #expect(try await server.request("/v/..%2F..%2Fetc%2Fpasswd").status == 404)
        let same = try await server.request("/v/\(code).json", method: "POST", body: bytes.body, contentType: "application/pdf")
        #expect(same.json?["identical"] as? Bool == true, "\(same.text)")
        let (changed, changedType) = ServedRepository.form([:], file: bytes.body + Data("%%".utf8))
        let differs = try await server.request("/v/\(code)", method: "POST", body: changed, contentType: changedType)
        #expect(differs.status == 200 && differs.text.contains("KHÁC"), "\(differs.text)")
    }

    @Test func theAPIAnswersAsItsOpenAPIDocumentSaysAndThePublicPageRendersInABrowser() async throws {
        let scratch = try Fixtures.makeScratch("serve-conformance")
        defer { Fixtures.removeScratch(scratch) }
        let setup = try setUp("sqlite", scratch: scratch, serveArguments: ["--rate-limit", "0"])
        let server = setup.server
        defer { server.stop() }
        let everyRole = ["operator", "officer", "approver", "auditor", "agency", "admin"].flatMap { ["--role", $0] }
        let added = try Run.process(sohoa, ["access", "add", "--data", setup.data, "--name", "schemathesis"] + everyRole)
        let token = added.stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        // Schemathesis against /openapi.json: generated requests, valid and not, on every
        // operation; every answer must be documented and match its schema, and none be a 5xx.
        // Excluded: "schema-valid requests are accepted" — a tax code's check digit and a dossier
        // code's date cannot be written as patterns, so some schema-valid identifiers get a 400.
        let schemathesis = Fixtures.packageRoot.appendingPathComponent(".build/venv/bin/st").path
        let run = try Run.process(schemathesis, ["run", "\(server.base)/openapi.json", "-H", "Authorization: Bearer \(token)",
                                                 "--max-examples", "25", "--seed", "20261205", "--checks", "all",
                                                 "--exclude-checks", "positive_data_acceptance"],
                                  environment: ["PYTHONPATH": Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures").path,
                                                "SCHEMATHESIS_HOOKS": "schemathesis_hooks", "NO_COLOR": "1"])
        #expect(run.status == 0, "\(run.stdout.suffix(4000)) \(run.stderr.suffix(2000))")
        #expect(run.stdout.contains("passed") && !run.stdout.contains("failed"), "\(run.stdout.suffix(2000))")
        #expect(try await server.request("/healthz").status == 200, "the server still serves")

        // The public check page in a real browser, as a phone shows it.
        let shown = try await server.request("/api/v1/documents/\(setup.document)", token: setup.tokens["auditor"])
        let code = try #require(shown.json?["publicCode"] as? String)
        let title = try #require((shown.json?["document"] as? [String: Any])?["title"] as? String)
        let screenshot = Browser.screenshots.appendingPathComponent("public-check.png").path
        try? FileManager.default.removeItem(atPath: screenshot)
        try Browser.screenshot("\(server.base)/v/\(code)", to: screenshot)
        let size = (try FileManager.default.attributesOfItem(atPath: screenshot)[.size] as? Int) ?? 0
        #expect(size > 20_000, "a page with content, not a blank one (\(size) bytes)")
        let dom = try Browser.dom("\(server.base)/v/\(code)")
        #expect(dom.contains(title), "the document's title, its Vietnamese letters intact")
        #expect(dom.contains("Kiểm tra tài liệu điện tử") && dom.contains("Tài liệu hợp lệ: mọi chữ ký số đều hợp lệ."))
        #expect(dom.contains("TEST ONLY Nguyễn Văn An (officer)") && dom.contains("TEST ONLY Trần Thị Bình (approver)"))
        #expect(dom.components(separatedBy: "Hợp lệ</span>").count - 1 == 2, "both signatures valid as verified now")
        #expect(dom.contains("+07:00"), "times are local, with their offset")
        #expect(!dom.contains(setup.citizen), "nothing of the citizen")
        let pixels = try Tools.run(Tools.python, ["-c", """
            import sys
            from PIL import Image
            image = Image.open(sys.argv[1]).convert("RGB")
            box = image.crop((20, 95, 390, 190))
            green = sum(1 for r, g, b in box.getdata() if g > r + 15 and g > b)
            print(image.size[0], green)
            """, screenshot])
        let numbers = pixels.stdout.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        #expect(numbers.first == 412 && (numbers.last ?? 0) > 1000, "the verdict box is green: \(pixels.stdout) \(pixels.stderr)")

        // The status page: a sign-in with a token first, then the pipeline, in a browser.
        let signIn = try await server.request("/")
        #expect(signIn.status == 200 && signIn.text.contains("Đăng nhập") && signIn.text.contains("type=\"password\""))
        #expect(try login(server, token: "sohoa_wrong").status == 401)
        #expect(try login(server, token: setup.tokens["agency"] ?? "").status == 403, "an agency does not follow the pipeline")
        let signedIn = try login(server, token: setup.tokens["operator"] ?? "")
        #expect(signedIn.status == 303 && signedIn.cookie.contains("HttpOnly") && signedIn.cookie.contains("SameSite=Strict"),
                "\(signedIn)")
        let session = String(signedIn.cookie.split(separator: ";").first?.split(separator: "=").last ?? "")
        #expect(!session.isEmpty && !signedIn.cookie.contains(setup.tokens["operator"] ?? "-"), "the cookie is not the token")
        let statusShot = Browser.screenshots.appendingPathComponent("status-page.png").path
        try? FileManager.default.removeItem(atPath: statusShot)
        let statusPage = try Tools.run(Tools.python, [Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/browser_session.py").path,
                                                      "\(server.base)/", "sohoa_session", session, statusShot])
        #expect(statusPage.status == 0, "\(statusPage.stderr)")
        let html = statusPage.stdout
        #expect(html.contains("Tình trạng xử lý hồ sơ") && html.contains("Chờ cán bộ ký") && html.contains("Chờ lãnh đạo duyệt"))
        #expect(html.contains("id=\"approved\">4<") && html.contains("id=\"pending\">0<"), "the counts of the repository")
        #expect(html.contains(">assemble<") && html.contains("api:test-operator"))
        #expect(html.contains("http-equiv=\"refresh\""), "it refreshes itself")
        #expect(FileManager.default.fileExists(atPath: statusShot))
        #expect(try page(server, "/", session: session).text.contains("Tình trạng xử lý hồ sơ"))
        #expect(try page(server, "/logout", method: "POST", session: session).status == 303)
        #expect(try page(server, "/", session: session).text.contains("Đăng nhập"), "a closed session signs in again")
        // A session ends when its token's grant is revoked.
        let again = try login(server, token: setup.tokens["operator"] ?? "")
        let second = String(again.cookie.split(separator: ";").first?.split(separator: "=").last ?? "")
        #expect(try page(server, "/", session: second).text.contains("Tình trạng xử lý hồ sơ"))
        #expect(try Run.process(sohoa, ["access", "revoke", "--data", setup.data, "test-operator"], environment: setup.environment).status == 0)
        let revoked = try page(server, "/", session: second)
        #expect(revoked.status == 401 && revoked.text.contains("đã bị thu hồi"), "\(revoked.status)")
    }

    /// Requests `path` with the session cookie `session` (Python's client: it sends the cookie as given).
    func page(_ server: ServedRepository, _ path: String, method: String = "GET", session: String) throws -> (status: Int, text: String) {
        let result = try Tools.run(Tools.python, ["-c", """
            import http.client, sys, urllib.parse
            base = urllib.parse.urlsplit(sys.argv[1])
            connection = http.client.HTTPConnection(base.hostname, base.port)
            connection.request(sys.argv[3], sys.argv[2], headers={"Cookie": "sohoa_session=" + sys.argv[4]})
            answer = connection.getresponse()
            print(answer.status)
            print(answer.read().decode())
            """, server.base, path, method, session])
        let lines = result.stdout.split(separator: "\n", maxSplits: 1)
        return (Int(lines.first ?? "") ?? 0, lines.count > 1 ? String(lines[1]) : "")
    }

    /// Posts the sign-in form with `token`: the status and the cookie set.
    func login(_ server: ServedRepository, token: String) throws -> (status: Int, cookie: String) {
        let result = try Tools.run(Tools.python, ["-c", """
            import http.client, sys, urllib.parse
            base = urllib.parse.urlsplit(sys.argv[1])
            connection = http.client.HTTPConnection(base.hostname, base.port)
            connection.request("POST", "/login", urllib.parse.urlencode({"token": sys.argv[2]}),
                               {"Content-Type": "application/x-www-form-urlencoded"})
            answer = connection.getresponse()
            print(answer.status, answer.getheader("Set-Cookie") or "")
            """, server.base, token])
        let parts = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ", maxSplits: 1)
        return (Int(parts.first ?? "") ?? 0, parts.count > 1 ? String(parts[1]) : "")
    }

    @Test func slowClientsAreCutOffAndTheServerKeepsServing() async throws {
        let scratch = try Fixtures.makeScratch("serve-slow")
        defer { Fixtures.removeScratch(scratch) }
        let data = scratch.appendingPathComponent("data").path
        #expect(try Run.process(sohoa, ["repo", "init", "--data", data]).status == 0)
        let token = try Run.process(sohoa, ["access", "add", "--data", data, "--name", "kiem-toan", "--role", "auditor"])
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let server = try ServedRepository(data: data, arguments: ["--idle-timeout", "1", "--offline"])
        defer { server.stop() }
        let port = String(server.base.split(separator: ":").last ?? "")
        async let slow = Task.detached {
            try Tools.run(Tools.python, [Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/slow_client.py").path,
                                         "127.0.0.1", port, token])
        }.value
        try await Task.sleep(nanoseconds: 300_000_000)
        #expect(try await server.request("/healthz").status == 200, "others are served while slow clients hold connections")
        let result = try await slow
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("silent closed=True") == true, "\(result.stdout) \(result.stderr)")
        let silentSeconds = Double(lines.first?.split(separator: "=").last ?? "") ?? 99
        #expect(silentSeconds < 5, "a silent connection is closed after the idle timeout: \(silentSeconds) s")
        #expect(lines.count > 1 && lines[1].contains("408"), "a trickled body is refused with 408: \(result.stdout)")
        #expect(try await server.request("/healthz").status == 200, "the server keeps serving")
    }

    @Test func aMethodAPathDoesNotAnswerIs405WithWhatItDoes() async throws {
        let scratch = try Fixtures.makeScratch("serve-methods")
        defer { Fixtures.removeScratch(scratch) }
        let data = scratch.appendingPathComponent("data").path
        #expect(try Run.process(sohoa, ["repo", "init", "--data", data]).status == 0)
        let token = try Run.process(sohoa, ["access", "add", "--data", data, "--name", "kiem-toan", "--role", "auditor"])
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let server = try ServedRepository(data: data, arguments: ["--offline"])
        defer { server.stop() }
        let cases: [(method: String, path: String, allow: String)] = [
            ("DELETE", "/api/v1/documents/0123456789abcdef0123456789abcdef", "GET, HEAD"),
            ("PUT", "/api/v1/documents", "GET, POST, HEAD"),
            ("GET", "/login", "POST"),
            ("POST", "/healthz", "GET, HEAD"),
        ]
        for refused in cases {
            let answer = try await server.request(refused.path, method: refused.method, token: token)
            #expect(answer.status == 405 && answer.header("Allow") == refused.allow,
                    "\(refused.method) \(refused.path): \(answer.status) \(answer.header("Allow") ?? "no Allow")")
        }
        // A route's own 404 and a path no route has stay 404.
        let missing = try await server.request("/api/v1/documents/0123456789abcdef0123456789abcdef", token: token)
        #expect(missing.status == 404, "\(missing.status) \(missing.text)")
        #expect(try await server.request("/api/v2/documents", token: token).status == 404)
    }

    @Test func limitsAreAnsweredWith413And429() async throws {
        let scratch = try Fixtures.makeScratch("serve-limits")
        defer { Fixtures.removeScratch(scratch) }
        let data = scratch.appendingPathComponent("data").path
        let pdf = try assembled(in: scratch)
        let path = try Fixtures.write(Array(pdf), named: "a.pdf", in: scratch)
        #expect(try Run.process(sohoa, ["repo", "import", "--data", data, "--citizen", "001085012345",
                                        "--case", "000.00.01.H26-251124-0001", path]).status == 0)
        let added = try Run.process(sohoa, ["access", "add", "--data", data, "--name", "kiem-toan", "--role", "auditor"])
        let token = added.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let server = try ServedRepository(data: data, arguments: ["--max-upload-mib", "1", "--rate-limit", "2", "--offline"])
        defer { server.stop() }
        let huge = try await server.request("/api/v1/verify", method: "POST", token: token, body: Data(count: 3 * 1024 * 1024),
                                            contentType: "application/pdf")
        #expect(huge.status == 413, "\(huge.text)")
        // 30 requests at once against 2 a second (bursts of 4): most wait.
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<30 { group.addTask { try await server.request("/api/v1/documents?citizen=001085012345", token: token).status } }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses.filter { $0 == 429 }.count >= 15 && statuses.filter { $0 == 200 }.count >= 2
                && statuses.allSatisfy { $0 == 200 || $0 == 429 }, "\(statuses.sorted())")
        // /metrics: Prometheus's text, for a token that may read the status.
        #expect(try await server.request("/metrics").status == 401)
        try await Task.sleep(nanoseconds: 1_500_000_000)  // the token's bucket refills
        let metrics = try await server.request("/metrics", token: token)
        #expect(metrics.status == 200 && metrics.header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
        #expect(metrics.text.contains("sohoa_documents{state=\"pending\"} 1"), "\(metrics.text.prefix(3000))")
        #expect(metrics.text.contains("hb_requests{http_route=\"/api/v1/documents\",http_request_method=\"GET\",http_response_status_code=\"429\"}"))
        // Guessing tokens: refused with 429 after a few dozen wrong ones from one address.
        let guesses = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<45 {
                let guess = "sohoa_" + String(format: "%016x", index) + "_" + String(repeating: "1", count: 64)
                group.addTask { try await server.request("/api/v1/status", token: guess).status }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(guesses.filter { $0 == 401 }.count >= 20 && guesses.filter { $0 == 429 }.count >= 5
                && guesses.allSatisfy { $0 == 401 || $0 == 429 }, "\(guesses.sorted())")
        #expect(try await server.request("/healthz").status == 200, "the server keeps serving")

    }

    @Test func accessIsGivenListedAndRevokedFromTheCommandLine() throws {
        let scratch = try Fixtures.makeScratch("access")
        defer { Fixtures.removeScratch(scratch) }
        let data = scratch.appendingPathComponent("data").path
        #expect(try Run.process(sohoa, ["repo", "init", "--data", data]).status == 0)
        let added = try Run.process(sohoa, ["access", "add", "--data", data, "--name", "nguyen.van.an", "--role", "officer",
                                            "--role", "approver", "--json"])
        #expect(added.status == 0, "\(added.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(added.stdout.utf8)) as? [String: Any])
        let token = try #require(object["token"] as? String)
        #expect(token.hasPrefix("sohoa_") && token.count == 6 + 16 + 1 + 64)
        #expect(object["roles"] as? [String] == ["officer", "approver"])
        #expect(added.stderr.contains("shown this once"))

        let listed = try Run.process(sohoa, ["access", "list", "--data", data, "--json"])
        #expect(listed.status == 0 && listed.stdout.contains("nguyen.van.an"))
        #expect(!listed.stdout.contains(token) && !listed.stdout.contains(String(token.suffix(64))), "a token is never shown again")
        let secretOnDisk = try Tools.run("grep", ["-r", "-l", String(token.suffix(64)), data])
        #expect(secretOnDisk.stdout.isEmpty, "the repository keeps only the token's hash")

        let twice = try Run.process(sohoa, ["access", "add", "--data", data, "--name", "nguyen.van.an", "--role", "auditor"])
        #expect(twice.status == 1 && twice.stderr.contains("already has access"), "\(twice.stderr)")
        for bad in [["--name", "Nguyễn", "--role", "auditor"], ["--name", "ok", "--role", "boss"], ["--name", "ok"],
                    ["--name", "../x", "--role", "auditor"]] {
            #expect(try Run.process(sohoa, ["access", "add", "--data", data] + bad).status == 3, "\(bad)")
        }
        #expect(try Run.process(sohoa, ["access", "revoke", "--data", data, "nguyen.van.an"]).status == 0)
        let gone = try Run.process(sohoa, ["access", "revoke", "--data", data, "nguyen.van.an"])
        #expect(gone.status == 1 && gone.stderr.contains("no access to revoke"), "\(gone.stderr)")
        let revoked = try Run.process(sohoa, ["access", "list", "--data", data, "--json"])
        let grants = (try JSONSerialization.jsonObject(with: Data(revoked.stdout.utf8)) as? [String: Any])?["access"] as? [[String: Any]]
        #expect(grants?.count == 1 && !(grants?.first?["revoked"] is NSNull))
    }
}

extension ServeTests {
    @Test func servesHTTPSWithTheCertificateGiven() throws {
        let scratch = try Fixtures.makeScratch("serve-tls")
        defer { Fixtures.removeScratch(scratch) }
        let data = scratch.appendingPathComponent("data").path
        #expect(try Run.process(sohoa, ["repo", "init", "--data", data]).status == 0)
        let certificate = scratch.appendingPathComponent("https.pem").path, key = scratch.appendingPathComponent("https.key").path
        let made = try Tools.run("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                             "-keyout", key, "-out", certificate, "-days", "2", "-subj", "/CN=127.0.0.1",
                                             "-addext", "subjectAltName=IP:127.0.0.1"])
        #expect(made.status == 0, "\(made.stderr)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: sohoa)
        process.arguments = ["serve", "--data", data, "--listen", "127.0.0.1:0", "--tls-cert", certificate, "--tls-key", key]
        process.standardError = FileHandle.nullDevice
        let address = try ListeningProcess.awaitAddress(of: process, matching: #"https://127\.0\.0\.1:\d+/"#, what: "sohoa serve (HTTPS)")
        defer { process.terminate(); process.waitUntilExit() }
        // A client that trusts the certificate is answered over TLS; one that does not is refused by its own check.
        let script = """
            import ssl, sys, urllib.request
            context = ssl.create_default_context(cafile=sys.argv[2])
            print(urllib.request.urlopen(sys.argv[1] + "healthz", context=context).read().decode())
            try:
                urllib.request.urlopen(sys.argv[1] + "healthz", context=ssl.create_default_context())
                print("untrusted accepted")
            except Exception as error:
                print("untrusted refused")
            """
        let answer = try Tools.run(Tools.python, ["-c", script, address, certificate])
        #expect(answer.stdout.contains("\"status\":\"ok\"") && answer.stdout.contains("untrusted refused"), "\(answer.stdout) \(answer.stderr)")
        let plain = try Tools.run(Tools.python, ["-c", "import sys, urllib.request\ntry:\n urllib.request.urlopen(sys.argv[1])\n print('plain accepted')\nexcept Exception:\n print('plain refused')",
                                                 address.replacingOccurrences(of: "https://", with: "http://") + "healthz"])
        #expect(plain.stdout.contains("plain refused"), "no plain HTTP on a TLS port: \(plain.stdout)")
        let unusable = try Run.process(sohoa, ["serve", "--data", data, "--listen", "127.0.0.1:0", "--tls-cert", key, "--tls-key", key])
        #expect(unusable.status == 3 && unusable.stderr.contains("TLS certificate or key cannot be used"), "\(unusable.stderr)")
    }
}
