import Foundation
import SohoaTestSupport
import Testing

/// `sohoa repo` as officers and auditors use it: file, list, show, get, check.
@Suite struct RepoCommandTests {
    let scratch: URL
    let data: String
    let sohoa = Fixtures.productsDirectory.appendingPathComponent("sohoa").path
    let citizen = "001085012345"
    let dossier = "000.00.01.H26-251124-0001"

    init() throws {
        scratch = try Fixtures.makeScratch("repo-cli")
        data = scratch.appendingPathComponent("data").path
    }

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
