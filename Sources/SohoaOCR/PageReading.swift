import SohoaImaging

/// Reads one page: turns it upright (its stored orientation, then what orientation detection
/// finds), recognises its text, and says how it was turned.
public struct PageReading: Sendable {
    /// What was read, on the page turned upright.
    public let page: RecognizedPage
    /// Quarter turns clockwise orientation detection added after the stored orientation (0 to 3).
    public let addedTurns: Int
    /// How sure orientation detection was (Tesseract's confidence), nil when it did not run.
    public let orientationConfidence: Double?

    public init(page: RecognizedPage, addedTurns: Int, orientationConfidence: Double?) {
        self.page = page
        self.addedTurns = addedTurns
        self.orientationConfidence = orientationConfidence
    }

    /// A skew under this many degrees is left for Tesseract, which reads lines that little off
    /// well; above it the page is read straightened.
    public static let straightenFrom = 0.3

    /// Reads `raster` (a decoded page, as stored) shown with `orientation`, scanned at `dpi`:
    /// upright, and straightened when its lines slope (the PDF keeps the image as scanned).
    public static func read(_ raster: Raster, orientation: Orientation, dpi: Double, with pool: OCREnginePool) throws -> PageReading {
        var image = try GrayImage(raster).upright(orientation)
        let resolution = Int(dpi.rounded())
        return try pool.withEngine { engine, detector in
            var turns = 0
            var confidence: Double?
            if let detector {
                // Orientation shows as well at 150 dpi as at 300, for a quarter of the work.
                let found = resolution >= 250 ? detector.quarterTurnsToUpright(image.halved(), dpi: resolution / 2)
                    : detector.quarterTurnsToUpright(image, dpi: resolution)
                confidence = found.confidence
                turns = found.turns
                if turns != 0 { image = image.rotated(quarterTurns: turns) }
            }
            let skew = SkewEstimate.degrees(in: image)
            guard let skew, abs(skew) >= straightenFrom else {
                let read = try engine.recognize(image, dpi: resolution)
                let page = RecognizedPage(width: read.width, height: read.height, words: read.words,
                                          skewDegrees: skew ?? read.skewDegrees)
                return PageReading(page: page, addedTurns: turns, orientationConfidence: confidence)
            }
            let read = try engine.recognize(image.straightened(byDegrees: skew), dpi: resolution)
            let page = RecognizedPage(width: read.width, height: read.height, words: read.words, skewDegrees: skew,
                                      straightenedBy: skew)
            return PageReading(page: page, addedTurns: turns, orientationConfidence: confidence)
        }
    }
}
