import Foundation
import SohoaCrypto
import SohoaPDF
import SohoaSigning
import SohoaTestSupport
import SohoaVerification
import Testing

/// Signatures Sohoa makes, of every kind, verified by Sohoa: genuine ones are valid; signers
/// that must not be accepted (expired, revoked, untrusted, wrong usage, weak) are not.
@Suite final class GenuineSignatureTests {
    let scratch: URL
    let anchors: TrustAnchors

    init() throws {
        try CRLServer.ensureRunning()
        try OCSPResponder.ensureRunning()
        scratch = try Fixtures.makeScratch("verify")
        anchors = try TrustAnchors(loading: [Fixtures.certs.appendingPathComponent("root-ca.pem").path])
    }

    deinit { Fixtures.removeScratch(scratch) }

    func signer(_ p12: String) throws -> PKCS12Signer {
        PKCS12Signer(identity: try PKCS12.load(path: Fixtures.certs.appendingPathComponent(p12).path, password: "sohoa-test"))
    }

    func unsignedPDF() throws -> [UInt8] {
        try Self.unsignedPDF(in: scratch)
    }

    /// A one-page PDF/A document made by Sohoa, written into `scratch` on its way.
    static func unsignedPDF(in scratch: URL) throws -> [UInt8] {
        let builder = try PDFDocumentBuilder(name: "unsigned.pdf")
        let image = PDFPageImage(width: 8, height: 8, bitsPerComponent: 8, colourSpace: .deviceGray, filter: .flatePNG(colors: 1),
                                 data: [0x78, 0x9C, 0x63, 0x60, 0x18, 0x05, 0xA3, 0x60, 0x14, 0x0C, 0x77, 0x00, 0x00, 0x00, 0x48, 0x00, 0x01])
        try builder.addPage(image: image, width: 595.28, height: 841.89, placement: .up)
        let path = scratch.appendingPathComponent("unsigned-\(UUID().uuidString.prefix(6)).pdf").path
        try builder.write(to: path, metadata: PDFMetadata(title: "Hồ sơ"), pdfa: true, identifier: Array(repeating: 0x5a, count: 16))
        return try Fixtures.read(path)
    }

    func stamp() throws -> @Sendable ([UInt8]) throws -> [UInt8] {
        let certs = Fixtures.certs
        let authority = try TimeStampAuthority(.init(certificatePath: certs.appendingPathComponent("tsa.pem").path,
                                                     keyPath: certs.appendingPathComponent("tsa.key.pem").path,
                                                     chainPath: certs.appendingPathComponent("tsa-chain.pem").path,
                                                     serialFile: scratch.appendingPathComponent("serial").path))
        return { value in
            let request = try TimeStampRequest(message: value)
            return try request.acceptToken(from: authority.respond(to: request.der))
        }
    }

    func verify(_ bytes: [UInt8], offline: Bool = false, anchors: TrustAnchors? = nil) throws -> FileReport {
        let path = try Fixtures.write(bytes, named: "\(UUID().uuidString.prefix(8)).pdf", in: scratch)
        let policy = VerificationPolicy(anchors: anchors ?? self.anchors, fetcher: offline ? nil : RevocationFetcher(timeout: 5))
        return try DocumentVerifier(policy: policy, language: .en).verify(path: path)
    }

    @Test func basicAndTimeStampedSignaturesAreValid() throws {
        let basic = try verify(try PAdESSigner(signer: try signer("officer.p12")).sign(try unsignedPDF(), name: "u.pdf"))
        #expect(basic.verdict == .valid, "\(basic.signatures.map(\.reasons))")
        let signature = try #require(basic.signatures.first)
        #expect(signature.coversWholeDocument && signature.integrity == "intact" && signature.chain == "trusted"
                && signature.revocation == "good" && signature.timestamp == nil)
        #expect(signature.signer?.contains("Nguyễn Văn An") == true)

