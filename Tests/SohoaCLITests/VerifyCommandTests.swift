import Foundation
import SohoaTestSupport
import Testing

/// `sohoa verify` as auditors run it: over a corpus of forgeries of every published class,
/// built on signatures made by Sohoa and by pyHanko, with pyHanko's own validation of the same
/// files for comparison; and the contract's exit codes and JSON keys.
@Suite(.serialized) final class VerifyCommandTests {
    let scratch: URL
    let sohoa = Fixtures.productsDirectory.appendingPathComponent("sohoa").path
    func cert(_ name: String) -> String { Fixtures.certs.appendingPathComponent(name).path }

    init() throws {
        try CRLServer.ensureRunning()
        scratch = try Fixtures.makeScratch("verify-cli")
    }

    deinit { Fixtures.removeScratch(scratch) }

    struct Case: Decodable {
        let file: String
        let `class`: String
        let expect: String
        let pyhanko: PyHankoVerdict?
        /// Why pyHanko's verdict is not a floor for this case (its policy refuses what ISO 32000
        /// permits: a visible signature after P=2, anything after P=3), when that is so.
        let pyhankoNote: String?
        struct PyHankoVerdict: Decodable { let bottomLine: Bool? }
    }

    /// One signed, one approved and one certified PDF, all signed by `sohoa sign`.
    func sohoaSignedInputs() throws -> (signed: String, approved: String, certified: String) {
        let sample = Fixtures.samples.appendingPathComponent("001085012345/000.00.01.H26-251124-0001/don-de-nghi.tif").path
        let unsigned = scratch.appendingPathComponent("unsigned").path
        try FileManager.default.createDirectory(atPath: unsigned, withIntermediateDirectories: true)
        #expect(try Run.process(sohoa, ["assemble", "-o", unsigned + "/doc.pdf", sample]).status == 0)
        let password = ["P": "sohoa-test"]
        func sign(_ arguments: [String], _ input: String, into folder: String) throws -> String {
            let result = try Run.process(sohoa, ["sign", "--password-env", "P", "--out", scratch.appendingPathComponent(folder).path]
                                         + arguments + [input], environment: password)
            #expect(result.status == 0, "\(result.stderr)")
            return scratch.appendingPathComponent(folder).appendingPathComponent("doc.pdf").path
        }
        let signed = try sign(["--p12", cert("officer.p12")], unsigned + "/doc.pdf", into: "signed")
        let approved = try sign(["--p12", cert("approver.p12"), "--role", "approver"], signed, into: "approved")
        let certified = try sign(["--p12", cert("officer.p12"), "--certify"], unsigned + "/doc.pdf", into: "certified")
        return (signed, approved, certified)
    }

    func corpus(_ name: String, inputs: [String]) throws -> (folder: String, cases: [Case]) {
        let folder = scratch.appendingPathComponent(name).path
        let script = Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/make_forgeries.py").path
        let made = try Run.process(Tools.python, [script, "--out", folder, "--certs", Fixtures.certs.path] + inputs)
        #expect(made.status == 0, "the corpus is built: \(made.stderr.suffix(2000))")
        let manifest = try Data(contentsOf: URL(fileURLWithPath: folder).appendingPathComponent("manifest.json"))
        return (folder, try JSONDecoder().decode([Case].self, from: manifest))
    }

