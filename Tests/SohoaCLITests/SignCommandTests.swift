import Foundation
import SohoaTestSupport
import Testing

/// `sohoa sign` as an officer and a branch leader run it, against `sohoa tsa serve`, with the
/// results checked by pdfsig and pyHanko.
@Suite(.serialized) final class SignCommandTests {
    let scratch: URL
    let sohoa = Fixtures.productsDirectory.appendingPathComponent("sohoa").path
    func cert(_ name: String) -> String { Fixtures.certs.appendingPathComponent(name).path }
    let password = ["P": "sohoa-test"]

    init() throws {
        try CRLServer.ensureRunning()  // sign checks the signer's revocation before each batch
        scratch = try Fixtures.makeScratch("sign-cli")
    }

    deinit { Fixtures.removeScratch(scratch) }

    /// Two unsigned PDFs assembled from the samples.
    func unsignedFolder() throws -> String {
        let folder = scratch.appendingPathComponent("unsigned").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let samples = Fixtures.samples.appendingPathComponent("001085012345/000.00.01.H26-251124-0001")
        for name in ["don-de-nghi.tif", "can-cuoc-cong-dan.jpg"] {
            let output = (folder as NSString).appendingPathComponent((name as NSString).deletingPathExtension + ".pdf")
            #expect(try Run.process(sohoa, ["assemble", "-o", output, samples.appendingPathComponent(name).path]).status == 0)
        }
        return folder
    }

    @Test func officerThenApproverWithTimeStampsValidateEverywhere() throws {
        let unsigned = try unsignedFolder()
        let authority = try LocalTSA.start(serialFile: scratch.appendingPathComponent("serial").path)
        let url = authority.url
        defer { authority.stop() }
        let signed = scratch.appendingPathComponent("signed").path
        let approved = scratch.appendingPathComponent("approved").path
        let first = try Run.process(sohoa, ["sign", "--p12", cert("officer.p12"), "--password-env", "P", "--tsa", url,
                                            "--out", signed, unsigned], environment: password)
        #expect(first.status == 0, "\(first.stdout) \(first.stderr)")
        #expect(first.stdout.contains("2 of 2 signed, 0 skipped, 0 failed"))
        let second = try Run.process(sohoa, ["sign", "--p12", cert("approver.p12"), "--password-env", "P", "--tsa", url,
                                             "--role", "approver", "--out", approved, signed], environment: password)
        #expect(second.status == 0, "\(second.stdout) \(second.stderr)")

        for name in ["don-de-nghi.pdf", "can-cuoc-cong-dan.pdf"] {
            let path = (approved as NSString).appendingPathComponent(name)
            #expect(try Tools.run("qpdf", ["--check", path]).status == 0)
            let pdfsig = try Tools.run("pdfsig", [path]).stdout
            #expect(pdfsig.components(separatedBy: "Signature Validation: Signature is Valid.").count == 3, "\(pdfsig)")
            let script = Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/pyhanko_validate.py").path
            let pyhanko = try Run.process(Tools.python, [script, path, cert("root-ca.pem")])
            let verdicts = try #require(try JSONSerialization.jsonObject(with: Data(pyhanko.stdout.utf8)) as? [[String: Any]])
            #expect(verdicts.count == 2)
            for verdict in verdicts {
                #expect(verdict["bottomLine"] as? Bool == true && verdict["timestampValid"] as? Bool == true, "\(verdict)")
            }
            let unsignedBytes = try Fixtures.read((unsigned as NSString).appendingPathComponent(name))
            #expect(Array(try Fixtures.read(path).prefix(unsignedBytes.count)) == unsignedBytes,
                    "signing appends; the unsigned bytes stay as they were")
        }

