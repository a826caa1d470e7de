import Foundation
import SohoaTestSupport
import Testing

/// `sohoa assemble` as operators and scripts run it.
@Suite final class AssembleCommandTests {
    let sohoa = Fixtures.productsDirectory.appendingPathComponent("sohoa").path
    let scratch: URL

    init() throws {
        scratch = try Fixtures.makeScratch("assemble-cli")
    }

    deinit { Fixtures.removeScratch(scratch) }

    func sample(_ relative: String) -> String { Fixtures.samples.appendingPathComponent(relative).path }

    var request: String { sample("001085012345/000.00.01.H26-251124-0001/don-de-nghi.tif") }
    var idCard: String { sample("001085012345/000.00.01.H26-251124-0001/can-cuoc-cong-dan.jpg") }
    var bookFolder: String { sample("079190004567/000.00.02.H29-251123-0015/so-ho-khau") }

    @Test func samplesBecomeOneArchivalPDF() throws {
        let output = scratch.appendingPathComponent("dossier.pdf").path
        let result = try Run.process(sohoa, ["assemble", "-o", output, "--json", "--citizen", "001085012345",
                                             "--case", "000.00.01.H26-251124-0001", "--title", "Hồ sơ đăng ký",
                                             "--type", "application-form", request, idCard, bookFolder])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let pages = try #require(report["pages"] as? [[String: Any]])
        #expect(pages.count == 6)  // 3 TIFF pages, the JPEG, the two pages of the folder
        #expect(pages.allSatisfy { $0["passThrough"] as? Bool == true })
        #expect(report["pdfa"] as? Bool == true)
        #expect((report["sha256"] as? String) == (try Run.process("/usr/bin/sha256sum", [output]).stdout.prefix(64)).description)
        #expect(try Tools.run("qpdf", ["--check", output]).status == 0)
        let sizes = try Tools.pageSizes(output)
        #expect(sizes.allSatisfy { abs($0.width - 595.3) < 1 && abs($0.height - 841.9) < 1 }, "A4 at any dpi: \(sizes)")
        let info = try Tools.run("pdfinfo", [output]).stdout
        #expect(info.contains("Title:           Hồ sơ đăng ký"))
        #expect(info.contains("PDF version:     1.7"))
        let xmp = try Tools.run("pdfinfo", ["-meta", output]).stdout
        #expect(xmp.contains("<pdfaid:part>2</pdfaid:part>") && xmp.contains("<pdfaid:conformance>B</pdfaid:conformance>"))
        #expect(xmp.contains("case:000.00.01.H26-251124-0001") && xmp.contains("citizen:001085012345"))
        let requestHash = try Run.process("/usr/bin/sha256sum", [request]).stdout.prefix(64)
        #expect(xmp.contains("don-de-nghi.tif sha256:\(requestHash)"), "sources are recorded with their SHA-256")
    }

    @Test func sameInputsGiveTheSameBytes() throws {
        let first = scratch.appendingPathComponent("one.pdf").path
        let second = scratch.appendingPathComponent("two.pdf").path
        #expect(try Run.process(sohoa, ["assemble", "-o", first, request, idCard]).status == 0)
        #expect(try Run.process(sohoa, ["assemble", "-o", second, request, idCard]).status == 0)
        #expect(try Fixtures.read(first) == Fixtures.read(second))
    }

    /// `--lang vi` and `--lang en` are the language of messages on every command, assemble's
    /// too: never taken for OCR languages (Tesseract's codes are vie and eng).
    @Test func theLanguageOfMessagesIsNoOCRLanguage() throws {
        let output = scratch.appendingPathComponent("lang-vi.pdf").path
        let run = try Run.process(sohoa, ["--lang", "vi", "assemble", "-o", output, request])
        #expect(run.status == 0, "\(run.stderr)")
        let english = try Run.process(sohoa, ["assemble", "--lang", "en", "-o", output, request])
        #expect(english.status == 0, "\(english.stderr)")
        let usage = try Run.process(sohoa, ["assemble", "--lang", "vie", "-o", output, request])
        #expect(usage.status == 3 && usage.stderr.contains("--lang goes with --ocr"), "\(usage.stderr)")
    }

