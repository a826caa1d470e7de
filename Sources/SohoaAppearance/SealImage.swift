import CShims
import Foundation

/// A seal (stamp) image read from a PNG file, ready to draw: 8-bit RGB with an alpha mask
/// when the file has transparency.
///
/// The PNG is checked before it is decoded (its signature, file size and dimensions), decoded
/// by libpng, and reduced to at most `maximumPixelSide` pixels on its longer side (a seal
/// drawn 2–3 cm wide needs no more), so that its streams stay small. Its image streams are
/// made once, when it is loaded: keep one `SealImage` for a whole batch.
public struct SealImage: Sendable {
    /// The largest seal file accepted.
    public static let maximumFileBytes = 4 << 20
    /// The largest width or height accepted, in pixels.
    public static let maximumDimension = 4000
    /// The default bound on the longer side after reduction, in pixels.
    public static let defaultMaximumPixelSide = 300

    /// The file it was read from.
    public let path: String
    /// Its size in pixels as drawn (after any reduction).
    public let width: Int
    public let height: Int
    /// Whether some pixel is not fully opaque (the image then has a soft mask).
    public let hasTransparency: Bool

    /// The RGB samples, zlib-compressed with PNG row predictors.
    let colourStream: [UInt8]
    /// The alpha samples likewise, when the image has transparency.
    let alphaStream: [UInt8]?

    /// Reads and decodes the PNG file at `path`.
    ///
    /// - Throws: `AppearanceError` naming the file when it is missing, not a PNG ("is not a PNG
    ///   image"), over `maximumFileBytes`, over `maximumDimension` pixels on a side, or damaged.
    public init(path: String, maximumPixelSide: Int = SealImage.defaultMaximumPixelSide) throws(AppearanceError) {
        guard (16...SealImage.maximumDimension).contains(maximumPixelSide) else {
            throw AppearanceError("the seal's maximum pixel side",
                                  .invalidInput("\(maximumPixelSide) is not between 16 and \(SealImage.maximumDimension)"))
        }
        let bytes = try FileReading.read(path: path, limit: SealImage.maximumFileBytes, what: "seal image")
        let header = try PNGHeader(bytes, path: path)
        let limit = SealImage.maximumDimension
        guard header.width <= limit, header.height <= limit else {
            throw AppearanceError(path, .tooLarge(
                "it is \(header.width)×\(header.height) pixels; a seal image may be at most \(limit)×\(limit)"))
        }
        var pixels = try SealImage.decode(bytes, path: path)
        pixels = pixels.reduced(toLongerSide: maximumPixelSide)
        self.path = path
        width = pixels.width
        height = pixels.height
        hasTransparency = pixels.hasTransparency
        colourStream = try Deflate.compress(
            RowPredictor.encode(pixels.colourSamples, width: width, height: height, channels: 3),
            what: "the seal image \(path)")
        alphaStream = hasTransparency
            ? try Deflate.compress(RowPredictor.encode(pixels.alpha, width: width, height: height, channels: 1),
                                   what: "the seal image mask \(path)")
            : nil
    }

    /// Decodes the whole file with libpng (through the C shim that keeps its longjmp in C).
    private static func decode(_ bytes: [UInt8], path: String) throws(AppearanceError) -> RGBAPixels {
        var raster = SohoaPNGRaster()
        var message = [CChar](repeating: 0, count: 256)
        let maximumPixels = UInt64(maximumDimension * maximumDimension)
        let status = bytes.withUnsafeBufferPointer {
            sohoa_png_decode($0.baseAddress, $0.count, maximumPixels, &raster, &message, message.count)
        }
        let detail = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        switch status {
        case 0: break
        case -2: throw AppearanceError(path, .tooLarge("it has more than \(maximumPixels) pixels"))
        case -3: throw AppearanceError(path, .damagedImage("the compressed image data goes on after the last row"))
        default: throw AppearanceError(path, .damagedImage("libpng: \(detail.isEmpty ? "could not decode the image" : detail)"))
        }
        guard let samples = raster.pixels else {
            throw AppearanceError(path, .damagedImage("libpng gave no pixels"))
        }
        defer { free(samples) }
        let channels = Int(raster.channels), bits = Int(raster.bitDepth)
        let width = Int(raster.width), height = Int(raster.height), stride = raster.bytesPerRow
        guard (1...4).contains(channels), bits == 8 || bits == 16, width > 0, height > 0,
              stride >= width * channels * bits / 8 else {
            throw AppearanceError(path, .damagedImage("libpng gave an unexpected layout (\(channels) channels, \(bits) bits)"))
        }
        let buffer = UnsafeBufferPointer(start: samples, count: stride * height)
        return RGBAPixels(width: width, height: height, channels: channels, bytesPerSample: bits / 8,
                          bytesPerRow: stride, samples: buffer)
    }
}

/// The fields of a PNG's IHDR chunk that are checked before decoding.
struct PNGHeader {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    let width: Int
    let height: Int

    init(_ bytes: [UInt8], path: String) throws(AppearanceError) {
        guard bytes.count >= 8, Array(bytes[0..<8]) == PNGHeader.signature else {
            throw AppearanceError(path, .notPNG)
        }
        guard bytes.count >= 33 else {
            throw AppearanceError(path, .damagedImage("the file ends within its header (\(bytes.count) bytes)"))
        }
        let table = FontTable(Array(bytes[8..<33]))
        guard table.uint32(0) == 13, Array(bytes[12..<16]) == Array("IHDR".utf8),
              let width = table.uint32(8), let height = table.uint32(12) else {
            throw AppearanceError(path, .damagedImage("it does not begin with an IHDR header chunk"))
        }
        guard width > 0, height > 0, width <= 0x7FFF_FFFF, height <= 0x7FFF_FFFF else {
            throw AppearanceError(path, .damagedImage("its header gives a size of \(width)×\(height) pixels"))
        }
        self.width = Int(width)
        self.height = Int(height)
    }
}
