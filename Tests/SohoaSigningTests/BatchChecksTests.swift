import Foundation
import SohoaCrypto
import SohoaSigning
import SohoaTestSupport
import Testing

/// What a batch checks before and while it signs: the signer's revocation, and whether a
/// role's signature fits the signatures a document carries.
@Suite struct BatchChecksTests {
    let base: PAdESSigningTests

    init() throws {
        try CRLServer.ensureRunning()
        base = try PAdESSigningTests()
    }

    /// A signer whose chain is missing: nothing tells who issued its certificate.
    struct Orphan: Signer {
        let certificate: Certificate
        var chain: [Certificate] { [] }
        func sign(_ message: [UInt8]) throws(SigningError) -> [UInt8] { throw SigningError("never used") }
    }

    @Test func revocationIsAskedOfTheServiceTheCertificateNames() throws {
        let check = SignerRevocationCheck()
        #expect(check.status(of: try base.signer("officer.p12")) == .good)
        guard case .revoked(_, _, let reason) = check.status(of: try base.signer("revoked-signer.p12")) else {
            Issue.record("the CRL lists the revoked signer")
            return
        }
        #expect(reason == "key compromise")
        try OCSPResponder.ensureRunning()
        #expect(check.status(of: try base.signer("officer-ocsp.p12")) == .good)
        if case .revoked = check.status(of: try base.signer("revoked-ocsp-signer.p12")) {} else {
            Issue.record("the OCSP responder says the OCSP-only signer is revoked")
        }
        let officer = try #require(try Certificate.load(fileAt: Fixtures.certs.appendingPathComponent("officer.pem").path).first)
        guard case .unknown(_, let why) = check.status(of: Orphan(certificate: officer)) else {
            Issue.record("without the issuer, the status is unknown")
            return
        }
        #expect(why.contains("issuer"))
    }

    @Test func theOfficerSignsFirstAndOnceTheApproverAfterwards() throws {
        #expect(SignatureOrder.problem(signingAs: .officer, existing: 0) == nil)
        #expect(SignatureOrder.problem(signingAs: .officer, existing: 1) == .alreadySigned(count: 1))
        #expect(SignatureOrder.problem(signingAs: .approver, existing: 0) == .approvalOfUnsignedDocument)
        #expect(SignatureOrder.problem(signingAs: .approver, existing: 1) == nil)
        let original = try base.unsignedPDF()
        let path = try Fixtures.write(original, named: "count.pdf", in: base.scratch)
        #expect(try SignatureOrder.signatureCount(ofFileAt: path) == 0)
        let signed = try PAdESSigner(signer: try base.signer("officer.p12")).sign(original, name: "count.pdf")
        let signedPath = try Fixtures.write(signed, named: "count-signed.pdf", in: base.scratch)
        #expect(try SignatureOrder.signatureCount(ofFileAt: signedPath) == 1)
    }
}
