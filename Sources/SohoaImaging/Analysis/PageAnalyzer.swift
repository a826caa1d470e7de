/// What a page's pixels hold, as an operator would describe the scan.
public enum PageMode: String, Sendable, Equatable {
    /// Pure black and white.
    case bilevel
    /// Shades of gray, no colour.
    case gray
    /// Colour somewhere on the page (a stamp, a photo, coloured ink).
    case colour
}

/// The result of looking at a page's pixels.
public struct PageAnalysis: Sendable, Equatable {
    /// What the page holds.
    public let mode: PageMode
    /// Whether the page looks blank: nothing but paper and scanner specks.
    public let isBlank: Bool
    /// The share of the page (margins left out) covered by ink, 0…1.
    public let inkCoverage: Double
}

/// Classifies pages (bilevel / gray / colour) and detects blank ones.
///
/// The page is averaged into cells of about 1/75 inch, which smooths scanner noise and JPEG
/// artefacts. A cell is ink when it is clearly darker than the paper (the 90th percentile of
/// the page's lightness); isolated ink cells (dust, specks) are not counted. A page is blank
/// when the remaining ink covers under 0.05 % of the page inside a 4 % margin, where edge
/// shadows live.
public struct PageAnalyzer: Sendable {
    /// Cells darker than the paper by this much (0–255) count as ink.
    public var inkContrast = 64
    /// Above this share of counted ink the page is not blank.
    public var blankInkLimit = 0.0005
    /// Cells whose channels differ by more than this (0–255) are coloured.
    public var chromaThreshold = 32
    /// Above this share of coloured cells the page is a colour page.
    public var colourCellLimit = 0.0005

    public init() {}

    /// Analyses `raster`, a page at `dpi`. `lossless` tells whether exact pixel values can be
    /// trusted (a JPEG's cannot: it is never called bilevel).
    public func analyze(_ raster: Raster, dpi: Double, lossless: Bool) -> PageAnalysis {
        let cell = max(1, Int((dpi / 75).rounded()))
        var grid = CellGrid(width: raster.width / cell, height: raster.height / cell, cell: cell)
        guard grid.width > 0, grid.height > 0 else {
            return PageAnalysis(mode: raster.bitsPerComponent == 1 ? .bilevel : .gray, isBlank: true, inkCoverage: 0)
        }
        let exact = grid.accumulate(raster)
        let mode: PageMode
        if raster.bitsPerComponent == 1 || (lossless && exact.onlyBlackAndWhite) {
            mode = .bilevel
        } else if Double(grid.colouredCells(threshold: chromaThreshold)) > colourCellLimit * Double(grid.count) {
            mode = .colour
        } else {
            mode = .gray
        }
        let coverage = grid.inkCoverage(contrast: inkContrast)
        return PageAnalysis(mode: mode, isBlank: coverage < blankInkLimit, inkCoverage: coverage)
    }
}

/// A page averaged into square cells: lightness and channel spread per cell.
private struct CellGrid {
    let width: Int
    let height: Int
    let cell: Int
    /// Mean lightness 0…255 per cell.
    var lightness: [UInt8]
    /// Max minus min of the mean R, G, B per cell.
    var chroma: [UInt8]

    init(width: Int, height: Int, cell: Int) {
        self.width = width
        self.height = height
        self.cell = cell
        lightness = [UInt8](repeating: 255, count: width * height)
        chroma = [UInt8](repeating: 0, count: width * height)
    }

    var count: Int { width * height }

    struct Exactness {
        var onlyBlackAndWhite = true
    }

