/// A small gray picture of an image (0 black … 255 white), enough to tell where the image has
/// ink and where it shows blank paper: each pixel stands for a block of the image's pixels.
public struct GrayPreview: Sendable, Equatable {
    public let width: Int
    /// Rows held, from the top: fewer than `fullHeight` when only the top of the image was decoded.
    public let height: Int
    /// The whole image's height at the preview's scale.
    public let fullHeight: Int
    /// `width × height` samples, row by row from the top.
    public let pixels: [UInt8]
    /// Whether every row of the image is held.
    public var isWhole: Bool { height == fullHeight }

    /// The gray level of the blank paper: the level that 90 % of the pixels are at most as
    /// bright as (a page is mostly paper; a photograph has no paper and gets its own level).
    public let paperLevel: Int

    /// A preview of `height` rows; `fullHeight` (at least `height`) when they are only the top of it.
    public init(width: Int, height: Int, pixels: [UInt8], fullHeight: Int? = nil) {
        precondition(width >= 0 && height >= 0 && pixels.count == width * height, "a preview's size and samples disagree")
        precondition((fullHeight ?? height) >= height, "a preview holds more rows than its image has")
        self.width = width
        self.height = height
        self.fullHeight = fullHeight ?? height
        self.pixels = pixels
        paperLevel = Self.paperLevel(of: pixels)
    }

    /// 8-bit gray samples (`rowBytes` apart) averaged over `factor × factor` blocks.
    public static func reducing(gray: [UInt8], width: Int, height: Int, rowBytes: Int, factor: Int) -> GrayPreview {
        let factor = max(1, factor)
        let outWidth = (width + factor - 1) / factor, outHeight = (height + factor - 1) / factor
        var sums = [Int](repeating: 0, count: outWidth * outHeight)
        var counts = [Int](repeating: 0, count: outWidth * outHeight)
        for y in 0..<height {
            let row = y * rowBytes, outRow = (y / factor) * outWidth
            for x in 0..<width {
                sums[outRow + x / factor] += Int(gray[row + x])
                counts[outRow + x / factor] += 1
            }
        }
        return GrayPreview(width: outWidth, height: outHeight,
                           pixels: zip(sums, counts).map { UInt8($0 / max(1, $1)) })
    }

    /// A bilevel raster (1 bit per pixel, 1 = black, `rowBytes` apart) as gray, averaged over
    /// `factor × factor` blocks.
    public static func reducing(bilevel: [UInt8], width: Int, height: Int, rowBytes: Int, factor: Int) -> GrayPreview {
        let factor = max(1, factor)
        let outWidth = (width + factor - 1) / factor, outHeight = (height + factor - 1) / factor
        var black = [Int](repeating: 0, count: outWidth * outHeight)
        for y in 0..<height {
            let row = y * rowBytes, outRow = (y / factor) * outWidth
            for x in 0..<width where bilevel[row + x >> 3] & (0x80 >> UInt8(x & 7)) != 0 {
                black[outRow + x / factor] += 1
            }
        }
        var pixels = [UInt8](repeating: 255, count: outWidth * outHeight)
        for index in pixels.indices {
            let blockWidth = min(factor, width - (index % outWidth) * factor)
            let blockHeight = min(factor, height - (index / outWidth) * factor)
            let area = max(1, blockWidth * blockHeight)
            pixels[index] = UInt8(255 - 255 * min(black[index], area) / area)
        }
        return GrayPreview(width: outWidth, height: outHeight, pixels: pixels)
    }

    private static func paperLevel(of pixels: [UInt8]) -> Int {
        guard !pixels.isEmpty else { return 255 }
        var histogram = [Int](repeating: 0, count: 256)
        for pixel in pixels { histogram[Int(pixel)] += 1 }
        let target = max(1, pixels.count * 9 / 10)
        var seen = 0
        for level in 0..<256 {
            seen += histogram[level]
            if seen >= target { return level }
        }
        return 255
    }
}
