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

    /// Reads `raster` (a decoded page, as stored) shown with `orientation`, scanned at `dpi`.
    public static func read(_ raster: Raster, orientation: Orientation, dpi: Double, with pool: OCREnginePool) throws -> PageReading {
        var image = try GrayImage(raster).upright(orientation)
        let resolution = Int(dpi.rounded())
        return try pool.withEngine { engine, detector in
            var turns = 0
            var confidence: Double?
            if let detector {
                let found = detector.quarterTurnsToUpright(image, dpi: resolution)
                confidence = found.confidence
                turns = found.turns
                if turns != 0 { image = image.rotated(quarterTurns: turns) }
            }
            return PageReading(page: try engine.recognize(image, dpi: resolution), addedTurns: turns, orientationConfidence: confidence)
        }
    }
}
