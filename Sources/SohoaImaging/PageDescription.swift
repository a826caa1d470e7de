/// How a page's pixels are coloured, as stored in the file.
public enum ColourModel: String, Sendable, Equatable {
    /// One bit per pixel: black and white.
    case bilevel
    /// Shades of gray.
    case gray
    /// Colours indexed through a palette.
    case palette
    /// Red, green, blue (or YCbCr, which decodes to RGB).
    case rgb
    /// Cyan, magenta, yellow, black.
    case cmyk
}

/// A resolution in dots per inch, horizontally and vertically.
public struct Resolution: Sendable, Equatable, CustomStringConvertible {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    public var description: String {
        if abs(x - y) < 0.5 { return "\(Int(x.rounded())) dpi" }
        return "\(Int(x.rounded()))×\(Int(y.rounded())) dpi"
    }
}

/// What a page's header says, read without decoding its pixels.
public struct PageDescription: Sendable, Equatable {
    /// Width in pixels, as stored (before any orientation is applied).
    public var width: Int
    /// Height in pixels, as stored.
    public var height: Int
    /// The colour model stored in the file.
    public var colour: ColourModel
    /// Bits per colour component (1 for bilevel, usually 8).
    public var bitsPerComponent: Int
    /// Whether the page carries an alpha channel.
    public var hasAlpha: Bool
    /// The resolution the file states, or `nil` when it states none.
    public var resolution: Resolution?
    /// How the pixels are encoded in the file, in a few words ("CCITT G4", "JPEG progressive").
    public var encoding: String

    public init(width: Int, height: Int, colour: ColourModel, bitsPerComponent: Int,
                hasAlpha: Bool, resolution: Resolution?, encoding: String) {
        self.width = width
        self.height = height
        self.colour = colour
        self.bitsPerComponent = bitsPerComponent
        self.hasAlpha = hasAlpha
        self.resolution = resolution
        self.encoding = encoding
    }
}

/// A decoded page, normalised: top row first, as stored (orientation not applied), alpha
/// flattened onto white.
///
/// - 1 bit per sample: bilevel, packed most significant bit first, **1 = black**.
/// - 8 or 16 bits: 0 = black (gray) or no light (RGB); CMYK as ink amounts (0 = no ink).
///   16-bit samples are big-endian, as PDF and PNG store them.
/// - With a `palette`, samples are 8-bit indices into it.
public struct Raster: Sendable {
    public var width: Int
    public var height: Int
    /// Samples per pixel: 1 gray, bilevel or palette index; 3 RGB; 4 CMYK.
    public var components: Int
    /// Bits per sample: 1, 8 or 16.
    public var bitsPerComponent: Int
    /// Bytes from one row to the next.
    public var bytesPerRow: Int
    /// The samples, `bytesPerRow × height` bytes.
    public var pixels: [UInt8]
    /// RGB palette entries (three bytes each) when samples are indices.
    public var palette: [UInt8]?

    public init(width: Int, height: Int, components: Int, bitsPerComponent: Int,
                bytesPerRow: Int, pixels: [UInt8], palette: [UInt8]? = nil) {
        self.width = width
        self.height = height
        self.components = components
        self.bitsPerComponent = bitsPerComponent
        self.bytesPerRow = bytesPerRow
        self.pixels = pixels
        self.palette = palette
    }

    /// An 8-bit gray raster packed to 1 bit per pixel (1 = black for every sample below 128).
    public func packedBilevel() -> Raster {
        guard components == 1, bitsPerComponent == 8, palette == nil else { return self }
        let rowBytes = (width + 7) / 8
        var packed = [UInt8](repeating: 0, count: rowBytes * height)
        for row in 0..<height {
            for column in 0..<width where pixels[row * bytesPerRow + column] < 128 {
                packed[row * rowBytes + column / 8] |= 0x80 >> UInt8(column % 8)
            }
        }
        return Raster(width: width, height: height, components: 1, bitsPerComponent: 1, bytesPerRow: rowBytes,
                      pixels: packed)
    }

    /// The colour space this raster is in.
    public var colourSpace: EncodedImage.ColourSpace {
        if let palette { return .indexedRGB(palette: palette) }
        switch components {
        case 3: return .rgb
        case 4: return .cmyk
        default: return .gray
        }
    }
}
