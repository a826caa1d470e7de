import Foundation
import SohoaTestSupport
import Testing

/// `sohoa assemble --ocr`: each page's text read by Tesseract and set under the image, on
/// pages the suite makes itself with known text (Vietnamese, 200 and 300 dpi, clean, noisy,
/// skewed 2°, turned 90° and 180°, as G4 TIFF, gray PNG and colour JPEG).
@Suite struct AssembleOCRTests {
    let sohoa = Fixtures.productsDirectory.appendingPathComponent("sohoa").path

    /// The most characters in a hundred that may differ from the page's text, by variant: all
    /// 30 pages read here at 0 to 0.9 % (0.28 % on average; OCRmyPDF 16.5 % on the same pages,
    /// see `make bench`), noisy ones the worst; each bound leaves room above what was measured.
    static let maximumErrorRate = ["clean": 0.015, "rot90": 0.015, "rot180": 0.015, "noisy": 0.02, "skew2": 0.015]

    /// Every variant in every format, at one resolution or the other.
    static let pages = [
        "vb01-200dpi-clean.tif", "vb05-300dpi-clean.png", "vb06-300dpi-clean.jpg",
        "vb06-300dpi-noisy.tif", "vb04-200dpi-noisy.png", "vb05-200dpi-noisy.jpg",
        "vb02-300dpi-skew2.tif", "vb03-300dpi-skew2.png", "vb01-200dpi-skew2.jpg",
        "vb04-300dpi-rot90.tif", "vb02-200dpi-rot90.png", "vb06-300dpi-rot90.jpg",
        "vb03-200dpi-rot180.tif", "vb01-300dpi-rot180.png", "vb05-200dpi-rot180.jpg",
    ]