        let stamped = try verify(try PAdESSigner(signer: try signer("officer-ecdsa.p12"), timeStamper: try stamp())
            .sign(try unsignedPDF(), name: "u.pdf"))
        #expect(stamped.verdict == .valid, "\(stamped.signatures.map(\.reasons))")
        #expect(stamped.signatures.first?.timestamp != nil, "a trusted time-stamp gives the proven time")
    }

    @Test func longTermSignaturesNeedNothingFromOutside() throws {
        let stamp = try stamp()
        let pdf = try unsignedPDF()
        let longTerm = try PAdESSigner(signer: try signer("officer.p12"), timeStamper: stamp,
                                       validationData: ValidationDataCollector()).sign(pdf, name: "u.pdf")
        let offline = try verify(longTerm, offline: true)
        #expect(offline.verdict == .valid, "the DSS's CRLs suffice: \(offline.signatures.map(\.reasons))")
        let timeStampedOnly = try verify(try PAdESSigner(signer: try signer("officer.p12"), timeStamper: stamp).sign(pdf, name: "u.pdf"),
                                         offline: true)
        #expect(timeStampedOnly.verdict == .indeterminate)
        #expect(timeStampedOnly.signatures.first?.revocation == "unknown", "offline, without a DSS, revocation is unknown")
    }

    @Test func aCertificateWithOnlyAnOCSPResponderIsCheckedThere() throws {
        let stamp = try stamp()
        let pdf = try unsignedPDF()
        let online = try verify(try PAdESSigner(signer: try signer("officer-ocsp.p12")).sign(pdf, name: "u.pdf"))
        #expect(online.verdict == .valid && online.signatures.first?.revocation == "good", "\(online.signatures.map(\.reasons))")
        let longTerm = try PAdESSigner(signer: try signer("officer-ocsp.p12"), timeStamper: stamp,
                                       validationData: ValidationDataCollector()).sign(pdf, name: "u.pdf")
        let offline = try verify(longTerm, offline: true)
        #expect(offline.verdict == .valid, "the OCSP answer in the DSS suffices: \(offline.signatures.map(\.reasons))")
    }

    @Test func approvalAfterSigningAndAfterCertificationKeepsEverySignatureValid() throws {
        let stamp = try stamp()
        let officer = PAdESSigner(signer: try signer("officer.p12"), timeStamper: stamp)
        let approver = PAdESSigner(signer: try signer("approver.p12"), role: .approver, timeStamper: stamp)
        let approved = try verify(try approver.sign(try officer.sign(try unsignedPDF(), name: "u.pdf"), name: "s.pdf"))
        #expect(approved.verdict == .valid && approved.signatures.count == 2, "\(approved.signatures.map(\.reasons))")
        let first = try #require(approved.signatures.first)
        #expect(!first.coversWholeDocument && !first.modificationsAfter.isEmpty && first.modificationsAfter.allSatisfy(\.allowed))
        #expect(approved.signatures[1].coversWholeDocument)

        let certifier = PAdESSigner(signer: try signer("officer.p12"), certify: true)
        let certified = try verify(try approver.sign(try certifier.sign(try unsignedPDF(), name: "u.pdf"), name: "c.pdf"))
        #expect(certified.verdict == .valid, "\(certified.signatures.map(\.reasons))")
        #expect(certified.signatures.first?.certification == 2)
    }

    @Test(arguments: [
        ("expired-signer.p12", Verdict.indeterminate, "certificate-expired"),
        ("revoked-signer.p12", Verdict.invalid, "revoked"),
        ("revoked-ocsp-signer.p12", Verdict.invalid, "revoked"),
        ("rogue-signer.p12", Verdict.indeterminate, "untrusted-root"),
        ("no-signing-usage.p12", Verdict.indeterminate, "wrong-key-usage"),
        ("weak-signer.p12", Verdict.indeterminate, "weak-key"),
    ])
    func signersThatMustNotBeAcceptedAreNot(p12: String, verdict: Verdict, code: String) throws {
        let report = try verify(try PAdESSigner(signer: try signer(p12)).sign(try unsignedPDF(), name: "u.pdf"))
        #expect(report.verdict == verdict)
        #expect(report.signatures.first?.reasonCodes.contains(code) == true, "\(report.signatures.map(\.reasonCodes))")
        #expect(report.signatures.first?.integrity == "intact", "the signature itself is intact; the signer is the problem")
    }

    @Test func withoutTrustAnchorsNothingIsValidAndAnUnsignedFileIsUnsigned() throws {
        let signed = try PAdESSigner(signer: try signer("officer.p12")).sign(try unsignedPDF(), name: "u.pdf")
        let untrusted = try verify(signed, anchors: TrustAnchors([]))
        #expect(untrusted.verdict == .indeterminate && untrusted.signatures.first?.chain == "untrusted")
        #expect(try verify(try unsignedPDF()).verdict == .unsigned)
    }

    @Test func flippingAByteOfTheSignedPartOrOfTheSignatureValueIsCaught() throws {
        let signed = try PAdESSigner(signer: try signer("officer.p12")).sign(try unsignedPDF(), name: "u.pdf")
        let contents = try #require(signed.firstRange(of: Array("/Contents <".utf8))).upperBound
        let hex = String(decoding: signed[contents...].prefix { $0 != UInt8(ascii: ">") }, as: UTF8.self)
        let der = stride(from: 0, to: hex.count - 1, by: 2).map { UInt8(hex.dropFirst($0).prefix(2), radix: 16) ?? 0 }
        let value = try CMSSignatureInspection(contents: der).signatureValue
        let inValue = try #require(der.firstRange(of: value)).lowerBound + value.count / 2
        for offset in [200, contents - 100, contents + 2 * inValue, signed.count - 40] {
            var damaged = signed
            damaged[offset] = damaged[offset] == UInt8(ascii: "0") ? UInt8(ascii: "1") : (offset > contents && offset < contents + hex.count
                ? UInt8(ascii: "0") : damaged[offset] ^ 0x01)
            let report = try verify(damaged)
            #expect(report.verdict == .invalid, "a changed byte at \(offset) is caught: \(report.signatures.map(\.reasonCodes)) \(report.problems)")
        }
    }

    @Test func theVietnameseReportSpeaksVietnamese() throws {
        let signed = try PAdESSigner(signer: try signer("revoked-signer.p12")).sign(try unsignedPDF(), name: "u.pdf")
        let path = try Fixtures.write(signed, named: "revoked.pdf", in: scratch)
        let report = try DocumentVerifier(policy: VerificationPolicy(anchors: anchors), language: .vi).verify(path: path)
        let text = TextReport.render(report, .vi)
        #expect(text.contains("KHÔNG HỢP LỆ") && text.contains("đã bị thu hồi ngày") && text.contains("Người ký"), "\(text)")
    }
}
