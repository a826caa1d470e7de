import Foundation
import SohoaImaging
import SohoaPipeline
import SohoaTestSupport
import Testing

/// What `Tests/Fixtures/make_image_fixtures.py` says each fixture must become.
struct FixtureManifest: Decodable {
    struct Page: Decodable {
        let storedWidth: Int
        let storedHeight: Int
        let orientation: Int
        let uprightWidth: Int
        let uprightHeight: Int
        let dpi: [Double]?
        let dpiUsable: Bool
        let mode: String
        let blank: Bool
        let passThrough: Bool
        let passThroughBytesEqual: Bool
        let pdfimagesEnc: String
        let pdfimagesColor: String
        let bitsPerComponent: Int
        /// Whether the page carries the top-left marker (a nearly blank page does not).
        let marker: Bool?
        /// A box (x0, y0, x1, y1 as fractions of the upright page) that is fully transparent.
        let transparentBox: [Double]?
    }

    struct Fixture: Decodable {
        let name: String
        let file: String
        let format: String
        let refusal: String?
        let pages: [Page]
    }

    let fixtures: [Fixture]

    /// The fixtures, generated once per test run into a scratch folder.
    static let generated: Result<(folder: URL, manifest: FixtureManifest), any Error> = Result {
        let folder = try Fixtures.makeScratch("image-fixtures")
        let script = Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/make_image_fixtures.py").path
        let result = try Run.process(Tools.python, [script, folder.path])
        guard result.status == 0 else {
            throw Tools.Missing(description: "the fixture generator failed (run `make venv`): \(result.stderr)")
        }
        let data = try Data(contentsOf: folder.appendingPathComponent("manifest.json"))
        return (folder, try JSONDecoder().decode(FixtureManifest.self, from: data))
    }

    static var names: [String] {
        (try? generated.get().manifest.fixtures.map(\.name)) ?? ["(fixture generation failed)"]
    }

    static func fixture(_ name: String) throws -> (path: String, fixture: Fixture) {
        let (folder, manifest) = try generated.get()
        let fixture = try #require(manifest.fixtures.first { $0.name == name })
        return (folder.appendingPathComponent(fixture.file).path, fixture)
    }
}

