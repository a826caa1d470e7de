import Foundation
import SohoaCrypto
import SohoaPDF
import SohoaSigning
import SohoaTestSupport
import Testing

/// PAdES signatures made by Sohoa, validated by independent verifiers: poppler's pdfsig,
/// pyHanko, and qpdf for the file structure.
@Suite final class PAdESSigningTests {
    let scratch: URL
    func cert(_ name: String) -> String { Fixtures.certs.appendingPathComponent(name).path }

    init() throws {
        scratch = try Fixtures.makeScratch("pades")
    }

    deinit { Fixtures.removeScratch(scratch) }

    func signer(_ p12: String) throws -> PKCS12Signer {
        PKCS12Signer(identity: try PKCS12.load(path: cert(p12), password: "sohoa-test"))
    }

    /// An unsigned PDF made by Sohoa from a sample scan.
    func unsignedPDF() throws -> [UInt8] {
        let builder = try PDFDocumentBuilder(name: "unsigned.pdf")
        let image = PDFPageImage(width: 8, height: 8, bitsPerComponent: 8, colourSpace: .deviceGray,
                                 filter: .flatePNG(colors: 1),
                                 data: [0x78, 0x9C, 0x63, 0x60, 0x18, 0x05, 0xA3, 0x60, 0x14, 0x0C, 0x77, 0x00, 0x00, 0x00, 0x48, 0x00, 0x01])
        try builder.addPage(image: image, width: 595.28, height: 841.89, placement: .up)
        let path = scratch.appendingPathComponent("unsigned.pdf").path
        try builder.write(to: path, metadata: PDFMetadata(title: "Hồ sơ"), pdfa: true, identifier: Array(repeating: 0x5a, count: 16))
        return try Fixtures.read(path)
    }

    func authority() throws -> TimeStampAuthority {
        try TimeStampAuthority(.init(certificatePath: cert("tsa.pem"), keyPath: cert("tsa.key.pem"),
                                     chainPath: cert("tsa-chain.pem"),
                                     serialFile: scratch.appendingPathComponent("tsa-serial").path))
    }

    @Test func officerThenApproverBothValidInPdfsigAndPyHanko() throws {
        let original = try unsignedPDF()
        let tsa = try authority()
        let stamp: @Sendable ([UInt8]) throws -> [UInt8] = { value in
            try TimeStampTestClient.token(for: value, from: tsa)
        }
        let officer = PAdESSigner(signer: try signer("officer.p12"), role: .officer, timeStamper: stamp)
        let once = try officer.sign(original, name: "unsigned.pdf")
        #expect(Array(once.prefix(original.count)) == original, "the original bytes are kept")
        let approver = PAdESSigner(signer: try signer("approver.p12"), role: .approver, timeStamper: stamp)
        let twice = try approver.sign(once, name: "signed.pdf")
        #expect(Array(twice.prefix(once.count)) == once, "the first signature's bytes are kept")
        let path = try Fixtures.write(twice, named: "approved.pdf", in: scratch)

        #expect(try Tools.run("qpdf", ["--check", path]).status == 0)
        let pdfsig = try Tools.run("pdfsig", [path])
        #expect(pdfsig.stdout.components(separatedBy: "Signature Validation: Signature is Valid.").count == 3,
                "pdfsig: \(pdfsig.stdout)")
        #expect(pdfsig.stdout.contains("ETSI.CAdES.detached"))

        let signatures = try PyHanko.validate(path)
        #expect(signatures.count == 2)
        for signature in signatures {
            #expect(signature.intact && signature.valid && signature.trusted, "pyHanko: \(signature)")
            #expect(signature.timestampValid, "pyHanko trusts the time-stamp of \(signature.field)")
            #expect(signature.subFilter == "/ETSI.CAdES.detached")
        }
        #expect(signatures[0].modificationLevel == "FORM_FILLING", "the approval is an allowed change after the officer")
        #expect(signatures[1].coverage == "ENTIRE_FILE")
    }
}

