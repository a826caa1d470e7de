import Foundation
import SohoaTestSupport
import Testing

@testable import SohoaImaging

@Suite struct ResolutionPolicyTests {
    let policy = ResolutionPolicy()

    @Test func plausibleStatedResolutionIsUsed() {
        let effective = policy.resolve(Resolution(x: 300, y: 300))
        #expect(effective == EffectiveResolution(dpi: 300, fromFile: true, note: nil))
    }

    @Test func tinyDifferenceStillCountsAsSquare() {
        #expect(policy.resolve(Resolution(x: 300, y: 299.5)).fromFile)
    }

    @Test(arguments: [
        (nil, "states no resolution"),
        (Resolution(x: 50, y: 50), "below 72 dpi"),
        (Resolution(x: 4000, y: 4000), "above 2400 dpi"),
        (Resolution(x: 200, y: 100), "not the same across and down"),
    ] as [(Resolution?, String)])
    func implausibleResolutionFallsBackAndSaysWhy(stated: Resolution?, reason: String) {
        let effective = policy.resolve(stated)
        #expect(effective.dpi == 200 && !effective.fromFile)
        #expect(effective.note?.contains(reason) == true)
        #expect(effective.note?.hasSuffix("200 dpi assumed") == true)
    }

    @Test func defaultIsConfigurable() {
        var custom = policy
        custom.defaultDPI = 300
        #expect(custom.resolve(nil).dpi == 300)
    }
}

@Suite struct PageAnalyzerTests {
    /// A white 8-bit gray page at 100 dpi (A4), with `ink` drawn into it.
    func grayPage(_ ink: (inout [UInt8], Int, Int) -> Void) -> Raster {
        let width = 827, height = 1169
        var pixels = [UInt8](repeating: 250, count: width * height)
        ink(&pixels, width, height)
        return Raster(width: width, height: height, components: 1, bitsPerComponent: 8, bytesPerRow: width, pixels: pixels)
    }

    func fill(_ pixels: inout [UInt8], _ width: Int, x: Range<Int>, y: Range<Int>, value: UInt8) {
        for row in y { for column in x { pixels[row * width + column] = value } }
    }

    @Test func paperWithSpecksIsBlank() {
        var generator = SeededGenerator(seed: 7)
        let page = grayPage { pixels, width, height in
            for _ in 0..<80 {
                let x = Int.random(in: 0..<width, using: &generator), y = Int.random(in: 0..<height, using: &generator)
                pixels[y * width + x] = 0
            }
        }
        let analysis = PageAnalyzer().analyze(page, dpi: 100, lossless: true)
        #expect(analysis.isBlank, "coverage \(analysis.inkCoverage)")
        #expect(analysis.mode == .gray)
    }

    @Test func oneShortLineOfTextIsNotBlank() {
        let page = grayPage { pixels, width, height in
            self.fill(&pixels, width, x: 300..<430, y: 600..<612, value: 10)
        }
        #expect(!PageAnalyzer().analyze(page, dpi: 100, lossless: true).isBlank)
    }

    @Test func edgeShadowAloneIsBlank() {
        let page = grayPage { pixels, width, height in
            self.fill(&pixels, width, x: 0..<20, y: 0..<height, value: 40)
        }
        #expect(PageAnalyzer().analyze(page, dpi: 100, lossless: true).isBlank)
    }

    @Test func pureBlackAndWhiteIsBilevelOnlyWhenLossless() {
        let page = grayPage { pixels, width, height in
            for index in pixels.indices { pixels[index] = 255 }
            self.fill(&pixels, width, x: 100..<700, y: 300..<320, value: 0)
        }
        #expect(PageAnalyzer().analyze(page, dpi: 100, lossless: true).mode == .bilevel)
        #expect(PageAnalyzer().analyze(page, dpi: 100, lossless: false).mode == .gray)
    }

    @Test func aRedStampMakesAColourPage() {
        let width = 400, height = 560
        var pixels = [UInt8](repeating: 245, count: width * height * 3)
        for y in 200..<240 { for x in 150..<190 { pixels[(y * width + x) * 3 + 1] = 40; pixels[(y * width + x) * 3 + 2] = 40 } }
        let raster = Raster(width: width, height: height, components: 3, bitsPerComponent: 8, bytesPerRow: width * 3, pixels: pixels)
        #expect(PageAnalyzer().analyze(raster, dpi: 50, lossless: false).mode == .colour)
    }

    @Test func bilevelRasterIsBilevel() {
        let width = 800, height = 1100
        var pixels = [UInt8](repeating: 0, count: (width / 8) * height)
        for row in 500..<520 { for byte in 20..<80 { pixels[row * (width / 8) + byte] = 0xFF } }
        let raster = Raster(width: width, height: height, components: 1, bitsPerComponent: 1, bytesPerRow: width / 8, pixels: pixels)
        let analysis = PageAnalyzer().analyze(raster, dpi: 100, lossless: true)
        #expect(analysis.mode == .bilevel && !analysis.isBlank)
    }
}

@Suite struct EncoderTests {
    @Test func achromaticRGBIsStoredAsGray() throws {
        let pixels = (0..<(64 * 64)).flatMap { index -> [UInt8] in let v = UInt8(index % 251); return [v, v, v] }
        let raster = Raster(width: 64, height: 64, components: 3, bitsPerComponent: 8, bytesPerRow: 192, pixels: pixels)
        let encoded = try LosslessEncoder.encode(raster)
        #expect(encoded.colourSpace == .gray && encoded.compression == .flate(colors: 1))
    }

    @Test func colourStaysColour() throws {
        let pixels = (0..<(64 * 64)).flatMap { index -> [UInt8] in [UInt8(index % 256), 0, 0] }
        let raster = Raster(width: 64, height: 64, components: 3, bitsPerComponent: 8, bytesPerRow: 192, pixels: pixels)
        #expect(try LosslessEncoder.encode(raster).colourSpace == .rgb)
    }

    @Test func bilevelBecomesG4() throws {
        var pixels = [UInt8](repeating: 0, count: 100 * 200)
        for index in stride(from: 0, to: pixels.count, by: 7) { pixels[index] = 0xF0 }
        let raster = Raster(width: 800, height: 200, components: 1, bitsPerComponent: 1, bytesPerRow: 100, pixels: pixels)
        let encoded = try LosslessEncoder.encode(raster)
        #expect(encoded.compression == .ccittG4(blackIs1: false))
        #expect(!encoded.data.isEmpty && encoded.data.count < pixels.count)
    }
}

@Suite struct OrientationTests {
    @Test func quarterTurnsSwapWidthAndHeight() {
        for orientation in Orientation.allCases {
            let size = orientation.uprightSize(width: 100, height: 200)
            #expect(orientation.rawValue >= 5 ? (size.width == 200 && size.height == 100) : (size.width == 100 && size.height == 200))
        }
    }

    @Test func unknownTagValuesMeanUpright() {
        #expect(Orientation(tag: 0) == .up && Orientation(tag: 9) == .up && Orientation(tag: 6) == .right)
    }
}

/// A small deterministic generator for test data.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }
    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
}