    /// The file identifier (the trailer's /ID) is the document's own: the same scans give the
    /// same one, other scans, another order or other metadata another; qpdf's fixed
    /// placeholder never stays in a file.
    @Test func theIdentifierIsTheDocumentsOwn() throws {
        func identifier(_ name: String, _ arguments: [String]) throws -> String {
            let output = scratch.appendingPathComponent(name).path
            let run = try Run.process(sohoa, ["assemble", "-o", output] + arguments)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(try Tools.run("qpdf", ["--check", output]).status == 0)
            let trailer = try Tools.run("qpdf", ["--show-object=trailer", output]).stdout
            let match = trailer.firstMatch(of: /\/ID \[ <([0-9a-f]{32})> <([0-9a-f]{32})> \]/)
            #expect(match?.1 == match?.2, "both elements are the identifier: \(trailer)")
            return String(match?.1 ?? "")
        }
        let once = try identifier("id-1.pdf", [request, idCard])
        #expect(once.count == 32 && once != "31415926535897932384626433832795")
        #expect(try identifier("id-2.pdf", [request, idCard]) == once)
        let others = [try identifier("id-3.pdf", [idCard, request]), try identifier("id-4.pdf", [request]),
                      try identifier("id-5.pdf", [request, idCard, "--title", "Đơn khác"])]
        #expect(Set(others + [once]).count == 4, "another order, other scans, another title each give another identifier: \(others)")
    }

    @Test func oneBrokenInputRefusesTheWholeDocumentAndLeavesNothing() throws {
        let output = scratch.appendingPathComponent("refused.pdf").path
        let bytes = try Fixtures.read(idCard)
        let broken = try Fixtures.write(Array(bytes.prefix(bytes.count / 2)), named: "input/broken.jpg", in: scratch)
        let result = try Run.process(sohoa, ["assemble", "-o", output, request, broken])
        #expect(result.status == 1)
        #expect(result.stderr.contains("broken.jpg, page 1"))
        #expect(result.stderr.contains("nothing was written"))
        #expect(result.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: output))
        let left = try FileManager.default.contentsOfDirectory(atPath: scratch.path)
        #expect(left == ["input"], "no temporary file is left: \(left)")
    }

    @Test func existingOutputIsKeptWhenAnInputIsRefused() throws {
        let output = try Fixtures.write(Array("previous version".utf8), named: "keep.pdf", in: scratch)
        let result = try Run.process(sohoa, ["assemble", "-o", output, scratch.appendingPathComponent("missing.png").path])
        #expect(result.status == 1)
        #expect(try Fixtures.read(output) == Array("previous version".utf8))
    }

    @Test func missingOutputFolderIsAClearError() throws {
        let result = try Run.process(sohoa, ["assemble", "-o", "/nonexistent/folder/out.pdf", idCard])
        #expect(result.status == 1)
        #expect(result.stderr.contains("/nonexistent/folder/out.pdf"))
    }

    @Test(arguments: [["--citizen", "12345"], ["--case", "../../etc"], ["--default-dpi", "10"]])
    func badOptionsAreUsageErrors(options: [String]) throws {
        let output = scratch.appendingPathComponent("x.pdf").path
        let result = try Run.process(sohoa, ["assemble", "-o", output] + options + [idCard])
        #expect(result.status == 3)
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    @Test func textReportNamesEveryPage() throws {
        let output = scratch.appendingPathComponent("text.pdf").path
        let result = try Run.process(sohoa, ["assemble", "-o", output, request])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Wrote \(output): 3 pages"))
        #expect(result.stdout.contains("don-de-nghi.tif p3"))
        #expect(result.stdout.contains("CCITT G4, passed through"))
    }
}

/// Memory stays flat with the number of pages: pages are decoded one at a time per worker.
@Suite struct AssembleMemoryTests {
    @Test func fiveHundredPagesAssembleInBoundedMemory() throws {
        let scratch = try Fixtures.makeScratch("assemble-500")
        defer { Fixtures.removeScratch(scratch) }
        let sohoa = Fixtures.productsDirectory.appendingPathComponent("sohoa").path
        // The 2-page 200-dpi G4 sample, copied 250 times into one TIFF by libtiff's tiffcp.
        let page = Fixtures.samples.appendingPathComponent("0314409058/000.00.03.H29-251120-0007/giay-phep-kinh-doanh.tif").path
        let tiff = scratch.appendingPathComponent("500.tif").path
        let copies = [String](repeating: page, count: 250)  // 2 pages each: 500 pages
        let made = try Tools.run("tiffcp", ["-c", "g4"] + copies + [tiff])
        #expect(made.status == 0, "\(made.stderr)")
        let output = scratch.appendingPathComponent("500.pdf").path
        let measured = try Run.process(Tools.python, ["-c", """
            import resource, subprocess, sys
            result = subprocess.run(sys.argv[1:], capture_output=True)
            print(result.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
            """, sohoa, "assemble", "-o", output, tiff])
        let fields = measured.stdout.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        #expect(fields.count == 2 && fields[0] == 0, "\(measured.stdout) \(measured.stderr)")
        let peakKiB = fields.count == 2 ? fields[1] : Int.max
        // 500 decoded pages would be 500 × 0.5 MB bilevel (or 500 × 3.9 MB as 8-bit); the
        // compressed pages are about 20 MB in all.
        #expect(peakKiB < 200 * 1024, "peak resident memory \(peakKiB / 1024) MiB")
        #expect(try Tools.pageSizes(output).count == 500)
    }
}
