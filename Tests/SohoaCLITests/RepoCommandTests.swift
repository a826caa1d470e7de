import Foundation
import SohoaTestSupport
import Testing

/// `sohoa repo` as officers and auditors use it: file, list, show, get, check.
@Suite final class RepoCommandTests {
    let scratch: URL
    let data: String
    let sohoa = Fixtures.productsDirectory.appendingPathComponent("sohoa").path
    let citizen = "001085012345"
    let dossier = "000.00.01.H26-251124-0001"

    init() throws {
        scratch = try Fixtures.makeScratch("repo-cli")
        data = scratch.appendingPathComponent("data").path
    }

    deinit { Fixtures.removeScratch(scratch) }

    func assembled() throws -> String {
        let output = scratch.appendingPathComponent("doc.pdf").path
        let sample = Fixtures.samples.appendingPathComponent("001085012345/000.00.01.H26-251124-0001/don-de-nghi.tif").path
        #expect(try Run.process(sohoa, ["assemble", "-o", output, sample]).status == 0)
        return output
    }

    @Test func fileListShowGetAndCheck() throws {
        let pdf = try assembled()
        let imported = try Run.process(sohoa, ["repo", "import", "--data", data, "--citizen", citizen, "--case", dossier,
                                               "--type", "don-de-nghi", "--title", "Đơn đề nghị", pdf])
        #expect(imported.status == 0, "\(imported.stderr)")
        let id = imported.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(id.count == 32)
        let again = try Run.process(sohoa, ["repo", "import", "--data", data, "--citizen", citizen, "--case", dossier, pdf])
        #expect(again.status == 0 && again.stdout.contains(id) && again.stderr.contains("already filed"))
        #expect(again.stderr.contains("already in \(dossier); nothing was changed") && !again.stderr.contains("now linked"),
                "the same case again links nothing: \(again.stderr)")

