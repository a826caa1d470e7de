import Foundation
import SohoaPDF
import SohoaTestSupport
import Testing

/// Where a page shows something: what lets a signature block go on blank paper only, and what
/// lets the verifier see that a later appearance covers signed content.
@Suite struct PageInkTests {
    /// A one-page PDF (A4) with `content` as its content stream (see `OnePagePDF`).
    static func pdf(content: String, resources: String = "<< >>", extra: [String] = [], annotations: String = "") -> [UInt8] {
        OnePagePDF.make(content: content, resources: resources, extra: extra, annotations: annotations)
    }

    static func map(_ bytes: [UInt8]) throws -> PageInkMap {
        try PageInkMap(document: try QPDFDocument(bytes: bytes, name: "page.pdf"), pageIndex: 0)
    }

    static let helvetica = "<< /Font << /F1 5 0 R >> >>"
    static let helveticaObject = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"

    @Test func textInksWhereItIsAndInvisibleTextDoesNot() throws {
        let page = try Self.map(Self.pdf(content: "BT /F1 12 Tf 100 700 Td (Hello) Tj ET\nBT 3 Tr /F1 12 Tf 100 400 Td (hidden layer) Tj ET",
                                         resources: Self.helvetica, extra: [Self.helveticaObject]))
        #expect(page.pageBox == PDFRect(minX: 0, minY: 0, maxX: 595, maxY: 842))
        #expect(page.ink(within: PDFRect(x: 110, y: 702, width: 10, height: 5)) != nil, "the word is ink")
        #expect(page.ink(within: PDFRect(x: 300, y: 690, width: 200, height: 40)) == nil, "right of the word is blank")
        #expect(page.ink(within: PDFRect(x: 100, y: 730, width: 100, height: 40)) == nil, "above the line is blank")
        #expect(page.ink(within: PDFRect(x: 100, y: 395, width: 200, height: 20)) == nil,
                "text in render mode 3 (an OCR layer) shows nothing")
    }

    @Test func textPositionsFollowMatricesAndArrays() throws {
        let content = "q 1 0 0 1 200 0 cm BT /F1 10 Tf 14 TL 1 0 0 1 50 500 Tm (one) Tj T* [(tw) -3000 (o)] TJ ET Q"
        let page = try Self.map(Self.pdf(content: content, resources: Self.helvetica, extra: [Self.helveticaObject]))
        #expect(page.ink(within: PDFRect(x: 252, y: 502, width: 4, height: 4)) != nil, "the first line, moved by cm")
        #expect(page.ink(within: PDFRect(x: 252, y: 488, width: 4, height: 4)) != nil, "the next line, one leading lower")
        #expect(page.ink(within: PDFRect(x: 60, y: 480, width: 100, height: 40)) == nil, "where the text was before cm")
        #expect(page.ink(within: PDFRect(x: 285, y: 488, width: 4, height: 4)) != nil, "after the TJ gap, the last letter")
    }

    /// Numbers as PDF writes them: signs, leading zeros, a bare point, decimals beyond an
    /// integer's 15 digits; "1e2" is no number (PDF has no exponents), so its "re" is ignored.
    @Test func numbersAreReadAsPDFWritesThem() throws {
        let content = "0 g +100 -0 0200 050 re f\n1 0 0 1 .5 -.5 cm 300.25 400. 0010.5 20 re f\n"
            + "1e2 500 20 20 re f\n0000000000000001000000 0 10 10 re f"
        let page = try Self.map(Self.pdf(content: content))
        #expect(page.ink(within: PDFRect(x: 290, y: 40, width: 5, height: 5)) != nil, "+100 -0 0200 050 re")
        #expect(page.ink(within: PDFRect(x: 305, y: 45, width: 5, height: 10)) == nil, "right of it")
        #expect(page.ink(within: PDFRect(x: 301, y: 400, width: 9, height: 18)) != nil, "the decimals, moved by half a point")
        #expect(page.ink(within: PDFRect(x: 312, y: 400, width: 5, height: 18)) == nil, "right of the decimals")
        #expect(page.ink(within: PDFRect(x: 0, y: 495, width: 595, height: 30)) == nil, "1e2 is not a number")
        #expect(page.ink(within: PDFRect(x: 0, y: 0, width: 30, height: 30)) == nil, "22 digits (a million, parsed as text): off the page")
    }

    @Test func paintedPathsInkButWhiteFillsAndUnpaintedPathsDoNot() throws {
        let content = "0 g 100 100 50 50 re f\n1 g 300 300 100 100 re f\n0 G 2 w 400 600 m 500 600 l S\n200 200 40 40 re n"
        let page = try Self.map(Self.pdf(content: content))
        #expect(page.ink(within: PDFRect(x: 120, y: 120, width: 5, height: 5)) != nil)
        #expect(page.ink(within: PDFRect(x: 310, y: 310, width: 50, height: 50)) == nil, "a white fill shows nothing")
        #expect(page.ink(within: PDFRect(x: 450, y: 600.5, width: 2, height: 2)) != nil, "a stroked line")
        #expect(page.ink(within: PDFRect(x: 205, y: 205, width: 20, height: 20)) == nil, "a path ended with n is not painted")
    }

    /// A 100 × 100 gray image, white with a black 20 × 20 square in its top-left corner,
    /// drawn 200 pt wide at (100, 100).
    @Test func anImageInksOnlyWhereItsPixelsAreDark() throws {
        var pixels = [UInt8](repeating: 255, count: 100 * 100)
        for y in 0..<20 { for x in 0..<20 { pixels[y * 100 + x] = 0 } }
        let hex = pixels.map { String(format: "%02X", $0) }.joined()
        let image = "<< /Type /XObject /Subtype /Image /Width 100 /Height 100 /ColorSpace /DeviceGray /BitsPerComponent 8 "
            + "/Filter /ASCIIHexDecode /Length \(hex.count + 1) >>\nstream\n\(hex)>\nendstream"
        let page = try Self.map(Self.pdf(content: "q 200 0 0 200 100 100 cm /Im0 Do Q", resources: "<< /XObject << /Im0 5 0 R >> >>",
                                         extra: [image]))
        #expect(page.ink(within: PDFRect(x: 105, y: 265, width: 20, height: 20)) != nil, "the black square (top left)")
        #expect(page.ink(within: PDFRect(x: 200, y: 120, width: 80, height: 80)) == nil, "the white rest of the image")
        #expect(page.ink(within: PDFRect(x: 400, y: 400, width: 50, height: 50)) == nil, "outside the image")
    }

    @Test func formXObjectsAreFollowedAndVisibleAnnotationsCount() throws {
        let formContent = "BT /F1 12 Tf 0 0 Td (in a form) Tj ET"
        let form = "<< /Type /XObject /Subtype /Form /BBox [0 0 200 50] /Matrix [1 0 0 1 0 0] /Resources \(Self.helvetica) "
            + "/Length \(formContent.utf8.count) >>\nstream\n\(formContent)\nendstream"
        let annotation = "<< /Type /Annot /Subtype /Text /Rect [400 700 420 720] /Contents (a note) >>"
        let hidden = "<< /Type /Annot /Subtype /Text /Rect [400 600 420 620] /F 2 /Contents (hidden) >>"
        let page = try Self.map(Self.pdf(content: "q 1 0 0 1 50 300 cm /Fm0 Do Q", resources: "<< /XObject << /Fm0 5 0 R >> >>",
                                         extra: [form, Self.helveticaObject, annotation, hidden],
                                         annotations: " /Annots [7 0 R 8 0 R]"))
        #expect(page.ink(within: PDFRect(x: 55, y: 302, width: 5, height: 5)) != nil, "the form's text, placed by cm")
        #expect(page.ink(within: PDFRect(x: 405, y: 705, width: 5, height: 5)) != nil, "a visible annotation")
        #expect(page.ink(within: PDFRect(x: 405, y: 605, width: 5, height: 5)) == nil, "a hidden annotation")
    }

    @Test(arguments: ["BT /F1 12 Tf (unterminated", "q 1 0 0 1 0 0 cm 10 10 m 20 20 l S } ]", "/Sh0 sh"])
    func whatCannotBeReadInksTheWholePage(content: String) throws {
        let page = try Self.map(Self.pdf(content: content, resources: Self.helvetica, extra: [Self.helveticaObject]))
        #expect(page.ink(within: PDFRect(x: 500, y: 20, width: 10, height: 10)) != nil)
    }

    /// The sample scan `name` of the first case, as `sohoa assemble` files it, in `scratch`.
    static func assembledSample(_ name: String, in scratch: URL) throws -> String {
        let output = scratch.appendingPathComponent("doc.pdf").path
        let input = Fixtures.samples.appendingPathComponent("001085012345/000.00.01.H26-251124-0001/\(name)").path
        let sohoa = Fixtures.productsDirectory.appendingPathComponent("sohoa").path
        let assembled = try Run.process(sohoa, ["assemble", "-o", output, input])
        #expect(assembled.status == 0, "\(assembled.stderr)")
        return output
    }

    /// A real scan (a bilevel Group 4 TIFF and a colour JPEG, as `sohoa assemble` files them):
    /// the heading is ink, the blank top margin is free though the scanner left specks of dust.
    @Test(arguments: ["don-de-nghi.tif", "can-cuoc-cong-dan.jpg"])
    func aScannedPagesBlankPaperIsFree(sample: String) throws {
        let scratch = try Fixtures.makeScratch("page-ink")
        defer { Fixtures.removeScratch(scratch) }
        let output = try Self.assembledSample(sample, in: scratch)
        let page = try PageInkMap(document: try QPDFDocument(path: output), pageIndex: 0)
        #expect(page.ink(within: PDFRect(x: 0, y: 0, width: page.pageBox.width, height: page.pageBox.height)) != nil)
        if sample.hasSuffix(".tif") {
            #expect(page.ink(within: PDFRect(x: 330, y: 745, width: 200, height: 30)) != nil, "the national motto")
            #expect(page.ink(within: PDFRect(x: 330, y: 788, width: 230, height: 40)) == nil, "the top margin")
        }
    }

    /// A map asked only about the top quarter decodes the scan's JPEG only that far down: it
    /// answers there as the whole map does, and anything below counts as ink (never as blank).
    @Test func aScanReadForItsTopQuarterAnswersThereAndInksTheRest() throws {
        let scratch = try Fixtures.makeScratch("page-ink-top")
        defer { Fixtures.removeScratch(scratch) }
        let output = try Self.assembledSample("can-cuoc-cong-dan.jpg", in: scratch)
        let whole = try PageInkMap(document: try QPDFDocument(path: output), pageIndex: 0)
        let box = whole.pageBox
        let band = PDFRect(minX: box.minX, minY: box.maxY - box.height / 4, maxX: box.maxX, maxY: box.maxY)
        let top = try PageInkMap(document: try QPDFDocument(path: output), pageIndex: 0) { _ in band }
        var blank = 0, inked = 0
        for y in stride(from: band.minY + 4, through: band.maxY - 30, by: 13) {
            for x in stride(from: box.minX, through: box.maxX - 60, by: 17) {
                let rect = PDFRect(x: x, y: y, width: 60, height: 26)
                let expected = whole.ink(within: rect) == nil
                #expect((top.ink(within: rect) == nil) == expected, "\(rect)")
                if expected { blank += 1 } else { inked += 1 }
            }
        }
        #expect(blank > 10 && inked > 10, "the band has both blank paper and ink (\(blank) blank, \(inked) inked)")
        let belowTheBand = PDFRect(x: box.minX + 20, y: box.minY + 20, width: 60, height: 26)
        #expect(whole.ink(within: belowTheBand) == nil, "the foot of the scan is blank paper")
        #expect(top.ink(within: belowTheBand) != nil, "rows that were not decoded count as ink")
    }

    /// Page 1 of what `sohoa assemble` makes records where its scan has strokes; read trusting
    /// the record, the page answers as its decoded scan does (a rectangle a few points off a
    /// stroke may differ, where the two previews' pixels fall differently), with no scan decoded.
    @Test(arguments: ["don-de-nghi.tif", "can-cuoc-cong-dan.jpg"])
    func theRecordedStrokesAnswerAsTheScanDoes(sample: String) throws {
        let scratch = try Fixtures.makeScratch("page-ink-recorded")
        defer { Fixtures.removeScratch(scratch) }
        let output = try Self.assembledSample(sample, in: scratch)
        let decoded = try PageInkMap(document: try QPDFDocument(path: output), pageIndex: 0)
        let recorded = try PageInkMap(document: try QPDFDocument(path: output), pageIndex: 0, trustingRecordedInk: true)
        #expect(recorded.usesRecordedInk && !decoded.usesRecordedInk)
        let box = decoded.pageBox
        var agree = 0, disagree = 0, blank = 0
        for y in stride(from: box.minY + 4, through: box.maxY - 30, by: 11) {
            for x in stride(from: box.minX, through: box.maxX - 60, by: 13) {
                let rect = PDFRect(x: x, y: y, width: 60, height: 26)
                let free = decoded.ink(within: rect) == nil
                if free { blank += 1 }
                if (recorded.ink(within: rect) == nil) == free {
                    agree += 1
                } else {
                    disagree += 1
                    // Where they differ, the answers differ only at a stroke's edge: 3 pt further, both see ink.
                    #expect(decoded.ink(within: rect.inset(by: -3)) != nil && recorded.ink(within: rect.inset(by: -3)) != nil, "\(rect)")
                }
            }
        }
        #expect(blank > 20, "the page has blank paper (\(blank) blank rectangles)")
        #expect(Double(disagree) <= 0.03 * Double(agree + disagree), "\(disagree) of \(agree + disagree) rectangles differ")
    }

    /// A page drawing an all-black image over the page, then `more`, with a well-formed record
    /// calling the image blank (eight rows of one zero byte, Flate-compressed: 11 bytes put in
    /// place of the placeholder below), saying the content draws only it when `matrix` is given.
    static func forgedRecord(more: String = "", matrix: String? = nil) throws -> [UInt8] {
        var forged = Self.pdf(
            content: "q 595 0 0 842 0 0 cm /Im0 Do Q" + more, resources: "<< /XObject << /Im0 5 0 R >> >>",
            extra: ["<< /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 64 >>\nstream\n"
                        + String(repeating: "\u{0}", count: 64) + "\nendstream",
                    "<< /Filter /FlateDecode /Length 11 >>\nstream\nZLIB-STROKE\nendstream"],
            annotations: " /PieceInfo << /Sohoa << /LastModified (D:20261206) /Private << /InkMap << /Image 5 0 R "
                + (matrix.map { "/Matrix \($0) " } ?? "") + "/Width 8 /Height 8 /Strokes 6 0 R >> >> >> >>")
        let placeholder = Array("ZLIB-STROKE".utf8)
        let at = try #require((0...(forged.count - placeholder.count)).first { Array(forged[$0..<($0 + placeholder.count)]) == placeholder })
        forged.replaceSubrange(at..<(at + placeholder.count), with: [120, 156, 99, 96, 128, 0, 0, 0, 8, 0, 1])
        return forged
    }

    /// Anyone can write a record into a PDF: one saying a page that is all ink is blank paper is
    /// believed only by a caller that trusts the file's maker; otherwise the page is read as it is.
    @Test func aForgedRecordIsBelievedOnlyWhenTrusted() throws {
        let forged = try Self.forgedRecord()
        let middle = PDFRect(x: 100, y: 100, width: 200, height: 50)

        let read = try PageInkMap(document: try QPDFDocument(bytes: forged, name: "forged.pdf"), pageIndex: 0)
        #expect(!read.usesRecordedInk)
        #expect(read.ink(within: middle) != nil, "the black image is ink")
        let trusting = try PageInkMap(document: try QPDFDocument(bytes: forged, name: "forged.pdf"), pageIndex: 0, trustingRecordedInk: true)
        #expect(trusting.usesRecordedInk)
        #expect(trusting.ink(within: middle) == nil, "a trusted record is believed: which is why only Sohoa's own are trusted")
    }

    /// A record with /Matrix says the page's content draws its scan and nothing else that
    /// shows: trusted, the content is not read at all (a page with a text layer is not parsed
    /// word by word), so a rectangle the content also paints goes unseen; untrusted, or without
    /// /Matrix, the content is read and the rectangle is ink.
    @Test func aRecordSayingThePageDrawsOnlyItsScanSparesReadingItsContent() throws {
        let painted = PDFRect(x: 100, y: 100, width: 200, height: 50)
        let more = " 0 g 100 100 200 50 re f"
        let saysOnlyScan = try Self.forgedRecord(more: more, matrix: "[595 0 0 842 0 0]")
        let trusting = try PageInkMap(document: try QPDFDocument(bytes: saysOnlyScan, name: "only-scan.pdf"), pageIndex: 0,
                                      trustingRecordedInk: true)
        #expect(trusting.usesRecordedInk && trusting.ink(within: painted) == nil, "the content is not read")
        let reading = try PageInkMap(document: try QPDFDocument(bytes: saysOnlyScan, name: "only-scan.pdf"), pageIndex: 0)
        #expect(reading.ink(within: painted) != nil)
        let noMatrix = try Self.forgedRecord(more: more)
        let withoutMatrix = try PageInkMap(document: try QPDFDocument(bytes: noMatrix, name: "record.pdf"), pageIndex: 0,
                                           trustingRecordedInk: true)
        #expect(withoutMatrix.usesRecordedInk && withoutMatrix.ink(within: painted) != nil, "the content is read")
        #expect(withoutMatrix.ink(within: PDFRect(x: 400, y: 600, width: 50, height: 50)) == nil, "the image is the record's")
    }

    /// What `sohoa assemble` records says how page 1 draws its scan: the matrix of its content.
    @Test func theAssemblersRecordGivesTheScansMatrix() throws {
        let scratch = try Fixtures.makeScratch("page-ink-matrix")
        defer { Fixtures.removeScratch(scratch) }
        let output = try Self.assembledSample("can-cuoc-cong-dan.jpg", in: scratch)
        let qdf = scratch.appendingPathComponent("doc.qdf").path
        let expanded = try Run.process("/usr/bin/qpdf", ["--qdf", "--object-streams=disable", output, qdf])
        #expect(expanded.status == 0, "\(expanded.stderr)")
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: qdf)), as: UTF8.self)
        let drawn = try #require(text.firstMatch(of: /q ([0-9. -]+) cm \/Im0 Do Q/)).1
        let recorded = try #require(text.firstMatch(of: /\/Matrix \[\s*([0-9. \n-]+?)\s*\]/)).1
        #expect(recorded.split(whereSeparator: \.isWhitespace) == drawn.split(separator: " "))
    }
}