        try CRLServer.ensureRunning()  // the checks above take long: the server that answered may be gone
        let again = try Run.process(sohoa, ["sign", "--p12", cert("officer.p12"), "--password-env", "P", "--tsa", url,
                                            "--out", signed, unsigned], environment: password)
        #expect(again.status == 0, "\(again.stdout) \(again.stderr)")
        #expect(again.stdout.contains("0 of 2 signed, 2 skipped"), "a re-run signs nothing twice: \(again.stdout)")
    }

    @Test func longTermValidationDataMakesTheDocumentSelfContained() throws {
        try CRLServer.ensureRunning()
        let unsigned = try unsignedFolder()
        let authority = try LocalTSA.start(serialFile: scratch.appendingPathComponent("serial").path)
        defer { authority.stop() }
        let signed = scratch.appendingPathComponent("b-lt").path
        let result = try Run.process(sohoa, ["sign", "--p12", cert("officer-ecdsa.p12"), "--password-env", "P",
                                             "--tsa", authority.url, "--ltv", "--out", signed, unsigned], environment: password)
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
        #expect(result.stdout.contains("with long-term validation data"))
        let script = Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/pyhanko_validate.py").path
        for name in ["don-de-nghi.pdf", "can-cuoc-cong-dan.pdf"] {
            let path = (signed as NSString).appendingPathComponent(name)
            #expect(try Tools.run("qpdf", ["--check", path]).status == 0)
            let pyhanko = try Run.process(Tools.python, [script, path, cert("root-ca.pem"), "--ltv"])
            let verdicts = try #require(try JSONSerialization.jsonObject(with: Data(pyhanko.stdout.utf8)) as? [[String: Any]])
            #expect(verdicts.count == 1 && verdicts[0]["bottomLine"] as? Bool == true,
                    "pyHanko validates from the DSS alone, revocation required: \(verdicts) \(pyhanko.stderr)")
        }
    }

    @Test func aRevokedCertificateIsRefusedBeforeAnythingIsSigned() throws {
        try CRLServer.ensureRunning()
        let unsigned = try unsignedFolder()
        let authority = try LocalTSA.start(serialFile: scratch.appendingPathComponent("serial").path)
        defer { authority.stop() }
        let out = scratch.appendingPathComponent("revoked").path
        let result = try Run.process(sohoa, ["sign", "--p12", cert("revoked-signer.p12"), "--password-env", "P",
                                             "--tsa", authority.url, "--ltv", "--out", out, unsigned], environment: password)
        #expect(result.status == 1)
        #expect(result.stderr.contains("was revoked on") && result.stderr.contains("key compromise")
                && result.stderr.contains("Nothing was signed"), "\(result.stderr)")
        #expect((try? FileManager.default.contentsOfDirectory(atPath: out))?.isEmpty ?? true)
        let alone = try Run.process(sohoa, ["sign", "--p12", cert("officer.p12"), "--password-env", "P", "--ltv",
                                            "--out", out, unsigned], environment: password)
        #expect(alone.status == 3 && alone.stderr.contains("--ltv needs --tsa"), "\(alone.stderr)")
    }

    @Test(arguments: [("expired-signer.p12", "expired on 2024-01-01"), ("weak-signer.p12", "at least RSA-2048"),
                      ("no-signing-usage.p12", "does not allow signing")])
    func unusableCertificatesSignNothing(p12: String, reason: String) throws {
        let unsigned = try unsignedFolder()
        let out = scratch.appendingPathComponent("refused").path
        let result = try Run.process(sohoa, ["sign", "--p12", cert(p12), "--password-env", "P", "--out", out, unsigned],
                                     environment: password)
        #expect(result.status == 1)
        #expect(result.stderr.contains(reason) && result.stderr.contains("Nothing was signed"))
        #expect((try? FileManager.default.contentsOfDirectory(atPath: out))?.isEmpty ?? true)
    }

    @Test func wrongPasswordIsSaidAndNeverShown() throws {
        let unsigned = try unsignedFolder()
        let result = try Run.process(sohoa, ["sign", "--p12", cert("officer.p12"), "--password-env", "P", "--out",
                                             scratch.appendingPathComponent("x").path, unsigned],
                                     environment: ["P": "Mật khẩu sai"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("the password is wrong") && !result.stderr.contains("Mật khẩu sai"))
    }

    @Test func twoDocumentsWithTheSameNameAreRefusedBeforeSigning() throws {
        let unsigned = try unsignedFolder()
        let other = scratch.appendingPathComponent("other").path
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: (unsigned as NSString).appendingPathComponent("don-de-nghi.pdf"),
                                         toPath: (other as NSString).appendingPathComponent("don-de-nghi.pdf"))
        let out = scratch.appendingPathComponent("clash").path
        let result = try Run.process(sohoa, ["sign", "--p12", cert("officer.p12"), "--password-env", "P", "--out", out,
                                             unsigned, other], environment: password)
        #expect(result.status == 3)
        #expect(result.stderr.contains("two documents are named don-de-nghi.pdf"))
        #expect((try? FileManager.default.contentsOfDirectory(atPath: out))?.isEmpty ?? true)
    }

    @Test func twoBatchesCannotWriteIntoOneFolderAtOnce() throws {
        let unsigned = try unsignedFolder()
        let out = scratch.appendingPathComponent("busy").path
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let held = open((out as NSString).appendingPathComponent(".sohoa-sign.lock"), O_RDWR | O_CREAT, 0o600)
        #expect(held >= 0 && flock(held, LOCK_EX | LOCK_NB) == 0)
        defer { close(held) }
        let result = try Run.process(sohoa, ["sign", "--p12", cert("officer.p12"), "--password-env", "P", "--out", out,
                                             unsigned], environment: password)
        #expect(result.status == 1 && result.stderr.contains("another batch is signing into this folder"))
    }

    @Test(arguments: [["sign", "a.pdf"], ["sign", "--p12", "k.p12", "a.pdf"], ["sign", "--p12", "k", "--out", "o", "--in-place", "a.pdf"],
                      ["sign", "--p12", "k", "--out", "o", "--tsa", "ftp://x", "a.pdf"]])
    func usageErrorsExit3(arguments: [String]) throws {
        #expect(try Run.process(sohoa, arguments).status == 3)
    }
}