        let listed = try Run.process(sohoa, ["repo", "list", "--data", data, "--citizen", citizen, "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any])
        let documents = try #require(object["documents"] as? [[String: Any]])
        #expect(documents.count == 1)
        let document = try #require(documents.first)
        #expect(Set(document.keys).isSuperset(of: ["id", "citizen", "cases", "type", "title", "state", "sha256"]))
        #expect(document["id"] as? String == id && document["state"] as? String == "pending"
                && document["cases"] as? [String] == [dossier] && document["title"] as? String == "Đơn đề nghị")
        let digest = try Tools.run("sha256sum", [pdf]).stdout.prefix(64)
        #expect(document["sha256"] as? String == String(digest))

        let shown = try Run.process(sohoa, ["repo", "show", "--data", data, id])
        #expect(shown.status == 0 && shown.stdout.contains("version 1: imported"))
        let copy = scratch.appendingPathComponent("copy.pdf").path
        #expect(try Run.process(sohoa, ["repo", "get", "--data", data, id, "-o", copy]).status == 0)
        #expect(try Fixtures.read(copy) == (try Fixtures.read(pdf)))

        let clean = try Run.process(sohoa, ["repo", "fsck", "--data", data])
        #expect(clean.status == 0, "\(clean.stdout)")
        let blob = data + "/blobs/sha256/\(digest.prefix(2))/\(digest.dropFirst(2).prefix(2))/\(digest)"
        chmod(blob, 0o644)
        var bytes = try Fixtures.read(blob)
        bytes[100] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: blob))
        let damaged = try Run.process(sohoa, ["repo", "fsck", "--data", data])
        #expect(damaged.status == 1 && damaged.stdout.contains("DAMAGED  \(digest)"), "\(damaged.stdout)")
    }

    @Test(arguments: [
        ["--citizen", "../../etc", "--case", "000.00.01.H26-251124-0001"],
        ["--citizen", "001085012345", "--case", "../000.00.01.H26-251124-0001"],
        ["--citizen", "0123456789", "--case", "000.00.01.H26-251124-0001"],
        ["--citizen", "001085012345", "--case", "000.00.01.H26-251399-0001"],
    ])
    func badIdentifiersAreRefusedBeforeAnythingIsTouched(arguments: [String]) throws {
        let pdf = try Fixtures.write(Array("%PDF-1.7\n%%EOF\n".utf8), named: "x.pdf", in: scratch)
        let result = try Run.process(sohoa, ["repo", "import", "--data", data] + arguments + [pdf])
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("is not a valid"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: data), "nothing was created")
        let show = try Run.process(sohoa, ["repo", "show", "--data", data, "../../etc/passwd"])
        #expect(show.status == 3 && show.stderr.contains("document id"))
    }

    @Test func anchoringTimeStampsTheAuditChain() throws {
        let pdf = try assembled()
        #expect(try Run.process(sohoa, ["repo", "import", "--data", data, "--citizen", citizen, "--case", dossier, pdf]).status == 0)
        let authority = try LocalTSA.start(serialFile: scratch.appendingPathComponent("serial").path)
        defer { authority.stop() }
        let anchored = try Run.process(sohoa, ["repo", "anchor", "--data", data, "--tsa", authority.url])
        #expect(anchored.status == 0 && anchored.stdout.contains("Anchored audit entry 1"), "\(anchored.stdout) \(anchored.stderr)")
        let checked = try Run.process(sohoa, ["repo", "fsck", "--data", data])
        #expect(checked.status == 0 && checked.stdout.contains("1 anchors checked"), "\(checked.stdout)")
        let unreachable = try Run.process(sohoa, ["repo", "anchor", "--data", data, "--tsa", "http://127.0.0.1:9/"])
        #expect(unreachable.status == 1 && unreachable.stderr.contains("cannot be reached"))
    }

    @Test func onlyADocumentWhoseSignaturesAreValidIsReused() throws {
        try CRLServer.ensureRunning()  // sign checks the signer's revocation
        let pdf = try assembled()
        let signedFolder = scratch.appendingPathComponent("signed").path
        let signing = try Run.process(sohoa, ["sign", "--p12", Fixtures.certs.appendingPathComponent("officer.p12").path,
                                              "--password-env", "P", "--out", signedFolder, pdf], environment: ["P": "sohoa-test"])
        #expect(signing.status == 0)
        let signed = (signedFolder as NSString).appendingPathComponent("doc.pdf")
        let root = Fixtures.certs.appendingPathComponent("root-ca.pem").path
        func file(_ path: String) throws -> String {
            let result = try Run.process(sohoa, ["repo", "import", "--data", data, "--citizen", citizen, "--case", dossier, path])
            #expect(result.status == 0, "\(result.stderr)")
            return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let newCase = "000.00.01.H26-251130-0007"
        let good = try file(signed)
        let untrusted = try Run.process(sohoa, ["repo", "reuse", "--data", data, good, "--case", newCase, "--offline"])
        #expect(untrusted.status == 1 && untrusted.stderr.contains("cannot be shown valid"), "\(untrusted.stderr)")
        try CRLServer.ensureRunning()
        let reused = try Run.process(sohoa, ["repo", "reuse", "--data", data, good, "--case", newCase, "--trust", root])
        #expect(reused.status == 0, "\(reused.stderr)")
        let listed = try Run.process(sohoa, ["repo", "list", "--data", data, "--citizen", citizen, "--case", newCase, "--json"])
        #expect(listed.stdout.contains(good), "the new case lists the reused document: \(listed.stdout)")

        var bytes = try Fixtures.read(signed)
        bytes[300] ^= 0x01
        let forged = try file(try Fixtures.write(bytes, named: "forged.pdf", in: scratch))
        let refused = try Run.process(sohoa, ["repo", "reuse", "--data", data, forged, "--case", newCase, "--trust", root, "--offline"])
        #expect(refused.status == 1 && refused.stderr.contains("has an invalid signature"), "\(refused.stderr)")
        let unsigned = try file(pdf)
        let notSigned = try Run.process(sohoa, ["repo", "reuse", "--data", data, unsigned, "--case", newCase, "--trust", root])
        #expect(notSigned.status == 1 && notSigned.stderr.contains("is not signed"))
        let again = try Run.process(sohoa, ["repo", "reuse", "--data", data, good, "--case", dossier, "--trust", root])
        #expect(again.status == 0, "reusing into a case it already belongs to changes nothing")
        let someoneElse = try Run.process(sohoa, ["repo", "import", "--data", data, "--citizen", "079203004567",
                                                  "--case", "000.00.01.H26-251201-0003", pdf])
        #expect(someoneElse.status == 0)
        let foreign = try Run.process(sohoa, ["repo", "reuse", "--data", data, good, "--case", "000.00.01.H26-251201-0003",
                                              "--trust", root])
        #expect(foreign.status == 1 && foreign.stderr.contains("belongs to 079203004567"), "another citizen's case: \(foreign.stderr)")
    }

    @Test func aCaseExportsAsABundleThatSha256sumChecks() throws {
        let pdf = try assembled()
        let id = try Run.process(sohoa, ["repo", "import", "--data", data, "--citizen", citizen, "--case", dossier,
                                         "--title", "Đơn đề nghị", pdf]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let bundle = scratch.appendingPathComponent("bundle.zip").path
        let exported = try Run.process(sohoa, ["repo", "export", "--data", data, "--case", dossier, "-o", bundle])
        #expect(exported.status == 0, "\(exported.stderr)")
        let folder = scratch.appendingPathComponent("unpacked").path
        let unpack = """
            import sys, zipfile
            with zipfile.ZipFile(sys.argv[1]) as archive:
                assert archive.testzip() is None
                archive.extractall(sys.argv[2])
                print("\\n".join(sorted(archive.namelist())))
            """
        let listing = try Run.process("/usr/bin/python3", ["-c", unpack, bundle, folder])
        #expect(listing.status == 0, "\(listing.stderr)")
        #expect(listing.stdout.contains("documents/\(id).pdf") && listing.stdout.contains("SHA256SUMS")
                && listing.stdout.contains("manifest.json") && listing.stdout.contains("audit.jsonl"))
        let checked = try Run.process("/bin/sh", ["-c", "cd '\(folder)' && sha256sum -c SHA256SUMS"])
        #expect(checked.status == 0 && checked.stdout.contains("documents/\(id).pdf: OK"), "\(checked.stdout) \(checked.stderr)")
        let audit = try String(contentsOfFile: folder + "/audit.jsonl", encoding: .utf8)
        #expect(audit.contains("\"action\":\"import\"") && audit.contains(id))
        #expect(try Fixtures.read(folder + "/documents/\(id).pdf") == (try Fixtures.read(pdf)))
        let none = try Run.process(sohoa, ["repo", "export", "--data", data, "--case", "000.00.01.H26-251231-0009", "-o", bundle])
        #expect(none.status == 1 && none.stderr.contains("there is no case"))
    }

    @Test func aFolderThatIsNotARepositoryIsSaidAndLeftAlone() throws {
        let missing = scratch.appendingPathComponent("mistyped").path
        for arguments in [["list", "--citizen", citizen], ["fsck"], ["export", "--case", dossier, "-o", "x.zip"]] {
            let result = try Run.process(sohoa, ["repo"] + arguments + ["--data", missing])
            #expect(result.status == 1 && result.stderr.contains("is not a Sohoa repository"), "\(arguments): \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: missing), "nothing was created")
    }

    @Test func aFileThatIsNotAPDFIsRefused() throws {
        let text = try Fixtures.write(Array("not a pdf".utf8), named: "note.pdf", in: scratch)
        let result = try Run.process(sohoa, ["repo", "import", "--data", data, "--citizen", citizen, "--case", dossier, text])
        #expect(result.status == 1 && result.stderr.contains("not a PDF file"))
    }

    // MARK: - Everyday use (issue 14)

    /// Runs `sohoa` in English, unless `environment` says otherwise.
    func run(_ arguments: [String], _ environment: [String: String] = [:]) throws -> ProcessResult {
        try Run.process(sohoa, arguments, environment: ["SOHOA_LANG": "en"].merging(environment) { $1 })
    }

    /// Files `pdf` (made different by `tag`) and returns the document id.
    func file(_ pdf: String, tag: String, case dossier: String? = nil, type: String = "don-de-nghi",
              citizen: String? = nil) throws -> String {
        let copy = try Fixtures.write(try Fixtures.read(pdf) + Array("% \(tag)\n".utf8), named: "\(tag).pdf", in: scratch)
        let result = try run(["repo", "import", "--data", data, "--citizen", citizen ?? self.citizen, "--case", dossier ?? self.dossier,
                              "--type", type, "--title", "Tài liệu \(tag)", copy])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not one JSON object: \(text)")
    }

    @Test func statusAndEveryRepoCommandNameThemselvesWhenDataIsNotARepository() throws {
        let missing = scratch.appendingPathComponent("nonexistent").path
        let status = try run(["status", "--data", missing])
        #expect(status.status == 1)
        #expect(status.stderr.hasPrefix("sohoa status: \(missing) is not a Sohoa repository"), "\(status.stderr)")
        #expect(!status.stderr.contains("sohoa repo:") && status.stderr.contains("sohoa watch --data"), "\(status.stderr)")
        for (command, arguments) in [("list", ["--citizen", citizen]), ("show", ["0123456789abcdef0123456789abcdef"]),
                                     ("get", ["0123456789abcdef0123456789abcdef", "-o", "x.pdf"]), ("fsck", []),
                                     ("export", ["--case", dossier, "-o", "x.zip"]), ("anchor", ["--tsa", "http://127.0.0.1:9/"]),
                                     ("reuse", ["0123456789abcdef0123456789abcdef", "--case", dossier])] {
            let result = try run(["repo", command, "--data", missing] + arguments)
            #expect(result.status == 1 && result.stderr.hasPrefix("sohoa repo \(command): \(missing) is not a Sohoa repository"),
                    "\(command): \(result.stderr)")
        }
        let inbox = try run(["inbox", missing])
        #expect(inbox.status == 3 && inbox.stderr.hasPrefix("sohoa inbox: \(missing)"), "\(inbox.stderr)")
        let vietnamese = try run(["status", "--data", missing], ["SOHOA_LANG": "vi"])
        #expect(vietnamese.status == 1 && vietnamese.stderr.hasPrefix("sohoa status: \(missing) không phải kho lưu trữ Sohoa"),
                "\(vietnamese.stderr)")
        #expect(!FileManager.default.fileExists(atPath: missing), "nothing was created")
    }

    /// A document made from a folder of page images names each page's source version.
    @Test func aFolderDocumentNamesEveryPageItWasMadeFrom() throws {
        let inbox = scratch.appendingPathComponent("inbox").path
        let folder = "\(inbox)/079190004567/000.00.02.H29-251123-0015/so-ho-khau"
        try FileManager.default.createDirectory(atPath: (folder as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Fixtures.samples.appendingPathComponent(
            "079190004567/000.00.02.H29-251123-0015/so-ho-khau").path, toPath: folder)
        let pages = ["page-001.png", "page-002.png"].map { "\(folder)/\($0)" }
        let hashes = try pages.map { String(try Tools.run("sha256sum", [$0]).stdout.prefix(64)) }
        let watcher = try Watcher(sohoa: sohoa, arguments: ["--inbox", inbox, "--data", data, "--stable-seconds", "0.2"],
                                  log: scratch.appendingPathComponent("watch.log").path)
        let filed = try Eventually.holds(within: 90) {
            let listed = try run(["repo", "list", "--data", data, "--citizen", "079190004567", "--json"])
            return listed.status == 0 && listed.stdout.contains("\"id\"")
        }
        #expect(watcher.stop() == 0)
        #expect(filed, "\(watcher.output)")
        let listed = try object(try run(["repo", "list", "--data", data, "--citizen", "079190004567", "--json"]).stdout)
        let id = try #require((listed["documents"] as? [[String: Any]])?.first?["id"] as? String)

        let shown = try object(try run(["repo", "show", "--data", data, id, "--json"]).stdout)
        let versions = try #require(shown["versions"] as? [[String: Any]])
        #expect(versions.map { $0["kind"] as? String } == ["source", "source", "assembled"])
        #expect(versions.prefix(2).map { $0["hash"] as? String } == hashes, "each page is filed as a source version")
        let assembled = try #require(versions.last)
        #expect(assembled["parent"] as? String == hashes[0], "parent: the first page, not null")
        #expect(assembled["sources"] as? [String] == hashes, "sources: every page, in order")
        #expect(versions[0]["sources"] as? [String] == [], "a scan was made from nothing filed")
        let text = try run(["repo", "show", "--data", data, id]).stdout
        #expect(text.contains("version 3: assembled") && text.contains("made from versions 1, 2"), "\(text)")
    }

    @Test func getHelpShowsOneVersionOptionAndTheOldSpellingStillWorks() throws {
        let help = try run(["repo", "get", "--help"])
        #expect(help.status == 0)
        let options = help.stdout.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "," })
        #expect(options.filter { $0 == "--version" }.count == 1, "the program's --version, once: \(help.stdout)")
        #expect(help.stdout.contains("--doc-version <N>"))

        let pdf = try assembled()
        let id = try file(pdf, tag: "v")
        let copy = scratch.appendingPathComponent("v1.pdf").path
        for spelling in ["--doc-version", "--version"] {
            let got = try run(["repo", "get", "--data", data, id, spelling, "1", "-o", copy])
            #expect(got.status == 0 && got.stdout.contains("version 1"), "\(spelling): \(got.stderr)")
        }
        let none = try run(["repo", "get", "--data", data, id, "--doc-version", "2", "-o", copy])
        #expect(none.status == 1 && none.stderr.contains("has no version 2"), "\(none.stderr)")
        let zero = try run(["repo", "get", "--data", data, id, "--doc-version", "0", "-o", copy])
        #expect(zero.status == 3, "\(zero.stderr)")
    }

    /// The same PDF filed for another case of its citizen is linked to it, not copied, and the
    /// message says so; filed again for a case it is in, the message says nothing changed.
    @Test func aPDFFiledAgainIsLinkedToANewCaseOnly() throws {
        let pdf = try assembled()
        #expect(try run(["repo", "import", "--data", data, "--citizen", citizen, "--case", dossier, pdf]).status == 0)
        let otherCase = "000.00.01.H26-251125-0031"
        let elsewhere = try run(["repo", "import", "--data", data, "--citizen", citizen, "--case", otherCase, pdf])
        #expect(elsewhere.status == 0 && elsewhere.stderr.contains("now linked to \(otherCase) too"), "\(elsewhere.stderr)")
        let same = try run(["repo", "import", "--data", data, "--citizen", citizen, "--case", otherCase, pdf])
        #expect(same.status == 0 && same.stderr.contains("already in \(otherCase); nothing was changed")
                && !same.stderr.contains("now linked"), "\(same.stderr)")
    }

    @Test func importExportAnchorAndFsckPrintOneJSONObjectEach() throws {
        let pdf = try assembled()
        let imported = try object(try run(["repo", "import", "--data", data, "--citizen", citizen, "--case", dossier,
                                           "--type", "don-de-nghi", "--json", pdf]).stdout)
        #expect(Set(imported.keys) == ["id", "citizen", "cases", "type", "title", "state", "sha256", "created", "case", "duplicate"])
        #expect(imported["duplicate"] as? Bool == false && imported["case"] as? String == dossier
                && imported["state"] as? String == "pending")
        let again = try object(try run(["repo", "import", "--data", data, "--citizen", citizen, "--case", dossier, "--json", pdf]).stdout)
        #expect(again["duplicate"] as? Bool == true && again["id"] as? String == imported["id"] as? String)

        let bundle = scratch.appendingPathComponent("bundle.zip").path
        let exported = try object(try run(["repo", "export", "--data", data, "--case", dossier, "-o", bundle, "--json"]).stdout)
        #expect(Set(exported.keys) == ["case", "output", "documents", "auditEntries", "sha256"])
        #expect(exported["documents"] as? Int == 1 && exported["output"] as? String == bundle)
        #expect(exported["sha256"] as? String == String(try Tools.run("sha256sum", [bundle]).stdout.prefix(64)))

        let authority = try LocalTSA.start(serialFile: scratch.appendingPathComponent("serial").path)
        defer { authority.stop() }
        let anchored = try run(["repo", "anchor", "--data", data, "--tsa", authority.url, "--json"])
        #expect(anchored.status == 0, "\(anchored.stderr)")
        let anchor = try object(anchored.stdout)
        #expect(Set(anchor.keys) == ["sequence", "head", "tsa", "time"] && (anchor["head"] as? String)?.count == 64)

        let checked = try run(["repo", "fsck", "--data", data, "--json"])
        #expect(checked.status == 0)
        let report = try object(checked.stdout)
        #expect(Set(report.keys) == ["blobsChecked", "auditEntriesChecked", "anchorsChecked", "problems", "orphans", "removed"])
        #expect(report["anchorsChecked"] as? Int == 1)
    }

    @Test func reuseRefusedWithJSONSaysWhyInOneObject() throws {
        let id = try file(try assembled(), tag: "unsigned")
        let result = try run(["repo", "reuse", "--data", data, String(id.prefix(8)), "--case", "000.00.01.H26-251130-0007",
                              "--offline", "--json"])
        #expect(result.status == 1)
        let refused = try object(result.stdout)
        #expect(refused["attached"] as? Bool == false && refused["id"] as? String == id && refused["verdict"] as? String == "unsigned")
        #expect((refused["reason"] as? String)?.contains("is not signed") == true && result.stderr.contains("sohoa repo reuse:"))
        let vietnamese = try run(["repo", "reuse", "--data", data, id, "--case", "000.00.01.H26-251130-0007", "--offline"],
                                 ["SOHOA_LANG": "vi"])
        #expect(vietnamese.status == 1 && vietnamese.stderr.contains("tài liệu \(id) chưa được ký nên không được dùng lại"),
                "\(vietnamese.stderr)")
    }

    @Test func listHasAHeaderRowWholeColumnsAndFiltersWithoutACitizen() throws {
        let pdf = try assembled()
        let longType = "giay-chung-nhan-quyen-su-dung-dat-va-tai-san-gan-lien"
        let first = try file(pdf, tag: "a", type: longType)
        let second = try file(pdf, tag: "b", case: "000.00.01.H26-251124-0002")
        let other = try file(pdf, tag: "c", case: "000.00.01.H26-251201-0003", citizen: "079203004567")

        let table = try run(["repo", "list", "--data", data, "--citizen", citizen])
        #expect(table.status == 0)
        let lines = table.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("ID") == true && lines.first?.contains("STATE") == true
                && lines.first?.contains("TITLE") == true, "a header row: \(table.stdout)")
        #expect(lines.count == 3 && table.stdout.contains(longType) && table.stdout.contains(first), "nothing cut: \(table.stdout)")
        let column = lines[0].distance(from: lines[0].startIndex, to: try #require(lines[0].range(of: "TITLE")).lowerBound)
        #expect(lines.dropFirst().allSatisfy { $0.dropFirst(column).hasPrefix("Tài liệu") }, "columns line up: \(table.stdout)")

        func ids(_ arguments: [String]) throws -> [String] {
            let result = try run(["repo", "list", "--data", data, "--json"] + arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            return try (object(result.stdout)["documents"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        }
        #expect(try ids([]) == [first, second, other], "no filter: everything, oldest first")
        #expect(try ids(["--case", "000.00.01.H26-251124-0002"]) == [second])
        #expect(try ids(["--type", longType]) == [first])
        #expect(try ids(["--state", "pending", "--case", "000.00.01.H26-251201-0003"]) == [other])
        #expect(try ids(["--state", "approved"]).isEmpty)
        let zone = TimeZone(identifier: "Asia/Ho_Chi_Minh")!
        let formatter = DateFormatter()
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd"
        let today = formatter.string(from: Date())
        let yesterday = formatter.string(from: Date().addingTimeInterval(-86_400))
        func idsOn(_ arguments: [String]) throws -> [String] {
            let result = try run(["repo", "list", "--data", data, "--json"] + arguments, ["TZ": "Asia/Ho_Chi_Minh"])
            return try (object(result.stdout)["documents"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        }
        #expect(try idsOn(["--since", today]).count == 3)
        #expect(try idsOn(["--since", yesterday, "--until", today, "--citizen", "079203004567"]) == [other])
        #expect(try idsOn(["--until", yesterday]).isEmpty)
        for bad in [["--since", "2026-02-30"], ["--until", "5/12/2026"], ["--state", "lost"], ["--since", "2026-12-05", "--until", "2026-12-01"]] {
            let result = try run(["repo", "list", "--data", data] + bad)
            #expect(result.status == 3 && result.stderr.contains(bad[0]), "\(bad): \(result.stderr)")
        }
    }

    @Test func aShortIdPrefixNamesADocumentAndAnAmbiguousOneIsRefused() throws {
        let pdf = try assembled()
        let id = try file(pdf, tag: "p")
        let shown = try run(["repo", "show", "--data", data, String(id.prefix(6))])
        #expect(shown.status == 0 && shown.stdout.contains("Document \(id)"), "\(shown.stderr)")
        let copy = scratch.appendingPathComponent("p.pdf").path
        #expect(try run(["repo", "get", "--data", data, String(id.prefix(10)).uppercased(), "-o", copy]).status == 0)
        let short = try run(["repo", "show", "--data", data, String(id.prefix(5))])
        #expect(short.status == 3 && short.stderr.contains("document id"), "too short: \(short.stderr)")
        let injected = try run(["repo", "show", "--data", data, "abcdef' OR 1=1 --"])
        #expect(injected.status == 3, "checked before it reaches SQL")

        // Two documents whose ids start alike (ids are random: made so here).
        let twins = ["abcdef0000000000000000000000000a", "abcdef0000000000000000000000000b"]
        for (index, twin) in twins.enumerated() {
            let old = try file(pdf, tag: "twin-\(index)")
            let rename = """
                import sqlite3, sys
                db = sqlite3.connect(sys.argv[1])
                for table, column in [("documents", "id"), ("versions", "document_id"), ("document_cases", "document_id")]:
                    db.execute(f"UPDATE {table} SET {column} = ? WHERE {column} = ?", (sys.argv[3], sys.argv[2]))
                db.commit()
                """
            let renamed = try Run.process("/usr/bin/python3", ["-c", rename, data + "/sohoa.sqlite", old, twin])
            #expect(renamed.status == 0, "\(renamed.stderr)")
        }
        let ambiguous = try run(["repo", "show", "--data", data, "abcdef"])
        #expect(ambiguous.status == 1 && ambiguous.stderr.contains(twins[0]) && ambiguous.stderr.contains(twins[1]),
                "\(ambiguous.stderr)")
        #expect(try run(["repo", "show", "--data", data, "abcdef0000000000000000000000000b"]).status == 0)
        #expect(try run(["repo", "show", "--data", data, "abcdef000000000000000000000000"]).status == 1)
        let none = try run(["repo", "show", "--data", data, "fedcba9"])
        #expect(none.status == 1 && none.stderr.contains("no document whose id starts with fedcba9"), "\(none.stderr)")
    }

    @Test func operatorsReadVietnameseAndLocalTimes() throws {
        let id = try file(try assembled(), tag: "vi")
        let environment = ["SOHOA_LANG": "vi", "TZ": "Asia/Ho_Chi_Minh"]
        let status = try run(["status", "--data", data], environment)
        #expect(status.status == 0 && status.stdout.contains("Tình trạng lúc") && status.stdout.contains("+07:00")
                && status.stdout.contains("Chờ cán bộ ký: 1"), "\(status.stdout)")
        let list = try run(["repo", "list", "--data", data, "--citizen", citizen], environment)
        #expect(list.stdout.hasPrefix("MÃ TÀI LIỆU") && list.stdout.contains("chờ ký") && list.stdout.contains("+07:00"),
                "\(list.stdout)")
        let shown = try run(["repo", "show", "--data", data, id], environment)
        #expect(shown.stdout.contains("Tài liệu \(id)") && shown.stdout.contains("phiên bản 1: bản nhập")
                && shown.stdout.contains("+07:00"), "\(shown.stdout)")
        let json = try object(try run(["repo", "list", "--data", data, "--citizen", citizen, "--json"], environment).stdout)
        let created = try #require((json["documents"] as? [[String: Any]])?.first?["created"] as? String)
        #expect(created.hasSuffix("Z"), "JSON stays in UTC: \(created)")
        let inbox = try run(["inbox", "--headers-only", Fixtures.samples.path], environment)
        #expect(inbox.stdout.hasPrefix("Thư mục tiếp nhận") && inbox.stdout.contains("trang"), "\(inbox.stdout)")
        let english = try run(["status", "--data", data], ["TZ": "Asia/Ho_Chi_Minh"])
        #expect(english.stdout.contains("Status at") && english.stdout.contains("+07:00"))
    }

    @Test(arguments: [["status"], ["inbox"], ["repo", "init"], ["repo", "migrate"], ["repo", "import"], ["repo", "list"], ["repo", "show"], ["repo", "get"],
                      ["repo", "reuse"], ["repo", "export"], ["repo", "fsck"], ["repo", "anchor"]])
    func helpGivesExamplesAndExitCodes(command: [String]) throws {
        let help = try run(command + ["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("Examples:") && help.stdout.contains("sohoa \(command.joined(separator: " ")) "),
                "\(help.stdout)")
        #expect(help.stdout.contains("Exit status: 0"), "\(help.stdout)")
        let examples = help.stdout.components(separatedBy: "Examples:\n").last?.components(separatedBy: "\n\n").first ?? ""
        #expect(examples.split(separator: "\n").allSatisfy { $0.hasPrefix("  ") }, "an example cut by wrapping: \(examples)")
    }
}

/// Filing killed with SIGKILL at random moments leaves no row without its blob, at most
/// orphans that fsck reports and `--repair` removes, and filing again completes the work.
@Suite struct RepoCrashTests {
    @Test func killedImportsLeaveNoDanglingRow() throws {
        let scratch = try Fixtures.makeScratch("repo-crash")
        defer { Fixtures.removeScratch(scratch) }
        let sohoa = Fixtures.productsDirectory.appendingPathComponent("sohoa").path
        let data = scratch.appendingPathComponent("data").path
        let first = scratch.appendingPathComponent("doc-00.pdf").path
        let sample = Fixtures.samples.appendingPathComponent("001085012345/000.00.01.H26-251124-0001/can-cuoc-cong-dan.jpg").path
        #expect(try Run.process(sohoa, ["assemble", "-o", first, sample]).status == 0)
        let base = try Fixtures.read(first)
        let count = 20
        let files = try (0..<count).map { index in
            // Different content each: a comment after the end of the file.
            try Fixtures.write(base + Array("% copy \(index)\n".utf8), named: String(format: "doc-%02d.pdf", index), in: scratch)
        }
        func importArguments(_ index: Int) -> [String] {
            ["repo", "import", "--data", data, "--citizen", "001085012345", "--case", "000.00.01.H26-251124-0001", files[index]]
        }
        for round in 0..<30 {
            try Run.killed(sohoa, importArguments(round % count), after: 0.002...0.08)
        }
        if FileManager.default.fileExists(atPath: data + "/sohoa.sqlite") {
            let checked = try Run.process(sohoa, ["repo", "fsck", "--data", data, "--json"])
            let report = try #require(try JSONSerialization.jsonObject(with: Data(checked.stdout.utf8)) as? [String: Any])
            #expect((report["problems"] as? [Any])?.isEmpty == true, "no damage, no row without its blob: \(checked.stdout)")
            let repaired = try Run.process(sohoa, ["repo", "fsck", "--data", data, "--repair"])
            #expect(repaired.status == 0, "orphans removed, nothing else: \(repaired.stdout)")
        }
        for index in 0..<count {
            let result = try Run.process(sohoa, importArguments(index))
            #expect(result.status == 0, "\(result.stderr)")
        }
        let listed = try Run.process(sohoa, ["repo", "list", "--data", data, "--citizen", "001085012345", "--json"])
        let documents = (try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any])?["documents"] as? [Any]
        #expect(documents?.count == count, "each document filed exactly once")
        #expect(try Run.process(sohoa, ["repo", "fsck", "--data", data]).status == 0)
    }
}
