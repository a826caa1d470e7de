import Foundation
import SohoaTestSupport
import Testing

/// `sohoa timestamp`: the archive time-stamp renewal of signed PDFs — validation data for what
/// they hold and a new document time-stamp, checked by pyHanko and here; pyHanko's own renewal
/// verified here; and every file that must not be renewed left exactly as it was.
@Suite(.serialized) final class TimestampCommandTests {
    let scratch: URL
    let sohoa = Fixtures.productsDirectory.appendingPathComponent("sohoa").path
    func cert(_ name: String) -> String { Fixtures.certs.appendingPathComponent(name).path }
    let password = ["P": "sohoa-test"]

    init() throws {
        try CRLServer.ensureRunning()
        scratch = try Fixtures.makeScratch("timestamp")
    }

    deinit { Fixtures.removeScratch(scratch) }

    /// A PDF signed at `level` by the officer, in its own folder.
    func signed(_ level: String, tsa: String) throws -> String {
        let input = scratch.appendingPathComponent("unsigned.pdf").path
        if !FileManager.default.fileExists(atPath: input) {
            let sample = Fixtures.samples.appendingPathComponent("001085012345/000.00.01.H26-251124-0001/don-de-nghi.tif").path
            #expect(try Run.process(sohoa, ["assemble", "-o", input, sample]).status == 0)
        }
        let folder = scratch.appendingPathComponent(level).path
        let result = try Run.process(sohoa, ["sign", "--p12", cert("officer.p12"), "--password-env", "P", "--tsa", tsa,
                                             "--level", level, "--out", folder, input], environment: password)
        #expect(result.status == 0, "\(result.stderr)")
        return (folder as NSString).appendingPathComponent("unsigned.pdf")
    }