    func assemble(_ input: String, into folder: URL, _ extra: [String] = [], environment: [String: String]? = nil) throws
        -> (status: Int32, json: [String: Any], stderr: String, output: String) {
        let output = folder.appendingPathComponent(((input as NSString).lastPathComponent as NSString).deletingPathExtension + ".pdf").path
        let result = try Run.process(sohoa, ["assemble", "--json", "-o", output] + extra + [input], environment: environment)
        let json = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]) ?? [:]
        return (result.status, json, result.stderr, output)
    }

    static func firstPage(_ json: [String: Any]) -> [String: Any] { (json["pages"] as? [[String: Any]])?.first ?? [:] }

    @Test(arguments: pages)
    func eachPageReadsBackWithinItsErrorRate(file: String) throws {
        let page = try OCRPages.page(file)
        let scratch = try Fixtures.makeScratch("assemble-ocr")
        defer { Fixtures.removeScratch(scratch) }
        let run = try assemble(page.path, into: scratch, ["--ocr"])
        #expect(run.status == 0, "\(run.stderr)")
        let text = try Tools.run("pdftotext", [run.output, "-"]).stdout
        let rate = OCRPages.characterErrorRate(truth: page.truth, hypothesis: text)
        #expect(rate <= Self.maximumErrorRate[page.variant] ?? 0, "\(file): CER \(rate)\n\(text)")
        let reported = Self.firstPage(run.json)
        let ocr = try #require(reported["ocr"] as? [String: Any], "\(reported)")
        #expect(ocr["flagged"] as? Bool == false, "\(ocr)")
        #expect((ocr["words"] as? Int ?? 0) > 100)
        // A page scanned turned is set upright: portrait, the text the right way up.
        #expect(ocr["turnedDegrees"] as? Int == (360 - page.rotation) % 360, "\(ocr)")
        let size = try #require(reported["pageSizePt"] as? [Double])
        #expect(size[0] < size[1], "the page is upright (portrait): \(size)")
        if page.variant == "skew2" { #expect(ocr["skewDegrees"] as? Double == 2, "the skew is measured and reported: \(ocr)") }
        #expect(try Tools.run("qpdf", ["--check", run.output]).status == 0)
        #expect(run.json["pdfa"] as? Bool == true, "the PDF still claims PDF/A-2b")
    }

    /// Selecting a word in a viewer highlights that word: the boxes pdftotext gives for the
    /// words are where the page image shows them (upright, also for a page scanned turned).
    @Test(arguments: ["vb05-300dpi-clean.png", "vb04-300dpi-rot90.tif", "vb01-200dpi-clean.tif"])
    func theWordsStandWhereThePageShowsThem(file: String) throws {
        let page = try OCRPages.page(file)
        let scratch = try Fixtures.makeScratch("assemble-ocr-boxes")
        defer { Fixtures.removeScratch(scratch) }
        let run = try assemble(page.path, into: scratch, ["--ocr"])
        #expect(run.status == 0, "\(run.stderr)")
        let html = try Tools.run("pdftotext", ["-bbox", run.output, "-"]).stdout
        // <word xMin="…" yMin="…" xMax="…" yMax="…">text</word>, in points from the top left.
        let pattern = try NSRegularExpression(pattern: #"<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>"#)
        var found: [String: [[Double]]] = [:]
        for match in pattern.matches(in: html, range: NSRange(html.startIndex..., in: html)) {
            let parts = (1...5).map { String(html[Range(match.range(at: $0), in: html)!]) }
            found[parts[4].precomposedStringWithCanonicalMapping, default: []].append(parts[0...3].compactMap(Double.init))
        }
        let scale = 72 / page.dpi
        var placed = 0
        for word in page.words {
            let expected = word.box.map { $0 * scale }
            let overlaps = (found[word.text] ?? []).map { box -> Double in
                let width = min(box[2], expected[2]) - max(box[0], expected[0])
                let height = min(box[3], expected[3]) - max(box[1], expected[1])
                guard width > 0, height > 0 else { return 0 }
                let union = (box[2] - box[0]) * (box[3] - box[1]) + (expected[2] - expected[0]) * (expected[3] - expected[1]) - width * height
                return width * height / union
            }
            if (overlaps.max() ?? 0) >= 0.5 { placed += 1 }
        }
        #expect(Double(placed) >= 0.9 * Double(page.words.count),
                "\(placed) of \(page.words.count) words stand over their place on the page image")
    }

    /// The text layer adds text and nothing else: the page images are the same bytes as
    /// without --ocr (a JPEG is the scan itself), and the same input gives the same file.
    @Test func theImageIsUntouchedAndTheOutputReproducible() throws {
        let page = try OCRPages.page("vb06-300dpi-clean.jpg")
        let scratch = try Fixtures.makeScratch("assemble-ocr-same")
        defer { Fixtures.removeScratch(scratch) }
        var images: [[UInt8]] = []
        var hashes: [String] = []
        for (index, extra) in [["--ocr"], [], ["--ocr"]].enumerated() {
            let folder = scratch.appendingPathComponent("run\(index)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let run = try assemble(page.path, into: folder, extra)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(try Tools.run("pdfimages", ["-all", run.output, folder.appendingPathComponent("image").path]).status == 0)
            images.append(try Fixtures.read(folder.appendingPathComponent("image-000.jpg").path))
            hashes.append(run.json["sha256"] as? String ?? "")
        }
        let scan = try Fixtures.read(page.path)
        #expect(images[0] == images[1] && images[0] == scan, "the JPEG is passed through untouched")
        #expect(hashes[0] == hashes[2] && !hashes[0].isEmpty, "the same scan gives the same PDF, text layer and all")
        #expect(hashes[0] != hashes[1])
    }

    /// Bad input: a language pack that is not installed is named with its Debian package and
    /// nothing is written; a language list that is not one is a usage error.
    @Test func aMissingLanguagePackIsNamedAndNothingIsWritten() throws {
        let page = try OCRPages.page("vb01-200dpi-clean.tif")
        let scratch = try Fixtures.makeScratch("assemble-ocr-missing")
        defer { Fixtures.removeScratch(scratch) }
        let empty = scratch.appendingPathComponent("tessdata").path
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let missing = try assemble(page.path, into: scratch, ["--ocr"], environment: ["TESSDATA_PREFIX": empty])
        #expect(missing.status == 1 && missing.stderr.contains("tesseract-ocr-vie"), "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: missing.output))
        let french = try assemble(page.path, into: scratch, ["--ocr", "--lang", "vie+fra"])
        #expect(french.status == 1 && french.stderr.contains("tesseract-ocr-fra"), "\(french.stderr)")
        for list in ["vie;eng", "../vie", "vie+"] {
            let bad = try assemble(page.path, into: scratch, ["--ocr", "--lang", list])
            #expect(bad.status == 3 && bad.stderr.contains("OCR languages"), "\(list): \(bad.stderr)")
        }
        let stray = try assemble(page.path, into: scratch, ["--lang", "vie"])
        #expect(stray.status == 3 && stray.stderr.contains("--lang goes with --ocr"), "\(stray.stderr)")
    }

    /// A page Tesseract cannot read (a photograph of noise) is flagged for the operator, and
    /// the document is still assembled with it.
    @Test func aPageWithoutReadableTextIsFlaggedAndStillAssembled() throws {
        let scratch = try Fixtures.makeScratch("assemble-ocr-noise")
        defer { Fixtures.removeScratch(scratch) }
        let noise = scratch.appendingPathComponent("noise.png").path
        let made = try Tools.run(Tools.python, ["-c", """
            import sys, numpy as np
            from PIL import Image
            rng = np.random.default_rng(7)
            Image.fromarray(rng.integers(0, 256, (560, 400), dtype=np.uint8), "L").save(sys.argv[1], dpi=(100, 100))
            """, noise])
        #expect(made.status == 0, "\(made.stderr)")
        let run = try assemble(noise, into: scratch, ["--ocr"])
        #expect(run.status == 0, "\(run.stderr)")
        let ocr = try #require(Self.firstPage(run.json)["ocr"] as? [String: Any])
        #expect(ocr["flagged"] as? Bool == true && (ocr["flag"] as? String)?.isEmpty == false, "\(ocr)")
        #expect(FileManager.default.fileExists(atPath: run.output))
        let plain = try Run.process(sohoa, ["assemble", "--ocr", "-o", scratch.appendingPathComponent("plain.pdf").path, noise])
        #expect(plain.status == 0 && plain.stdout.contains("CHECK:"), "the text report flags it too: \(plain.stdout)")
    }
}