extension SignCommandTests {
    @Test func tokenKeySignsThroughTheCommandLine() throws {
        let module = try SoftHSMToken.prepared.get()
        let configuration = try #require(SoftHSMToken.configuration)
        let unsigned = try unsignedFolder()
        let out = scratch.appendingPathComponent("token-signed").path
        let result = try Run.process(sohoa, ["sign", "--pkcs11-module", module, "--token", SoftHSMToken.label,
                                             "--pin-env", "PIN", "--key-label", "officer-ecdsa",
                                             "--chain", cert("chain.pem"), "--out", out, unsigned],
                                     environment: ["PIN": SoftHSMToken.pin, "SOFTHSM2_CONF": configuration])
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
        #expect(!result.stdout.contains(SoftHSMToken.pin) && !result.stderr.contains(SoftHSMToken.pin))
        let path = (out as NSString).appendingPathComponent("don-de-nghi.pdf")
        #expect(try Tools.run("pdfsig", [path]).stdout.contains("Signature Validation: Signature is Valid."))
        let script = Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/pyhanko_validate.py").path
        let pyhanko = try Run.process(Tools.python, [script, path, cert("root-ca.pem")])
        #expect(pyhanko.stdout.contains("\"bottomLine\": true"), "\(pyhanko.stdout) \(pyhanko.stderr)")

        let wrong = try Run.process(sohoa, ["sign", "--pkcs11-module", module, "--token", SoftHSMToken.label,
                                            "--pin-env", "PIN", "--key-label", "officer", "--out",
                                            scratch.appendingPathComponent("wrong-pin").path, unsigned],
                                    environment: ["PIN": "000000", "SOFTHSM2_CONF": configuration])
        #expect(wrong.status == 1 && wrong.stderr.contains("the PIN is wrong") && !wrong.stderr.contains("000000"))
    }
}

/// Memory stays flat with file size: the document is read once in blocks, never held whole.
@Suite struct SignLargeFileTests {
    /// A valid one-page PDF of about `megabytes` MB: its content stream is mostly blank lines.
    static func writeLargePDF(at path: String, megabytes: Int) throws {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        defer { try? handle.close() }
        var offsets: [Int] = []
        var position = 0
        func write(_ text: String) throws {
            let data = Data(text.utf8)
            try handle.write(contentsOf: data)
            position += data.count
        }
        let streamLength = megabytes << 20
        try write("%PDF-1.7\n")
        offsets.append(position); try write("1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n")
        offsets.append(position); try write("2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n")
        offsets.append(position)
        try write("3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>\nendobj\n")
        offsets.append(position); try write("4 0 obj\n<< /Length \(streamLength) >>\nstream\n")
        let block = Data(repeating: 0x0A, count: 1 << 20)
        for _ in 0..<megabytes { try handle.write(contentsOf: block) }
        position += streamLength
        try write("\nendstream\nendobj\n")
        let xref = position
        try write("xref\n0 5\n0000000000 65535 f \r\n" + offsets.map { String(format: "%010d 00000 n \r\n", $0) }.joined())
        try write("trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n")
    }

