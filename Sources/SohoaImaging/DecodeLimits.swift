/// Bounds that protect the machine from hostile or absurd images.
///
/// They are checked against the image's header before anything is decoded, so a
/// decompression bomb is refused without allocating its pixels.
public struct DecodeLimits: Sendable, Equatable {
    /// The largest page accepted, in pixels (width × height).
    public var maxPixels: Int
    /// The largest decoded page accepted, in bytes.
    public var maxDecodedBytes: Int
    /// The largest input file read into memory, in bytes.
    public var maxFileBytes: Int
    /// The most pages read from one file.
    public var maxPages: Int

    /// Creates limits; the defaults fit an A3 sheet at 1200 dpi with room to spare.
    public init(
        maxPixels: Int = 300_000_000,
        maxDecodedBytes: Int = 1 << 30,
        maxFileBytes: Int = 512 << 20,
        maxPages: Int = 5_000
    ) {
        self.maxPixels = maxPixels
        self.maxDecodedBytes = maxDecodedBytes
        self.maxFileBytes = maxFileBytes
        self.maxPages = maxPages
    }

    /// The default limits.
    public static let standard = DecodeLimits()

    /// Throws `ImagingError.Reason.tooLarge` when a page of this size and depth is over a limit.
    func check(width: Int, height: Int, bitsPerPixel: Int, file: String, page: Int) throws {
        guard width > 0, height > 0 else {
            throw ImagingError(file: file, page: page, reason: .damaged("the image has no pixels"))
        }
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        let limitText = "\(maxPixels / 1_000_000) megapixels"
        guard !overflow, pixels <= maxPixels else {
            throw ImagingError(file: file, page: page,
                               reason: .tooLarge(width: width, height: height, limit: limitText))
        }
        let bytes = (pixels / 8) * max(bitsPerPixel, 1) + max(bitsPerPixel, 1)
        guard bytes <= maxDecodedBytes else {
            throw ImagingError(file: file, page: page,
                               reason: .tooLarge(width: width, height: height,
                                                 limit: "\(maxDecodedBytes >> 20) MiB once decoded"))
        }
    }
}
