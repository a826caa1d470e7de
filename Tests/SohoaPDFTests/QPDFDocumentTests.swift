import Foundation
import SohoaPDF
import SohoaTestSupport
import Testing

@Suite struct QPDFDocumentTests {
    @Test func garbageIsRefusedWithQpdfsReason() {
        let garbage = Array("%PDF-1.7\nthis is not really a PDF at all\n".utf8) + Array(repeating: 0x20, count: 200)
        let error = #expect(throws: PDFError.self) { try QPDFDocument(bytes: garbage, name: "forged.pdf") }
        #expect(error?.file == "forged.pdf")
        #expect(error?.reason == "this is not a readable PDF file")
        #expect(error?.detail?.isEmpty == false)
        #expect(error?.description.contains("forged.pdf: this is not a readable PDF file (qpdf: ") == true)
    }

    @Test func emptyInputIsRefused() {
        #expect(throws: PDFError.self) { try QPDFDocument(bytes: [], name: "empty.pdf") }
    }

    @Test func emptyDocumentRoundTripsDeterministically() throws {
        let first = try QPDFDocument(emptyNamed: "new document").write()
        let second = try QPDFDocument(emptyNamed: "new document").write()
        #expect(first == second, "the same document must give the same bytes")
        #expect(first.starts(with: Array("%PDF-1.".utf8)))
        let reread = try QPDFDocument(bytes: first, name: "round-trip.pdf")
        #expect(try reread.pageCount() == 0)
        #expect(reread.pdfVersion.hasPrefix("1."))
        #expect(reread.warnings.isEmpty)
    }

    @Test func writtenDocumentPassesQpdfCheck() throws {
        let scratch = try Fixtures.makeScratch("pdf")
        defer { Fixtures.removeScratch(scratch) }
        let path = try Fixtures.write(try QPDFDocument(emptyNamed: "new").write(), named: "empty.pdf", in: scratch)
        let qpdf = try #require(Run.firstExisting(["/usr/bin/qpdf"]), "qpdf is installed by make deps")
        let result = try Run.process(qpdf, ["--check", path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("No syntax or stream encoding errors found"))
    }

    @Test func damagedCrossReferenceIsRepairedWithAWarningNotSilently() throws {
        var bytes = try QPDFDocument(emptyNamed: "new").write()
        // Point startxref somewhere wrong: qpdf reconstructs, and must say so.
        let marker = Array("startxref\n".utf8)
        let start = try #require(bytes.indices.last { bytes[$0...].starts(with: marker) })
        bytes[start + marker.count] = UInt8(ascii: "9")  // the offset now points where there is no xref
        let document = try QPDFDocument(bytes: bytes, name: "repaired.pdf")
        #expect(!document.warnings.isEmpty)
    }
}
