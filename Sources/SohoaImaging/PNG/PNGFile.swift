import CShims
import Foundation

/// A PNG file: its chunks checked (lengths, CRCs, header), its pixels decoded through libpng.
///
/// Transparency is flattened onto white: a scan has no meaningful transparency, and an
/// archive copy must look the same in every reader.
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
        if chunks.header.colourType == 3, chunks.palette == nil {
            throw ImagingError(file: path, page: 1, reason: .damaged("a palette image without its PLTE palette"))
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

    /// Decodes to gray or RGB at 8 or 16 bits (palettes expanded, transparency flattened).
    public func decodePage(_ index: Int) throws -> Raster {
        let decoded = try decodeSamples(index)
        return decoded.flattened
    }

    /// The decoded samples: colour channels, and alpha when the file has transparency.
    private struct Decoded {
        let width: Int
        let height: Int
        let bits: Int
        let colourChannels: Int
        let samples: [UInt8]
        let hasAlpha: Bool

        var flattened: Raster {
            let pixels = hasAlpha
                ? SampleConversions.flattenOntoWhite(samples, pixelCount: width * height, colourChannels: colourChannels,
                                                     bits: bits, associated: false)
                : samples
            return Raster(width: width, height: height, components: colourChannels, bitsPerComponent: bits,
                          bytesPerRow: width * colourChannels * bits / 8, pixels: pixels)
        }

        /// Colour and alpha apart, for a soft mask.
        var separated: (colour: Raster, alpha: Raster) {
            let (colour, alpha) = SampleConversions.splitAlpha(samples, pixelCount: width * height,
                                                               colourChannels: colourChannels, bits: bits)
            return (Raster(width: width, height: height, components: colourChannels, bitsPerComponent: bits,
                           bytesPerRow: width * colourChannels * bits / 8, pixels: colour),
                    Raster(width: width, height: height, components: 1, bitsPerComponent: bits,
                           bytesPerRow: width * bits / 8, pixels: alpha))
        }
    }

    private func decodeSamples(_ index: Int) throws -> Decoded {
        let description = try describePage(index)
        let header = chunks.header
        let channels = [0: 1, 2: 3, 3: 3, 4: 2, 6: 4][header.colourType] ?? 4
        try limits.check(width: description.width, height: description.height,
                         bitsPerPixel: channels * max(8, header.bitDepth), file: path, page: 1)
        var decoded = SohoaPNGRaster()
        var message = [CChar](repeating: 0, count: 256)
        let status = bytes.withUnsafeBufferPointer {
            sohoa_png_decode($0.baseAddress, $0.count, UInt64(limits.maxPixels), &decoded, &message, message.count)
        }
        guard status == 0, let pixels = decoded.pixels else {
            if status == -3 {
                throw ImagingError(file: path, page: 1, reason: .excessImageData(declaredBytes: header.inflatedSize))
            }
            let detail = message.nulTerminatedString
            if detail.contains("ends before") {
                throw ImagingError(file: path, page: 1, reason: .truncated("libpng: \(detail)"))
            }
            throw ImagingError(file: path, page: 1, reason: .damaged("libpng: \(detail)"))
        }
        defer { free(pixels) }
        let components = Int(decoded.channels)
        return Decoded(width: Int(decoded.width), height: Int(decoded.height), bits: Int(decoded.bitDepth),
                       colourChannels: components == 2 || components == 4 ? components - 1 : components,
                       samples: Array(UnsafeBufferPointer(start: pixels, count: decoded.bytesPerRow * Int(decoded.height))),
                       hasAlpha: components == 2 || components == 4)
    }

    /// Passes the IDAT through unchanged when the PDF can read it as it is (not interlaced,
    /// gray, RGB or palette without transparency); otherwise re-encodes losslessly.
    public func preparePage(_ index: Int, settings: PreparationSettings) throws -> PreparedPage {
        let description = try describePage(index)
        let decoded = try decodeSamples(index)
        let raster = decoded.flattened
        let resolution = settings.resolution.resolve(description.resolution)
        let analysis = settings.analyzer.analyze(raster, dpi: resolution.dpi, lossless: true)
        let header = chunks.header
        let image: EncodedImage
        if !header.interlaced, [0, 2, 3].contains(header.colourType), !chunks.hasTransparency {
            let colourSpace: EncodedImage.ColourSpace = switch header.colourType {
            case 0: .gray
            case 2: .rgb
            default: .indexedRGB(palette: chunks.palette ?? [])
            }
            image = EncodedImage(width: header.width, height: header.height, bitsPerComponent: header.bitDepth,
                                 colourSpace: colourSpace, compression: .flate(colors: header.colourType == 2 ? 3 : 1),
                                 data: chunks.imageData(in: bytes), passedThrough: true)
        } else {
            do {
                if settings.keepTransparency && decoded.hasAlpha {
                    let (colour, alpha) = decoded.separated
                    image = try LosslessEncoder.encode(colour).withSoftMask(try LosslessEncoder.encodeMask(alpha))
                } else {
                    // A 1-bit gray source is bilevel: it becomes CCITT G4, as bilevel scans do.
                    let source = header.colourType == 0 && header.bitDepth == 1 ? raster.packedBilevel() : raster
                    image = try LosslessEncoder.encode(source)
                }
            } catch {
                throw ImagingError(file: path, page: 1, reason: .unsupported(error.description))
            }
        }
        return PreparedPage(source: path, indexInFile: index, description: description, orientation: .up,
                            resolution: resolution, analysis: analysis, image: image,
                            recordedDate: chunks.modificationTime)
            .recordingInk(of: raster, settings)
    }
}