/// Every fixture through `DocumentAssembler`, checked with qpdf, pdfimages, pdfinfo and a
/// rendering by poppler.
@Suite struct AssembleFixtureTests {
    @Test(arguments: FixtureManifest.names)
    func fixtureBecomesTheExpectedPDF(name: String) async throws {
        let (path, fixture) = try FixtureManifest.fixture(name)
        let scratch = try Fixtures.makeScratch("assemble")
        defer { Fixtures.removeScratch(scratch) }
        let output = scratch.appendingPathComponent("out.pdf").path
        let assembler = DocumentAssembler(options: AssemblyOptions())

        if let refusal = fixture.refusal {
            do {
                let report = try await assembler.assemble(inputs: [path], output: output)
                #expect(refusal == "any-or-one-page" && report.pages.count <= 1, "\(name) was not refused")
            } catch {
                guard case .input(let imagingError) = error else {
                    Issue.record("\(name): expected an input refusal, got \(error)")
                    return
                }
                #expect(imagingError.file == path, "the refusal names the file")
                #expect(Self.kind(of: imagingError.reason).contains(refusal) || refusal == "any-or-one-page",
                        "\(name): expected \(refusal), got \(imagingError)")
                #expect(!FileManager.default.fileExists(atPath: output), "nothing is left at the output path")
                #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).isEmpty,
                        "no temporary file is left behind")
            }
            return
        }

        let report = try await assembler.assemble(inputs: [path], output: output)
        #expect(report.pages.count == fixture.pages.count)
        let check = try Tools.run("qpdf", ["--check", output])
        #expect(check.status == 0, "qpdf --check: \(check.stdout) \(check.stderr)")
        let images = try Tools.pdfImages(output)
        let sizes = try Tools.pageSizes(output)
        #expect(images.count == fixture.pages.count && sizes.count == fixture.pages.count)

        for (number, expected) in fixture.pages.enumerated() {
            let page = report.pages[number]
            let label = "\(name) page \(number + 1)"
            #expect(page.analysis.mode.rawValue == expected.mode, "\(label): mode")
            #expect(page.analysis.isBlank == expected.blank, "\(label): blank (ink \(page.analysis.inkCoverage))")
            #expect(page.passedThrough == expected.passThrough, "\(label): pass-through")
            #expect(page.orientation.rawValue == expected.orientation, "\(label): orientation")
            #expect(page.resolution.fromFile == expected.dpiUsable, "\(label): resolution source")
            if !expected.dpiUsable { #expect(page.resolution.note != nil, "\(label): the default is never silent") }
            let dpi = expected.dpiUsable ? (expected.dpi.map { ($0[0] + $0[1]) / 2 } ?? 200) : 200
            let size = sizes[number]
            #expect(abs(size.width - Double(expected.uprightWidth) * 72 / dpi) < 1, "\(label): width \(size.width)")
            #expect(abs(size.height - Double(expected.uprightHeight) * 72 / dpi) < 1, "\(label): height \(size.height)")

            let row = images[number]
            #expect(row.encoding == expected.pdfimagesEnc, "\(label): encoding \(row.encoding)")
            #expect(row.color == expected.pdfimagesColor, "\(label): colour \(row.color)")
            #expect(row.bitsPerComponent == expected.bitsPerComponent, "\(label): bpc \(row.bitsPerComponent)")
            #expect(row.width == expected.storedWidth && row.height == expected.storedHeight, "\(label): image size")

            if expected.passThrough && expected.passThroughBytesEqual {
                let stream = try Tools.rawStream(output, object: row.objectID)
                let source = try Fixtures.read(path)
                switch fixture.format {
                case "jpeg": #expect(stream == source, "\(label): the JPEG is carried byte for byte")
                case "png": #expect(stream == PNGBytes.imageData(source), "\(label): the IDAT is carried byte for byte")
                default: #expect(try TIFFStrips.strip(of: path, page: number) == stream, "\(label): the G4 strip is carried byte for byte")
                }
            }
            if !expected.blank && expected.marker != false {
                try Self.expectUpright(output, page: number + 1, label: label)
            }
            if let box = expected.transparentBox {
                let shade = try Self.meanGray(output, page: number + 1, box: box)
                #expect(shade > 230, "\(label): the transparent box is flattened onto white (mean \(shade))")
            }
        }
    }

    @Test(arguments: FixtureManifest.names.filter { $0.contains("rgba") || $0.contains("alpha") })
    func transparencyCanBeKeptAsASoftMask(name: String) async throws {
        let (path, fixture) = try FixtureManifest.fixture(name)
        let box = try #require(fixture.pages.first?.transparentBox)
        let scratch = try Fixtures.makeScratch("softmask")
        defer { Fixtures.removeScratch(scratch) }
        let output = scratch.appendingPathComponent("out.pdf").path
        var options = AssemblyOptions()
        options.preparation.keepTransparency = true
        let report = try await DocumentAssembler(options: options).assemble(inputs: [path], output: output)
        #expect(report.pages.first?.encoding.hasSuffix("with a soft mask") == true)
        #expect(report.pdfa, "PDF/A-2 allows soft masks")
        #expect(try Tools.run("qpdf", ["--check", output]).status == 0)
        let rows = try Tools.run("pdfimages", ["-list", output]).stdout
        #expect(rows.contains(" smask "), "pdfimages lists the soft mask: \(rows)")
        // The box is transparent over white paper: it shows white, and the rest of the page is intact.
        #expect(try Self.meanGray(output, page: 1, box: box) > 230)
        try Self.expectUpright(output, page: 1, label: "\(name) with a soft mask")
    }

    /// The mean gray (0–255) of a box of the rendered page.
    static func meanGray(_ pdf: String, page: Int, box: [Double]) throws -> Double {
        let image = try Tools.render(pdf, page: page, dpi: 24)
        var sum = 0, count = 0
        for y in Int(box[1] * Double(image.height))..<Int(box[3] * Double(image.height)) {
            for x in Int(box[0] * Double(image.width))..<Int(box[2] * Double(image.width)) {
                sum += Int(image.pixels[y * image.width + x])
                count += 1
            }
        }
        return count == 0 ? 255 : Double(sum) / Double(count)
    }

    /// The marker is in the top-left corner of the rendered page, and no other corner is dark.
    static func expectUpright(_ pdf: String, page: Int, label: String) throws {
        let image = try Tools.render(pdf, page: page, dpi: 24)
        func mean(_ x0: Double, _ x1: Double, _ y0: Double, _ y1: Double) -> Double {
            var sum = 0, count = 0
            for y in Int(y0 * Double(image.height))..<Int(y1 * Double(image.height)) {
                for x in Int(x0 * Double(image.width))..<Int(x1 * Double(image.width)) {
                    sum += Int(image.pixels[y * image.width + x])
                    count += 1
                }
            }
            return count == 0 ? 255 : Double(sum) / Double(count)
        }
        let topLeft = mean(0.12, 0.26, 0.09, 0.17)
        #expect(topLeft < 110, "\(label): the marker is not top-left (mean \(topLeft))")
        for (x0, y0) in [(0.74, 0.09), (0.12, 0.83), (0.74, 0.83)] {
            let other = mean(x0, x0 + 0.14, y0, y0 + 0.08)
            #expect(other > 170, "\(label): a dark block where only paper should be (mean \(other) at \(x0), \(y0))")
        }
    }

    static func kind(of reason: ImagingError.Reason) -> String {
        switch reason {
        case .truncated: return "truncated"
        case .damaged, .excessImageData: return "damaged"
        case .tooLarge, .fileTooLarge: return "tooLarge"
        case .notAnImage: return "notAnImage"
        case .unreadable(let detail): return "unreadable " + detail
        case .unsupported(let detail): return "unsupported " + detail
        case .noSuchPage: return "noSuchPage"
        }
    }
}

