import Foundation

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

import Foundation

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
        // A power of two near 1/75 inch, so bilevel rows split into cells on byte boundaries.
        let cell = 1 << max(0, min(5, Int(log2(max(dpi, 1) / 75).rounded())))
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
    /// Bilevel, 8-bit gray and 8-bit RGB pages (nearly every scan) have their own fast paths.
    mutating func accumulate(_ raster: Raster) -> Exactness {
        var exact = Exactness()
        switch (raster.bitsPerComponent, raster.components, raster.palette) {
        case (1, 1, nil):
            accumulateBilevel(raster)
        case (8, 1, nil):
            accumulateGray(raster)
            exact.onlyBlackAndWhite = Self.onlyExtremes(raster)
        case (8, 3, nil):
            accumulateRGB(raster)
            exact.onlyBlackAndWhite = Self.onlyExtremes(raster)
        default:
            accumulateAny(raster)
            exact.onlyBlackAndWhite = false
        }
        return exact
    }

    /// Counts black bits per cell, skipping white bytes (most of a document page).
    private mutating func accumulateBilevel(_ raster: Raster) {
        let area = cell * cell
        let usedWidth = width * cell
        let usedBytes = usedWidth / 8
        let cellsPerByte = cell <= 8 ? 8 / cell : 0
        let cellMask = UInt8(truncatingIfNeeded: (1 << min(cell, 8)) - 1)
        var black = [Int](repeating: 0, count: width)
        black.withUnsafeMutableBufferPointer { black in
            lightness.withUnsafeMutableBufferPointer { lightness in
                raster.pixels.withUnsafeBufferPointer { pixels in
                    for gridRow in 0..<height {
                        black.update(repeating: 0)
                        for y in (gridRow * cell)..<(gridRow * cell + cell) {
                            let row = y * raster.bytesPerRow
                            let rowBytes = (usedWidth + 7) / 8
                            let raw = UnsafeRawPointer(pixels.baseAddress! + row)
                            var byteIndex = 0
                            while byteIndex < rowBytes {
                                // Skip white runs eight bytes (64 pixels) at a time.
                                if byteIndex + 8 <= rowBytes,
                                   raw.loadUnaligned(fromByteOffset: byteIndex, as: UInt64.self) == 0 {
                                    byteIndex += 8
                                    continue
                                }
                                let byte = pixels[row + byteIndex]
                                defer { byteIndex += 1 }
                                if byte == 0 { continue }
                                if cellsPerByte > 0 && byteIndex < usedBytes {
                                    for part in 0..<cellsPerByte {
                                        let bits = (byte >> UInt8(8 - cell * (part + 1))) & cellMask
                                        black[byteIndex * cellsPerByte + part] += bits.nonzeroBitCount
                                    }
                                } else {
                                    for bit in 0..<8 where byte & (0x80 >> UInt8(bit)) != 0 {
                                        let x = byteIndex * 8 + bit
                                        if x < usedWidth { black[x / cell] += 1 }
                                    }
                                }
                            }
                        }
                        for cellX in 0..<width {
                            lightness[gridRow * width + cellX] = UInt8(255 - 255 * black[cellX] / area)
                        }
                    }
                }
            }
        }
    }

    private mutating func accumulateGray(_ raster: Raster) {
        let area = cell * cell
        var sums = [Int](repeating: 0, count: width)
        raster.pixels.withUnsafeBufferPointer { pixels in
            for gridRow in 0..<height {
                for index in sums.indices { sums[index] = 0 }
                for y in (gridRow * cell)..<(gridRow * cell + cell) {
                    var p = y * raster.bytesPerRow
                    for cellX in 0..<width {
                        var sum = 0
                        for _ in 0..<cell {
                            sum += Int(pixels[p])
                            p += 1
                        }
                        sums[cellX] += sum
                    }
                }
                for cellX in 0..<width { lightness[gridRow * width + cellX] = UInt8(sums[cellX] / area) }
            }
        }
    }

    private mutating func accumulateRGB(_ raster: Raster) {
        let area = cell * cell
        let (gridWidth, gridHeight, cell) = (width, height, self.cell)
        var sums = [Int](repeating: 0, count: width * 3)
        sums.withUnsafeMutableBufferPointer { sums in
            lightness.withUnsafeMutableBufferPointer { lightness in
                chroma.withUnsafeMutableBufferPointer { chroma in
                    raster.pixels.withUnsafeBufferPointer { pixels in
                        for gridRow in 0..<gridHeight {
                            sums.update(repeating: 0)
                            if cell == 1 {  // one pixel per cell: no sums needed
                                var p = gridRow * raster.bytesPerRow
                                for cellX in 0..<gridWidth {
                                    let red = Int(pixels[p]), green = Int(pixels[p + 1]), blue = Int(pixels[p + 2])
                                    lightness[gridRow * gridWidth + cellX] = UInt8((red * 299 + green * 587 + blue * 114) / 1000)
                                    chroma[gridRow * gridWidth + cellX] = UInt8(max(red, green, blue) - min(red, green, blue))
                                    p += 3
                                }
                                continue
                            }
                            for y in (gridRow * cell)..<(gridRow * cell + cell) {
                                var p = y * raster.bytesPerRow
                                for cellX in 0..<gridWidth {
                                    var red = 0, green = 0, blue = 0
                                    for _ in 0..<cell {
                                        red &+= Int(pixels[p])
                                        green &+= Int(pixels[p + 1])
                                        blue &+= Int(pixels[p + 2])
                                        p += 3
                                    }
                                    sums[cellX * 3] &+= red
                                    sums[cellX * 3 + 1] &+= green
                                    sums[cellX * 3 + 2] &+= blue
                                }
                            }
                            for cellX in 0..<gridWidth {
                                let red = sums[cellX * 3] / area, green = sums[cellX * 3 + 1] / area
                                let blue = sums[cellX * 3 + 2] / area
                                lightness[gridRow * gridWidth + cellX] = UInt8((red * 299 + green * 587 + blue * 114) / 1000)
                                chroma[gridRow * gridWidth + cellX] = UInt8(max(red, green, blue) - min(red, green, blue))
                            }
                        }
                    }
                }
            }
        }
    }

    /// 16-bit, CMYK and palette pages: one pixel at a time.
    private mutating func accumulateAny(_ raster: Raster) {
        let area = cell * cell
        let palette = raster.palette ?? []
        let step = raster.bitsPerComponent == 16 ? 2 : 1
        let pixelBytes = raster.components * step
        var sums = [Int](repeating: 0, count: width * 3)
        raster.pixels.withUnsafeBufferPointer { pixels in
            for gridRow in 0..<height {
                for index in sums.indices { sums[index] = 0 }
                for y in (gridRow * cell)..<(gridRow * cell + cell) {
                    let row = y * raster.bytesPerRow
                    for x in 0..<(width * cell) {
                        let p = row + x * pixelBytes
                        var red = 0, green = 0, blue = 0
                        switch raster.components {
                        case 1 where !palette.isEmpty:
                            let entry = Int(pixels[p]) * 3
                            if entry + 2 < palette.count {
                                red = Int(palette[entry]); green = Int(palette[entry + 1]); blue = Int(palette[entry + 2])
                            }
                        case 1:
                            red = Int(pixels[p]); green = red; blue = red
                        case 3:
                            red = Int(pixels[p]); green = Int(pixels[p + step]); blue = Int(pixels[p + 2 * step])
                        default:  // CMYK ink amounts
                            let black = Int(pixels[p + 3 * step])
                            red = max(0, 255 - Int(pixels[p]) - black)
                            green = max(0, 255 - Int(pixels[p + step]) - black)
                            blue = max(0, 255 - Int(pixels[p + 2 * step]) - black)
                        }
                        let cellX = x / cell
                        sums[cellX * 3] += red
                        sums[cellX * 3 + 1] += green
                        sums[cellX * 3 + 2] += blue
                    }
                }
                for cellX in 0..<width {
                    store(red: sums[cellX * 3] / area, green: sums[cellX * 3 + 1] / area, blue: sums[cellX * 3 + 2] / area,
                          at: gridRow * width + cellX)
                }
            }
        }
    }

    private mutating func store(red: Int, green: Int, blue: Int, at index: Int) {
        lightness[index] = UInt8((red * 299 + green * 587 + blue * 114) / 1000)
        chroma[index] = UInt8(max(red, green, blue) - min(red, green, blue))
    }

    /// Whether every sample of an 8-bit raster is 0 or 255; stops at the first that is not.
    private static func onlyExtremes(_ raster: Raster) -> Bool {
        raster.pixels.withUnsafeBufferPointer { pixels in
            for row in 0..<raster.height {
                let start = row * raster.bytesPerRow
                for index in start..<(start + raster.width * raster.components) {
                    let value = pixels[index]
                    if value != 0 && value != 255 { return false }
                }
            }
            return true
        }
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
        let limit = UInt8(clamping: threshold)
        lightness.withUnsafeBufferPointer { light in
            func ink(_ index: Int) -> Int { light[index] < limit ? 1 : 0 }
            for y in marginY..<(height - marginY) {
                let above = (y - 1) * width, here = y * width, below = (y + 1) * width
                for x in marginX..<(width - marginX) where light[here + x] < limit {
                    let neighbours = ink(above + x - 1) + ink(above + x) + ink(above + x + 1)
                        + ink(here + x - 1) + ink(here + x + 1)
                        + ink(below + x - 1) + ink(below + x) + ink(below + x + 1)
                    if neighbours >= 2 { counted += 1 }
                }
            }
        }
        return Double(counted) / Double((width - 2 * marginX) * (height - 2 * marginY))
    }
}
