/// Where an image's strokes are, one bit a preview pixel: ink (clearly darker than the paper)
/// beside ink, so that a speck of dust on the scanner is not taken for writing. This is what
/// placing a signature block on blank paper asks of a page's image; the assembler records it
/// for page 1 of what it makes, so that signing need not decode the scan again.
public struct StrokePixels: Sendable, Equatable {
    /// Pixels this much darker than the paper are ink.
    public static let inkContrast = 40
    /// Paper darker than this is no paper: every pixel of such an image is ink.
    public static let lightestPaper = 150
    /// An ink pixel belongs to a stroke when at least this many of its eight neighbours are ink too.
    public static let strokeNeighbours = 2

    public let width: Int
    /// Rows known, from the top, of `fullHeight`: the rest is unknown (and counts as ink).
    public let height: Int
    public let fullHeight: Int
    /// The image shows no paper (a photograph): all of it counts as ink, and `bits` is empty.
    public let allInk: Bool
    /// `height` rows of `rowBytes` bytes, the first pixel in the high bit; 1 a stroke pixel.
    public let bits: [UInt8]

    /// Bytes a row of `bits` takes.
    public var rowBytes: Int { (width + 7) / 8 }

    /// The strokes of `preview`, by the rule above.
    public init(_ preview: GrayPreview) {
        width = preview.width
        height = preview.height
        fullHeight = preview.fullHeight
        let paper = preview.paperLevel
        guard paper >= Self.lightestPaper else {
            allInk = true
            bits = []
            return
        }
        allInk = false
        let threshold = UInt8(paper - Self.inkContrast)
        let width = preview.width, height = preview.height
        // One pass marks ink, a second counts each ink pixel's ink neighbours.
        var ink = [Bool](repeating: false, count: (width + 2) * (height + 2))
        preview.pixels.withUnsafeBufferPointer { pixels in
            for y in 0..<height {
                for x in 0..<width where pixels[y * width + x] < threshold { ink[(y + 1) * (width + 2) + x + 1] = true }
            }
        }
        let rowBytes = (width + 7) / 8
        var bits = [UInt8](repeating: 0, count: rowBytes * height)
        let stride = width + 2
        ink.withUnsafeBufferPointer { ink in
            for y in 0..<height {
                for x in 0..<width {
                    let at = (y + 1) * stride + x + 1
                    guard ink[at] else { continue }
                    var neighbours = 0
                    for offset in [-stride - 1, -stride, -stride + 1, -1, 1, stride - 1, stride, stride + 1] where ink[at + offset] {
                        neighbours += 1
                    }
                    if neighbours >= Self.strokeNeighbours { bits[y * rowBytes + x >> 3] |= 0x80 >> UInt8(x & 7) }
                }
            }
        }
        self.bits = bits
    }

    /// Strokes as recorded: `bits` must hold `height` rows of `(width + 7) / 8` bytes (nil
    /// otherwise, and for a size outside 1…8192 pixels a side).
    public init?(width: Int, height: Int, bits: [UInt8]) {
        guard (1...8192).contains(width), (1...8192).contains(height), bits.count == (width + 7) / 8 * height else { return nil }
        self.width = width
        self.height = height
        fullHeight = height
        allInk = false
        self.bits = bits
    }

    /// An image with no paper, as recorded: every pixel is ink.
    public init?(allInkWidth width: Int, height: Int) {
        guard (1...8192).contains(width), (1...8192).contains(height) else { return nil }
        self.width = width
        self.height = height
        fullHeight = height
        allInk = true
        bits = []
    }
}

extension GrayPreview {
    /// A raster reduced to about `ImagePreview.targetSide` pixels on its longest side (a pixel
    /// of an A4 page is then about 2 points), as gray: 8-bit gray or RGB, or bilevel (1 black);
    /// nil for other sample formats.
    public static func reducing(raster: Raster) -> GrayPreview? {
        let factor = max(1, max(raster.width, raster.height) / ImagePreview.targetSide)
        guard raster.width > 0, raster.height > 0, raster.palette == nil else { return nil }
        switch (raster.components, raster.bitsPerComponent) {
        case (1, 1):
            return reducing(bilevel: raster.pixels, width: raster.width, height: raster.height, rowBytes: raster.bytesPerRow,
                            factor: factor)
        case (1, 8):
            return reducing(gray: raster.pixels, width: raster.width, height: raster.height, rowBytes: raster.bytesPerRow,
                            factor: factor)
        case (3, 8):
            var gray = [UInt8](repeating: 255, count: raster.width * raster.height)
            raster.pixels.withUnsafeBufferPointer { pixels in
                for y in 0..<raster.height {
                    let row = y * raster.bytesPerRow
                    for x in 0..<raster.width {
                        let at = row + x * 3
                        gray[y * raster.width + x] = GrayLevel.of(red: pixels[at], green: pixels[at + 1], blue: pixels[at + 2])
                    }
                }
            }
            return reducing(gray: gray, width: raster.width, height: raster.height, rowBytes: raster.width, factor: factor)
        default:
            return nil
        }
    }
}
