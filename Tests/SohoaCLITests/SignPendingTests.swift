import Foundation
import SohoaTestSupport
import Testing

/// `sohoa sign --pending`: officers sign what the watcher filed, leaders approve it, and each
/// signed version is filed with its provenance; a second run signs nothing twice.
@Suite struct SignPendingTests {
    let sohoa = Fixtures.productsDirectory.appendingPathComponent("sohoa").path
    let password = ["P": "sohoa-test"]

    func cert(_ name: String) -> String { Fixtures.certs.appendingPathComponent(name).path }

    func listed(_ data: String, _ citizen: String) throws -> [[String: Any]] {
        let result = try Run.process(sohoa, ["repo", "list", "--data", data, "--citizen", citizen, "--json"])
        return ((try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])?["documents"]
            as? [[String: Any]]) ?? []
    }

    @Test func officersSignAndLeadersApproveWhatWaits() throws {
        try CRLServer.ensureRunning()
        let scratch = try Fixtures.makeScratch("sign-pending")
        defer { Fixtures.removeScratch(scratch) }
        let data = try FiledRepository.make(sohoa: sohoa, in: scratch, count: 8)
        let authority = try LocalTSA.start(serialFile: scratch.appendingPathComponent("serial").path)
        defer { authority.stop() }
        let officer = ["sign", "--pending", "--data", data, "--p12", cert("officer.p12"), "--password-env", "P",
                       "--tsa", authority.url, "--ltv"]

        // One citizen first, then everyone: the second batch does not sign the first one's documents again.
        let one = try Run.process(sohoa, officer + ["--citizen", "001085012345"], environment: password)
        #expect(one.status == 0 && one.stdout.contains("2 of 2 signed"), "\(one.stdout) \(one.stderr)")
        let rest = try Run.process(sohoa, officer + ["--all"], environment: password)
        #expect(rest.status == 0 && rest.stdout.contains("6 of 6 signed"), "\(rest.stdout) \(rest.stderr)")
        let none = try Run.process(sohoa, officer + ["--all"], environment: password)
        #expect(none.status == 0 && none.stdout.contains("Nothing is pending signature"), "\(none.stdout)")

        let approver = ["sign", "--pending", "--data", data, "--p12", cert("approver.p12"), "--password-env", "P",
                        "--role", "approver", "--tsa", authority.url, "--ltv"]
        let approved = try Run.process(sohoa, approver + ["--case", "000.00.02.H29-251123-0015"], environment: password)
        #expect(approved.status == 0 && approved.stdout.contains("2 of 2 approved"), "\(approved.stdout) \(approved.stderr)")

        let documents = try listed(data, "079190004567")
        #expect(documents.count == 2 && documents.allSatisfy { $0["state"] as? String == "approved" })
        #expect(try listed(data, "001085012345").allSatisfy { $0["state"] as? String == "signed" })

        // The provenance chain: scan → assembled → signed → approved, each made from the one before.
        let id = try #require(documents.first?["id"] as? String)
        let shown = try Run.process(sohoa, ["repo", "show", "--data", data, id]).stdout
        let versions = shown.split(separator: "\n").filter { $0.contains("version ") }
        #expect(versions.count == 4, "\(shown)")
        #expect(versions[2].contains("signed") && versions[2].contains("TEST ONLY Nguyễn Văn An"), "\(shown)")
        #expect(versions[3].contains("approved") && versions[3].contains("approver"), "\(shown)")

        // What was filed is what auditors verify: both signatures valid, and in pdfsig too.
        let pdf = scratch.appendingPathComponent("approved.pdf").path
        #expect(try Run.process(sohoa, ["repo", "get", "--data", data, id, "-o", pdf]).status == 0)
        let verified = try Run.process(sohoa, ["verify", "--trust", cert("root-ca.pem"), "--offline", "--json", pdf])
        #expect(verified.status == 0, "\(verified.stdout)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(verified.stdout.utf8)) as? [String: Any])
        let signatures = ((report["files"] as? [[String: Any]])?.first?["signatures"] as? [[String: Any]]) ?? []
        #expect(signatures.count == 2 && signatures.allSatisfy { $0["verdict"] as? String == "valid" })
        let digest = try Tools.run("sha256sum", [pdf]).stdout.prefix(64)
        #expect(documents.first?["sha256"] as? String == String(digest))
        #expect(try Run.process(sohoa, ["repo", "fsck", "--data", data]).status == 0)
    }

    /// A batch killed at random moments and run again signs every document exactly once.
    @Test func aKilledBatchResumesWithoutSigningTwice() throws {
        try CRLServer.ensureRunning()
        let scratch = try Fixtures.makeScratch("sign-pending-killed")
        defer { Fixtures.removeScratch(scratch) }
        let count = 40
        let data = try FiledRepository.make(sohoa: sohoa, in: scratch, count: count)
        let officer = ["sign", "--pending", "--data", data, "--all", "--p12", cert("officer.p12"), "--password-env", "P"]
        for _ in 0..<8 {
            try Run.killed(sohoa, officer, environment: password, after: 0.08...0.4)
        }
        let last = try Run.process(sohoa, officer, environment: password)
        #expect(last.status == 0, "\(last.stdout) \(last.stderr)")
        var signedVersions = 0
        for citizen in ["001085012345", "079190004567", "0314409058", "001199007788"] {
            for document in try listed(data, citizen) {
                #expect(document["state"] as? String == "signed")
                let shown = try Run.process(sohoa, ["repo", "show", "--data", data, "--json", document["id"] as! String])
                let object = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
                let kinds = (object["versions"] as? [[String: Any]])?.compactMap { $0["kind"] as? String } ?? []
                #expect(kinds == ["source", "assembled", "signed"], "one signed version, made once: \(kinds)")
                let versions = (object["versions"] as? [[String: Any]]) ?? []
                #expect(versions.allSatisfy { ($0["hash"] as? String)?.count == 64 }, "hashes are written as their text")
                #expect(versions.last?["parent"] as? String == versions.dropLast().last?["hash"] as? String)
                signedVersions += kinds.filter { $0 == "signed" }.count
            }
        }
        #expect(signedVersions == count)
        // A batch killed between storing a signed copy and filing it leaves that copy as a blob
        // no row points at, never damage; the next batch removes it. (Where the file system has
        // no unnamed files, a copy cut short is left as a `.incoming-` file for --repair.)
        let checked = try Run.process(sohoa, ["repo", "fsck", "--data", data, "--json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(checked.stdout.utf8)) as? [String: Any])
        #expect((report["problems"] as? [Any])?.isEmpty == true, "\(checked.stdout)")
        #expect(((report["orphans"] as? [String]) ?? []).allSatisfy { $0.contains("/.incoming-") }, "no orphan blob: \(checked.stdout)")
        #expect(try Run.process(sohoa, ["repo", "fsck", "--data", data, "--repair"]).status == 0)
        #expect(try Run.process(sohoa, ["repo", "fsck", "--data", data]).status == 0)
    }

    @Test func badSelectionsAreRefused() throws {
        let scratch = try Fixtures.makeScratch("sign-pending-args")
        defer { Fixtures.removeScratch(scratch) }
        let base = ["sign", "--pending", "--p12", cert("officer.p12"), "--password-env", "P"]
        let data = scratch.appendingPathComponent("data").path
        #expect(try Run.process(sohoa, base + ["--all"], environment: password).status == 3, "--data is needed")
        #expect(try Run.process(sohoa, base + ["--data", data], environment: password).status == 3, "whose documents?")
        #expect(try Run.process(sohoa, base + ["--data", data, "--all", "--citizen", "001085012345"], environment: password).status == 3)
        let badID = try Run.process(sohoa, base + ["--data", data, "--citizen", "../../etc"], environment: password)
        #expect(badID.status == 3 && badID.stderr.contains("12 for a person"), "\(badID.stderr)")
        let notRepository = try Run.process(sohoa, base + ["--data", data, "--all"], environment: password)
        #expect(notRepository.status == 1 && notRepository.stderr.contains("not a Sohoa repository"), "\(notRepository.stderr)")
        #expect(!FileManager.default.fileExists(atPath: data), "nothing was made")
    }

    /// A stored PDF whose bytes changed after it was filed (a disk error, a hand that edited it)
    /// is never signed: the batch names it and what to run, files nothing for it, and signs the rest.
    @Test func aStoredPDFChangedSinceItWasFiledIsNeverSigned() throws {
        try CRLServer.ensureRunning()
        let scratch = try Fixtures.makeScratch("sign-pending-changed")
        defer { Fixtures.removeScratch(scratch) }
        let data = try FiledRepository.make(sohoa: sohoa, in: scratch, count: 2)
        let documents = try listed(data, "001085012345") + listed(data, "079190004567")
        let victim = try #require(documents.first)
        let hash = try #require(victim["sha256"] as? String)
        let blob = "\(data)/blobs/sha256/\(hash.prefix(2))/\(hash.dropFirst(2).prefix(2))/\(hash)"
        var bytes = try #require(FileManager.default.contents(atPath: blob))
        bytes[bytes.count / 2] ^= 0x01  // one bit, in the middle of the page's image
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: blob)
        try bytes.write(to: URL(fileURLWithPath: blob))

        let batch = try Run.process(sohoa, ["sign", "--pending", "--data", data, "--all", "--p12", cert("officer.p12"),
                                            "--password-env", "P", "--check-url-base", "https://tracuu.example.vn"],
                                    environment: password)
        #expect(batch.status != 0, "\(batch.stdout)")
        let said = batch.stdout + batch.stderr
        #expect(said.contains("1 of 2 signed") && said.contains("1 failed"), "\(said)")
        #expect(said.contains(hash) && said.contains("changed since it was filed") && said.contains("repo fsck"), "\(said)")
        let after = try listed(data, "001085012345") + listed(data, "079190004567")
        #expect(after.first { $0["id"] as? String == victim["id"] as? String }?["state"] as? String == "pending",
                "the changed document waits, unsigned")
        #expect(after.filter { $0["state"] as? String == "signed" }.count == 1)
        let checked = try Run.process(sohoa, ["repo", "fsck", "--data", data])
        #expect(checked.status != 0 && checked.stdout.contains(hash), "fsck names the damaged blob: \(checked.stdout)")
    }
}
