import Foundation
import SohoaTestSupport
import Testing

/// A repository whose records are in PostgreSQL, through the command line: `repo init
/// --database`, every command with --data on it, `repo migrate` from the embedded default, and
/// what is refused (each with a one-line reason, the contract's exit code, nothing half-made).
@Suite struct PostgresRepositoryTests {
    let sohoa = Fixtures.productsDirectory.appendingPathComponent("sohoa").path
    let password = ["P": "sohoa-test"]

    func cert(_ name: String) -> String { Fixtures.certs.appendingPathComponent(name).path }

    /// Runs sohoa with the test server's password in PGPASSWORD (and `environment`).
    func run(_ arguments: [String], _ environment: [String: String] = [:]) throws -> ProcessResult {
        try Run.process(sohoa, arguments, environment: try TestPostgres.server().environment.merging(environment) { $1 })
    }

    /// Whether `repo fsck --json` found nothing: no damage, no orphans.
    func clean(_ report: [String: Any]) -> Bool {
        (report["problems"] as? [Any])?.isEmpty == true && (report["orphans"] as? [Any])?.isEmpty == true
    }

    func json(_ text: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:]
    }

    @Test func initMakesARepositoryEveryCommandUsesAndAgainChangesNothing() throws {
        let scratch = try Fixtures.makeScratch("pg-init")
        defer { Fixtures.removeScratch(scratch) }
        let data = scratch.appendingPathComponent("repository").path
        let url = try TestPostgres.freshDatabase("init")
        let made = try run(["repo", "init", "--data", data, "--database", url, "--json"])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(json(made.stdout)["engine"] as? String == "postgresql" && json(made.stdout)["created"] as? Bool == true)
        let described = try String(contentsOfFile: scratch.appendingPathComponent("repository/repository.json").path, encoding: .utf8)
        let secret = try TestPostgres.server().password
        #expect(described.contains(url) && !described.contains(secret), "no password in the folder")
        #expect(!FileManager.default.fileExists(atPath: scratch.appendingPathComponent("repository/sohoa.sqlite").path))
        let again = try run(["repo", "init", "--data", data, "--database", url])
        #expect(again.status == 0 && again.stdout.contains("nothing was changed"), "\(again.stdout)")

        let pdf = Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/make_drop.py").path  // not a PDF
        #expect(try run(["repo", "import", "--data", data, "--citizen", "001085012345", "--case", "000.00.01.H26-251124-0001",
                         pdf]).status == 1)
        let assembled = scratch.appendingPathComponent("doc.pdf").path
        let assembly = try Run.process(sohoa, ["assemble", "-o", assembled] + Array(Fixtures.sampleImages().prefix(2)))
        #expect(assembly.status == 0, "\(assembly.stderr)")
        let imported = try run(["repo", "import", "--data", data, "--citizen", "001085012345", "--case", "000.00.01.H26-251124-0001",
                                "--json", assembled])
        #expect(imported.status == 0, "\(imported.stderr)")
        let id = try #require(json(imported.stdout)["id"] as? String)
        let listed = try run(["repo", "list", "--data", data, "--citizen", "001085012345", "--json"])
        #expect(listed.status == 0 && listed.stdout.contains(id))
        let copy = scratch.appendingPathComponent("copy.pdf").path
        #expect(try run(["repo", "get", "--data", data, String(id.prefix(8)), "-o", copy]).status == 0)
        #expect(try Fixtures.read(copy) == Fixtures.read(assembled))
        let shown = try run(["repo", "show", "--data", data, id])
        #expect(shown.status == 0 && shown.stdout.contains(id), "\(shown.stdout)")
        let database = String(url.split(separator: "/").last!)
        #expect(try TestPostgres.psql("SELECT COUNT(*) FROM audit WHERE action = 'read' AND subject = '\(id)'", database: database) == "2",
                "the get and the show are audited")
        let checked = try run(["repo", "fsck", "--data", data, "--json"])
        #expect(checked.status == 0 && clean(json(checked.stdout)), "\(checked.stdout)")
        #expect(try run(["status", "--data", data]).status == 0)
        #expect(try TestPostgres.psql("SELECT COUNT(*) FROM documents", database: database) == "1")
    }

    /// The password comes from a file only its owner reads: the one `repo init` recorded for
    /// every node, or a node's own (option or setting); never from the folder or the URL.
    @Test func thePasswordFileIsRecordedForEveryNodeAndANodeMayNameItsOwn() throws {
        let scratch = try Fixtures.makeScratch("pg-password-file")
        defer { Fixtures.removeScratch(scratch) }
        let secret = try TestPostgres.server().password
        func passwordFile(_ name: String, mode: mode_t) throws -> String {
            let path = scratch.appendingPathComponent(name).path
            try (secret + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            chmod(path, mode)
            return path
        }
        let recorded = try passwordFile("recorded", mode: 0o600)
        let data = scratch.appendingPathComponent("repository").path
        let nothing = ["PGPASSWORD": "", "PGPASSFILE": "/nonexistent", "HOME": scratch.path]
        let made = try Run.process(sohoa, ["repo", "init", "--data", data, "--database", try TestPostgres.freshDatabase("pwfile"),
                                           "--database-password-file", recorded], environment: nothing)
        #expect(made.status == 0, "\(made.stderr)")
        let described = try String(contentsOfFile: data + "/repository.json", encoding: .utf8)
        #expect(described.contains(recorded) && !described.contains(secret))
        #expect(try Run.process(sohoa, ["repo", "list", "--data", data], environment: nothing).status == 0, "the recorded file")

        try FileManager.default.removeItem(atPath: recorded)
        let gone = try Run.process(sohoa, ["repo", "list", "--data", data], environment: nothing)
        #expect(gone.status == 1 && gone.stderr.contains(recorded) && gone.stderr.contains("cannot be read"), "\(gone.stderr)")
        let own = try passwordFile("own", mode: 0o600)
        #expect(try Run.process(sohoa, ["repo", "list", "--data", data, "--database-password-file", own], environment: nothing).status == 0)
        let setting = try Run.process(sohoa, ["status", "--data", data],
                                      environment: nothing.merging(["SOHOA_DATABASE_PASSWORD_FILE": own]) { $1 })
        #expect(setting.status == 0, "the setting database.password-file: \(setting.stderr)")
        let open = try passwordFile("open", mode: 0o644)
        let refused = try Run.process(sohoa, ["repo", "list", "--data", data, "--database-password-file", open], environment: nothing)
        #expect(refused.status == 1 && refused.stderr.contains("may be read by other users") && !refused.stderr.contains(secret),
                "\(refused.stderr)")
    }

    /// Two nodes of one PostgreSQL repository share one inbox: each item is taken by one of
    /// them and filed once, nothing is refused or left over; a watcher of an embedded repository
    /// is still refused on that inbox while they run.
    @Test func twoNodesShareOneInboxAndFileEachItemOnce() throws {
        let scratch = try Fixtures.makeScratch("pg-shared-inbox")
        defer { Fixtures.removeScratch(scratch) }
        let data = scratch.appendingPathComponent("repository").path
        let inbox = scratch.appendingPathComponent("inbox").path
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        #expect(try run(["repo", "init", "--data", data, "--database", try TestPostgres.freshDatabase("shared")]).status == 0)
        let environment = try TestPostgres.server().environment
        let nodes = try (1...2).map { number in
            try Watcher(sohoa: sohoa, arguments: ["--inbox", inbox, "--data", data, "--stable-seconds", "0.2"],
                        log: scratch.appendingPathComponent("node-\(number).log").path, environment: environment)
        }
        func running() throws -> Int {
            let nodes = (json(try run(["status", "--data", data, "--json"]).stdout)["nodes"] as? [[String: Any]]) ?? []
            return nodes.filter { $0["state"] as? String == "running" }.count
        }
        #expect(try Eventually.holds(within: 60) { try running() == 2 }, "\(nodes.map(\.output).joined(separator: "\n"))")
        // An embedded repository's watcher wants the inbox alone: refused while the nodes share it.
        let alone = try Watcher(sohoa: sohoa, arguments: ["--inbox", inbox, "--data", scratch.appendingPathComponent("embedded").path],
                                log: scratch.appendingPathComponent("alone.log").path)
        #expect(Eventually.holds(within: 30) { !alone.process.isRunning }, "the embedded watcher is refused, not running")
        alone.kill()
        #expect(alone.process.terminationStatus == 1 && alone.output.contains("another sohoa watch"), "\(alone.output)")
        let made = try Tools.run(Tools.python, [Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/make_drop.py").path,
                                                inbox, "30"])
        #expect(made.status == 0)
        func intake() throws -> [String: Int] { (json(try run(["status", "--data", data, "--json"]).stdout)["intake"] as? [String: Int]) ?? [:] }
        let filed = try Eventually.holds(within: 120) { try intake()["filed"] == 30 }
        let counts = try intake()
        #expect(filed, "\(counts) \(nodes.map(\.output).joined(separator: "\n"))")
        for node in nodes { #expect(node.stop() == 0, "\(node.output.suffix(3000))") }
        #expect(counts["rejected"] == 0 && counts["duplicate"] == 0, "\(counts)")
        let claims = nodes.map { $0.output.components(separatedBy: " claimed").count - 1 }
        #expect(claims.reduce(0, +) == 30, "each item claimed once, by one node: \(claims)")
        let left = (FileManager.default.enumerator(atPath: inbox)?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix(".tif") }
        #expect(left.isEmpty, "nothing left in the inbox: \(left)")
        let spool = (try? FileManager.default.contentsOfDirectory(atPath: inbox + "/.sohoa-spool")) ?? []
        #expect(spool.isEmpty, "nothing left in the spool: \(spool)")
        let checked = json(try run(["repo", "fsck", "--data", data, "--json"]).stdout)
        #expect(clean(checked), "\(checked)")
    }

    @Test func badDatabasesAndFoldersAreRefusedInOneLineWithNothingMade() throws {
        let scratch = try Fixtures.makeScratch("pg-bad")
        defer { Fixtures.removeScratch(scratch) }
        let server = try TestPostgres.server()
        func refused(_ name: String, _ arguments: [String], _ environment: [String: String] = [:], says words: String) throws {
            let data = scratch.appendingPathComponent(name).path
            let result = try Run.process(sohoa, ["repo", "init", "--data", data] + arguments, environment: environment)
            #expect(result.status == 1, "\(name): \(result.status) \(result.stderr)")
            #expect(result.stderr.contains(words), "\(name): \(result.stderr)")
            #expect(result.stderr.trimmingCharacters(in: .newlines).split(separator: "\n").count == 1, "one line: \(result.stderr)")
            #expect(!result.stderr.contains(server.password) && !result.stderr.contains("not-the-password"))
            #expect(!FileManager.default.fileExists(atPath: data), "\(name): nothing is left of the folder")
        }
        let url = try TestPostgres.freshDatabase("bad")
        try refused("unreachable", ["--database", "postgres://sohoa@127.0.0.1:9/sohoa"], says: "cannot be reached")
        try refused("wrong-password", ["--database", url], ["PGPASSWORD": "not-the-password"], says: "refused the login")
        try refused("no-password", ["--database", url], ["PGPASSWORD": "", "PGPASSFILE": "/nonexistent", "HOME": scratch.path],
                    says: "asks for a password")
        try refused("no-database", ["--database", server.url(database: "nowhere")], server.environment, says: "has no database nowhere")

        let newer = try TestPostgres.freshDatabase("newer")
        let data = scratch.appendingPathComponent("newer").path
        #expect(try run(["repo", "init", "--data", data, "--database", newer]).status == 0)
        try TestPostgres.psql("INSERT INTO sohoa_schema (version, name, applied) VALUES (999, 'later', 0)",
                              database: String(newer.split(separator: "/").last!))
        for arguments in [["repo", "list", "--data", data], ["status", "--data", data]] {
            let result = try run(arguments)
            #expect(result.status == 1 && result.stderr.contains("newer version of Sohoa"), "\(arguments): \(result.stderr)")
        }
        let inbox = scratch.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        let watched = try run(["watch", "--inbox", inbox.path, "--data", data])
        #expect(watched.status == 1 && watched.stderr.contains("newer version of Sohoa"), "\(watched.stderr)")

        let withPassword = try run(["repo", "init", "--data", scratch.appendingPathComponent("url").path,
                                    "--database", "postgres://sohoa:secret@127.0.0.1/sohoa"])
        #expect(withPassword.status == 3 && withPassword.stderr.contains("must not hold the password")
                    && !withPassword.stderr.contains("secret"), "\(withPassword.stderr)")

        // A folder that cannot be made or written, even by root (a read-only file system).
        let readOnly = try run(["repo", "init", "--data", "/proc/sohoa-repository", "--database", url])
        #expect(readOnly.status == 1 && readOnly.stderr.contains("/proc/sohoa-repository") && readOnly.stderr.contains("cannot be"),
                "\(readOnly.stderr)")
        if getuid() != 0 {  // root writes into any folder
            let locked = scratch.appendingPathComponent("locked")
            try FileManager.default.createDirectory(at: locked, withIntermediateDirectories: true)
            chmod(locked.path, 0o555)
            defer { chmod(locked.path, 0o755) }
            let result = try run(["repo", "init", "--data", locked.path, "--database", url])
            #expect(result.status == 1 && result.stderr.contains("cannot be written"), "\(result.stderr)")
        }
        let file = scratch.appendingPathComponent("a-file")
        #expect(FileManager.default.createFile(atPath: file.path, contents: Data("x".utf8)))
        let notAFolder = try run(["repo", "init", "--data", file.path, "--database", url])
        #expect(notAFolder.status == 1 && notAFolder.stderr.contains(file.path), "\(notAFolder.stderr)")
        #expect(try String(contentsOf: file, encoding: .utf8) == "x")
        #expect(try TestPostgres.psql("SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'",
                                      database: String(url.split(separator: "/").last!)) == "0", "nothing was made in the database")
    }

    /// The proof of `repo migrate`: the embedded repository moved to PostgreSQL while the copy is
    /// killed five times, then finished: every row and blob once, the audit chain and its anchor
    /// still check, and the new repository lists, signs what waits and reuses.
    @Test func aMigrationKilledFiveTimesCopiesEverythingOnceAndTheNewRepositoryWorks() throws {
        try CRLServer.ensureRunning()
        let scratch = try Fixtures.makeScratch("pg-migrate")
        defer { Fixtures.removeScratch(scratch) }
        let old = try FiledRepository.make(sohoa: sohoa, in: scratch, folder: "old", count: 6)
        let authority = try LocalTSA.start(serialFile: scratch.appendingPathComponent("serial").path)
        defer { authority.stop() }
        #expect(try Run.process(sohoa, ["repo", "anchor", "--data", old, "--tsa", authority.url]).status == 0)
        #expect(try Run.process(sohoa, ["access", "add", "--data", old, "--name", "kiem-toan", "--role", "auditor"]).status == 0)
        #expect(try Run.process(sohoa, ["access", "add", "--data", old, "--name", "so-tu-phap", "--role", "agency",
                                        "--certificate", cert("agency-client.pem")]).status == 0)
        let oldAccess = try Run.process(sohoa, ["access", "list", "--data", old, "--json"]).stdout
        let oldFsck = json(try Run.process(sohoa, ["repo", "fsck", "--data", old, "--json"]).stdout)
        let oldDocuments = try Run.process(sohoa, ["repo", "list", "--data", old, "--json"]).stdout

        let new = scratch.appendingPathComponent("new").path
        let url = try TestPostgres.freshDatabase("migrate")
        #expect(try run(["repo", "init", "--data", new, "--database", url]).status == 0)
        for round in 0..<5 {
            try Run.killed(sohoa, ["repo", "migrate", "--from", old, "--data", new], environment: try TestPostgres.server().environment,
                           after: 0.05...(0.15 + 0.1 * Double(round)))
        }
        let finished = try run(["repo", "migrate", "--from", old, "--data", new, "--json"])
        #expect(finished.status == 0, "\(finished.stderr)")
        let report = json(finished.stdout)
        func total(_ key: String) -> Int {
            let count = report[key] as? [String: Int] ?? [:]
            return (count["copied"] ?? 0) + (count["present"] ?? 0)
        }
        #expect(total("documents") == 6 && total("blobs") == oldFsck["blobsChecked"] as? Int, "\(report)")
        #expect(total("auditEntries") == oldFsck["auditEntriesChecked"] as? Int && total("anchors") == 1, "\(report)")
        #expect(total("accessGrants") == 2, "\(report)")
        let newAccess = try run(["access", "list", "--data", new, "--json"]).stdout
        #expect(json(newAccess)["access"] as? NSArray == json(oldAccess)["access"] as? NSArray, "the same grants, certificates too: \(newAccess)")
        let again = try run(["repo", "migrate", "--from", old, "--data", new, "--json"])
        #expect(again.status == 0)
        #expect(json(again.stdout).values.allSatisfy { ($0 as? [String: Int])?["copied"] == 0 }, "a second run copies nothing: \(again.stdout)")

        let database = String(url.split(separator: "/").last!)
        #expect(try TestPostgres.psql("SELECT COUNT(*) FROM documents", database: database) == "6")
        #expect(try TestPostgres.psql("SELECT COUNT(*) FROM (SELECT sha256 FROM versions GROUP BY document_id, sha256 HAVING COUNT(*) > 1) d",
                                      database: database) == "0", "no version twice")
        let newFsck = json(try run(["repo", "fsck", "--data", new, "--json"]).stdout)
        #expect(clean(newFsck) && newFsck["anchorsChecked"] as? Int == 1, "\(newFsck)")
        #expect(newFsck["blobsChecked"] as? Int == oldFsck["blobsChecked"] as? Int, "each blob once: \(newFsck)")
        let newDocuments = try run(["repo", "list", "--data", new, "--json"]).stdout
        #expect(json(newDocuments)["documents"] as? NSArray == json(oldDocuments)["documents"] as? NSArray, "the same list")

        // The new repository at work: officers sign what waits; a signed document is reused.
        let signed = try run(["sign", "--pending", "--all", "--data", new, "--p12", cert("officer.p12"), "--password-env", "P",
                              "--tsa", authority.url], password)
        #expect(signed.status == 0 && signed.stdout.contains("6 of 6 signed"), "\(signed.stdout) \(signed.stderr)")
        let listed = json(try run(["repo", "list", "--data", new, "--citizen", "001085012345", "--json"]).stdout)
        let document = try #require((listed["documents"] as? [[String: Any]])?.first)
        let id = try #require(document["id"] as? String)
        let citizenCase = try #require((document["cases"] as? [String])?.first)
        let reused = try run(["repo", "reuse", "--data", new, id, "--case", "000.00.01.H26-251205-0099", "--trust", cert("root-ca.pem")])
        #expect(reused.status == 0, "\(reused.stderr)")
        #expect(citizenCase != "000.00.01.H26-251205-0099")
        let newAfterwards = json(try run(["repo", "fsck", "--data", new, "--json"]).stdout)
        #expect(clean(newAfterwards), "\(newAfterwards)")
        let oldAfterwards = json(try Run.process(sohoa, ["repo", "fsck", "--data", old, "--json"]).stdout)
        #expect(clean(oldAfterwards) && oldAfterwards["auditEntriesChecked"] as? Int == oldFsck["auditEntriesChecked"] as? Int,
                "the old repository was only read: \(oldAfterwards)")
    }

    @Test func aMigrationIntoARepositoryWithAHistoryOfItsOwnIsRefused() throws {
        let scratch = try Fixtures.makeScratch("pg-migrate-refused")
        defer { Fixtures.removeScratch(scratch) }
        let assembled = scratch.appendingPathComponent("doc.pdf").path
        #expect(try Run.process(sohoa, ["assemble", "-o", assembled, Fixtures.sampleImages()[0]]).status == 0)
        let old = scratch.appendingPathComponent("old").path
        #expect(try Run.process(sohoa, ["repo", "import", "--data", old, "--citizen", "001085012345",
                                        "--case", "000.00.01.H26-251124-0001", assembled]).status == 0)
        let new = scratch.appendingPathComponent("new").path
        #expect(try run(["repo", "init", "--data", new, "--database", try TestPostgres.freshDatabase("own")]).status == 0)
        #expect(try run(["repo", "import", "--data", new, "--citizen", "079203004567", "--case", "000.00.01.H26-251201-0003",
                         assembled]).status == 0)
        let refused = try run(["repo", "migrate", "--from", old, "--data", new])
        #expect(refused.status == 1 && refused.stderr.contains("migrate into a new repository"), "\(refused.stderr)")
        let notMade = try run(["repo", "migrate", "--from", old, "--data", scratch.appendingPathComponent("missing").path])
        #expect(notMade.status == 1 && notMade.stderr.contains("is not a Sohoa repository"), "\(notMade.stderr)")
    }
}
