import Foundation
import SohoaTestSupport
import Testing

/// `sohoa sign --level`: B-LTA adds a document time-stamp after the long-term validation data;
/// the result validates in pyHanko (its AdES long-term validation too, also as at a time after
/// the signer's certificate expired), in pdfsig and here, and a document time-stamp that was
/// altered is caught.
@Suite(.serialized) final class SignLevelTests {
    let scratch: URL
    let sohoa = Fixtures.productsDirectory.appendingPathComponent("sohoa").path
    func cert(_ name: String) -> String { Fixtures.certs.appendingPathComponent(name).path }
    let password = ["P": "sohoa-test"]
    /// A month after the test signers' certificates expire (2035-01-01), while the test
    /// time-stamp authority's is still valid (until 2040-01-01).
    let afterTheSignerExpired = "2035-02-01T00:00:00Z"

    init() throws {
        try CRLServer.ensureRunning()
        scratch = try Fixtures.makeScratch("sign-level")
    }

    deinit { Fixtures.removeScratch(scratch) }

    func unsigned() throws -> String {
        let output = scratch.appendingPathComponent("unsigned.pdf").path
        let sample = Fixtures.samples.appendingPathComponent("001085012345/000.00.01.H26-251124-0001/don-de-nghi.tif").path
        #expect(try Run.process(sohoa, ["assemble", "-o", output, sample]).status == 0)
        return output
    }

    func sign(_ input: String, level: String, into folder: String, tsa: String) throws -> String {
        let result = try Run.process(sohoa, ["sign", "--p12", cert("officer.p12"), "--password-env", "P", "--tsa", tsa,
                                             "--level", level, "--out", scratch.appendingPathComponent(folder).path, input],
                                     environment: password)
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
        return scratch.appendingPathComponent(folder).appendingPathComponent((input as NSString).lastPathComponent).path
    }