    @Test func aLargeDocumentIsSignedInFlatMemory() throws {
        try CRLServer.ensureRunning()
        let scratch = try Fixtures.makeScratch("sign-large")
        defer { Fixtures.removeScratch(scratch) }
        let input = scratch.appendingPathComponent("in/large.pdf").path
        try FileManager.default.createDirectory(atPath: (input as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try Self.writeLargePDF(at: input, megabytes: 400)
        let out = scratch.appendingPathComponent("out").path
        let sohoa = Fixtures.productsDirectory.appendingPathComponent("sohoa").path
        let measured = try Run.process(Tools.python, ["-c", """
            import os, resource, subprocess, sys
            env = dict(os.environ, P="sohoa-test")
            result = subprocess.run(sys.argv[1:], capture_output=True, env=env)
            print(result.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
            sys.stderr.write(result.stderr.decode())
            """, sohoa, "sign", "--p12", Fixtures.certs.appendingPathComponent("officer.p12").path,
                                                  "--password-env", "P", "--invisible", "--out", out, input])
        let fields = measured.stdout.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        #expect(fields.count == 2 && fields[0] == 0, "\(measured.stdout) \(measured.stderr)")
        let peakKiB = fields.count == 2 ? fields[1] : Int.max
        #expect(peakKiB < 100 * 1024, "signing a 400 MB document peaked at \(peakKiB / 1024) MiB")
        let signed = (out as NSString).appendingPathComponent("large.pdf")
        #expect(try Tools.run("pdfsig", [signed]).stdout.contains("Signature Validation: Signature is Valid."))
    }
}

/// A batch killed with SIGKILL at random moments and run again signs every document exactly
/// once and leaves no half-written file.
@Suite struct SignCrashTests {
    @Test func killedBatchesResumeWithoutSigningTwice() throws {
        try CRLServer.ensureRunning()
        let scratch = try Fixtures.makeScratch("sign-crash")
        defer { Fixtures.removeScratch(scratch) }
        let sohoa = Fixtures.productsDirectory.appendingPathComponent("sohoa").path
        let unsigned = scratch.appendingPathComponent("unsigned").path
        try FileManager.default.createDirectory(atPath: unsigned, withIntermediateDirectories: true)
        let first = (unsigned as NSString).appendingPathComponent("doc-000.pdf")
        let sample = Fixtures.samples.appendingPathComponent("001085012345/000.00.01.H26-251124-0001/can-cuoc-cong-dan.jpg").path
        #expect(try Run.process(sohoa, ["assemble", "-o", first, sample]).status == 0)
        let count = 60
        for index in 1..<count {
            try FileManager.default.copyItem(atPath: first, toPath: (unsigned as NSString)
                .appendingPathComponent(String(format: "doc-%03d.pdf", index)))
        }
        let out = scratch.appendingPathComponent("signed").path
        let arguments = ["sign", "--p12", Fixtures.certs.appendingPathComponent("officer.p12").path,
                         "--password-env", "P", "--out", out, unsigned]
        for _ in 0..<20 {
            try Run.killed(sohoa, arguments, environment: ["P": "sohoa-test"], after: 0.005...0.12)
        }
        let finish = try Run.process(sohoa, arguments, environment: ["P": "sohoa-test"])
        #expect(finish.status == 0, "\(finish.stdout) \(finish.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: out).filter { !$0.hasPrefix(".") }.sorted()
        #expect(names.count == count)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).allSatisfy { !$0.hasSuffix(".partial") },
                "no half-written file is left")
        for name in names {
            let report = try Tools.run("pdfsig", [(out as NSString).appendingPathComponent(name)]).stdout
            #expect(report.components(separatedBy: "Signature Validation: Signature is Valid.").count == 2,
                    "\(name) is signed exactly once and validly: \(report)")
        }
    }
}

