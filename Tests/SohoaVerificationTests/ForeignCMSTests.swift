import Foundation
import SohoaCrypto
import SohoaPDF
import SohoaSigning
import SohoaTestSupport
import SohoaVerification
import Testing

/// Signature containers as other producers write them (BER, plain-format ECDSA, no signed
/// attributes, several signer infos) verify; their tampered twins do not; an algorithm Sohoa
/// cannot check is indeterminate, never forged.
@Suite struct ForeignCMSTests {
    let genuine: GenuineSignatureTests

    init() throws {
        genuine = try GenuineSignatureTests()
    }

    /// Each variant `Tests/Fixtures/cms_variants.py` makes of a document signed with `p12`.
    func variants(_ p12: String, key: String) throws -> [String: [UInt8]] {
        let signed = try PAdESSigner(signer: try genuine.signer(p12)).sign(try genuine.unsignedPDF(), name: "u.pdf")
        let input = try Fixtures.write(signed, named: "variants-input-\(p12).pdf", in: genuine.scratch)
        let folder = genuine.scratch.appendingPathComponent("variants-\(p12)")
        let script = Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/cms_variants.py").path
        let made = try Run.process(Tools.python, [script, input, Fixtures.certs.appendingPathComponent(key).path, folder.path])
        #expect(made.status == 0, "\(made.stderr.suffix(1500))")
        var files: [String: [UInt8]] = [:]
        for name in made.stdout.split(separator: "\n").map(String.init) {
            files[name] = try Fixtures.read(folder.appendingPathComponent("\(name).pdf").path)
        }
        return files
    }

    /// What each variant must come out as, and the reason code that says why.
    static let expected: [String: (Verdict, String?)] = [
        "ber": (.valid, nil),
        "ber-attributes-unsorted": (.valid, nil),
        "econtent-type": (.invalid, "content-type-wrong"),
        "ecdsa-plain": (.valid, nil),
        "unknown-algorithm": (.indeterminate, "unsupported-algorithm"),
        "no-attributes": (.valid, nil),
        "no-attributes-changed": (.invalid, "signature-value-wrong"),
        "no-attributes-pades": (.invalid, "signed-attributes-missing"),
        "two-signers": (.valid, "several-signer-infos"),
        "two-signers-broken": (.invalid, "signature-value-wrong"),
    ]

    @Test(arguments: [("officer.p12", "officer.key.pem"), ("officer-ecdsa.p12", "officer-ecdsa.key.pem")])
    func eachVariantGetsItsVerdict(p12: String, key: String) throws {
        let files = try variants(p12, key: key)
        #expect(files.count == (p12.contains("ecdsa") ? 10 : 9))
        for (name, bytes) in files {
            let (verdict, code) = try #require(Self.expected[name], "\(name) has an expectation")
            let report = try genuine.verify(bytes)
            let signature = try #require(report.signatures.first)
            #expect(report.verdict == verdict, "\(p12) \(name): \(signature.reasons)")
            if let code { #expect(signature.reasonCodes.contains(code), "\(p12) \(name): \(signature.reasonCodes)") }
            if verdict != .invalid {
                #expect(!signature.reasonCodes.contains("signature-value-wrong"), "never called forged: \(name)")
            }
        }
    }

    /// What is hashed for the signed attributes is their DER SET OF: re-encoded by Sohoa, it
    /// verifies with the signer's key exactly as OpenSSL's own check does.
    @Test(arguments: ["officer.p12", "officer-ecdsa.p12"])
    func theSignedAttributesAreCheckedAsTheirDEREncoding(p12: String) throws {
        let signed = try PAdESSigner(signer: try genuine.signer(p12)).sign(try genuine.unsignedPDF(), name: "u.pdf")
        let text = String(decoding: signed, as: UTF8.self)
        let hex = try #require(text.firstMatch(of: #/\/Contents <([0-9A-Fa-f]+)>/#)).output.1
        var der: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            der.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        let cms = try CMSSignatureInspection(contents: der)
        let attributes = try #require(cms.signedAttributesDER)
        #expect(attributes.first == 0x31, "a SET")
        let digest = try MessageDigest.digest(attributes, .sha256)
        let certificate = try #require(cms.signerCertificate)
        #expect(SignatureValue.verify(cms.signatureValue, encoding: cms.signatureEncoding, digest: digest, algorithm: .sha256,
                                      certificate: certificate) == .verifies)
        var other = digest
        other[0] ^= 1
        #expect(SignatureValue.verify(cms.signatureValue, encoding: cms.signatureEncoding, digest: other, algorithm: .sha256,
                                      certificate: certificate) == .wrong)
    }
}
