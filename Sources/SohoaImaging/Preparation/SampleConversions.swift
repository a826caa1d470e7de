/// Pixel-level conversions used to normalise decoded rows. All work in place or into a new
/// buffer of exactly the size they return; none allocates per pixel.
enum SampleConversions {
    /// Inverts every bit (bilevel MinIsBlack → 1 = black, or 8-bit MinIsWhite → 0 = black).
    static func invert(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBufferPointer { buffer in
            for index in buffer.indices { buffer[index] = ~buffer[index] }
        }
    }

    /// Swaps every pair of bytes: native little-endian 16-bit samples to big-endian.
    static func swapPairs(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBufferPointer { buffer in
            var index = 0
            while index + 1 < buffer.count {
                buffer.swapAt(index, index + 1)
                index += 2
            }
        }
    }

    /// Expands 2- or 4-bit samples to one byte each. With `scale`, values stretch to 0…255
    /// (gray); without, they stay as they are (palette indices).
    static func expand(_ packed: [UInt8], width: Int, height: Int, samplesPerPixel: Int, bits: Int,
                       packedRowBytes: Int, scale: Bool) -> [UInt8] {
        let perRow = width * samplesPerPixel
        var out = [UInt8](repeating: 0, count: perRow * height)
        let mask = (1 << bits) - 1
        let factor = scale ? 255 / mask : 1
        packed.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                for row in 0..<height {
                    let rowStart = row * packedRowBytes
                    for sample in 0..<perRow {
                        let bit = sample * bits
                        let byte = source[rowStart + bit / 8]
                        let shift = 8 - bits - (bit % 8)
                        target[row * perRow + sample] = UInt8(((Int(byte) >> shift) & mask) * factor)
                    }
                }
            }
        }
        return out
    }

    /// Composites interleaved samples with a trailing alpha channel onto white and drops the
    /// alpha. `associated` when colour is premultiplied by alpha. 8-bit, or 16-bit big-endian.
    static func flattenOntoWhite(_ samples: [UInt8], pixelCount: Int, colourChannels: Int, bits: Int,
                                 associated: Bool, inkModel: Bool = false) -> [UInt8] {
        let channels = colourChannels + 1
        if bits == 16 {
            var out = [UInt8](repeating: 0, count: pixelCount * colourChannels * 2)
            samples.withUnsafeBufferPointer { source in
                out.withUnsafeMutableBufferPointer { target in
                    for pixel in 0..<pixelCount {
                        let base = pixel * channels * 2
                        let alpha = Int(source[base + colourChannels * 2]) << 8 | Int(source[base + colourChannels * 2 + 1])
                        for channel in 0..<colourChannels {
                            let value = Int(source[base + channel * 2]) << 8 | Int(source[base + channel * 2 + 1])
                            let flat = composite(value, alpha: alpha, max: 65535, associated: associated, ink: inkModel)
                            target[(pixel * colourChannels + channel) * 2] = UInt8(flat >> 8)
                            target[(pixel * colourChannels + channel) * 2 + 1] = UInt8(flat & 0xFF)
                        }
                    }
                }
            }
            return out
        }
        var out = [UInt8](repeating: 0, count: pixelCount * colourChannels)
        samples.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                for pixel in 0..<pixelCount {
                    let base = pixel * channels
                    let alpha = Int(source[base + colourChannels])
                    for channel in 0..<colourChannels {
                        let flat = composite(Int(source[base + channel]), alpha: alpha, max: 255,
                                             associated: associated, ink: inkModel)
                        target[pixel * colourChannels + channel] = UInt8(flat)
                    }
                }
            }
        }
        return out
    }

    /// Splits interleaved samples with a trailing alpha channel into colour and alpha.
    static func splitAlpha(_ samples: [UInt8], pixelCount: Int, colourChannels: Int, bits: Int) -> ([UInt8], [UInt8]) {
        let bytesPerSample = bits / 8
        let colourBytes = colourChannels * bytesPerSample
        let pixelBytes = colourBytes + bytesPerSample
        var colour = [UInt8](repeating: 0, count: pixelCount * colourBytes)
        var alpha = [UInt8](repeating: 0, count: pixelCount * bytesPerSample)
        samples.withUnsafeBufferPointer { source in
            for pixel in 0..<pixelCount {
                let base = pixel * pixelBytes
                for byte in 0..<colourBytes { colour[pixel * colourBytes + byte] = source[base + byte] }
                for byte in 0..<bytesPerSample { alpha[pixel * bytesPerSample + byte] = source[base + colourBytes + byte] }
            }
        }
        return (colour, alpha)
    }

    /// One sample composited onto white (or onto no ink, for CMYK).
    private static func composite(_ value: Int, alpha: Int, max: Int, associated: Bool, ink: Bool) -> Int {
        let background = ink ? 0 : max
        if associated {
            return min(max, value + background * (max - alpha) / max)
        }
        return (value * alpha + background * (max - alpha) + max / 2) / max
    }

    /// When every pixel of an 8- or 16-bit RGB raster has equal channels, the single channel;
    /// otherwise `nil`.
    static func grayIfAchromatic(_ samples: [UInt8], pixelCount: Int, bits: Int) -> [UInt8]? {
        let bytesPerSample = bits / 8
        var gray = [UInt8](repeating: 0, count: pixelCount * bytesPerSample)
        let achromatic = samples.withUnsafeBufferPointer { source in
            gray.withUnsafeMutableBufferPointer { target -> Bool in
                for pixel in 0..<pixelCount {
                    let base = pixel * 3 * bytesPerSample
                    for byte in 0..<bytesPerSample {
                        let red = source[base + byte]
                        guard red == source[base + bytesPerSample + byte],
                              red == source[base + 2 * bytesPerSample + byte] else { return false }
                        target[pixel * bytesPerSample + byte] = red
                    }
                }
                return true
            }
        }
        return achromatic ? gray : nil
    }
}