/// What `sohoa sign` says about its own command line, and its JSON summary.
extension SignCommandTests {
    @Test func unknownOptionsAreReportedBeforeAnythingElse() throws {
        let pending = try Run.process(sohoa, ["sign", "--pending", "--data", scratch.path, "--all", "--p12", cert("officer.p12"),
                                              "--password", "x"])
        #expect(pending.status == 3 && pending.stderr.contains("Unknown option '--password'")
                && !pending.stderr.contains("takes no PDFs"), "\(pending.stderr)")
        let noKey = try Run.process(sohoa, ["sign", "--jason", "a.pdf"])
        #expect(noKey.status == 3 && noKey.stderr.contains("Unknown option '--jason'") && !noKey.stderr.contains("give either"),
                "\(noKey.stderr)")
        let jsonWithoutKey = try Run.process(sohoa, ["sign", "--json", "--out", "o", "a.pdf"])
        #expect(jsonWithoutKey.status == 3 && jsonWithoutKey.stderr.contains("give either --p12 FILE"), "\(jsonWithoutKey.stderr)")
        let mixed = try Run.process(sohoa, ["sign", "--p12", "k.p12", "--pin-env", "PIN", "--out", "o", "a.pdf"])
        #expect(mixed.status == 3 && mixed.stderr.contains("go with --pkcs11-module"), "\(mixed.stderr)")
    }

    @Test func helpShowsWhichOptionsGoTogetherExamplesAndExitCodes() throws {
        let help = try Run.process(sohoa, ["sign", "--help"])
        let text = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(help.status == 0)
        #expect(text.contains("sohoa sign --p12 FILE --password-env VAR"), "\(help.stdout)")
        #expect(text.contains("sohoa sign --pkcs11-module LIB --token LABEL --pin-env VAR"), "\(help.stdout)")
        #expect(text.contains("sohoa sign --pending (--data DIR | --server URL --token-env VAR)"), "\(help.stdout)")
        #expect(text.contains("Examples:") && text.contains("Exit status: 0") && text.contains("--allow-unknown-revocation"))
    }

    @Test func jsonSummaryNamesEachDocumentItsHashSignerTimeStampAndOutcome() throws {
        let unsigned = try unsignedFolder()
        let authority = try LocalTSA.start(serialFile: scratch.appendingPathComponent("serial").path)
        defer { authority.stop() }
        // One of the two is signed already: an officer's signature on it is refused.
        let first = try Run.process(sohoa, ["sign", "--p12", cert("officer.p12"), "--password-env", "P", "--in-place",
                                            (unsigned as NSString).appendingPathComponent("don-de-nghi.pdf")], environment: password)
        #expect(first.status == 0, "\(first.stderr)")
        let out = scratch.appendingPathComponent("json").path
        let result = try Run.process(sohoa, ["sign", "--p12", cert("officer.p12"), "--password-env", "P", "--tsa", authority.url,
                                             "--json", "--out", out, unsigned], environment: password)
        #expect(result.status == 1, "a refusal exits 1: \(result.stdout) \(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
                                  "\(result.stdout)")
        let files = try #require(object["files"] as? [[String: Any]])
        #expect(files.count == 2)
        let signed = try #require(files.first { $0["outcome"] as? String == "signed" })
        let output = try #require(signed["output"] as? String)
        #expect(signed["path"] as? String == (unsigned as NSString).appendingPathComponent("can-cuoc-cong-dan.pdf"))
        #expect(signed["sha256"] as? String == String(try Tools.run("sha256sum", [output]).stdout.prefix(64)))
        #expect((signed["signer"] as? String)?.contains("officer") == true)
        #expect((signed["timestamp"] as? String)?.hasSuffix("Z") == true, "UTC in JSON: \(signed)")
        let refused = try #require(files.first { $0["outcome"] as? String == "refused" })
        #expect(refused["code"] as? String == "already-signed" && (refused["reason"] as? String)?.isEmpty == false)
        let totals = try #require(object["totals"] as? [String: Any])
        #expect(totals["documents"] as? Int == 2 && totals["signed"] as? Int == 1 && totals["refused"] as? Int == 1
                && totals["failed"] as? Int == 0)
        #expect(object["error"] is NSNull)

        let dead = try Run.process(sohoa, ["sign", "--p12", cert("officer.p12"), "--password-env", "P", "--tsa",
                                           "http://127.0.0.1:9/", "--json", "--out", scratch.appendingPathComponent("dead").path,
                                           unsigned], environment: password)
        let failed = try #require(try JSONSerialization.jsonObject(with: Data(dead.stdout.utf8)) as? [String: Any], "\(dead.stdout)")
        #expect(dead.status == 1 && (failed["error"] as? [String: Any])?["code"] as? String == "time-stamp-authority-unavailable",
                "\(dead.stdout)")
    }
}
