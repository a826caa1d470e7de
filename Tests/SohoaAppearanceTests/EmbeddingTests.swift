import SohoaPDF
import Foundation
import Testing
import SohoaTestSupport
@testable import SohoaAppearance

/// The appearance placed on a page, checked with the tools a reader of the document would
/// trust: poppler's pdftotext and pdffonts, and qpdf.
@Suite final class EmbeddingTests {
    let scratch: URL

    init() throws { scratch = try Fixtures.makeScratch("appearance-embedding") }
    deinit { Fixtures.removeScratch(scratch) }

    @Test func pdftotextGivesTheVietnameseNamesExactlyInNFC() throws {
        let placed = try PlacedBlock(try Blocks.block(), in: scratch)
        let lines = try placed.text().split(whereSeparator: \.isNewline).map(String.init)
        let expected = ["Ký bởi: \(Blocks.signer)", "Chức vụ: Cán bộ số hóa", "Thời gian: \(Blocks.time)"]
        for line in expected {
            #expect(lines.contains { $0.scalarValues == line.precomposedStringWithCanonicalMapping.scalarValues },
                    "missing \(line) in \(lines)")
        }
        // The digitizer's line wraps: its parts are joined again with the space the break took.
        let all = Array(lines.joined(separator: " ").utf8)
        for name in [Blocks.signer, Blocks.digitizer] {
            let nfc = Array(name.precomposedStringWithCanonicalMapping.utf8)
            #expect(all.firstRange(of: nfc) != nil, "\(name) not found byte for byte in \(lines)")
        }
    }

    @Test func textTypedDecomposedComesOutComposed() throws {
        let decomposed = Blocks.signer.decomposedStringWithCanonicalMapping
        #expect(decomposed.unicodeScalars.count > Blocks.signer.unicodeScalars.count)
        let block = SignatureBlock(width: 280, height: 40, lines: [.init(decomposed)], style: try Blocks.style())
        let text = try PlacedBlock(block, in: scratch).text().trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(text.scalarValues == Blocks.signer.precomposedStringWithCanonicalMapping.scalarValues)
    }

    @Test func aBaseLetterWithMarksThatHaveNoPrecomposedFormComesOutWhole() throws {
        // x + tilde and q + tilde + acute: one cluster of several glyphs, marks placed by offsets.
        let line = "x\u{303} q\u{303}\u{301} Việt"
        let block = SignatureBlock(width: 200, height: 30, lines: [.init(line)], style: try Blocks.style())
        let text = try PlacedBlock(block, in: scratch).text().trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(text.scalarValues == line.precomposedStringWithCanonicalMapping.scalarValues, "got \(text.debugDescription)")
    }

    /// Draws `text` with the glyphs of `letters` (one per cluster start given), as a font with
    /// ligatures would shape it, and returns what pdftotext reads and the appearance's objects.
    private func drawByHand(_ text: String, glyphsOf letters: String, clusters: [Int]) throws -> (String, [PDFObject]) {
        let style = try Blocks.style()
        let font = style.regularFont
        let glyphs = try font.shape(letters).glyphs
        let shaped = ShapedText(text: text, utf8: Array(text.utf8), glyphs: zip(glyphs, clusters).map {
            ShapedGlyph(glyph: $0.glyph, cluster: $1, xAdvance: $0.xAdvance, xOffset: 0, yOffset: 0)
        }, unitsPerEm: font.unitsPerEm)
        let line = SignatureLayout.PlacedLine(text: text, sourceLine: 0, bold: false, x: 4, baseline: 10, width: 30,
                                              bounds: BlockRect(x: 4, y: 8, width: 30, height: 10), shaped: shaped,
                                              glyphRange: 0..<shaped.glyphs.count)
        let block = SignatureBlock(width: 100, height: 24, lines: [.init(text)], style: style)
        let layout = SignatureLayout(width: 100, height: 24, fontSize: 10, textArea: BlockRect(x: 4, y: 4, width: 92, height: 16),
                                     lines: [line], seal: nil, qrCode: nil, qrModuleSize: nil)
        var numbers = ObjectNumbers()
        var objects: [PDFObject] = []
        let bytes = try TestPDF.bytes(x: 100, y: 700) { allocate in
            let made = try BlockDrawing(block: block, layout: layout).objects(allocate: allocate, numbers: &numbers)
            objects = made.objects
            return made
        }
        let path = try Fixtures.write(bytes, named: "by-hand.pdf", in: scratch)
        let read = try Run.process("/usr/bin/pdftotext", ["-enc", "UTF-8", path, "-"]).stdout
        return (read.trimmingCharacters(in: .whitespacesAndNewlines), objects)
    }

    private func inflated(_ object: PDFObject?) throws -> String {
        String(decoding: try Deflate.decompress(object?.streamData ?? [], limit: 1 << 20, what: "stream"), as: UTF8.self)
    }

    @Test func aGlyphStandingForSeveralLettersMapsToAllOfThem() throws {
        // Liberation Serif has no ligatures: glyph "f" stands in for an "fi" ligature here.
        let (text, objects) = try drawByHand("fig", glyphsOf: "fg", clusters: [0, 2])
        #expect(text == "fig")
        let toUnicode = try inflated(objects.first { $0.dictionary == "<< /Filter /FlateDecode >>" })
        #expect(toUnicode.contains("<0049> <00660069>"), "\(toUnicode)")
    }

    @Test func aGlyphUsedForDifferentTextsGetsActualText() throws {
        // "f" alone first, then the same glyph for "fi": the second gets an /ActualText span.
        let (text, objects) = try drawByHand("office", glyphsOf: "offce", clusters: [0, 1, 2, 4, 5])
        #expect(text == "office")
        let content = try inflated(objects.first)
        #expect(content.contains("/Span <</ActualText <FEFF00660069>>> BDC"), "\(content)")
    }

    @Test func pdffontsShowsEverySubsetEmbeddedWithToUnicode() throws {
        let placed = try PlacedBlock(try Blocks.block(), in: scratch)
        let result = try Run.process("/usr/bin/pdffonts", [placed.path])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = result.stdout.split(separator: "\n").dropFirst(2).map(String.init)
        #expect(rows.count == 2, "expected the regular and the bold font: \(result.stdout)")
        for row in rows {
            let fields = row.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            // name type(2 words) encoding emb sub uni object-id(2 fields)
            #expect(fields.first?.range(of: #"^[A-Z]{6}\+LiberationSerif(-Bold)?$"#, options: .regularExpression) != nil,
                    "\(row)")
            #expect(row.contains("CID TrueType") && row.contains("Identity-H"), "\(row)")
            #expect(Array(fields.suffix(5).prefix(3)) == ["yes", "yes", "yes"], "emb sub uni: \(row)")
        }
    }

    @Test func qpdfCheckIsClean() throws {
        let seal = try SealImage(path: try Fixtures.write(try TestImages.sealPNG(), named: "seal.png", in: scratch))
        let block = try Blocks.block(seal: seal, qr: try QRSymbol(text: Blocks.qrPayload()), width: 340, height: 100)
        let placed = try PlacedBlock(block, in: scratch)
        let result = try Run.process("/usr/bin/qpdf", ["--check", placed.path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("No syntax or stream encoding errors found"), "\(result.stdout)")
        #expect(!result.stdout.contains("WARNING") && result.stderr.isEmpty, "\(result.stdout)\(result.stderr)")
    }

    @Test func fontFileIsAValidTrueTypeSubsetWithTheDrawnGlyphs() throws {
        let block = try Blocks.block()
        var next = 100
        let made = try block.makeObjects { defer { next += 1 }; return next }
        let fontFiles = made.objects.filter { $0.dictionary.contains("/Length1") }
        #expect(fontFiles.count == 2)
        for file in fontFiles {
            let bytes = try Deflate.decompress(file.streamData ?? [], limit: 1 << 20, what: "font file")
            #expect(file.dictionary.contains("/Length1 \(bytes.count) "))
            let path = try Fixtures.write(bytes, named: "subset-\(file.id).ttf", in: scratch)
            let font = try EmbeddedFont(path: path)
            #expect(font.glyphCount > 100)  // glyph ids kept, so the count reaches the highest one
            // The subset draws the same letters with the same glyphs and advances.
            let original = try EmbeddedFont.cached(path: font.postScriptName.hasSuffix("Bold")
                ? EmbeddedFont.liberationSerifBoldPath : EmbeddedFont.liberationSerifPath)
            let drawn = font.postScriptName.hasSuffix("Bold") ? "Ký bởi: \(Blocks.signer) 0123456789" : "Thời gian 0123456789"
            for glyph in try original.shape(drawn).glyphs.map(\.glyph) {
                #expect(font.advance(ofGlyph: glyph) == original.advance(ofGlyph: glyph))
            }
        }
    }

    @Test func descriptorHasTheFontsMetrics() throws {
        var next = 10
        let made = try Blocks.block().makeObjects { defer { next += 1 }; return next }
        let descriptors = made.objects.filter { $0.dictionary.contains("/Type /FontDescriptor") }
        #expect(descriptors.count == 2)
        let regular = try #require(descriptors.first { !$0.dictionary.contains("Bold") })
        for part in ["/Flags 6", "/FontBBox [-544 -303 1278 981]", "/ItalicAngle 0", "/Ascent 891", "/Descent -216",
                     "/CapHeight 655", "/StemV 88", "/FontFile2"] {
            #expect(regular.dictionary.contains(part), "\(part) in \(regular.dictionary)")
        }
        let type0 = made.objects.filter { $0.dictionary.contains("/Subtype /Type0") }
        #expect(type0.count == 2 && type0.allSatisfy { $0.dictionary.contains("/Encoding /Identity-H") })
        #expect(made.objects.filter { $0.dictionary.contains("/CIDToGIDMap /Identity") }.count == 2)
    }
}
