import Foundation
import SohoaTestSupport
import Testing

/// An agency's system signing in to `sohoa serve` with its organisation certificate instead of
/// a token (`--client-ca`, `access add --certificate`), on both engines: the grant it stands
/// for, the agency's case rule, the audit entries naming it, and every certificate that must
/// not sign in — revoked, from an untrusted authority, without the clientAuth usage, no longer
/// granted — refused with a 401 that says why.
@Suite(.serialized) struct ClientCertificateTests {
    let sohoa = Fixtures.productsDirectory.appendingPathComponent("sohoa").path

    func cert(_ name: String) -> String { Fixtures.certs.appendingPathComponent(name).path }

    /// Requests over HTTPS from Python's ssl module, presenting a client certificate (or none),
    /// with an optional token; prints one JSON line per request: {"status", "body"}.
    static let client = """
        import json, ssl, sys, urllib.error, urllib.request
        base, server_cert, client_cert, client_key, token, path = sys.argv[1:7]
        context = ssl.create_default_context(cafile=server_cert)
        if client_cert:
            context.load_cert_chain(client_cert, client_key)
        request = urllib.request.Request(base + path)
        if token:
            request.add_header("Authorization", "Bearer " + token)
        try:
            with urllib.request.urlopen(request, context=context, timeout=30) as answer:
                print(json.dumps({"status": answer.status, "body": answer.read().decode()}))
        except urllib.error.HTTPError as error:
            print(json.dumps({"status": error.code, "body": error.read().decode()}))
        """

    struct Answer {
        let status: Int
        let body: String
    }

    func request(_ base: String, _ path: String, serverCertificate: String, as client: String?, token: String = "") throws -> Answer {
        let arguments = ["-c", Self.client, base, serverCertificate, client.map { cert("\($0).pem") } ?? "",
                         client.map { cert("\($0).key.pem") } ?? "", token, path]
        let run = try Tools.run(Tools.python, arguments)
        let line = try #require(run.stdout.split(separator: "\n").last, "no answer: \(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        return Answer(status: object["status"] as? Int ?? 0, body: object["body"] as? String ?? "")
    }

    @Test(arguments: ["sqlite", "postgres"])
    func anAgencySignsInWithItsOrganisationCertificate(engine: String) async throws {
        try CRLServer.ensureRunning()
        let scratch = try Fixtures.makeScratch("client-certificates-\(engine)")
        defer { Fixtures.removeScratch(scratch) }
        var environment = ["TZ": "Asia/Ho_Chi_Minh"]
        let data = scratch.appendingPathComponent("data").path
        if engine == "postgres" {
            environment.merge(try TestPostgres.server().environment) { $1 }
            let made = try Run.process(sohoa, ["repo", "init", "--data", data, "--database", try TestPostgres.freshDatabase("mtls")],
                                       environment: environment)
            #expect(made.status == 0, "\(made.stderr)")
        }
        _ = try FiledRepository.make(sohoa: sohoa, in: scratch, count: 2, environment: environment)
        let listed = try Run.process(sohoa, ["repo", "list", "--data", data, "--json"], environment: environment)
        let documents = try #require((try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any])?["documents"]
            as? [[String: Any]])
        let document = try #require(documents.first?["id"] as? String)
        let dossier = try #require((documents.first?["cases"] as? [String])?.first)