    /// Fills the grid from `raster`; also reports whether every sample is 0 or full scale.
    mutating func accumulate(_ raster: Raster) -> Exactness {
        var exact = Exactness()
        let sums = UnsafeMutableBufferPointer<Int>.allocate(capacity: width * 3)
        defer { sums.deallocate() }
        let palette = raster.palette ?? []
        let bytesPerSample = raster.bitsPerComponent == 16 ? 2 : 1
        let pixelBytes = raster.components * bytesPerSample
        let usedWidth = width * cell
        let area = cell * cell
        raster.pixels.withUnsafeBufferPointer { pixels in
            for gridRow in 0..<height {
                sums.initialize(repeating: 0)
                for y in (gridRow * cell)..<(gridRow * cell + cell) {
                    let row = y * raster.bytesPerRow
                    for x in 0..<usedWidth {
                        var red: Int, green: Int, blue: Int
                        if raster.bitsPerComponent == 1 {
                            let black = (pixels[row + x >> 3] >> (7 - UInt8(x & 7))) & 1 == 1
                            red = black ? 0 : 255
                            green = red
                            blue = red
                        } else {
                            let p = row + x * pixelBytes
                            switch raster.components {
                            case 1 where !palette.isEmpty:
                                let entry = Int(pixels[p]) * 3
                                if entry + 2 < palette.count {
                                    red = Int(palette[entry]); green = Int(palette[entry + 1]); blue = Int(palette[entry + 2])
                                } else {
                                    red = 0; green = 0; blue = 0
                                }
                            case 1:
                                red = Int(pixels[p]); green = red; blue = red
                            case 3:
                                red = Int(pixels[p]); green = Int(pixels[p + bytesPerSample])
                                blue = Int(pixels[p + 2 * bytesPerSample])
                            default:  // CMYK ink amounts
                                let black = Int(pixels[p + 3 * bytesPerSample])
                                red = max(0, 255 - Int(pixels[p]) - black)
                                green = max(0, 255 - Int(pixels[p + bytesPerSample]) - black)
                                blue = max(0, 255 - Int(pixels[p + 2 * bytesPerSample]) - black)
                            }
                            if exact.onlyBlackAndWhite, palette.isEmpty, raster.components != 4 {
                                for sample in 0..<raster.components {
                                    let value = pixels[p + sample * bytesPerSample]
                                    if value != 0 && value != 255 { exact.onlyBlackAndWhite = false }
                                }
                            }
                        }
                        let cellX = x / cell
                        sums[cellX * 3] += red
                        sums[cellX * 3 + 1] += green
                        sums[cellX * 3 + 2] += blue
                    }
                }
                for cellX in 0..<width {
                    let red = sums[cellX * 3] / area, green = sums[cellX * 3 + 1] / area, blue = sums[cellX * 3 + 2] / area
                    let index = gridRow * width + cellX
                    lightness[index] = UInt8((red * 299 + green * 587 + blue * 114) / 1000)
                    chroma[index] = UInt8(max(red, green, blue) - min(red, green, blue))
                }
            }
        }
        if raster.components == 4 || !palette.isEmpty { exact.onlyBlackAndWhite = false }
        return exact
    }

    func colouredCells(threshold: Int) -> Int {
        chroma.reduce(0) { $0 + (Int($1) > threshold ? 1 : 0) }
    }

    /// The share of cells inside the margins that are ink and touch at least two other ink cells.
    func inkCoverage(contrast: Int) -> Double {
        var histogram = [Int](repeating: 0, count: 256)
        for value in lightness { histogram[Int(value)] += 1 }
        var seen = 0
        var paper = 255
        for level in 0..<256 {
            seen += histogram[level]
            if seen >= count * 9 / 10 { paper = level; break }
        }
        let threshold = min(paper - contrast, 192)
        let marginX = max(1, width * 4 / 100)
        let marginY = max(1, height * 4 / 100)
        guard width > 2 * marginX, height > 2 * marginY else { return 0 }
        var counted = 0
        for y in marginY..<(height - marginY) {
            for x in marginX..<(width - marginX) where Int(lightness[y * width + x]) < threshold {
                var neighbours = 0
                for dy in -1...1 {
                    for dx in -1...1 where (dx != 0 || dy != 0) && Int(lightness[(y + dy) * width + x + dx]) < threshold {
                        neighbours += 1
                    }
                }
                if neighbours >= 2 { counted += 1 }
            }
        }
        return Double(counted) / Double((width - 2 * marginX) * (height - 2 * marginY))
    }
}
