import Foundation
import SohoaTestSupport
import Testing

/// What `sohoa sign` checks before the first signature of a batch: the signer's revocation
/// (a revoked key never signs; an unknown status only with --allow-unknown-revocation) and the
/// time-stamp authority (a dead one is one failure, not one per document).
@Suite(.serialized) final class SignPreflightTests {
    let scratch: URL
    let sohoa = Fixtures.productsDirectory.appendingPathComponent("sohoa").path
    func cert(_ name: String) -> String { Fixtures.certs.appendingPathComponent(name).path }
    let password = ["P": "sohoa-test"]

    init() throws {
        try CRLServer.ensureRunning()
        scratch = try Fixtures.makeScratch("sign-preflight")
    }

    deinit { Fixtures.removeScratch(scratch) }

    /// `count` unsigned PDFs assembled from one sample.
    func unsignedFolder(count: Int = 2) throws -> String {
        let folder = scratch.appendingPathComponent("unsigned").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let sample = Fixtures.samples.appendingPathComponent("001085012345/000.00.01.H26-251124-0001/can-cuoc-cong-dan.jpg").path
        let first = (folder as NSString).appendingPathComponent("doc-1.pdf")
        #expect(try Run.process(sohoa, ["assemble", "-o", first, sample]).status == 0)
        for index in stride(from: 2, through: count, by: 1) {
            try FileManager.default.copyItem(atPath: first, toPath: (folder as NSString).appendingPathComponent("doc-\(index).pdf"))
        }
        return folder
    }

