/// An image as a PDF image XObject stores it.
public struct PDFPageImage: Sendable {
    /// The stream filter and its parameters.
    public enum Filter: Sendable, Equatable {
        case dct
        case ccittG4(blackIs1: Bool)
        /// FlateDecode with PNG predictors (/Predictor 15), `colors` samples per pixel.
        case flatePNG(colors: Int)
    }

    /// The image's colour space.
    public enum ColourSpace: Sendable, Equatable {
        case deviceGray
        case deviceRGB
        case deviceCMYK
        /// /Indexed over /DeviceRGB with this palette (three bytes per entry).
        case indexedRGB(palette: [UInt8])
    }

    public var width: Int
    public var height: Int
    public var bitsPerComponent: Int
    public var colourSpace: ColourSpace
    public var filter: Filter
    /// CMYK stored inverted (Adobe JPEG): adds /Decode [1 0 1 0 1 0 1 0].
    public var invertedCMYK: Bool
    /// The encoded stream data.
    public var data: [UInt8]
    /// Transparency as a soft mask: a DeviceGray image of the same size, FlateDecode with PNG
    /// predictors, at `softMaskBitsPerComponent`.
    public var softMask: [UInt8]?
    public var softMaskBitsPerComponent: Int

    public init(width: Int, height: Int, bitsPerComponent: Int, colourSpace: ColourSpace, filter: Filter,
                invertedCMYK: Bool = false, data: [UInt8], softMask: [UInt8]? = nil, softMaskBitsPerComponent: Int = 8) {
        self.width = width
        self.height = height
        self.bitsPerComponent = bitsPerComponent
        self.colourSpace = colourSpace
        self.filter = filter
        self.invertedCMYK = invertedCMYK
        self.data = data
        self.softMask = softMask
        self.softMaskBitsPerComponent = softMaskBitsPerComponent
    }
}

/// How to place a stored image upright on its page: the TIFF/EXIF Orientation values 1–8.
public enum PDFImagePlacement: Int, Sendable {
    case up = 1, upMirrored, down, downMirrored, leftMirrored, right, rightMirrored, left

    /// The content-stream matrix that draws the image's unit square upright on a page of
    /// `width × height` points (already the upright size).
    func matrix(width w: Double, height h: Double) -> [Double] {
        switch self {
        case .up: return [w, 0, 0, h, 0, 0]
        case .upMirrored: return [-w, 0, 0, h, w, 0]
        case .down: return [-w, 0, 0, -h, w, h]
        case .downMirrored: return [w, 0, 0, -h, 0, h]
        case .leftMirrored: return [0, -h, -w, 0, w, h]
        case .right: return [0, -h, w, 0, 0, h]
        case .rightMirrored: return [0, h, w, 0, 0, 0]
        case .left: return [0, h, -w, 0, w, 0]
        }
    }
}