        // Grants: the agency's certificate (no token is printed), one revoked by its authority,
        // one without the clientAuth usage; a certificate already granted is refused a second name.
        let added = try Run.process(sohoa, ["access", "add", "--data", data, "--name", "so-tu-phap", "--role", "agency",
                                            "--certificate", cert("agency-client.pem"), "--json"], environment: environment)
        #expect(added.status == 0, "\(added.stderr)")
        let shown = try #require(try JSONSerialization.jsonObject(with: Data(added.stdout.utf8)) as? [String: Any])
        #expect(shown["token"] is NSNull && !added.stdout.contains("sohoa_"), "no token for a certificate grant: \(added.stdout)")
        let subject = try #require((shown["certificate"] as? [String: Any])?["subject"] as? String)
        #expect(subject.contains("CN=TEST ONLY Hệ thống hộ tịch Sở Tư pháp"), "\(subject)")
        let again = try Run.process(sohoa, ["access", "add", "--data", data, "--name", "so-tu-phap.2", "--role", "auditor",
                                            "--certificate", cert("agency-client.pem")], environment: environment)
        #expect(again.status == 1 && again.stderr.contains("already signs in as so-tu-phap"), "\(again.stderr)")
        for (name, file) in [("so-xay-dung", "revoked-agency-client.pem"), ("officer-cert", "officer.pem")] {
            #expect(try Run.process(sohoa, ["access", "add", "--data", data, "--name", name, "--role", "agency", "--certificate", cert(file)],
                                    environment: environment).status == 0)
        }
        let unreadable = try Run.process(sohoa, ["access", "add", "--data", data, "--name", "x", "--role", "agency",
                                                 "--certificate", cert("officer.key.pem")], environment: environment)
        #expect(unreadable.status == 3 && unreadable.stderr.contains("holds no certificate"), "\(unreadable.stderr)")
        let auditor = try Run.process(sohoa, ["access", "add", "--data", data, "--name", "kiem-toan", "--role", "auditor"],
                                      environment: environment).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let list = try Run.process(sohoa, ["access", "list", "--data", data], environment: environment)
        #expect(list.stdout.contains("so-tu-phap") && list.stdout.contains("CN=TEST ONLY Hệ thống hộ tịch Sở Tư pháp"), "\(list.stdout)")

        // --client-ca needs HTTPS.
        let plain = try Run.process(sohoa, ["serve", "--data", data, "--listen", "127.0.0.1:0", "--client-ca", cert("chain.pem")],
                                    environment: environment)
        #expect(plain.status == 3 && plain.stderr.contains("--client-ca needs HTTPS"), "\(plain.stderr)")

        let serverCertificate = scratch.appendingPathComponent("https.pem").path, serverKey = scratch.appendingPathComponent("https.key").path
        let made = try Tools.run("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                             "-keyout", serverKey, "-out", serverCertificate, "-days", "2", "-subj", "/CN=127.0.0.1",
                                             "-addext", "subjectAltName=IP:127.0.0.1"])
        #expect(made.status == 0, "\(made.stderr)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: sohoa)
        process.arguments = ["serve", "--data", data, "--listen", "127.0.0.1:0", "--trust", cert("root-ca.pem"),
                             "--tls-cert", serverCertificate, "--tls-key", serverKey, "--client-ca", cert("chain.pem")]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardError = FileHandle.nullDevice
        let base = try ListeningProcess.awaitAddress(of: process, matching: #"https://127\.0\.0\.1:\d+/"#, what: "sohoa serve (HTTPS)")
        defer { process.terminate(); process.waitUntilExit() }
        func ask(_ path: String, as client: String?, token: String = "") throws -> Answer {
            try request(base, String(path.dropFirst()), serverCertificate: serverCertificate, as: client, token: token)
        }

        // The agency reads a document for its case, and not without naming one.
        let read = try ask("/api/v1/documents/\(document)?case=\(dossier)", as: "agency-client")
        #expect(read.status == 200 && read.body.contains("\"id\":\"\(document)\""), "\(read.status) \(read.body)")
        let noCase = try ask("/api/v1/documents/\(document)", as: "agency-client")
        #expect(noCase.status == 403 && noCase.body.contains("api:so-tu-phap"), "\(noCase.status) \(noCase.body)")
        #expect(try ask("/api/v1/status", as: "agency-client").status == 403, "an agency may not read the status")

        // A token sent alongside a certificate is what counts.
        let withToken = try ask("/api/v1/status", as: "agency-client", token: auditor)
        #expect(withToken.status == 200, "\(withToken.status) \(withToken.body)")

        // Certificates that must not sign in, each refused with its reason.
        let refusals: [(client: String?, reason: String)] = [
            ("revoked-agency-client", "revoked"),
            ("officer", "not meant for signing in"),
            ("rogue-signer", "not issued by an authority this service trusts"),
            (nil, "this needs a token"),
        ]
        for refusal in refusals {
            let answer = try ask("/api/v1/documents/\(document)?case=\(dossier)", as: refusal.client)
            #expect(answer.status == 401 && answer.body.contains(refusal.reason),
                    "\(refusal.client ?? "no certificate"): \(answer.status) \(answer.body)")
        }

        // Revoking the grant stops the certificate within seconds.
        #expect(try Run.process(sohoa, ["access", "revoke", "--data", data, "so-tu-phap"], environment: environment).status == 0)
        var last = Answer(status: 0, body: "")
        let refused = try Eventually.holds(within: 15) {
            last = try ask("/api/v1/documents/\(document)?case=\(dossier)", as: "agency-client")
            return last.status == 401
        }
        #expect(refused && last.body.contains("no access is given to the client certificate"), "\(last.status) \(last.body)")

        // The read is in the audit log under the grant's name, with the case it served.
        let exported = scratch.appendingPathComponent("case.zip").path
        #expect(try Run.process(sohoa, ["repo", "export", "--data", data, "--case", dossier, "-o", exported],
                                environment: environment).status == 0)
        let audit = try Tools.run("unzip", ["-p", exported, "audit.jsonl"]).stdout
        #expect(audit.contains("\"actor\":\"api:so-tu-phap\"") && audit.contains("for case \(dossier)"), "\(audit)")
    }
}
