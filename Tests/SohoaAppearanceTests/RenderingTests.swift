import Foundation
import Testing
import SohoaTestSupport
@testable import SohoaAppearance

/// The appearance rendered as a reader sees it (poppler at 200 dpi, as a scan is checked),
/// the QR code read back with zbar.
@Suite final class RenderingTests {
    let scratch: URL

    init() throws { scratch = try Fixtures.makeScratch("appearance-rendering") }
    deinit { Fixtures.removeScratch(scratch) }

    /// Renders the page at `dpi` as PNG (for zbar) and returns its path.
    private func renderPNG(_ pdf: String, dpi: Int) throws -> String {
        let prefix = scratch.appendingPathComponent("page-\(dpi)").path
        // The top of the page only (where the blocks are): zbar reads a smaller picture faster.
        let height = 300 * dpi / 72
        let result = try Run.process("/usr/bin/pdftoppm", ["-r", "\(dpi)", "-png", "-singlefile", "-x", "0", "-y", "0",
                                                           "-W", "\(595 * dpi / 72)", "-H", "\(height)", pdf, prefix])
        #expect(result.status == 0, "\(result.stderr)")
        return prefix + ".png"
    }

    /// Renders the page at `dpi` as PPM, read back.
    private func renderPPM(_ pdf: String, dpi: Int) throws -> PPMImage {
        let prefix = scratch.appendingPathComponent("page-\(dpi)").path
        let result = try Run.process("/usr/bin/pdftoppm", ["-r", "\(dpi)", "-singlefile", pdf, prefix])
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(PPMImage(Array(try Data(contentsOf: URL(fileURLWithPath: prefix + ".ppm")))))
    }

    private func zbar(_ png: String) throws -> ProcessResult {
        try Run.process("/usr/bin/zbarimg", ["--raw", "-q", png])
    }

    @Test func qrCodeInTheBlockDecodesFromA200DpiRenderingWithThePayload() throws {
        let payload = Blocks.qrPayload()
        let block = try Blocks.block(qr: try QRSymbol(text: payload), width: 300, height: 100)
        let layout = try block.layout()
        let module = try #require(layout.qrModuleSize)
        #expect(module >= QRAppearance.minimumModuleSize)
        let placed = try PlacedBlock(block, in: scratch)
        let result = try zbar(try renderPNG(placed.path, dpi: 200))
        #expect(result.status == 0, "zbarimg found nothing: \(result.stderr)")
        let decoded = result.stdout.hasSuffix("\n") ? String(result.stdout.dropLast()) : result.stdout
        #expect(decoded.scalarValues == payload.precomposedStringWithCanonicalMapping.scalarValues, "\(decoded)")
    }

    @Test func standaloneQRAppearanceAtTheMinimumModuleSizeDecodes() throws {
        let payload = "Số hóa từ bản giấy: Trần Thị Bình, \(Blocks.time)"
        let appearance = try QRAppearance(symbol: try QRSymbol(text: payload, errorCorrection: .quartile),
                                          moduleSize: QRAppearance.minimumModuleSize)
        let bytes = try TestPDF.bytes(x: 400, y: 700) { try appearance.makeObjects(allocate: $0) }
        let path = try Fixtures.write(bytes, named: "qr.pdf", in: scratch)
        let result = try zbar(try renderPNG(path, dpi: 200))
        #expect(result.status == 0, "zbarimg found nothing: \(result.stderr)")
        #expect(result.stdout.dropLast().unicodeScalars.map(\.value) == payload.scalarValues, "\(result.stdout)")
    }

    @Test func textIsDrawnInDarkBlueInsideTheBlockAndNothingOutside() throws {
        let block = try Blocks.block()
        let placed = try PlacedBlock(block, in: scratch)
        let image = try renderPPM(placed.path, dpi: 72)
        // The page is 595 × 842 pt at 72 dpi: one pixel per point, y from the top.
        let top = Int(TestPDF.pageHeight - placed.y - block.height)
        let inside = image.count(x: Int(placed.x) + 2..<Int(placed.x + block.width) - 2,
                                 y: top + 2..<top + Int(block.height) - 2) { $0.2 > $0.0 + 40 && $0.0 < 120 }
        #expect(inside > 300, "dark blue pixels inside the block: \(inside)")
        // A band 40 pt deep all around the block stays white.
        let left = Int(placed.x), right = Int(placed.x + block.width), bottom = top + Int(block.height)
        func ink(x: Range<Int>, y: Range<Int>) -> Int { image.count(x: x, y: y) { $0 != (255, 255, 255) } }
        let outside = ink(x: left - 30..<right + 40, y: bottom + 2..<bottom + 40) + ink(x: right + 2..<right + 40, y: top - 30..<bottom)
            + ink(x: left - 30..<left - 2, y: top - 30..<bottom) + ink(x: left - 30..<right + 40, y: top - 30..<top - 2)
        #expect(outside == 0, "pixels drawn outside the block: \(outside)")
    }

    @Test func sealWithTransparencyIsDrawnOverTheLeftThirdAndLetsThePageShowThrough() throws {
        let sealPath = try Fixtures.write(try TestImages.sealPNG(), named: "seal.png", in: scratch)
        let seal = try SealImage(path: sealPath)
        #expect(seal.hasTransparency)
        let block = try Blocks.block(seal: seal, width: 330, height: 90)
        let layout = try block.layout()
        let rect = try #require(layout.seal)
        #expect(rect.maxX <= block.width / 3 + 0.001 && abs(rect.width - rect.height) < 0.01)
        #expect(layout.textArea.x >= rect.maxX)
        let placed = try PlacedBlock(block, in: scratch)
        let image = try renderPPM(placed.path, dpi: 72)
        let left = Int(placed.x + rect.x), top = Int(TestPDF.pageHeight - placed.y - rect.maxY)
        let side = Int(rect.width)
        func isRed(_ pixel: (Int, Int, Int)) -> Bool { pixel.0 > 150 && pixel.1 < 110 && pixel.2 < 110 }
        let red = image.count(x: left..<left + side, y: top..<top + side, where: isRed)
        #expect(red > side * side / 8, "red seal pixels: \(red) of \(side * side)")
        // Between the ring and the star the seal is transparent: the white page shows.
        let gapX = left + side / 2 + Int(Double(side) * 0.3), gapY = top + side / 2
        #expect(image.rgb(gapX, gapY) == (255, 255, 255), "\(image.rgb(gapX, gapY))")
        let centre = image.rgb(left + side / 2, top + side / 2)
        #expect(isRed(centre), "\(centre)")
    }
}
