/// A page's image as a PDF image XObject carries it: compressed bytes and how to read them.
public struct EncodedImage: Sendable {
    /// The PDF filter and its parameters.
    public enum Compression: Sendable, Equatable {
        /// A baseline or progressive JPEG, as it was in the file.
        case dct
        /// One CCITT Group 4 strip. `blackIs1` when 1-bits are black (the file said MinIsBlack).
        case ccittG4(blackIs1: Bool)
        /// zlib data with PNG row predictors, `colors` samples per pixel.
        case flate(colors: Int)
    }

    /// The PDF colour space.
    public enum ColourSpace: Sendable, Equatable {
        case gray
        case rgb
        case cmyk
        /// Indices into an RGB palette (three bytes per entry).
        case indexedRGB(palette: [UInt8])
    }

    public let width: Int
    public let height: Int
    public let bitsPerComponent: Int
    public let colourSpace: ColourSpace
    public let compression: Compression
    /// CMYK stored inverted, as Adobe applications write CMYK JPEGs (needs a /Decode array).
    public let invertedCMYK: Bool
    /// The compressed bytes.
    public let data: [UInt8]
    /// Whether `data` comes from the file without decoding and re-encoding.
    public let passedThrough: Bool
    /// The transparency, as a gray image of the same size, when it is kept as a soft mask.
    public private(set) var softMask: SoftMask?

    /// An alpha channel as a PDF soft mask: gray samples, Flate with PNG predictors.
    public struct SoftMask: Sendable {
        public let width: Int
        public let height: Int
        public let bitsPerComponent: Int
        public let data: [UInt8]
    }

    /// This image with `mask` as its soft mask.
    public func withSoftMask(_ mask: SoftMask) -> EncodedImage {
        var copy = self
        copy.softMask = mask
        return copy
    }

    public init(width: Int, height: Int, bitsPerComponent: Int, colourSpace: ColourSpace,
                compression: Compression, invertedCMYK: Bool = false, data: [UInt8], passedThrough: Bool) {
        self.width = width
        self.height = height
        self.bitsPerComponent = bitsPerComponent
        self.colourSpace = colourSpace
        self.compression = compression
        self.invertedCMYK = invertedCMYK
        self.data = data
        self.passedThrough = passedThrough
    }

    /// A few words on how the image is stored, e.g. "CCITT G4, passed through".
    public var summary: String {
        let kind: String = switch compression {
        case .dct: "JPEG (DCT)"
        case .ccittG4: "CCITT G4"
        case .flate: "Flate"
        }
        let how = passedThrough ? "\(kind), passed through" : "\(kind), re-encoded losslessly"
        return softMask == nil ? how : how + ", with a soft mask"
    }
}