    func verdict(_ path: String, _ extra: [String] = []) throws -> (status: Int32, report: [String: Any]) {
        let run = try Run.process(sohoa, ["verify", "--trust", cert("root-ca.pem"), "--json"] + extra + [path])
        let report = (try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]) ?? [:]
        return (run.status, report)
    }

    @Test func bLTAValidatesEverywhereAndStillAfterTheSignerCertificateExpired() throws {
        let input = try unsigned()
        let authority = try LocalTSA.start(serialFile: scratch.appendingPathComponent("serial").path)
        defer { authority.stop() }
        let archived = try sign(input, level: "B-LTA", into: "b-lta", tsa: authority.url)
        let timeStamped = try sign(input, level: "B-T", into: "b-t", tsa: authority.url)
        #expect(try Tools.run("qpdf", ["--check", archived]).status == 0)

        // Here: the signature and, after it, a document time-stamp over the whole file.
        let (status, report) = try verdict(archived)
        let file = try #require((report["files"] as? [[String: Any]])?.first)
        let signatures = try #require(file["signatures"] as? [[String: Any]])
        #expect(status == 0 && file["verdict"] as? String == "valid", "\(report)")
        #expect(signatures.count == 2 && signatures.allSatisfy { $0["verdict"] as? String == "valid" }, "\(signatures)")
        #expect(signatures.last?["subFilter"] as? String == "/ETSI.RFC3161", "the last is the document time-stamp: \(signatures)")

        // What the report records, for the rules on verification software: the certificate used,
        // the revocation data used and its time, when the signature is known to have existed.
        let offline = try verdict(archived, ["--offline"])
        let first = try #require(((offline.report["files"] as? [[String: Any]])?.first?["signatures"] as? [[String: Any]])?.first)
        let used = first["certificate"] as? [String: Any]
        #expect((used?["subject"] as? String)?.contains("Nguyễn Văn An") == true && (used?["sha256"] as? String)?.count == 64, "\(first)")
        let revocationData = first["revocationData"] as? [[String: Any]] ?? []
        #expect(!revocationData.isEmpty && revocationData.allSatisfy { $0["kind"] as? String == "crl" && $0["source"] as? String == "document"
            && $0["issued"] is String }, "offline, every status comes from the document's own data: \(revocationData)")
        #expect((first["existedAt"] as? [String: Any])?["provenBy"] as? String == "signature-timestamp", "\(first)")
        let vietnamese = try Run.process(sohoa, ["verify", "--trust", cert("root-ca.pem"), "--offline", "--lang", "vi", archived]).stdout
        #expect(vietnamese.contains("Chứng thư đã dùng: CN=TEST ONLY Nguyễn Văn An") && vietnamese.contains("Dữ liệu thu hồi: CRL phát hành")
                && vietnamese.contains("Đã tồn tại lúc:"), "\(vietnamese)")
        let english = try Run.process(sohoa, ["verify", "--trust", cert("root-ca.pem"), "--offline", "--lang", "en", archived]).stdout
        #expect(english.contains("Certificate used:") && english.contains("Revocation data: CRL issued") && english.contains("Known to exist at:"))

        // pyHanko: both validate from the document alone, revocation required; its AdES
        // long-term validation passes now and as at a month after the signer's certificate expired.
        let validate = Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/pyhanko_validate.py").path
        let pyhanko = try Run.process(Tools.python, [validate, archived, cert("root-ca.pem"), "--ltv"])
        let verdicts = try #require(try JSONSerialization.jsonObject(with: Data(pyhanko.stdout.utf8)) as? [[String: Any]])
        #expect(verdicts.count == 2 && verdicts.allSatisfy { $0["bottomLine"] as? Bool == true }, "\(verdicts) \(pyhanko.stderr)")
        let ades = Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/pyhanko_ades_lta.py").path
        for extra in [[], ["--at", afterTheSignerExpired]] {
            let lta = try Run.process(Tools.python, [ades, archived, cert("root-ca.pem")] + extra)
            #expect(lta.stdout.contains("\"passed\": true"), "pyHanko AdES LTA \(extra): \(lta.stdout) \(lta.stderr.suffix(600))")
        }
        let short = try Run.process(Tools.python, [ades, timeStamped, cert("root-ca.pem"), "--at", afterTheSignerExpired])
        #expect(short.stdout.contains("\"passed\": false"), "B-T alone does not pass pyHanko's LTA validation: \(short.stdout)")

        // pdfsig: the signature is valid (poppler does not check document time-stamps).
        let pdfsig = try Tools.run("pdfsig", [archived]).stdout
        #expect(pdfsig.components(separatedBy: "Signature Validation: Signature is Valid.").count == 2, "\(pdfsig)")

        // A month after the signer's certificate expired, offline (nothing can be fetched): the
        // B-LTA document is valid; the same signature as B-T only is not.
        let later = ["--offline", "--at", afterTheSignerExpired]
        let archivedVerdict = try verdict(archived, later)
        #expect(archivedVerdict.status == 0, "B-LTA, later and offline, is valid: \(archivedVerdict.report)")
        let shortVerdict = try verdict(timeStamped, later)
        #expect(shortVerdict.status == 2, "B-T only, later and offline, is indeterminate: \(shortVerdict.report)")
    }

    @Test func anAlteredDocumentTimeStampIsInvalid() throws {
        let input = try unsigned()
        let authority = try LocalTSA.start(serialFile: scratch.appendingPathComponent("serial").path)
        defer { authority.stop() }
        let archived = try sign(input, level: "B-LTA", into: "b-lta", tsa: authority.url)
        var bytes = try Fixtures.read(archived)
        // The token's message imprint: the SHA-256 of what the document time-stamp covers, as
        // the hexadecimal digits of /Contents spell it. One digit of it changed.
        let text = String(decoding: bytes, as: UTF8.self)
        let range = try #require(text.ranges(of: "/ByteRange [").last)
        let numbers = text[range.upperBound...].prefix(60).split(separator: "]").first!.split(separator: " ").compactMap { Int($0) }
        #expect(numbers.count == 4)
        let covered = Array(bytes[numbers[0]..<(numbers[0] + numbers[1])]) + Array(bytes[numbers[2]..<(numbers[2] + numbers[3])])
        let coveredPath = try Fixtures.write(covered, named: "covered.bin", in: scratch)
        let imprint = String(try Tools.run("sha256sum", [coveredPath]).stdout.prefix(64)).uppercased()
        let spelled = try #require(bytes.firstRange(of: Array(imprint.utf8)), "the imprint is in the token")
        bytes[spelled.lowerBound] = bytes[spelled.lowerBound] == UInt8(ascii: "0") ? UInt8(ascii: "1") : UInt8(ascii: "0")
        let altered = try Fixtures.write(bytes, named: "altered.pdf", in: scratch)
        let (status, report) = try verdict(altered)
        let signatures = (report["files"] as? [[String: Any]])?.first?["signatures"] as? [[String: Any]] ?? []
        #expect(status == 1 && signatures.last?["verdict"] as? String == "invalid", "\(report)")
    }

    @Test(arguments: [
        (["--level", "B-B", "--tsa", "http://127.0.0.1:9/"], "drop --tsa"),
        (["--level", "B-LTA"], "needs --tsa"),
        (["--level", "B-T", "--ltv", "--tsa", "http://127.0.0.1:9/"], "does not go with --level B-T"),
        (["--level", "B-X"], "B-X"),
    ])
    func levelsThatCannotBeAreUsageErrors(arguments: [String], words: String) throws {
        let run = try Run.process(sohoa, ["sign", "--p12", cert("officer.p12"), "--password-env", "P", "--out", "o"] + arguments + ["a.pdf"],
                                  environment: password)
        #expect(run.status == 3 && run.stderr.contains(words), "\(arguments): \(run.status) \(run.stderr)")
    }
}
