import Foundation
import SohoaCrypto
import SohoaPDF
import SohoaSigning
import SohoaTestSupport
import SohoaVerification
import Testing

/// Never valid when it is not: files built to make a reader see less than another reader does,
/// to make a signature drop out of the report, or to overflow the verifier's arithmetic.
@Suite struct SoundnessTests {
    let genuine: GenuineSignatureTests

    init() throws {
        genuine = try GenuineSignatureTests()
    }

    func signed(_ p12: String = "officer.p12") throws -> [UInt8] {
        try PAdESSigner(signer: try genuine.signer(p12)).sign(try genuine.unsignedPDF(), name: "u.pdf")
    }

    func approved() throws -> [UInt8] {
        try PAdESSigner(signer: try genuine.signer("approver.p12")).sign(try signed(), name: "s.pdf")
    }

    /// A JavaScript action that qpdf reads as null when `depth` exceeds its nesting limit.
    static func javaScript(nestedTo depth: Int) -> String {
        let nesting = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        return "<< /S /JavaScript /JS (app.alert\\(1\\)) /Z \(nesting) >>"
    }

    @Test func anOpenActionHiddenByDeepNestingMakesTheSignatureInvalid() throws {
        let base = try ForgedRevision(try signed(), scratch: genuine.scratch)
        let action = try base.size()
        let catalog = try base.catalog(adding: "/OpenAction \(action) 0 R")
        for depth in [2, 1000] {
            let forged = try base.appending([catalog.number: catalog.text, action: Self.javaScript(nestedTo: depth)])
            let report = try genuine.verify(forged)
            let signature = try #require(report.signatures.first)
            #expect(report.verdict == .invalid, "depth \(depth): \(signature.reasons)")
            #expect(signature.verdict == .invalid && !signature.reasonCodes.contains("partial-coverage"))
            if depth == 1000 {
                #expect(signature.reasonCodes.contains("later-revision-unreadable"), "\(signature.reasonCodes)")
                #expect(signature.reasons.contains { $0.contains("deeply nested") }, "qpdf's words are named: \(signature.reasons)")
            } else {
                #expect(signature.modificationsAfter.contains { $0.what == "catalog" && !$0.allowed })
            }
        }
    }

    @Test func aKeyGivenTwiceInALaterRevisionMakesTheSignatureInvalid() throws {
        let base = try ForgedRevision(try signed(), scratch: genuine.scratch)
        let action = try base.size()
        // qpdf keeps the last /OpenAction (null: absent), a reader keeping the first runs the script.
        let catalog = try base.catalog(adding: "/OpenAction \(action) 0 R /OpenAction null")
        let report = try genuine.verify(try base.appending([catalog.number: catalog.text, action: Self.javaScript(nestedTo: 1)]))
        #expect(report.verdict == .invalid)
        #expect(report.signatures.first?.reasonCodes.contains("later-revision-unreadable") == true,
                "\(report.signatures.first?.reasons ?? [])")
    }

    @Test func aSignatureWhoseByteRangeCannotBeReadIsReportedInvalid() throws {
        let bytes = try approved()
        // The second signature's last /ByteRange number made 2^64 + 5, its /M shortened to keep the length.
        let text = String(decoding: bytes, as: UTF8.self)
        let ranges = text.matches(of: #/\/ByteRange \[0 (\d+) (\d+) (\d{10})\] \/M \((D:\d{14}[^)]*)\)/#)
        let second = try #require(ranges.dropFirst().first, "two signatures, zero-padded ranges")
        let old = String(second.output.0)
        let date = String(second.output.4)
        let new = "/ByteRange [0 \(second.output.1) \(second.output.2) 18446744073709551621] /M (\(date.prefix(date.count - 10)))"
        let forged = bytes.replacingOnce(old, with: new)
        #expect(forged != bytes)
        let report = try genuine.verify(forged)
        #expect(report.verdict == .invalid)
        #expect(report.signatures.count == 2, "every signature in the file is reported: \(report.signatures.map(\.field))")
        let unreadable = try #require(report.signatures.last)
        #expect(unreadable.verdict == .invalid && unreadable.reasonCodes.contains("signature-not-in-document"))
    }

    @Test func signaturesCutOffByTheLastTrailerAreStillAccountedFor() throws {
        let base = try ForgedRevision(try signed(), scratch: genuine.scratch)
        // A revision whose table lists every object anew, without /Prev, with a catalog with no
        // form and no signature widget on the pages: a reader following the cross-reference
        // chain sees no signature at all.
        let (number, text) = try base.catalog()
        let formless = text.replacingOccurrences(of: #"/AcroForm << [^>]* >>"#, with: "", options: .regularExpression)
        #expect(formless != text)
        var objects = [number: formless]
        for page in try base.pages() {
            objects[page] = try base.show(String(page))
                .replacingOccurrences(of: #"/Annots \[[^\]]*\]"#, with: "", options: .regularExpression)
        }
        let cut = try base.appending(objects, linked: false, keep: try base.offsets())
        let hidden = try genuine.verify(cut)
        #expect(hidden.verdict == .invalid, "not unsigned: \(hidden.signatures.map(\.reasons))")
        #expect(hidden.signatures.contains { $0.reasonCodes.contains("signature-not-in-document") })

        // Signed over by someone else: the new signature covers the whole file and is intact,
        // but the hidden one still makes the file invalid.
        let resigned = try PAdESSigner(signer: try genuine.signer("approver.p12")).sign(cut, name: "cut.pdf")
        let report = try genuine.verify(resigned)
        #expect(report.verdict == .invalid)
        #expect(report.signatures.contains { $0.verdict == .valid && $0.coversWholeDocument })
        #expect(report.signatures.contains { $0.reasonCodes.contains("signature-not-in-document") })
    }

    @Test func aByteRangeNearTheLargestIntegerIsRefusedWithoutCrashing() throws {
        let bytes = try approved()
        let text = String(decoding: bytes, as: UTF8.self)
        let first = try #require(text.firstMatch(of: #/\/ByteRange \[0 \d{10} \d{10} \d{10}\]/#))
        let old = String(first.output)
        let new = "/ByteRange [0 9223372036854775807 9854 551]"
        let forged = bytes.replacingOnce(old, with: new + String(repeating: " ", count: old.count - new.count))
        let report = try genuine.verify(forged)
        #expect(report.verdict == .invalid)
        #expect(report.signatures.first?.reasonCodes == ["byte-range-malformed"])
    }
}