    /// What is in `folder` besides the batch's lock: no signed copy, nothing half-written.
    func written(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0 != ".sohoa-sign.lock" }
    }

    /// A PKCS#12 signer issued by the test CA whose CRL distribution point nobody answers
    /// (port 9), as on a machine cut off from its CA.
    func offlineSigner() throws -> String {
        let folder = scratch.appendingPathComponent("offline-signer").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        func path(_ name: String) -> String { (folder as NSString).appendingPathComponent(name) }
        try "keyUsage=critical,digitalSignature,nonRepudiation\nbasicConstraints=critical,CA:FALSE\n"
            .appending("crlDistributionPoints=URI:http://127.0.0.1:9/issuing-ca.crl\n")
            .write(toFile: path("ext.cnf"), atomically: true, encoding: .utf8)
        let serial = "0x" + (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 1...255)) }.joined()
        let steps: [[String]] = [
            ["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", path("key.pem"), "-out", path("req.csr"),
             "-subj", "/C=VN/O=TEST ONLY Sohoa/CN=TEST ONLY offline signer"],
            ["x509", "-req", "-in", path("req.csr"), "-CA", cert("issuing-ca.pem"), "-CAkey", cert("issuing-ca.key.pem"),
             "-set_serial", serial, "-days", "30", "-sha256", "-extfile", path("ext.cnf"), "-out", path("cert.pem")],
            ["pkcs12", "-export", "-inkey", path("key.pem"), "-in", path("cert.pem"), "-certfile", cert("chain.pem"),
             "-passout", "pass:sohoa-test", "-out", path("signer.p12")],
        ]
        for step in steps {
            let result = try Tools.run("openssl", step)
            #expect(result.status == 0, "openssl \(step[0]): \(result.stderr)")
        }
        return path("signer.p12")
    }

    @Test(arguments: ["revoked-signer.p12", "revoked-ocsp-signer.p12"])
    func aRevokedSignerSignsNothingEvenWithoutLTV(p12: String) throws {
        if p12.contains("ocsp") { try OCSPResponder.ensureRunning() }
        let unsigned = try unsignedFolder()
        let out = scratch.appendingPathComponent("revoked").path
        for extra in [[], ["--allow-unknown-revocation"]] {
            let result = try Run.process(sohoa, ["sign", "--p12", cert(p12), "--password-env", "P", "--out", out, unsigned] + extra,
                                         environment: password)
            #expect(result.status == 1, "\(result.stdout) \(result.stderr)")
            #expect(result.stderr.contains("was revoked on") && result.stderr.contains("key compromise")
                    && result.stderr.contains("Nothing was signed"), "\(result.stderr)")
            #expect(written(out).isEmpty, "no signed copy and no half-written file: \(written(out))")
        }
    }

    @Test func anUnknownRevocationStatusIsRefusedUnlessOfflineUseIsAllowed() throws {
        let unsigned = try unsignedFolder()
        let signer = try offlineSigner()
        let out = scratch.appendingPathComponent("offline").path
        let arguments = ["sign", "--p12", signer, "--password-env", "P", "--out", out, unsigned]
        let refused = try Run.process(sohoa, arguments, environment: password)
        #expect(refused.status == 1, "\(refused.stdout) \(refused.stderr)")
        #expect(refused.stderr.contains("cannot be checked") && refused.stderr.contains("127.0.0.1:9")
                && refused.stderr.contains("--allow-unknown-revocation") && refused.stderr.contains("Nothing was signed"),
                "\(refused.stderr)")
        #expect(written(out).isEmpty, "\(written(out))")

        let allowed = try Run.process(sohoa, arguments + ["--allow-unknown-revocation"], environment: password)
        #expect(allowed.status == 0, "\(allowed.stdout) \(allowed.stderr)")
        #expect(allowed.stderr.contains("warning:") && allowed.stderr.contains("cannot be checked"), "\(allowed.stderr)")
        #expect(allowed.stdout.contains("2 of 2 signed"), "\(allowed.stdout)")
        #expect(try Tools.run("pdfsig", [(out as NSString).appendingPathComponent("doc-1.pdf")]).stdout
                    .contains("Signature Validation: Signature is Valid."))
    }

    @Test func aGoodSignerSigns() throws {
        let unsigned = try unsignedFolder()
        let out = scratch.appendingPathComponent("good").path
        let result = try Run.process(sohoa, ["sign", "--p12", cert("officer.p12"), "--password-env", "P", "--out", out, unsigned],
                                     environment: password)
        #expect(result.status == 0 && result.stdout.contains("2 of 2 signed") && result.stderr.isEmpty,
                "\(result.stdout) \(result.stderr)")
    }

    /// The closing line is for the officer: in the operator's language.
    @Test func theSummaryIsInTheOfficersLanguage() throws {
        let unsigned = try unsignedFolder()
        let out = scratch.appendingPathComponent("vi").path
        var environment = password
        environment["SOHOA_LANG"] = "vi"
        let result = try Run.process(sohoa, ["sign", "--p12", cert("officer.p12"), "--password-env", "P", "--out", out, unsigned],
                                     environment: environment)
        #expect(result.status == 0 && result.stdout.contains("đã ký 2/2 tài liệu, 0 bỏ qua"), "\(result.stdout) \(result.stderr)")
        #expect(!result.stdout.contains("2 of 2 signed"), "\(result.stdout)")
    }

    @Test func aDeadTimeStampAuthorityStopsTheBatchWithOneMessage() throws {
        let unsigned = try unsignedFolder(count: 3)
        let out = scratch.appendingPathComponent("no-tsa").path
        let result = try Run.process(sohoa, ["sign", "--p12", cert("officer.p12"), "--password-env", "P",
                                             "--tsa", "http://127.0.0.1:9/", "--out", out, unsigned], environment: password)
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "one failure for the batch, not one per document: \(result.stderr)")
        #expect(result.stderr.contains("http://127.0.0.1:9/") && result.stderr.contains("cannot be reached")
                && result.stderr.contains("Nothing was signed"), "\(result.stderr)")
        #expect(!result.stdout.contains("signed"), "\(result.stdout)")
        #expect(written(out).isEmpty, "no signed copy and no half-written file: \(written(out))")
    }
}