/// PNG's image data, read independently of Sohoa's reader.
enum PNGBytes {
    static func imageData(_ bytes: [UInt8]) -> [UInt8] {
        var data: [UInt8] = []
        var offset = 8
        while offset + 8 <= bytes.count {
            let length = Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            if String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self) == "IDAT" {
                data += bytes[(offset + 8)..<(offset + 8 + length)]
            }
            offset += 12 + length
        }
        return data
    }
}

/// A TIFF page's single strip, located with libtiff's own `tiffinfo -s`.
enum TIFFStrips {
    static func strip(of path: String, page: Int) throws -> [UInt8] {
        let result = try Tools.run("tiffinfo", ["-s", path])
        let bytes = try Fixtures.read(path)
        var directory = -1
        var lines = result.stdout.split(separator: "\n").makeIterator()
        while let line = lines.next() {
            if line.hasPrefix("TIFF Directory") { directory += 1 }
            guard directory == page, line.hasSuffix("Strips:") else { continue }
            // "  1 Strips:" is followed by "      0: [       8,     1234]"
            while let entry = lines.next() {
                let numbers = entry.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
                if numbers.count >= 3 {
                    let offset = numbers[1], count = numbers[2]
                    return Array(bytes[offset..<(offset + count)])
                }
            }
        }
        throw Tools.Missing(description: "tiffinfo -s did not list the strip of page \(page + 1) of \(path)")
    }
}

/// Options that change what ends up in the PDF.
@Suite struct AssembleOptionTests {
    @Test func blankPagesAreReportedAndDroppedOnRequest() async throws {
        let (path, fixture) = try FixtureManifest.fixture("tiff-g4-3pages")
        let blankPages = fixture.pages.enumerated().filter { $0.element.blank }.map(\.offset)
        try #require(!blankPages.isEmpty, "the fixture has a blank page")
        let scratch = try Fixtures.makeScratch("drop-blank")
        defer { Fixtures.removeScratch(scratch) }
        let output = scratch.appendingPathComponent("out.pdf").path
        var options = AssemblyOptions()
        options.dropBlank = true
        let report = try await DocumentAssembler(options: options).assemble(inputs: [path], output: output)
        #expect(report.pages.count == fixture.pages.count, "dropped pages are still reported")
        #expect(report.pages.enumerated().filter { $0.element.dropped }.map(\.offset) == blankPages)
        #expect(try Tools.pageSizes(output).count == fixture.pages.count - blankPages.count)
        // The pages that remain keep their order: the first and the last of the source.
        try AssembleFixtureTests.expectUpright(output, page: 1, label: "first page after dropping")
    }

    @Test func aDocumentOfOnlyBlankPagesIsRefusedWhenDroppingBlanks() async throws {
        let (path, _) = try FixtureManifest.fixture("jpeg-rgb-blank")
        let scratch = try Fixtures.makeScratch("all-blank")
        defer { Fixtures.removeScratch(scratch) }
        let output = scratch.appendingPathComponent("out.pdf").path
        var options = AssemblyOptions()
        options.dropBlank = true
        await #expect(throws: AssemblyError.self) {
            try await DocumentAssembler(options: options).assemble(inputs: [path], output: output)
        }
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func datesComeFromTheInputsNotTheClock() async throws {
        let (source, _) = try FixtureManifest.fixture("tiff-gray8-lzw-predictor")
        let scratch = try Fixtures.makeScratch("dates")
        defer { Fixtures.removeScratch(scratch) }
        let tiff = scratch.appendingPathComponent("dated.tif").path
        try FileManager.default.copyItem(atPath: source, toPath: tiff)
        #expect(try Tools.run("tiffset", ["-s", "306", "2025:11:20 08:30:00", tiff]).status == 0)
        let output = scratch.appendingPathComponent("out.pdf").path
        _ = try await DocumentAssembler(options: AssemblyOptions()).assemble(inputs: [tiff], output: output)
        let info = try Tools.run("pdfinfo", ["-isodates", output]).stdout
        let creation = info.split(separator: "\n").first { $0.hasPrefix("CreationDate:") } ?? ""
        #expect(creation.hasSuffix("2025-11-20T08:30:00Z"), "\(info)")
        let xmp = try Tools.run("pdfinfo", ["-meta", output]).stdout
        #expect(xmp.contains("<xmp:CreateDate>2025-11-20T08:30:00</xmp:CreateDate>"))
    }
}
