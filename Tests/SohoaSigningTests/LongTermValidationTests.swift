import Foundation
import SohoaCrypto
import SohoaPDF
import SohoaSigning
import SohoaTestSupport
import Testing

/// PAdES B-LT: the certificates and CRLs of the signer's and the TSA's chains in the DSS, so
/// that pyHanko validates the signatures from the document alone, revocation required.
@Suite struct LongTermValidationTests {
    let base: PAdESSigningTests

    init() throws {
        try CRLServer.ensureRunning()
        base = try PAdESSigningTests()
    }

    func longTermSigner(_ p12: String, role: SigningRole = .officer, stamp: @escaping @Sendable ([UInt8]) throws -> [UInt8])
        throws -> PAdESSigner {
        PAdESSigner(signer: try base.signer(p12), role: role, timeStamper: stamp, validationData: ValidationDataCollector())
    }

    @Test(arguments: ["officer.p12", "officer-ecdsa.p12"])
    func officerThenApproverValidateFromTheDocumentAlone(p12: String) throws {
        let tsa = try base.authority()
        let stamp: @Sendable ([UInt8]) throws -> [UInt8] = { try TimeStampTestClient.token(for: $0, from: tsa) }
        let original = try base.unsignedPDF()
        let once = try longTermSigner(p12, stamp: stamp).sign(original, name: "unsigned.pdf")
        let twice = try longTermSigner("approver.p12", role: .approver, stamp: stamp).sign(once, name: "signed.pdf")
        #expect(Array(twice.prefix(once.count)) == once, "the first signature and its DSS are kept")
        let path = try Fixtures.write(twice, named: "b-lt.pdf", in: base.scratch)

        #expect(try Tools.run("qpdf", ["--check", path]).status == 0)
        let pdfsig = try Tools.run("pdfsig", [path]).stdout
        #expect(pdfsig.components(separatedBy: "Signature Validation: Signature is Valid.").count == 3, "\(pdfsig)")
        let signatures = try PyHanko.validate(path, longTerm: true)
        #expect(signatures.count == 2)
        for signature in signatures {
            #expect(signature.bottomLine && signature.intact && signature.trusted, "pyHanko, DSS only: \(signature)")
            #expect(signature.timestampValid, "the time-stamp validates from the DSS too: \(signature)")
        }
        let store = try DSSContents(path)
        #expect(store.crls == 2, "the issuing CA's and the root's CRLs, each once")
        #expect(store.certificates == 5, "officer, approver, issuing CA, root, TSA: each once (\(store))")
    }

    @Test func aTimeStampedSignatureWithoutTheDSSDoesNotPassTheLongTermCheck() throws {
        let tsa = try base.authority()
        let stamp: @Sendable ([UInt8]) throws -> [UInt8] = { try TimeStampTestClient.token(for: $0, from: tsa) }
        let signed = try PAdESSigner(signer: try base.signer("officer.p12"), timeStamper: stamp)
            .sign(try base.unsignedPDF(), name: "unsigned.pdf")
        let path = try Fixtures.write(signed, named: "b-t.pdf", in: base.scratch)
        let signatures = try PyHanko.validate(path, longTerm: true)
        #expect(signatures.count == 1 && !signatures[0].bottomLine,
                "without CRLs in the document, hard-fail revocation fails: the check above has teeth")
    }

    @Test func aRevokedSignerIsRefused() throws {
        let collector = ValidationDataCollector()
        let revoked = try base.signer("revoked-signer.p12")
        #expect {
            try collector.material(signer: revoked, timeStampToken: nil)
        } throws: { error in
            "\(error)".contains("was revoked on") && "\(error)".contains("key compromise")
        }
    }

    @Test func addingTheSameMaterialTwiceChangesNothing() throws {
        let signed = try PAdESSigner(signer: try base.signer("officer.p12")).sign(try base.unsignedPDF(), name: "u.pdf")
        let certificate = try Certificate.load(fileAt: base.cert("officer.pem"))[0].derBytes
        let crl = Array(try Data(contentsOf: Fixtures.certs.appendingPathComponent("issuing-ca.crl.der")))
        let material = ValidationMaterial(certificates: [certificate], crls: [crl])
        let first = try ValidationDataUpdate.make(.bytes(signed, name: "s.pdf"), adding: material)
        #expect(!first.isEmpty)
        let again = try ValidationDataUpdate.make(.bytes(signed + first, name: "s.pdf"), adding: material)
        #expect(again.isEmpty, "everything is already in the store")
        let root = Array(try Data(contentsOf: Fixtures.certs.appendingPathComponent("root-ca.crl.der")))
        let more = try ValidationDataUpdate.make(.bytes(signed + first, name: "s.pdf"),
                                                 adding: ValidationMaterial(crls: [crl, root]))
        let path = try Fixtures.write(signed + first + more, named: "dss.pdf", in: base.scratch)
        #expect(try Tools.run("qpdf", ["--check", path]).status == 0)
        let store = try DSSContents(path)
        #expect(store.certificates == 1 && store.crls == 2, "\(store)")
        #expect(try PyHanko.validate(path).first?.intact == true, "the signature stays intact after DSS updates")
    }
}