extension PAdESSigningTests {
    @Test func certifiedThenApprovedKeepsTheCertificationValid() throws {
        let original = try unsignedPDF()
        let officer = PAdESSigner(signer: try signer("officer.p12"), role: .officer, certify: true)
        let certified = try officer.sign(original, name: "unsigned.pdf")
        let approver = PAdESSigner(signer: try signer("approver.p12"), role: .approver)
        let approved = try approver.sign(certified, name: "certified.pdf")
        let path = try Fixtures.write(approved, named: "certified-approved.pdf", in: scratch)
        #expect(try Tools.run("qpdf", ["--check", path]).status == 0)
        let pdfsig = try Tools.run("pdfsig", [path]).stdout
        #expect(pdfsig.components(separatedBy: "Signature Validation: Signature is Valid.").count == 3, "\(pdfsig)")
        let signatures = try PyHanko.validate(path)
        #expect(signatures.count == 2)
        #expect(signatures[0].docmdpLevel == "FILL_FORMS", "P=2: form filling and signing allowed")
        #expect(signatures.allSatisfy { $0.intact && $0.valid && $0.trusted && $0.docmdpOk == true }, "\(signatures)")
    }

    @Test func aFileWithCrossReferenceStreamsGetsAStreamUpdateThatVerifiersAccept() throws {
        let plain = try Fixtures.write(try unsignedPDF(), named: "plain.pdf", in: scratch)
        let streams = scratch.appendingPathComponent("objstm.pdf").path
        #expect(try Tools.run("qpdf", ["--object-streams=generate", plain, streams]).status == 0)
        let officer = PAdESSigner(signer: try signer("officer.p12"))
        let approver = PAdESSigner(signer: try signer("approver.p12"), role: .approver)
        let signed = try approver.sign(try officer.sign(try Fixtures.read(streams), name: "objstm.pdf"), name: "signed.pdf")
        let path = try Fixtures.write(signed, named: "objstm-approved.pdf", in: scratch)
        #expect(String(decoding: signed.suffix(4096), as: UTF8.self).contains("/Type /XRef"),
                "the update continues with a cross-reference stream")
        #expect(try Tools.run("qpdf", ["--check", path]).status == 0)
        let pdfsig = try Tools.run("pdfsig", [path]).stdout
        #expect(pdfsig.components(separatedBy: "Signature Validation: Signature is Valid.").count == 3, "\(pdfsig)")
        let signatures = try PyHanko.validate(path)
        #expect(signatures.count == 2 && signatures.allSatisfy { $0.intact && $0.valid && $0.trusted }, "\(signatures)")
    }

    @Test func onlyTheFirstSignatureCanCertify() throws {
        let signed = try PAdESSigner(signer: try signer("officer.p12")).sign(try unsignedPDF(), name: "u.pdf")
        let again = PAdESSigner(signer: try signer("approver.p12"), role: .approver, certify: true)
        #expect(throws: PDFError.self) { try again.sign(signed, name: "signed.pdf") }
    }
}

/// pyHanko's verdict on each signature (Tests/Fixtures/pyhanko_validate.py).
enum PyHanko {
    struct Signature: Decodable, CustomStringConvertible {
        let field: String
        let intact: Bool
        let valid: Bool
        let trusted: Bool
        let coverage: String?
        let modificationLevel: String?
        let timestampValid: Bool
        let subFilter: String?
        let docmdpOk: Bool?
        let docmdpLevel: String?
        let bottomLine: Bool
        let revocationDetails: String?
        var description: String { "\(field): intact \(intact) valid \(valid) trusted \(trusted) \(coverage ?? "-") \(modificationLevel ?? "-")" }
    }

    /// - Parameter longTerm: validate from the document's DSS alone, revocation required (B-LT).
    static func validate(_ path: String, longTerm: Bool = false) throws -> [Signature] {
        let script = Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/pyhanko_validate.py").path
        let result = try Run.process(Tools.python, [script, path, Fixtures.certs.appendingPathComponent("root-ca.pem").path]
                                     + (longTerm ? ["--ltv"] : []))
        guard result.status == 0 else { throw Tools.Missing(description: "pyHanko failed: \(result.stderr)") }
        return try JSONDecoder().decode([Signature].self, from: Data(result.stdout.utf8))
    }
}

/// Asks an in-process authority for a token, as an HTTP client would.
enum TimeStampTestClient {
    static func token(for value: [UInt8], from authority: TimeStampAuthority) throws -> [UInt8] {
        let folder = try Fixtures.makeScratch("tsq")
        defer { Fixtures.removeScratch(folder) }
        let valuePath = try Fixtures.write(value, named: "value.bin", in: folder)
        _ = try Tools.run("openssl", ["ts", "-query", "-data", valuePath, "-sha256", "-cert", "-out", valuePath + ".tsq"])
        let response = try TimeStampResponse(der: authority.respond(to: try Fixtures.read(valuePath + ".tsq")))
        guard let token = response.tokenDER else { throw SigningError("the authority granted no token") }
        return token
    }
}
