import Foundation
import Testing
import SohoaTestSupport
@testable import SohoaAppearance

/// Reading seal images: what is accepted, what is refused and why.
@Suite final class SealImageTests {
    let scratch: URL

    init() throws { scratch = try Fixtures.makeScratch("appearance-seal") }
    deinit { Fixtures.removeScratch(scratch) }

    @Test func transparentSealGetsASoftMask() throws {
        let seal = try SealImage(path: try Fixtures.write(try TestImages.sealPNG(), named: "seal.png", in: scratch))
        #expect(seal.width == 240 && seal.height == 240 && seal.hasTransparency)
        var next = 1
        var numbers = ObjectNumbers()
        let made = try seal.objects(allocate: { defer { next += 1 }; return next }, numbers: &numbers)
        #expect(made.objects.count == 2)
        #expect(made.objects[0].dictionary.contains("/ColorSpace /DeviceRGB") && made.objects[0].dictionary.contains("/SMask 2 0 R"))
        #expect(made.objects[1].dictionary.contains("/ColorSpace /DeviceGray"))
        // The colour stream inflates to one filter byte and 240 RGB pixels per row.
        let colour = try Deflate.decompress(made.objects[0].streamData ?? [], limit: 1 << 20, what: "colour")
        #expect(colour.count == 240 * (1 + 240 * 3))
    }

    @Test func opaqueGrayImageHasNoMask() throws {
        let samples = (0..<64 * 32).map { UInt8($0 % 256) }
        let path = try Fixtures.write(try TestImages.png(width: 64, height: 32, channels: 1, samples: samples), named: "gray.png", in: scratch)
        let seal = try SealImage(path: path)
        #expect(!seal.hasTransparency && seal.alphaStream == nil && seal.width == 64 && seal.height == 32)
    }

    @Test func grayWithAlphaBecomesRGBWithAMask() throws {
        // Left half opaque black, right half transparent.
        let samples = (0..<16 * 8).flatMap { pixel -> [UInt8] in pixel % 16 < 8 ? [0, 255] : [255, 0] }
        let path = try Fixtures.write(try TestImages.png(width: 16, height: 8, channels: 2, samples: samples), named: "ga.png", in: scratch)
        let seal = try SealImage(path: path)
        #expect(seal.hasTransparency)
        let alpha = try Deflate.decompress(seal.alphaStream ?? [], limit: 1 << 16, what: "alpha")
        let colour = try Deflate.decompress(seal.colourStream, limit: 1 << 16, what: "colour")
        #expect(alpha.count == 8 * 17 && colour.count == 8 * 49)
    }

    @Test func largeSealIsReducedKeepingItsProportions() throws {
        let samples = [UInt8](repeating: 200, count: 1200 * 600 * 4)
        let path = try Fixtures.write(try TestImages.png(width: 1200, height: 600, channels: 4, samples: samples), named: "big.png", in: scratch)
        let seal = try SealImage(path: path)
        #expect(seal.width == SealImage.defaultMaximumPixelSide && seal.height == SealImage.defaultMaximumPixelSide / 2)
    }

    @Test func jpegIsNotAPNGImage() throws {
        let path = try Fixtures.write([0xFF, 0xD8, 0xFF, 0xE0] + [UInt8](repeating: 0, count: 100), named: "seal.png", in: scratch)
        let error = #expect(throws: AppearanceError.self) { try SealImage(path: path) }
        #expect(error?.description == "\(path) is not a PNG image")
    }

    @Test func fileOverFourMebibytesIsRefusedBeforeDecoding() throws {
        let bytes = try TestImages.sealPNG() + [UInt8](repeating: 0, count: 4 << 20)
        let path = try Fixtures.write(bytes, named: "huge.png", in: scratch)
        let error = #expect(throws: AppearanceError.self) { try SealImage(path: path) }
        #expect(error?.description == "\(path) is too large: a seal image file may be at most 4 MiB, this one is larger")
    }

    @Test func imageWiderThan4000PixelsIsRefused() throws {
        let path = try Fixtures.write(try TestImages.png(width: 4001, height: 1, channels: 1, samples: [UInt8](repeating: 0, count: 4001)),
                                     named: "wide.png", in: scratch)
        let error = #expect(throws: AppearanceError.self) { try SealImage(path: path) }
        #expect(error?.description == "\(path) is too large: it is 4001×1 pixels; a seal image may be at most 4000×4000")
    }

    @Test func damagedPNGGivesLibpngsReason() throws {
        var bytes = try TestImages.sealPNG()
        bytes[bytes.count - 20] ^= 0xFF  // inside the IDAT data: its CRC no longer matches
        let path = try Fixtures.write(bytes, named: "damaged.png", in: scratch)
        let error = #expect(throws: AppearanceError.self) { try SealImage(path: path) }
        guard case .damagedImage(let detail)? = error?.kind else {
            Issue.record("expected a damaged-image refusal, got \(String(describing: error))")
            return
        }
        #expect(detail.hasPrefix("libpng: "), "\(detail)")
        #expect(error?.description.contains("is a damaged PNG image") == true)
    }

    @Test func truncatedPNGIsDamaged() throws {
        let bytes = Array(try TestImages.sealPNG().prefix(200))
        let path = try Fixtures.write(bytes, named: "truncated.png", in: scratch)
        let error = #expect(throws: AppearanceError.self) { try SealImage(path: path) }
        #expect(error?.description.contains("is a damaged PNG image") == true, "\(String(describing: error))")
    }
}

