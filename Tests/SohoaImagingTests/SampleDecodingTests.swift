import Foundation
import SohoaImaging
import SohoaTestSupport
import Testing

/// Every scan in Samples/ decodes through the wrappers, with the size and resolution it claims.
@Suite struct SampleDecodingTests {
    @Test func samplesExistInEveryFormat() {
        let files = Fixtures.sampleImages()
        #expect(files.contains { $0.hasSuffix(".tif") })
        #expect(files.contains { $0.hasSuffix(".png") })
        #expect(files.contains { $0.hasSuffix(".jpg") })
    }

    @Test(arguments: Fixtures.sampleImages())
    func sampleDecodes(path: String) throws {
        let source = try ImageReader.open(path: path)
        #expect(source.pageCount >= 1)
        for index in 0..<source.pageCount {
            let page = try source.describePage(index)
            let raster = try source.decodePage(index)
            #expect(raster.width == page.width && raster.height == page.height)
            #expect(raster.pixels.count == raster.bytesPerRow * raster.height)
            // A4 scans at 200–300 dpi: 210 × 297 mm.
            let dpi = try #require(page.resolution, "\(path) page \(index + 1) states no resolution")
            #expect((199.0...301.0).contains(dpi.x) && abs(dpi.x - dpi.y) < 1)
            let widthMM = Double(page.width) / dpi.x * 25.4
            let heightMM = Double(page.height) / dpi.y * 25.4
            #expect(abs(widthMM - 210) < 3 && abs(heightMM - 297) < 3, "\(widthMM) × \(heightMM) mm")
            // A scan of a printed page is neither empty nor solid: some dark and some light pixels.
            #expect(Set(raster.pixels.prefix(raster.bytesPerRow * raster.height / 2)).count > 1)
        }
    }

    @Test func multiPageG4TIFFIsReadPageByPage() throws {
        let path = try #require(Fixtures.sampleImages().first { $0.hasSuffix(".tif") })
        let tiff = try TIFFFile(path: path)
        #expect(tiff.pageCount > 1)
        let first = try tiff.describePage(0)
        #expect(first.colour == .bilevel)
        #expect(first.encoding == "CCITT G4")
        let raster = try tiff.decodePage(tiff.pageCount - 1)
        #expect(raster.bitsPerComponent == 1 && raster.bytesPerRow == (raster.width + 7) / 8)
    }
}
