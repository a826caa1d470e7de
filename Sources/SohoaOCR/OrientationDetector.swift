import CTesseract
import Foundation

/// Tells a page scanned sideways or upside down, with Tesseract's orientation and script
/// detection (the trained data `osd`, Debian's tesseract-ocr-osd).
public final class OrientationDetector {
    private let handle: OpaquePointer

    /// Below this confidence the page is left as it is: an upright page with little text can
    /// look turned to OSD, and turning a page wrongly is worse than not turning it.
    public static let minimumConfidence: Float = 2

    /// Starts Tesseract's orientation detection with the trained data in `dataFolder`.
    ///
    /// - Throws: `OCRError.languageMissing` naming tesseract-ocr-osd when it is not installed.
    public init(dataFolder: String = OCRLanguages.defaultDataFolder) throws(OCRError) {
        try Self.requireData(in: dataFolder)
        TesseractProcess.prepare()
        guard let handle = TessBaseAPICreate() else { throw .engineFailed("no Tesseract instance could be made") }
        _ = TessBaseAPISetVariable(handle, "debug_file", "/dev/null")
        guard TessBaseAPIInit3(handle, dataFolder, "osd") == 0 else {
            TessBaseAPIDelete(handle)
            throw .engineFailed("the orientation data in \(dataFolder) could not be loaded")
        }
        TessBaseAPISetPageSegMode(handle, PSM_OSD_ONLY)
        self.handle = handle
    }

    /// - Throws: `OCRError.languageMissing` naming tesseract-ocr-osd when its trained data is
    ///   not in `dataFolder`.
    public static func requireData(in dataFolder: String) throws(OCRError) {
        guard FileManager.default.isReadableFile(atPath: "\(dataFolder)/osd.traineddata") else {
            throw .languageMissing(language: "osd", debianPackage: "tesseract-ocr-osd", folder: dataFolder)
        }
    }

    deinit {
        TessBaseAPIEnd(handle)
        TessBaseAPIDelete(handle)
    }

    /// How many quarter turns clockwise make `image` upright (0 to 3), and how sure OSD is;
    /// 0 when it cannot tell or is not sure enough.
    public func quarterTurnsToUpright(_ image: GrayImage, dpi: Int) -> (turns: Int, confidence: Double) {
        image.pixels.withUnsafeBufferPointer { pixels in
            TessBaseAPISetImage(handle, pixels.baseAddress, Int32(image.width), Int32(image.height), 1, Int32(image.width))
        }
        TessBaseAPISetSourceResolution(handle, Int32(max(70, min(2400, dpi))))
        defer { TessBaseAPIClear(handle) }
        TesseractProcess.singleThreaded()
        var degrees: Int32 = 0
        var confidence: Float = 0
        var script: UnsafePointer<CChar>?
        var scriptConfidence: Float = 0
        guard TessBaseAPIDetectOrientationScript(handle, &degrees, &confidence, &script, &scriptConfidence) != 0,
              confidence >= Self.minimumConfidence else {
            return (0, Double(confidence))
        }
        // OSD gives how far the page is turned clockwise: as many quarter turns anticlockwise make it upright.
        return ((4 - Int(degrees / 90) % 4) % 4, Double(confidence))
    }
}
