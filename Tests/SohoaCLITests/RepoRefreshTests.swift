import Foundation
import SohoaTestSupport
import Testing

/// `sohoa repo refresh`: every signed document gets one refreshed version (B-LTA), with its
/// provenance and audit entry; run again, nothing; killed five times and run again, no document
/// refreshed twice, fsck clean, reuse still accepting them; what is not due, or would gain
/// nothing, is left alone with the reason.
@Suite(.serialized) struct RepoRefreshTests {
    let sohoa = Fixtures.productsDirectory.appendingPathComponent("sohoa").path
    func cert(_ name: String) -> String { Fixtures.certs.appendingPathComponent(name).path }
    let password = ["P": "sohoa-test"]

    init() throws {
        try CRLServer.ensureRunning()
    }

    func json(_ text: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:]
    }

    /// A repository of `count` documents signed by the officer at `level` with `tsa`.
    func signedRepository(in scratch: URL, count: Int, tsa: String, level: String = "B-LT") throws -> String {
        let data = try FiledRepository.make(sohoa: sohoa, in: scratch, count: count)
        let signed = try Run.process(sohoa, ["sign", "--pending", "--all", "--data", data, "--p12", cert("officer.p12"),
                                             "--password-env", "P", "--tsa", tsa, "--level", level], environment: password)
        #expect(signed.status == 0, "\(signed.stdout) \(signed.stderr)")
        return data
    }

    /// Each document's versions' kinds, by document id.
    func kinds(_ data: String) throws -> [String: [String]] {
        let listed = json(try Run.process(sohoa, ["repo", "list", "--data", data, "--json"]).stdout)["documents"] as? [[String: Any]] ?? []
        var kinds: [String: [String]] = [:]
        for document in listed {
            let id = try #require(document["id"] as? String)
            let shown = json(try Run.process(sohoa, ["repo", "show", "--data", data, id, "--json"]).stdout)
            kinds[id] = (shown["versions"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
        }
        return kinds
    }

    func refresh(_ data: String, tsa: String, _ extra: [String] = []) throws -> (status: Int32, report: [String: Any], stderr: String) {
        let run = try Run.process(sohoa, ["repo", "refresh", "--data", data, "--tsa", tsa, "--trust", cert("root-ca.pem"), "--json"] + extra)
        return (run.status, json(run.stdout), run.stderr)
    }

    func totals(_ report: [String: Any]) -> [String: Int] {
        (report["totals"] as? [String: Any] ?? [:]).compactMapValues { $0 as? Int }
    }

    @Test func everySignedDocumentGetsOneRefreshedVersionAndASecondRunNothing() throws {
        let scratch = try Fixtures.makeScratch("refresh")
        defer { Fixtures.removeScratch(scratch) }
        let authority = try LocalTSA.start(serialFile: scratch.appendingPathComponent("serial").path)
        defer { authority.stop() }
        let data = try signedRepository(in: scratch, count: 6, tsa: authority.url)

        let first = try refresh(data, tsa: authority.url)
        #expect(first.status == 0 && totals(first.report)["refreshed"] == 6, "\(first.report) \(first.stderr)")
        let reasons = (first.report["documents"] as? [[String: Any]] ?? []).compactMap { $0["reason"] as? String }
        #expect(reasons.allSatisfy { $0.contains("no document time-stamp") }, "\(reasons)")
        let after = try kinds(data)
        #expect(after.count == 6 && after.values.allSatisfy { $0.suffix(2) == ["signed", "refreshed"] }, "\(after)")

        // The refreshed version: the signed bytes unchanged, then a document time-stamp; valid.
        let id = try #require(after.keys.sorted().first)
        let copy = scratch.appendingPathComponent("refreshed.pdf").path, signedCopy = scratch.appendingPathComponent("signed.pdf").path
        let versions = after[id]!.count
        #expect(try Run.process(sohoa, ["repo", "get", "--data", data, id, "-o", copy]).status == 0)
        #expect(try Run.process(sohoa, ["repo", "get", "--data", data, id, "--version", "\(versions - 1)", "-o", signedCopy]).status == 0)
        let refreshed = try Fixtures.read(copy), signed = try Fixtures.read(signedCopy)
        #expect(refreshed.count > signed.count && Array(refreshed.prefix(signed.count)) == signed, "a refresh never changes what was signed")
        let verified = json(try Run.process(sohoa, ["verify", "--trust", cert("root-ca.pem"), "--json", copy]).stdout)
        let signatures = (verified["files"] as? [[String: Any]])?.first?["signatures"] as? [[String: Any]] ?? []
        #expect(signatures.count == 2 && signatures.allSatisfy { $0["verdict"] as? String == "valid" }, "\(signatures)")

        let second = try refresh(data, tsa: authority.url)
        #expect(second.status == 0 && totals(second.report)["refreshed"] == 0 && totals(second.report)["fresh"] == 6, "\(second.report)")
        #expect(try kinds(data) == after)

        // Each refresh is in the audit log; the refreshed documents are still reused.
        let listed = json(try Run.process(sohoa, ["repo", "show", "--data", data, id, "--json"]).stdout)
        let dossier = try #require(((listed["document"] as? [String: Any])?["cases"] as? [String])?.first)
        let exported = scratch.appendingPathComponent("case.zip").path
        #expect(try Run.process(sohoa, ["repo", "export", "--data", data, "--case", dossier, "-o", exported]).status == 0)
        let audit = try Tools.run("unzip", ["-p", exported, "audit.jsonl"]).stdout
        #expect(audit.contains("\"action\":\"refresh\""), "\(audit.suffix(800))")
        let reused = try Run.process(sohoa, ["repo", "reuse", "--data", data, id, "--case", "000.00.01.H26-261205-0042",
                                             "--trust", cert("root-ca.pem")])
        #expect(reused.status == 0, "\(reused.stderr)")
    }

    @Test func killedFiveTimesNoDocumentIsRefreshedTwice() throws {
        let scratch = try Fixtures.makeScratch("refresh-killed")
        defer { Fixtures.removeScratch(scratch) }
        let authority = try LocalTSA.start(serialFile: scratch.appendingPathComponent("serial").path)
        defer { authority.stop() }
        let data = try signedRepository(in: scratch, count: 16, tsa: authority.url)
        for round in 0..<5 {
            try Run.killed(sohoa, ["repo", "refresh", "--data", data, "--tsa", authority.url, "--trust", cert("root-ca.pem")],
                           after: 0.15...(0.3 + 0.15 * Double(round)))
        }
        let last = try refresh(data, tsa: authority.url)
        #expect(last.status == 0, "\(last.report) \(last.stderr)")
        let after = try kinds(data)
        #expect(after.count == 16 && after.values.allSatisfy { $0.filter { $0 == "refreshed" }.count == 1 && $0.last == "refreshed" },
                "each document exactly one refreshed version: \(after)")
        let fsck = json(try Run.process(sohoa, ["repo", "fsck", "--data", data, "--json"]).stdout)
        #expect((fsck["problems"] as? [Any])?.isEmpty == true && (fsck["orphans"] as? [Any])?.isEmpty == true, "\(fsck)")
    }

    @Test func whatIsNotDueOrWouldGainNothingIsLeftAlone() throws {
        let scratch = try Fixtures.makeScratch("refresh-due")
        defer { Fixtures.removeScratch(scratch) }
        let shortLived = try LocalTSA.start(serialFile: scratch.appendingPathComponent("serial-short").path, certificate: "tsa-short")
        defer { shortLived.stop() }
        let authority = try LocalTSA.start(serialFile: scratch.appendingPathComponent("serial").path)
        defer { authority.stop() }
        // B-LTA with an authority whose certificate expires on 2030-01-01.
        let data = try signedRepository(in: scratch, count: 2, tsa: shortLived.url, level: "B-LTA")
        let notYet = try refresh(data, tsa: authority.url)
        #expect(notYet.status == 0 && totals(notYet.report)["fresh"] == 2, "not due within 365 days: \(notYet.report)")
        // Within the window, the short-lived authority itself would prove nothing longer.
        let days = "\(Int(ISO8601DateFormatter().date(from: "2030-06-01T00:00:00Z")!.timeIntervalSinceNow / 86_400))"
        let useless = try refresh(data, tsa: shortLived.url, ["--within", days])
        let refusals = (useless.report["documents"] as? [[String: Any]] ?? []).compactMap { $0["reason"] as? String }
        #expect(useless.status == 1 && refusals.count == 2 && refusals.allSatisfy { $0.contains("would prove nothing longer") },
                "\(useless.report)")
        #expect(try kinds(data).values.allSatisfy { !$0.contains("refreshed") }, "nothing filed")
        // With an authority whose certificate lasts longer, both are refreshed.
        let renewed = try refresh(data, tsa: authority.url, ["--within", days])
        #expect(renewed.status == 0 && totals(renewed.report)["refreshed"] == 2, "\(renewed.report)")
        let reasons = (renewed.report["documents"] as? [[String: Any]] ?? []).compactMap { $0["reason"] as? String }
        #expect(reasons.allSatisfy { $0.contains("expires on 2030-01-01") }, "\(reasons)")

        // An authority that does not answer: nothing is read or filed.
        let silent = try Run.process(sohoa, ["repo", "refresh", "--data", data, "--tsa", "http://127.0.0.1:9/", "--trust", cert("root-ca.pem")])
        #expect(silent.status == 1 && silent.stderr.contains("nothing was refreshed"), "\(silent.stderr)")
    }
}
