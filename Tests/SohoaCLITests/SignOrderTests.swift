import Foundation
import SohoaTestSupport
import Testing

/// The officer signs first and once; the approver signs what an officer signed. Anything else
/// is refused with the file and the reason, unless --force, which signs with a warning; for
/// files and for what waits in the repository alike.
@Suite(.serialized) final class SignOrderTests {
    let scratch: URL
    let sohoa = Fixtures.productsDirectory.appendingPathComponent("sohoa").path
    func cert(_ name: String) -> String { Fixtures.certs.appendingPathComponent(name).path }
    let password = ["P": "sohoa-test"]

    init() throws {
        try CRLServer.ensureRunning()
        scratch = try Fixtures.makeScratch("sign-order")
    }

    deinit { Fixtures.removeScratch(scratch) }

    /// One unsigned PDF, `doc.pdf`, in a folder of its own; and the same signed by the officer.
    func documents() throws -> (unsigned: String, signed: String) {
        let sample = Fixtures.samples.appendingPathComponent("001085012345/000.00.01.H26-251124-0001/don-de-nghi.tif").path
        let unsigned = scratch.appendingPathComponent("unsigned/doc.pdf").path
        try FileManager.default.createDirectory(atPath: (unsigned as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        #expect(try Run.process(sohoa, ["assemble", "-o", unsigned, sample]).status == 0)
        let signed = scratch.appendingPathComponent("signed").path
        let result = try Run.process(sohoa, ["sign", "--p12", cert("officer.p12"), "--password-env", "P", "--out", signed, unsigned],
                                     environment: password)
        #expect(result.status == 0, "\(result.stderr)")
        return (unsigned, (signed as NSString).appendingPathComponent("doc.pdf"))
    }

    func signatures(_ path: String) throws -> Int {
        try Tools.run("pdfsig", [path]).stdout.components(separatedBy: "Signature Validation: Signature is Valid.").count - 1
    }

    @Test func anApprovalOfAnUnsignedFileIsRefusedUnlessForced() throws {
        let (unsigned, _) = try documents()
        let out = scratch.appendingPathComponent("approved").path
        let arguments = ["sign", "--p12", cert("approver.p12"), "--password-env", "P", "--role", "approver", "--out", out, unsigned]
        let refused = try Run.process(sohoa, arguments, environment: password)
        #expect(refused.status == 1, "\(refused.stdout) \(refused.stderr)")
        #expect(refused.stderr.contains(unsigned) && refused.stderr.contains("not signed yet")
                && refused.stderr.contains("--force"), "\(refused.stderr)")
        #expect(refused.stdout.contains("0 of 1 signed") && refused.stdout.contains("1 refused"), "\(refused.stdout)")
        #expect(!FileManager.default.fileExists(atPath: (out as NSString).appendingPathComponent("doc.pdf")))

        let forced = try Run.process(sohoa, arguments + ["--force"], environment: password)
        #expect(forced.status == 0, "\(forced.stdout) \(forced.stderr)")
        #expect(forced.stderr.contains("WARNING") && forced.stderr.contains("not signed yet"), "\(forced.stderr)")
        #expect(try signatures((out as NSString).appendingPathComponent("doc.pdf")) == 1)
    }

    @Test func aSecondOfficerSignatureIsRefusedUnlessForced() throws {
        let (_, signed) = try documents()
        let out = scratch.appendingPathComponent("twice").path
        let arguments = ["sign", "--p12", cert("officer.p12"), "--password-env", "P", "--out", out, signed]
        let refused = try Run.process(sohoa, arguments, environment: password)
        #expect(refused.status == 1, "\(refused.stdout) \(refused.stderr)")
        #expect(refused.stderr.contains(signed) && refused.stderr.contains("already carries a signature"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: (out as NSString).appendingPathComponent("doc.pdf")))

        let forced = try Run.process(sohoa, arguments + ["--force"], environment: password)
        #expect(forced.status == 0 && forced.stderr.contains("WARNING"), "\(forced.stdout) \(forced.stderr)")
        #expect(try signatures((out as NSString).appendingPathComponent("doc.pdf")) == 2)

        let approved = try Run.process(sohoa, ["sign", "--p12", cert("approver.p12"), "--password-env", "P", "--role", "approver",
                                               "--out", scratch.appendingPathComponent("approved").path, signed],
                                       environment: password)
        #expect(approved.status == 0 && approved.stderr.isEmpty, "an approval of a signed file is the normal case: \(approved.stderr)")
    }

    @Test func pendingDocumentsWhoseSignaturesDoNotFitTheRoleAreRefused() throws {
        let (unsigned, signed) = try documents()
        let data = scratch.appendingPathComponent("data").path
        func file(_ path: String, _ dossier: String) throws -> String {
            let result = try Run.process(sohoa, ["repo", "import", "--data", data, "--citizen", "001085012345", "--case", dossier, path])
            #expect(result.status == 0, "\(result.stderr)")
            return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let waiting = try file(unsigned, "000.00.01.H26-251124-0001")  // pending
        let alreadySigned = try file(signed, "000.00.01.H26-251124-0002")  // signed
        // The records say the opposite of what the PDFs carry: the unsigned one waits for
        // approval, the signed one for an officer.
        let database = (data as NSString).appendingPathComponent("sohoa.sqlite")
        let swap = try Run.process("/usr/bin/python3", ["-c", """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            db.execute("UPDATE documents SET state = 'signed' WHERE id = ?", (sys.argv[2],))
            db.execute("UPDATE documents SET state = 'pending' WHERE id = ?", (sys.argv[3],))
            db.commit()
            """, database, waiting, alreadySigned])
        #expect(swap.status == 0, "\(swap.stderr)")

        let officer = ["sign", "--pending", "--data", data, "--all", "--p12", cert("officer.p12"), "--password-env", "P"]
        let refusedOfficer = try Run.process(sohoa, officer, environment: password)
        #expect(refusedOfficer.status == 1, "\(refusedOfficer.stdout) \(refusedOfficer.stderr)")
        #expect(refusedOfficer.stderr.contains(alreadySigned) && refusedOfficer.stderr.contains("already carries a signature"),
                "\(refusedOfficer.stderr)")
        let approver = ["sign", "--pending", "--data", data, "--all", "--role", "approver", "--p12", cert("approver.p12"),
                        "--password-env", "P"]
        let refusedApprover = try Run.process(sohoa, approver, environment: password)
        #expect(refusedApprover.status == 1, "\(refusedApprover.stdout) \(refusedApprover.stderr)")
        #expect(refusedApprover.stderr.contains(waiting) && refusedApprover.stderr.contains("not signed yet"),
                "\(refusedApprover.stderr)")
        let shown = try Run.process(sohoa, ["repo", "show", "--data", data, "--json", waiting])
        let record = try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any]
        let state = (record?["state"] as? String) ?? ((record?["document"] as? [String: Any])?["state"] as? String)
        #expect(state == "signed", "a refused document stays as it was: \(shown.stdout)")

        let forced = try Run.process(sohoa, approver + ["--force", "--json"], environment: password)
        #expect(forced.status == 0 && forced.stderr.contains("WARNING"), "\(forced.stdout) \(forced.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(forced.stdout.utf8)) as? [String: Any],
                                  "\(forced.stdout)")
        let entry = try #require((object["files"] as? [[String: Any]])?.first)
        #expect(entry["document"] as? String == waiting && entry["version"] as? Int == 2 && entry["outcome"] as? String == "signed"
                && entry["code"] as? String == "approval-of-unsigned-document" && entry["warning"] is String
                && (entry["sha256"] as? String)?.count == 64, "\(entry)")
        #expect((object["totals"] as? [String: Any])?["signed"] as? Int == 1)
    }
}