    func verdicts(_ path: String, _ extra: [String] = []) throws -> (status: Int32, signatures: [[String: Any]]) {
        let run = try Run.process(sohoa, ["verify", "--trust", cert("root-ca.pem"), "--json"] + extra + [path])
        let report = (try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]) ?? [:]
        return (run.status, (report["files"] as? [[String: Any]])?.first?["signatures"] as? [[String: Any]] ?? [])
    }

    @Test func aRenewalAddsADocumentTimeStampAndKeepsEverySignature() throws {
        let authority = try LocalTSA.start(serialFile: scratch.appendingPathComponent("serial").path)
        defer { authority.stop() }
        let archived = try signed("B-LTA", tsa: authority.url), timeStamped = try signed("B-T", tsa: authority.url)
        let before = try Fixtures.read(archived), beforeShort = try Fixtures.read(timeStamped)

        let run = try Run.process(sohoa, ["timestamp", "--tsa", authority.url, "--trust", cert("root-ca.pem"), "--json",
                                          archived, timeStamped])
        #expect(run.status == 0, "\(run.stdout) \(run.stderr)")
        let outcomes = (try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])?["files"] as? [[String: Any]]
        #expect(outcomes?.count == 2 && outcomes?.allSatisfy { $0["outcome"] as? String == "time-stamped" && $0["timestamp"] is String } == true,
                "\(run.stdout)")

        // What was there is kept byte for byte; one more document time-stamp follows.
        let after = try Fixtures.read(archived), afterShort = try Fixtures.read(timeStamped)
        #expect(Array(after.prefix(before.count)) == before && after.count > before.count)
        #expect(Array(afterShort.prefix(beforeShort.count)) == beforeShort)
        let (status, signatures) = try verdicts(archived)
        #expect(status == 0 && signatures.count == 3 && signatures.allSatisfy { $0["verdict"] as? String == "valid" }, "\(signatures)")
        #expect(signatures.filter { $0["subFilter"] as? String == "/ETSI.RFC3161" }.count == 2)

        // pyHanko: every signature and time-stamp validates from the document alone; the B-T
        // document, renewed, now passes its AdES long-term validation after the signer expired.
        let validate = Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/pyhanko_validate.py").path
        for path in [archived, timeStamped] {
            let pyhanko = try Run.process(Tools.python, [validate, path, cert("root-ca.pem"), "--ltv"])
            let results = try #require(try JSONSerialization.jsonObject(with: Data(pyhanko.stdout.utf8)) as? [[String: Any]])
            #expect(!results.isEmpty && results.allSatisfy { $0["bottomLine"] as? Bool == true }, "\(path): \(results) \(pyhanko.stderr)")
        }
        let ades = Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/pyhanko_ades_lta.py").path
        let lta = try Run.process(Tools.python, [ades, timeStamped, cert("root-ca.pem"), "--at", "2035-02-01T00:00:00Z"])
        #expect(lta.stdout.contains("\"passed\": true"), "\(lta.stdout) \(lta.stderr.suffix(600))")
        #expect(try verdicts(timeStamped, ["--offline", "--at", "2035-02-01T00:00:00Z"]).status == 0)
    }

    /// Proof of existence: a signature time-stamped by an authority whose certificate expires in
    /// 2030, renewed with a document time-stamp by one valid until 2040, verified as in 2036 —
    /// after both the signer's and the first authority's certificates expired.
    @Test func aDocumentTimeStampKeepsASignatureVerifiableAfterItsAuthorityExpired() throws {
        let shortLived = try LocalTSA.start(serialFile: scratch.appendingPathComponent("serial-short").path, certificate: "tsa-short")
        defer { shortLived.stop() }
        let authority = try LocalTSA.start(serialFile: scratch.appendingPathComponent("serial").path)
        defer { authority.stop() }
        let signedLongTerm = try signed("B-LT", tsa: shortLived.url)
        let renewed = scratch.appendingPathComponent("renewed.pdf").path
        try FileManager.default.copyItem(atPath: signedLongTerm, toPath: renewed)
        let run = try Run.process(sohoa, ["timestamp", "--tsa", authority.url, "--trust", cert("root-ca.pem"), renewed])
        #expect(run.status == 0, "\(run.stderr)")

        let in2036 = ["--offline", "--at", "2036-02-01T00:00:00Z"]
        let before = try verdicts(signedLongTerm, in2036)
        #expect(before.status == 2, "without a later document time-stamp nothing proves when it was signed: \(before.signatures)")
        let after = try verdicts(renewed, in2036)
        #expect(after.status == 0 && after.signatures.allSatisfy { $0["verdict"] as? String == "valid" }, "\(after.signatures)")
        let codes = after.signatures.first?["reasonCodes"] as? [String] ?? []
        let reasons = after.signatures.first?["reasons"] as? [String] ?? []
        #expect(codes.contains("existence-proven") && reasons.contains { $0.contains("Signature2") }, "the report says which time-stamp proved what: \(reasons)")
        // In 2041 the second authority's certificate has expired too, and nothing later proves anything.
        #expect(try verdicts(renewed, ["--offline", "--at", "2041-02-01T00:00:00Z"]).status == 2)
    }

    /// A time-stamp authority that answers with a token over another digest, or signed with a
    /// certificate without the timeStamping usage: `sohoa timestamp` and `repo refresh` say so
    /// and write nothing.
    @Test(arguments: [("wrong-imprint", "tsa", "imprint mismatch"), ("any-certificate", "officer", "unsuitable certificate purpose")])
    func anAuthorityThatAnswersWronglyIsRefused(mode: String, certificate: String, reason: String) throws {
        let authority = try LocalTSA.start(serialFile: scratch.appendingPathComponent("serial").path)
        defer { authority.stop() }
        let archived = try signed("B-LTA", tsa: authority.url)
        let rogue = Process()
        rogue.executableURL = URL(fileURLWithPath: Tools.python)
        rogue.arguments = [Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/rogue_tsa.py").path, mode,
                           cert("\(certificate).key.pem"), cert("\(certificate).pem"), cert("chain.pem")]
        let url = try ListeningProcess.awaitAddress(of: rogue, matching: #"http://127\.0\.0\.1:\d+/"#, what: "the rogue time-stamp authority")
        defer { rogue.terminate(); rogue.waitUntilExit() }

        let before = try Fixtures.read(archived)
        let stamped = try Run.process(sohoa, ["timestamp", "--tsa", url, "--trust", cert("root-ca.pem"), archived])
        #expect(stamped.status == 1 && stamped.stderr.contains(reason) && stamped.stderr.contains("nothing was time-stamped"),
                "\(stamped.stderr)")
        #expect(try Fixtures.read(archived) == before)

        let data = try FiledRepository.make(sohoa: sohoa, in: scratch, count: 1)
        let refreshed = try Run.process(sohoa, ["repo", "refresh", "--data", data, "--tsa", url, "--trust", cert("root-ca.pem")])
        #expect(refreshed.status == 1 && refreshed.stderr.contains(reason) && refreshed.stderr.contains("nothing was refreshed"),
                "\(refreshed.stderr)")
    }

    @Test func pyHankosRenewalOfASohoaDocumentVerifiesHere() throws {
        let authority = try LocalTSA.start(serialFile: scratch.appendingPathComponent("serial").path)
        defer { authority.stop() }
        let archived = try signed("B-LTA", tsa: authority.url)
        let renewed = scratch.appendingPathComponent("pyhanko-renewed.pdf").path
        let script = Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/pyhanko_ltaupdate.py").path
        let update = try Run.process(Tools.python, [script, archived, renewed, authority.url, cert("root-ca.pem")])
        #expect(update.status == 0, "\(update.stderr)")
        let (status, signatures) = try verdicts(renewed, ["--offline"])
        #expect(status == 0 && signatures.count == 3 && signatures.allSatisfy { $0["verdict"] as? String == "valid" }, "\(signatures)")
    }

    @Test func whatMustNotBeRenewedIsLeftAsItWas() throws {
        let authority = try LocalTSA.start(serialFile: scratch.appendingPathComponent("serial").path)
        defer { authority.stop() }
        let archived = try signed("B-LTA", tsa: authority.url)
        // A page turned after signing: a change no signature allows.
        let turned = scratch.appendingPathComponent("turned.pdf").path
        let turn = """
            import sys
            from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
            with open(sys.argv[1], "rb") as source:
                writer = IncrementalPdfFileWriter(source, strict=False)
                page = writer.root["/Pages"]["/Kids"][0].get_object()
                from pyhanko.pdf_utils.generic import NumberObject
                page["/Rotate"] = NumberObject(90)
                writer.update_container(page)
                with open(sys.argv[2], "wb") as target:
                    writer.write(target)
            """
        #expect(try Run.process(Tools.python, ["-c", turn, archived, turned]).status == 0)
        let unsigned = scratch.appendingPathComponent("unsigned.pdf").path
        let originals = try [turned, unsigned].map(Fixtures.read)

        let refused = try Run.process(sohoa, ["timestamp", "--tsa", authority.url, "--trust", cert("root-ca.pem"), turned, unsigned])
        #expect(refused.status == 1, "\(refused.stdout) \(refused.stderr)")
        #expect(refused.stderr.contains("turned.pdf: not time-stamped: it is invalid now"), "\(refused.stderr)")
        #expect(refused.stderr.contains("unsigned.pdf: it has no signature"), "\(refused.stderr)")
        #expect(try [turned, unsigned].map(Fixtures.read) == originals, "refused files are left as they were")

        // An authority that does not answer: nothing is written.
        let before = try Fixtures.read(archived)
        let folder = (archived as NSString).deletingLastPathComponent
        let listed = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        let unreachable = try Run.process(sohoa, ["timestamp", "--tsa", "http://127.0.0.1:9/", "--trust", cert("root-ca.pem"), archived])
        #expect(unreachable.status == 1 && unreachable.stderr.contains("127.0.0.1:9"), "\(unreachable.stderr)")
        #expect(try Fixtures.read(archived) == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(leftovers == listed, "no working copy is left behind: \(leftovers)")

        #expect(try Run.process(sohoa, ["timestamp", "--tsa", "ftp://x", archived]).status == 3)
        #expect(try Run.process(sohoa, ["timestamp", archived]).status == 3)
    }
}