    func verifyJSON(_ arguments: [String]) throws -> (status: Int32, files: [String: [String: Any]]) {
        let result = try Run.process(sohoa, ["verify", "--json", "--trust", cert("root-ca.pem")] + arguments)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
                                  "\(result.stderr)")
        var files: [String: [String: Any]] = [:]
        for file in object["files"] as? [[String: Any]] ?? [] {
            files[((file["path"] as? String ?? "") as NSString).lastPathComponent] = file
        }
        return (result.status, files)
    }

    @Test(arguments: ["sohoa", "pyhanko"])
    func everyForgeryIsCaughtAndEveryGenuineSignatureIsValid(signedBy: String) throws {
        var inputs: [String] = []
        if signedBy == "sohoa" {
            let made = try sohoaSignedInputs()
            inputs = ["--signed", made.signed, "--approved", made.approved, "--certified", made.certified]
        }
        let (folder, cases) = try corpus("corpus-\(signedBy)", inputs: inputs)
        #expect(cases.count >= 70, "every class of the published attacks is in the corpus")
        let (status, files) = try verifyJSON([folder])
        #expect(status == 1, "forgeries make the run invalid")
        for item in cases {
            let verdict = files[item.file]?["verdict"] as? String
            #expect(verdict == item.expect, "\(item.file) (\(item.class)): Sohoa says \(verdict ?? "nothing"), expected \(item.expect)")
            // At least as strict as pyHanko: whatever pyHanko rejects, Sohoa does not call valid.
            if item.pyhanko?.bottomLine != true, item.pyhankoNote == nil {
                #expect(verdict != "valid", "\(item.file): pyHanko rejects it, Sohoa must too")
            }
        }
        let missed = cases.filter { $0.expect == "invalid" && $0.pyhanko?.bottomLine == true }.map(\.file)
        print("forgeries pyHanko accepts and Sohoa rejects (\(signedBy)): \(missed)")
    }

    @Test func pyHankoSignaturesOfEveryKindAreValid() throws {
        let made = try sohoaSignedInputs()
        let unsigned = scratch.appendingPathComponent("unsigned/doc.pdf").path
        let authority = try LocalTSA.start(serialFile: scratch.appendingPathComponent("serial").path)
        defer { authority.stop() }
        let script = Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/pyhanko_sign.py").path
        let folder = scratch.appendingPathComponent("pyhanko-signed").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        func sign(_ input: String, _ output: String, _ p12: String, _ level: String, certify: Bool = false,
                  adobe: Bool = false) throws -> String {
            let target = (folder as NSString).appendingPathComponent(output)
            let result = try Run.process(Tools.python, [script, input, target, cert(p12), "sohoa-test", level,
                                                        "--tsa", authority.url, "--root", cert("root-ca.pem")]
                                         + (certify ? ["--certify"] : []) + (adobe ? ["--adobe"] : []))
            #expect(result.status == 0, "pyHanko signs \(output): \(result.stderr.suffix(1500))")
            return target
        }
        _ = try sign(unsigned, "b-b.pdf", "officer.p12", "B-B")
        _ = try sign(unsigned, "b-t.pdf", "officer-ecdsa.p12", "B-T")
        let longTerm = try sign(unsigned, "b-lt.pdf", "officer.p12", "B-LT")
        _ = try sign(longTerm, "b-lt-approved.pdf", "approver.p12", "B-LT")
        let certified = try sign(unsigned, "certified.pdf", "officer.p12", "B-T", certify: true)
        _ = try sign(certified, "certified-approved.pdf", "approver.p12", "B-T")
        _ = try sign(made.signed, "sohoa-then-pyhanko.pdf", "approver.p12", "B-T")
        let adobe = try sign(unsigned, "adobe-b-lt.pdf", "officer.p12", "B-LT", adobe: true)

        let (status, files) = try verifyJSON([folder])
        #expect(status == 0, "every signature pyHanko made is valid")
        #expect(files.count == 8)
        for (name, file) in files {
            let signatures = file["signatures"] as? [[String: Any]] ?? []
            #expect(file["verdict"] as? String == "valid", "\(name): \(signatures.map { $0["reasons"] ?? "" })")
        }
        let offline = try verifyJSON(["--offline", (folder as NSString).appendingPathComponent("b-lt-approved.pdf")])
        #expect(offline.status == 0, "pyHanko's DSS is enough without fetching: \(offline.files)")
        let archived = try verifyJSON(["--offline", adobe])
        #expect(archived.status == 0, "the CRLs archived inside an adbe.pkcs7.detached signature are enough: \(archived.files)")
    }

    /// `input` approved once more in pyHanko (B-T, the approver's key), its stamp in `box`
    /// ("x1,y1,x2,y2") of page 1; the path of the approved copy.
    func pyHankoStampedApproval(of input: String, named name: String, box: String, tsa: String) throws -> String {
        let script = Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/pyhanko_sign.py").path
        let output = scratch.appendingPathComponent(name).path
        let signing = try Run.process(Tools.python, [script, input, output, cert("approver.p12"), "sohoa-test", "B-T",
                                                     "--tsa", tsa, "--visible", box])
        #expect(signing.status == 0, "\(signing.stderr.suffix(1500))")
        return output
    }

    /// A leader approving in another tool, with a visible signature on the blank paper at the
    /// page's foot (Sohoa's own blocks fill the top margin), and archiving software adding
    /// validation data and a document time-stamp afterwards: every signature stays valid, as
    /// pyHanko and pdfsig also say.
    @Test func anotherToolsVisibleApprovalAndArchiveTimeStampKeepEverySignatureValid() throws {
        let made = try sohoaSignedInputs()
        let authority = try LocalTSA.start(serialFile: scratch.appendingPathComponent("serial-visible").path)
        defer { authority.stop() }
        let script = Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/pyhanko_sign.py").path
        let visible = try pyHankoStampedApproval(of: made.approved, named: "approved-visibly.pdf", box: "330,90,560,150",
                                                 tsa: authority.url)
        let archived = scratch.appendingPathComponent("archived.pdf").path
        let archiving = try Run.process(Tools.python, [script, visible, archived, "-", "-", "ARCHIVE", "--tsa", authority.url,
                                                       "--root", cert("root-ca.pem")])
        #expect(archiving.status == 0, "\(archiving.stderr.suffix(1500))")
        for path in [visible, archived] {
            let (status, files) = try verifyJSON([path])
            let file = try #require(files[(path as NSString).lastPathComponent])
            let signatures = file["signatures"] as? [[String: Any]] ?? []
            #expect(status == 0 && file["verdict"] as? String == "valid", "\(path): \(signatures.map { $0["reasons"] ?? "" })")
            #expect(signatures.count == (path == visible ? 3 : 4))
            let kinds = signatures.flatMap { ($0["modificationsAfter"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String } }
            #expect(kinds.contains("visible-signature"), "the third signature's appearance is named as such: \(Set(kinds))")
            let pyhanko = try Run.process(Tools.python, [Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/pyhanko_validate.py").path,
                                                         path, cert("root-ca.pem")])
            #expect(pyhanko.status == 0 && !pyhanko.stdout.contains("\"bottomLine\": false"), "pyHanko agrees: \(pyhanko.stdout)")
            let pdfsig = try Tools.run("pdfsig", [path])
            #expect(pdfsig.stdout.components(separatedBy: "Signature is Valid").count - 1 == 3, "\(pdfsig.stdout)")
        }
    }

    /// The same genuine approval, its stamp drawn over the national motto the officer signed:
    /// pyHanko and pdfsig check only the bytes and call it valid; Sohoa says the appearance
    /// covers signed content, because a reader of the page can no longer see what was signed.
    @Test func aGenuineApprovalWhoseStampCoversSignedTextIsInvalid() throws {
        let made = try sohoaSignedInputs()
        let authority = try LocalTSA.start(serialFile: scratch.appendingPathComponent("serial-covering").path)
        defer { authority.stop() }
        let covering = try pyHankoStampedApproval(of: made.approved, named: "approved-over-the-motto.pdf", box: "300,700,550,800",
                                                  tsa: authority.url)
        let (status, files) = try verifyJSON([covering])
        let file = try #require(files[(covering as NSString).lastPathComponent])
        #expect(status == 1 && file["verdict"] as? String == "invalid")
        let reasons = (file["signatures"] as? [[String: Any]] ?? []).flatMap { $0["reasons"] as? [String] ?? [] }
        #expect(reasons.contains { $0.contains("the appearance of signature “Signature3” on page 1 covers content that was signed") },
                "\(reasons)")
        let modifications = (file["signatures"] as? [[String: Any]] ?? [])
            .flatMap { $0["modificationsAfter"] as? [[String: Any]] ?? [] }
        #expect(modifications.contains { $0["kind"] as? String == "appearanceCoversSignedContent" && $0["allowed"] as? Bool == false })
    }

    /// A document time-stamp is known by its /SubFilter (ETSI.RFC3161), whatever /Type its
    /// producer wrote (/DocTimeStamp, /Sig, or none).
    @Test(arguments: ["DocTimeStamp", "Sig", "none"])
    func documentTimeStampsAreKnownByTheirSubFilter(type: String) throws {
        let made = try sohoaSignedInputs()
        let authority = try LocalTSA.start(serialFile: scratch.appendingPathComponent("serial-\(type)").path)
        defer { authority.stop() }
        let script = Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/pyhanko_sign.py").path
        let archived = scratch.appendingPathComponent("archived-\(type).pdf").path
        let archiving = try Run.process(Tools.python, [script, made.approved, archived, "-", "-", "ARCHIVE", "--tsa", authority.url,
                                                       "--root", cert("root-ca.pem"), "--timestamp-type", type])
        #expect(archiving.status == 0, "\(archiving.stderr.suffix(1500))")
        let (status, files) = try verifyJSON([archived])
        let signatures = files[(archived as NSString).lastPathComponent]?["signatures"] as? [[String: Any]] ?? []
        #expect(status == 0, "\(signatures.map { $0["reasons"] ?? "" })")
        #expect(signatures.filter { $0["type"] as? String == "document-timestamp" && $0["verdict"] as? String == "valid" }.count == 1)
    }

    @Test func exitCodesFollowTheContract() throws {
        let made = try sohoaSignedInputs()
        let valid = try Run.process(sohoa, ["verify", "--trust", cert("root-ca.pem"), made.approved])
        #expect(valid.status == 0, "\(valid.stdout)")
        let untrusted = try Run.process(sohoa, ["verify", made.approved])
        #expect(untrusted.status == 2, "no trust anchor: nothing can be shown valid")
        let unsigned = scratch.appendingPathComponent("unsigned/doc.pdf").path
        #expect(try Run.process(sohoa, ["verify", "--trust", cert("root-ca.pem"), unsigned]).status == 2)
        let text = try Fixtures.write(Array("not a PDF at all".utf8), named: "note.pdf", in: scratch)
        let notPDF = try Run.process(sohoa, ["verify", "--trust", cert("root-ca.pem"), text])
        #expect(notPDF.status == 3 && notPDF.stderr.contains("not a PDF file"), "\(notPDF.stderr)")
        #expect(try Run.process(sohoa, ["verify", scratch.appendingPathComponent("missing.pdf").path]).status == 3)
        #expect(try Run.process(sohoa, ["verify", "--lang", "fr", made.approved]).status == 3)
        var flipped = try Fixtures.read(made.signed)
        flipped[300] ^= 0x20
        let damaged = try Fixtures.write(flipped, named: "flipped.pdf", in: scratch)
        let mixed = try Run.process(sohoa, ["verify", "--trust", cert("root-ca.pem"), damaged, made.approved, text])
        #expect(mixed.status == 1, "an invalid file outweighs an unreadable one")
    }

    @Test func theJSONHasTheContractsKeysAndTheReportSpeaksBothLanguages() throws {
        let made = try sohoaSignedInputs()
        let (_, files) = try verifyJSON([made.approved])
        let file = try #require(files["doc.pdf"])
        #expect(Set(file.keys).isSuperset(of: ["path", "sha256", "verdict", "signatures"]))
        let signatures = try #require(file["signatures"] as? [[String: Any]])
        #expect(signatures.count == 2)
        for signature in signatures {
            #expect(Set(signature.keys).isSuperset(of: ["field", "signer", "signingTime", "timestamp", "coversWholeDocument",
                                                        "integrity", "chain", "revocation", "modificationsAfter", "verdict",
                                                        "reasons"]), "\(signature.keys.sorted())")
            #expect(signature["verdict"] as? String == "valid")
        }
        let vietnamese = try Run.process(sohoa, ["verify", "--lang", "vi", made.approved])
        #expect(vietnamese.stdout.contains("CHƯA XÁC ĐỊNH ĐƯỢC") && vietnamese.stdout.contains("không phải một gốc tin cậy"),
                "\(vietnamese.stdout)")
        let english = try Run.process(sohoa, ["verify", "--lang", "en", "--trust", cert("root-ca.pem"), made.approved])
        #expect(english.stdout.contains("VALID") && english.stdout.contains("1 files: 1 valid"), "\(english.stdout)")
    }

    @Test func everyMessageInTheJSONHasAStableCodeBesideIt() throws {
        let folder = scratch.appendingPathComponent("codes")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let text = try Fixtures.write(Array("not a PDF at all".utf8), named: "note.pdf", in: folder)
        let damaged = try Fixtures.write(Array("%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R\nendobj\nstartxref\n9\n%%EOF\n".utf8),
                                         named: "damaged.pdf", in: folder)
        let missing = folder.appendingPathComponent("missing.pdf").path
        let result = try Run.process(sohoa, ["verify", "--json", "--lang", "en", text, damaged, missing])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
                                  "\(result.stdout) \(result.stderr)")
        let errors = try #require(object["errors"] as? [[String: Any]])
        var codes: [String: String] = [:]
        for error in errors {
            #expect(error["reason"] is String, "the message stays: \(error)")
            codes[((error["path"] as? String ?? "") as NSString).lastPathComponent] = error["code"] as? String
        }
        #expect(codes == ["note.pdf": "not-a-pdf", "missing.pdf": "no-such-file"], "\(errors)")
        let file = try #require((object["files"] as? [[String: Any]])?.first)
        let problems = try #require(file["problems"] as? [String])
        #expect(!problems.isEmpty && file["problemCodes"] as? [String] == problems.map { _ in "structure-damaged" }, "\(file)")
    }
}
