import CPNG

/// A PNG file, checked chunk by chunk and decoded through libpng's simplified API.
public final class PNGFile: ImageSource {
    public let path: String
    public let format = ImageFormat.png
    public let pageCount = 1

    private let bytes: [UInt8]
    private let chunks: PNGChunks
    private let limits: DecodeLimits

    /// Reads `path` and checks its structure (every chunk's length and checksum).
    public init(path: String, limits: DecodeLimits = .standard) throws {
        self.path = path
        self.limits = limits
        bytes = try FileBytes.readAll(path: path, limit: limits.maxFileBytes)
        guard ImageFormat.sniff(bytes) == .png else {
            throw ImagingError(file: path, reason: .notAnImage)
        }
        do {
            chunks = try PNGChunks(bytes)
        } catch .truncated(let detail) {
            throw ImagingError(file: path, page: 1, reason: .truncated(detail))
        } catch .damaged(let detail) {
            throw ImagingError(file: path, page: 1, reason: .damaged(detail))
        }
    }

    public func describePage(_ index: Int) throws -> PageDescription {
        guard index == 0 else { throw ImagingError(file: path, page: index + 1, reason: .noSuchPage(count: 1)) }
        let header = chunks.header
        let colour: ColourModel
        switch header.colourType {
        case 0: colour = header.bitDepth == 1 ? .bilevel : .gray
        case 3: colour = .palette
        case 4: colour = .gray
        default: colour = .rgb
        }
        let resolution = chunks.pixelsPerMetre.map {
            Resolution(x: Double($0.x) * 0.0254, y: Double($0.y) * 0.0254)
        }
        return PageDescription(
            width: header.width, height: header.height, colour: colour, bitsPerComponent: header.bitDepth,
            hasAlpha: header.colourType == 4 || header.colourType == 6 || chunks.hasTransparency,
            resolution: resolution, encoding: header.interlaced ? "PNG interlaced" : "PNG")
    }

    /// Decodes to 8 bits per sample: gray, gray+alpha, RGB or RGBA, whichever keeps the content.
    public func decodePage(_ index: Int) throws -> Raster {
        let description = try describePage(index)
        let channels = (description.colour == .gray || description.colour == .bilevel ? 1 : 3)
            + (description.hasAlpha ? 1 : 0)
        try limits.check(width: description.width, height: description.height,
                         bitsPerPixel: 8 * channels, file: path, page: 1)
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        let rowBytes = description.width * channels
        var pixels = [UInt8](repeating: 0, count: rowBytes * description.height)
        let ok = bytes.withUnsafeBytes { input -> Bool in
            guard png_image_begin_read_from_memory(&image, input.baseAddress, input.count) != 0 else { return false }
            var format = UInt32(0)
            if channels >= 3 { format |= UInt32(PNG_FORMAT_FLAG_COLOR) }
            if description.hasAlpha { format |= UInt32(PNG_FORMAT_FLAG_ALPHA) }
            image.format = format
            return pixels.withUnsafeMutableBytes { output in
                png_image_finish_read(&image, nil, output.baseAddress, Int32(rowBytes), nil) != 0
            }
        }
        let message = withUnsafeBytes(of: image.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        png_image_free(&image)
        guard ok, image.warning_or_error & UInt32(PNG_IMAGE_ERROR) == 0 else {
            let detail = message.isEmpty ? "libpng could not decode the image" : "libpng: \(message)"
            throw ImagingError(file: path, page: 1, reason: .damaged(detail))
        }
        return Raster(width: description.width, height: description.height, components: channels,
                      bitsPerComponent: 8, bytesPerRow: rowBytes, pixels: pixels)
    }
}
