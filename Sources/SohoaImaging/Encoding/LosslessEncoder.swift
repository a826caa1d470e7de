import CShims
import Foundation

/// Lossless encoders for pages that cannot be passed through: bilevel pages as CCITT G4
/// (through libtiff), everything else as Flate with PNG predictors (through libpng).
public enum LosslessEncoder {
    /// An encoder failure; a bug or exhausted memory rather than bad input.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Encodes a normalised raster (see `Raster`) for a PDF image XObject. An RGB raster
    /// whose pixels are all gray is stored as gray: the same pixels, a third of the data.
    public static func encode(_ raster: Raster) throws(Failure) -> EncodedImage {
        var raster = raster
        if raster.components == 3, raster.palette == nil,
           let gray = SampleConversions.grayIfAchromatic(raster.pixels, pixelCount: raster.width * raster.height,
                                                        bits: raster.bitsPerComponent),
           raster.bytesPerRow == raster.width * 3 * raster.bitsPerComponent / 8 {
            raster = Raster(width: raster.width, height: raster.height, components: 1,
                            bitsPerComponent: raster.bitsPerComponent,
                            bytesPerRow: raster.width * raster.bitsPerComponent / 8, pixels: gray)
        }
        if raster.bitsPerComponent == 1 {
            return EncodedImage(width: raster.width, height: raster.height, bitsPerComponent: 1,
                                colourSpace: .gray, compression: .ccittG4(blackIs1: false),
                                data: try g4(raster), passedThrough: false)
        }
        return EncodedImage(width: raster.width, height: raster.height, bitsPerComponent: raster.bitsPerComponent,
                            colourSpace: raster.colourSpace, compression: .flate(colors: raster.components),
                            data: try flate(raster), passedThrough: false)
    }

    /// An alpha raster (gray, 8 or 16 bits) as a soft mask.
    public static func encodeMask(_ alpha: Raster) throws(Failure) -> EncodedImage.SoftMask {
        EncodedImage.SoftMask(width: alpha.width, height: alpha.height, bitsPerComponent: alpha.bitsPerComponent,
                              data: try flate(alpha))
    }

    /// One CCITT Group 4 strip for a bilevel raster (1 = black).
    static func g4(_ raster: Raster) throws(Failure) -> [UInt8] {
        var message = [CChar](repeating: 0, count: 512)
        var output: UnsafeMutablePointer<UInt8>?
        var length = 0
        let status = raster.pixels.withUnsafeBufferPointer { pixels in
            sohoa_g4_encode(pixels.baseAddress, UInt32(raster.width), UInt32(raster.height), raster.bytesPerRow,
                            &output, &length, &message, message.count)
        }
        guard status == 0, let output else {
            throw Failure(description: "CCITT G4 encoding failed: \(message.nulTerminatedString)")
        }
        defer { free(output) }
        return Array(UnsafeBufferPointer(start: output, count: length))
    }

    /// The IDAT payload of a PNG made from the raster: a zlib stream whose rows carry PNG
    /// filter bytes, which a PDF reads as FlateDecode with /Predictor 15.
    static func flate(_ raster: Raster) throws(Failure) -> [UInt8] {
        var message = [CChar](repeating: 0, count: 512)
        var output: UnsafeMutablePointer<UInt8>?
        var length = 0
        let status = raster.pixels.withUnsafeBufferPointer { pixels in
            sohoa_png_encode(pixels.baseAddress, UInt32(raster.width), UInt32(raster.height), UInt32(raster.components),
                             UInt32(raster.bitsPerComponent), raster.bytesPerRow, &output, &length,
                             &message, message.count)
        }
        guard status == 0, let output else {
            throw Failure(description: "Flate encoding failed: \(message.nulTerminatedString)")
        }
        defer { free(output) }
        let png = Array(UnsafeBufferPointer(start: output, count: length))
        guard let chunks = try? PNGChunks(png) else {
            throw Failure(description: "Flate encoding produced an unreadable stream")
        }
        return chunks.imageData(in: png)
    }
}
