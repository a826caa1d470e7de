import SohoaImaging

/// An 8-bit gray picture of a page (0 black … 255 white), top row first, rows packed: what
/// text is recognised on.
public struct GrayImage: Sendable {
    public let width: Int
    public let height: Int
    public let pixels: [UInt8]

    public init(width: Int, height: Int, pixels: [UInt8]) {
        precondition(width > 0 && height > 0 && pixels.count == width * height, "a gray image's size and pixels disagree")
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// A decoded page as gray: bilevel, gray, RGB, CMYK and palette rasters at 1, 8 or 16 bits.
    public init(_ raster: Raster) throws(OCRError) {
        let width = raster.width, height = raster.height
        guard width > 0, height > 0 else { throw .badImage("it has no pixels") }
        guard raster.bytesPerRow * height <= raster.pixels.count else { throw .badImage("its rows are shorter than its size says") }
        var gray = [UInt8](repeating: 255, count: width * height)
        let source = raster.pixels
        let rowBytes = raster.bytesPerRow
        let bytesPerSample = raster.bitsPerComponent == 16 ? 2 : 1
        switch (raster.bitsPerComponent, raster.components, raster.palette) {
        case (1, 1, nil):
            for y in 0..<height {
                let row = y * rowBytes
                for x in 0..<width where source[row + x >> 3] & (0x80 >> UInt8(x & 7)) != 0 { gray[y * width + x] = 0 }
            }
        case (8, 1, let palette?):
            for y in 0..<height {
                for x in 0..<width {
                    let entry = Int(source[y * rowBytes + x]) * 3
                    gray[y * width + x] = entry + 2 < palette.count
                        ? GrayLevel.of(red: palette[entry], green: palette[entry + 1], blue: palette[entry + 2]) : 0
                }
            }
        case (8, let components, nil), (16, let components, nil):
            guard [1, 3, 4].contains(components) else { throw .badImage("a raster of \(components) samples per pixel") }
            let step = components * bytesPerSample
            for y in 0..<height {
                let row = y * rowBytes
                for x in 0..<width {
                    let at = row + x * step
                    // The high byte of a 16-bit (big-endian) sample.
                    func sample(_ index: Int) -> UInt8 { source[at + index * bytesPerSample] }
                    switch components {
                    case 1: gray[y * width + x] = sample(0)
                    case 3: gray[y * width + x] = GrayLevel.of(red: sample(0), green: sample(1), blue: sample(2))
                    default: gray[y * width + x] = GrayLevel.of(cyan: sample(0), magenta: sample(1), yellow: sample(2), black: sample(3))
                    }
                }
            }
        default:
            throw .badImage("a raster of \(raster.bitsPerComponent)-bit samples")
        }
        self.init(width: width, height: height, pixels: gray)
    }

    /// The image turned by `quarterTurns` quarter turns clockwise (negative: anticlockwise).
    public func rotated(quarterTurns: Int) -> GrayImage {
        let turns = ((quarterTurns % 4) + 4) % 4
        guard turns != 0 else { return self }
        let (outWidth, outHeight) = turns == 2 ? (width, height) : (height, width)
        var out = [UInt8](repeating: 255, count: pixels.count)
        pixels.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                for y in 0..<height {
                    for x in 0..<width {
                        let (tx, ty) = switch turns {
                        case 1: (height - 1 - y, x)
                        case 2: (width - 1 - x, height - 1 - y)
                        default: (y, width - 1 - x)
                        }
                        target[ty * outWidth + tx] = source[y * width + x]
                    }
                }
            }
        }
        return GrayImage(width: outWidth, height: outHeight, pixels: out)
    }

    /// The image at half its size, each pixel the mean of two by two.
    public func halved() -> GrayImage {
        let outWidth = max(1, width / 2), outHeight = max(1, height / 2)
        var out = [UInt8](repeating: 255, count: outWidth * outHeight)
        pixels.withUnsafeBufferPointer { source in
            for y in 0..<outHeight {
                let top = 2 * y * width, bottom = min(2 * y + 1, height - 1) * width
                for x in 0..<outWidth {
                    let left = 2 * x, right = min(2 * x + 1, width - 1)
                    let sum = Int(source[top + left]) + Int(source[top + right]) + Int(source[bottom + left]) + Int(source[bottom + right])
                    out[y * outWidth + x] = UInt8(sum / 4)
                }
            }
        }
        return GrayImage(width: outWidth, height: outHeight, pixels: out)
    }

    /// The image mirrored left to right.
    public func mirrored() -> GrayImage {
        var out = pixels
        for y in 0..<height {
            let row = y * width
            for x in 0..<width { out[row + x] = pixels[row + width - 1 - x] }
        }
        return GrayImage(width: width, height: height, pixels: out)
    }

    /// The stored pixels of a page turned as `orientation` says, so that the page is upright.
    public func upright(_ orientation: Orientation) -> GrayImage {
        switch orientation {
        case .up: self
        case .upMirrored: mirrored()
        case .down: rotated(quarterTurns: 2)
        case .downMirrored: rotated(quarterTurns: 2).mirrored()
        case .leftMirrored: rotated(quarterTurns: 1).mirrored()
        case .right: rotated(quarterTurns: 1)
        case .rightMirrored: rotated(quarterTurns: -1).mirrored()
        case .left: rotated(quarterTurns: -1)
        }
    }
}
