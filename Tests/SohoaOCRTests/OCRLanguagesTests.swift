import Foundation
import SohoaImaging
import SohoaOCR
import Testing

/// The languages are checked before any page is read: a missing pack is named with the Debian
/// package that brings it, and nothing but Tesseract's codes reaches it.
@Suite struct OCRLanguagesTests {
    @Test func theInstalledLanguagesAreAccepted() throws {
        let languages = try OCRLanguages("vie+eng")
        #expect(languages.codes == ["vie", "eng"])
        #expect(languages.description == "vie+eng")
    }

    @Test func aMissingLanguageNamesItsDebianPackage() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sohoa-tessdata-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        FileManager.default.createFile(atPath: folder + "/eng.traineddata", contents: Data([0]))
        #expect(throws: OCRError.languageMissing(language: "vie", debianPackage: "tesseract-ocr-vie", folder: folder)) {
            try OCRLanguages("eng+vie", dataFolder: folder)
        }
        #expect(OCRLanguages.debianPackage("chi_sim") == "tesseract-ocr-chi-sim")
        #expect(throws: OCRError.languageMissing(language: "osd", debianPackage: "tesseract-ocr-osd", folder: folder)) {
            try OrientationDetector(dataFolder: folder)
        }
        let message = OCRError.languageMissing(language: "vie", debianPackage: "tesseract-ocr-vie", folder: folder).description
        #expect(message.contains("tesseract-ocr-vie") && message.contains("vie.traineddata"))
    }

    @Test(arguments: ["", "vie+", "+eng", "vie+vie", "../etc/passwd", "VIE", "vie eng", "osd", "vie;eng", String(repeating: "a", count: 17)])
    func aListThatIsNotOfLanguageCodesIsRefused(list: String) {
        #expect(throws: OCRError.badLanguageList(list)) { try OCRLanguages(list) }
    }

    /// Turning and mirroring a page, as the stored orientation and OSD ask.
    @Test func imagesTurnAsAsked() {
        // 3 × 2: 1 2 3 / 4 5 6
        let image = GrayImage(width: 3, height: 2, pixels: [1, 2, 3, 4, 5, 6])
        #expect(image.rotated(quarterTurns: 1).pixels == [4, 1, 5, 2, 6, 3])
        #expect(image.rotated(quarterTurns: 1).width == 2)
        #expect(image.rotated(quarterTurns: 2).pixels == [6, 5, 4, 3, 2, 1])
        #expect(image.rotated(quarterTurns: 3).pixels == [3, 6, 2, 5, 1, 4])
        #expect(image.rotated(quarterTurns: -1).pixels == image.rotated(quarterTurns: 3).pixels)
        #expect(image.mirrored().pixels == [3, 2, 1, 6, 5, 4])
        #expect(image.upright(.leftMirrored).pixels == [1, 4, 2, 5, 3, 6], "transposed")
        #expect(image.upright(.rightMirrored).pixels == [6, 3, 5, 2, 4, 1], "transversed")
        #expect(image.upright(.downMirrored).pixels == [4, 5, 6, 1, 2, 3])
    }

    /// Rasters of every kind become gray: bilevel 1 = black, RGB by luminance, CMYK ink, 16-bit.
    @Test func rastersOfEveryKindBecomeGray() throws {
        let bilevel = try GrayImage(Raster(width: 9, height: 1, components: 1, bitsPerComponent: 1, bytesPerRow: 2,
                                           pixels: [0b1000_0001, 0b1000_0000]))
        #expect(bilevel.pixels == [0, 255, 255, 255, 255, 255, 255, 0, 0])
        let rgb = try GrayImage(Raster(width: 2, height: 1, components: 3, bitsPerComponent: 8, bytesPerRow: 6,
                                       pixels: [255, 255, 255, 255, 0, 0]))
        #expect(rgb.pixels == [255, 76])
        let cmyk = try GrayImage(Raster(width: 2, height: 1, components: 4, bitsPerComponent: 8, bytesPerRow: 8,
                                        pixels: [0, 0, 0, 0, 0, 0, 0, 255]))
        #expect(cmyk.pixels == [255, 0])
        let deep = try GrayImage(Raster(width: 1, height: 1, components: 1, bitsPerComponent: 16, bytesPerRow: 2, pixels: [0x80, 0xFF]))
        #expect(deep.pixels == [0x80])
        #expect(throws: OCRError.self) {
            try GrayImage(Raster(width: 4, height: 4, components: 1, bitsPerComponent: 8, bytesPerRow: 4, pixels: [0]))
        }
    }
}
