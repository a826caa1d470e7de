/// One page ready to be placed in a PDF: its image as the PDF will carry it, how to turn it
/// upright, its resolution, and what its pixels hold.
public struct PreparedPage: Sendable {
    /// The image file the page comes from.
    public let source: String
    /// The page's index within that file, from 0.
    public let indexInFile: Int
    /// What the file's header says about the page.
    public let description: PageDescription
    /// How to turn the stored pixels upright.
    public let orientation: Orientation
    /// The resolution used for the page size.
    public let resolution: EffectiveResolution
    /// Bilevel / gray / colour, and blank or not.
    public let analysis: PageAnalysis
    /// The image as it goes into the PDF.
    public let image: EncodedImage
    /// The date the file records for the image (`YYYY-MM-DDTHH:MM:SS`, no zone), if any.
    public let recordedDate: String?
    /// Where the image has strokes, when the settings asked for it (`recordsInk`) and the
    /// samples are gray, RGB or bilevel: what the assembler records for page 1.
    public var ink: StrokePixels? = nil

    /// The upright page size in PDF points (1/72 inch).
    public var pageSize: (width: Double, height: Double) {
        let upright = orientation.uprightSize(width: description.width, height: description.height)
        return (Double(upright.width) * 72 / resolution.dpi, Double(upright.height) * 72 / resolution.dpi)
    }
}

/// What page preparation needs besides the file: the resolution rule, the analyser, and
/// what to do with transparency.
public struct PreparationSettings: Sendable {
    public var resolution: ResolutionPolicy
    public var analyzer: PageAnalyzer
    /// Keep transparency as a PDF soft mask instead of flattening it onto white. Flattening is
    /// the default: a scan has no meaningful transparency, and a flattened page looks the same
    /// in every reader. Premultiplied (associated) alpha is always flattened.
    public var keepTransparency: Bool
    /// Also find where the page's image has strokes (`PreparedPage.ink`), from the pixels
    /// decoded anyway: asked for the page that becomes page 1 of a document.
    public var recordsInk: Bool

    public init(resolution: ResolutionPolicy = ResolutionPolicy(), analyzer: PageAnalyzer = PageAnalyzer(),
                keepTransparency: Bool = false, recordsInk: Bool = false) {
        self.resolution = resolution
        self.analyzer = analyzer
        self.keepTransparency = keepTransparency
        self.recordsInk = recordsInk
    }
}

extension PreparedPage {
    /// This page with `ink` found in `pixels` (the decoded image, or a preview of it at reduced
    /// scale) when `settings` asks for it.
    func recordingInk(of pixels: Raster, _ settings: PreparationSettings) -> PreparedPage {
        guard settings.recordsInk else { return self }
        var page = self
        page.ink = GrayPreview.reducing(raster: pixels).map(StrokePixels.init)
        return page
    }
}

/// Dates as the files record them, turned into `YYYY-MM-DDTHH:MM:SS`.
enum RecordedDate {
    /// Parses the TIFF/EXIF form `YYYY:MM:DD HH:MM:SS`; returns nil for anything else.
    static func fromTIFF(_ text: String) -> String? {
        let bytes = Array(text.utf8.prefix(19))
        guard bytes.count == 19 else { return nil }
        let digitPositions = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]
        guard digitPositions.allSatisfy({ (0x30...0x39).contains(bytes[$0]) }),
              bytes[4] == 0x3A, bytes[7] == 0x3A, bytes[10] == 0x20, bytes[13] == 0x3A, bytes[16] == 0x3A else {
            return nil
        }
        let text = String(decoding: bytes, as: UTF8.self)
        let year = text.prefix(4)
        let month = Int(text.dropFirst(5).prefix(2)) ?? 0
        let day = Int(text.dropFirst(8).prefix(2)) ?? 0
        guard year != "0000", (1...12).contains(month), (1...31).contains(day) else { return nil }
        return "\(year)-\(text.dropFirst(5).prefix(2))-\(text.dropFirst(8).prefix(2))T\(text.dropFirst(11).prefix(8))"
    }
}