/// How many certificates and CRLs a document's DSS lists (read with qpdf's JSON).
struct DSSContents: CustomStringConvertible {
    let certificates: Int
    let crls: Int

    init(_ path: String) throws {
        let result = try Tools.run("qpdf", ["--json", "--json-key=qpdf", path])
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let objects = (json?["qpdf"] as? [Any])?.last as? [String: Any] ?? [:]
        func value(_ reference: Any?) -> Any? {
            guard let text = reference as? String, text.hasSuffix(" R") else { return reference }
            let entry = objects["obj:" + text] as? [String: Any]
            return entry?["value"] ?? entry?["stream"].flatMap { ($0 as? [String: Any])?["dict"] }
        }
        let trailer = (objects["trailer"] as? [String: Any])?["value"] as? [String: Any]
        let catalog = value(trailer?["/Root"]) as? [String: Any]
        let store = value(catalog?["/DSS"]) as? [String: Any]
        certificates = (value(store?["/Certs"]) as? [Any])?.count ?? 0
        crls = (value(store?["/CRLs"]) as? [Any])?.count ?? 0
    }

    var description: String { "\(certificates) certificates, \(crls) CRLs" }
}

/// B-LT for certificates that name only an OCSP responder: the responder's answer goes into
/// the DSS, with the responder's certificate.
@Suite struct OCSPLongTermValidationTests {
    let base: PAdESSigningTests

    init() throws {
        try CRLServer.ensureRunning()
        try OCSPResponder.ensureRunning()
        base = try PAdESSigningTests()
    }

    @Test func anOCSPOnlySignerValidatesFromTheDocumentAlone() throws {
        let tsa = try base.authority()
        let stamp: @Sendable ([UInt8]) throws -> [UInt8] = { try TimeStampTestClient.token(for: $0, from: tsa) }
        let signed = try PAdESSigner(signer: try base.signer("officer-ocsp.p12"), timeStamper: stamp,
                                     validationData: ValidationDataCollector()).sign(try base.unsignedPDF(), name: "u.pdf")
        let path = try Fixtures.write(signed, named: "b-lt-ocsp.pdf", in: base.scratch)
        let signatures = try PyHanko.validate(path, longTerm: true)
        #expect(signatures.count == 1 && signatures[0].bottomLine, "pyHanko, DSS only, hard-fail: \(signatures)")
        #expect(try Tools.run("qpdf", ["--check", path]).status == 0)
    }

    @Test func aCertificateTheResponderSaysIsRevokedIsRefused() throws {
        #expect {
            try ValidationDataCollector().material(signer: try base.signer("revoked-ocsp-signer.p12"), timeStampToken: nil)
        } throws: { error in
            "\(error)".contains("was revoked on") && "\(error)".contains("key compromise")
        }
    }
}
