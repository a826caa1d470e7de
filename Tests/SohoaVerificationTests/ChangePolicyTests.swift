import Foundation
import SohoaCrypto
import SohoaPDF
import SohoaSigning
import SohoaTestSupport
import SohoaVerification
import Testing

/// The change policy's rules, each on its own: what it permits at each certification level, and
/// files with the change each rule allows next to a sneaky twin that must stay invalid.
@Suite struct ChangePolicyTests {
    let genuine: GenuineSignatureTests

    init() throws {
        genuine = try GenuineSignatureTests()
    }

    @Test func eachRulePermitsWhatItsNameSays() throws {
        let policy = ChangePolicy.standard
        let signature = try #require(try signedDictionary())
        func allowed(_ kind: ChangeKind, _ certification: Int?, field: String? = nil) -> String? {
            let change = ObjectChange(objectID: 9, action: .added, kind: kind, role: "object", page: nil, field: field)
            return policy.rule(allowing: change, certification: certification, signature: signature)?.name
        }
        for level in [nil, 1, 2, 3] as [Int?] {
            #expect(allowed(.validationData, level) == "long-term-validation")
            #expect(allowed(.documentTimeStampAdded, level) == "long-term-validation")
            #expect(allowed(.fileStructure, level) == "file-structure")
            #expect(allowed(.metadata, level) == "bookkeeping")
            #expect(allowed(.signatureFieldAdded, level) == "signature-field")
            #expect(allowed(.content, level) == nil, "content is never allowed")
            #expect(allowed(.signatureAdded, level) == (level == 1 ? nil : "signing"))
            #expect(allowed(.formFilled, level) == (level == 1 ? nil : "form-filling"))
            #expect(allowed(.formResources, level) == (level == 1 ? nil : "form-defaults"))
            #expect(allowed(.signatureAppearance, level) == (level == 1 ? nil : "visible-signature"),
                    "a new visible signature (drawn on blank paper) unless nothing may change")
            #expect(allowed(.appearanceCoversSignedContent, level) == nil, "an appearance over signed content never")
            #expect(allowed(.appearanceReusesSignedObjects, level) == nil, "an appearance drawing signed objects never")
            #expect(allowed(.annotationAdded, level) == (level == 3 ? "annotations" : nil))
        }
        let locked = SignatureDictionary(
            fieldName: "Signature1", objectID: 1, type: "/Sig", filter: nil, subFilter: nil, byteRange: nil,
            byteRangeProblem: nil, contents: nil, claimedTime: nil, reason: nil, location: nil, name: nil,
            certificationLevel: nil, locks: [FieldLock(action: .include, fields: ["amount"])])
        let filling = ObjectChange(objectID: 9, action: .changed, kind: .formFilled, role: "form field", page: nil, field: "amount")
        #expect(policy.rule(allowing: filling, certification: nil, signature: locked) == nil, "a locked field stays locked")
        let other = ObjectChange(objectID: 9, action: .changed, kind: .formFilled, role: "form field", page: nil, field: "name")
        #expect(policy.rule(allowing: other, certification: nil, signature: locked)?.name == "form-filling")
    }

    /// Sohoa's signature dictionary, as the verifier reads it.
    func signedDictionary() throws -> SignatureDictionary? {
        let signed = try PAdESSigner(signer: try genuine.signer("officer.p12")).sign(try genuine.unsignedPDF(), name: "u.pdf")
        return try QPDFDocument(bytes: signed, name: "s.pdf").signatureDictionaries().first
    }

    /// A revision that adds what long-term validation software adds besides its time-stamp: a
    /// DSS with a certificate and a VRI entry, an invisible signature field whose widget has an
    /// empty appearance, listed in the form and on the page. `drawing` fills the appearance
    /// stream, `rect` is the widget's rectangle, and with `reusingPageContent` the appearance
    /// stream is the page's own content stream, rewritten.
    func extended(drawing: String = "", rect: String = "0 0 0 0", reusingPageContent: Bool = false) throws -> [UInt8] {
        let signed = try PAdESSigner(signer: try genuine.signer("officer.p12")).sign(try genuine.unsignedPDF(), name: "u.pdf")
        let base = try ForgedRevision(signed, scratch: genuine.scratch)
        let next = try base.size()
        let page = try #require(try base.pages().first)
        let pageText = try base.show(String(page))
        let pageContent = try #require(try #/\/Contents (\d+) 0 R/#.firstMatch(in: pageText)).output.1
        let (certificate, widget) = (next, next + 1)
        let stream = reusingPageContent ? Int(pageContent)! : next + 2
        let der = try Certificate.load(fileAt: Fixtures.certs.appendingPathComponent("officer.pem").path)[0].derBytes
        let hex = der.map { String(format: "%02X", $0) }.joined() + ">"
        let vri = String(repeating: "AB12", count: 10)
        var (catalogNumber, catalog) = try base.catalog()
        catalog = catalog.replacingOccurrences(of: #"/Fields \[ ([^\]]*)\]"#, with: "/Fields [ $1\(widget) 0 R ]",
                                               options: .regularExpression)
        catalog = String(catalog.dropLast(2))
            + " /DSS << /Certs [ \(certificate) 0 R ] /VRI << /\(vri) << /Cert [ \(certificate) 0 R ] >> >> >> >>"
        let objects: [Int: String] = [
            catalogNumber: catalog,
            page: pageText.replacingOccurrences(of: #"/Annots \[ ([^\]]*)\]"#, with: "/Annots [ $1\(widget) 0 R ]",
                                                options: .regularExpression),
            certificate: "<< /Length \(hex.count) /Filter /ASCIIHexDecode >>\nstream\n\(hex)\nendstream",
            stream: "<< /Type /XObject /Subtype /Form /BBox [ 0 0 0 0 ] /Length \(drawing.utf8.count) >>\nstream\n\(drawing)\nendstream",
            widget: "<< /Type /Annot /Subtype /Widget /FT /Sig /T (ArchiveTimeStamp1) /F 132 /Rect [ \(rect) ] /P \(page) 0 R "
                + "/AP << /N \(stream) 0 R >> >>",
        ]
        return try base.appending(objects)
    }

    @Test func validationDataAndAnInvisibleFieldWithAnEmptyAppearanceAreAllowed() throws {
        let report = try genuine.verify(try extended())
        let signature = try #require(report.signatures.first)
        #expect(report.verdict == .valid, "\(signature.reasons) \(signature.modificationsAfter.filter { !$0.allowed })")
        let rules = Set(signature.modificationsAfter.compactMap(\.rule))
        #expect(rules.isSuperset(of: ["long-term-validation", "signature-field"]), "\(rules)")
        #expect(signature.modificationsAfter.contains { $0.what == "form XObject" && $0.kind == "signatureFieldAdded" },
                "the empty appearance belongs to the new field")
    }

    @Test func anEmptyVisibleSignatureFieldIsNotAllowed() throws {
        // Visible, holding no signature: a drawing anyone could add, not a later signature.
        let report = try genuine.verify(try extended(drawing: "0 0 1 rg 0 0 200 50 re f", rect: "50 700 250 750"))
        #expect(report.verdict == .invalid)
        let signature = try #require(report.signatures.first)
        #expect(signature.modificationsAfter.contains { !$0.allowed && $0.what == "annotation" }, "\(signature.modificationsAfter)")
    }

    @Test func anAppearanceThatRewritesWhatThePageShowsIsNotAllowed() throws {
        // The new field's appearance stream is the page's content stream, rewritten: reachable
        // from the new field, but also from the page, so it stays a change of page content.
        let report = try genuine.verify(try extended(drawing: "BT /F1 24 Tf 72 700 Td (PAID) Tj ET", reusingPageContent: true))
        #expect(report.verdict == .invalid)
        let signature = try #require(report.signatures.first)
        #expect(signature.modificationsAfter.contains { !$0.allowed && $0.kind == "content" && $0.action == "changed" },
                "\(signature.modificationsAfter)")
    }
}
