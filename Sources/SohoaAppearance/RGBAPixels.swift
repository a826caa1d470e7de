/// An image as 8-bit RGBA samples (straight, not premultiplied alpha), row by row from the top.
struct RGBAPixels {
    let width: Int
    let height: Int
    /// Four bytes per pixel: red, green, blue, alpha.
    private(set) var rgba: [UInt8]

    /// Converts decoded samples: 1 gray, 2 gray + alpha, 3 RGB or 4 RGBA channels of 1 or 2
    /// bytes (2-byte samples big-endian, reduced to their high byte).
    init(width: Int, height: Int, channels: Int, bytesPerSample: Int, bytesPerRow: Int,
         samples: UnsafeBufferPointer<UInt8>) {
        self.width = width
        self.height = height
        var rgba = [UInt8](repeating: 255, count: width * height * 4)
        for y in 0..<height {
            for x in 0..<width {
                let source = y * bytesPerRow + x * channels * bytesPerSample
                let target = (y * width + x) * 4
                func sample(_ channel: Int) -> UInt8 { samples[source + channel * bytesPerSample] }
                switch channels {
                case 1, 2:
                    let gray = sample(0)
                    rgba[target] = gray; rgba[target + 1] = gray; rgba[target + 2] = gray
                    if channels == 2 { rgba[target + 3] = sample(1) }
                default:
                    rgba[target] = sample(0); rgba[target + 1] = sample(1); rgba[target + 2] = sample(2)
                    if channels == 4 { rgba[target + 3] = sample(3) }
                }
            }
        }
        self.rgba = rgba
    }

    private init(width: Int, height: Int, rgba: [UInt8]) {
        self.width = width
        self.height = height
        self.rgba = rgba
    }

    /// Whether some pixel is not fully opaque.
    var hasTransparency: Bool {
        stride(from: 3, to: rgba.count, by: 4).contains { rgba[$0] != 255 }
    }

    /// The colour samples (RGB), with fully transparent pixels made white (they are never seen,
    /// and one colour for all of them compresses best).
    var colourSamples: [UInt8] {
        var rgb = [UInt8](repeating: 255, count: width * height * 3)
        for pixel in 0..<width * height where rgba[pixel * 4 + 3] != 0 {
            rgb[pixel * 3] = rgba[pixel * 4]
            rgb[pixel * 3 + 1] = rgba[pixel * 4 + 1]
            rgb[pixel * 3 + 2] = rgba[pixel * 4 + 2]
        }
        return rgb
    }

    /// The alpha samples.
    var alpha: [UInt8] {
        (0..<width * height).map { rgba[$0 * 4 + 3] }
    }

    /// The image reduced by area averaging (in premultiplied alpha, so that transparent pixels
    /// do not darken the edges) until its longer side is at most `side`; itself when it already is.
    func reduced(toLongerSide side: Int) -> RGBAPixels {
        let longer = max(width, height)
        guard longer > side, side > 0 else { return self }
        let newWidth = max(1, (width * side + longer / 2) / longer)
        let newHeight = max(1, (height * side + longer / 2) / longer)
        var result = [UInt8](repeating: 0, count: newWidth * newHeight * 4)
        for targetY in 0..<newHeight {
            let y0 = targetY * height / newHeight, y1 = max(y0 + 1, (targetY + 1) * height / newHeight)
            for targetX in 0..<newWidth {
                let x0 = targetX * width / newWidth, x1 = max(x0 + 1, (targetX + 1) * width / newWidth)
                var red = 0, green = 0, blue = 0, opacity = 0
                for y in y0..<y1 {
                    for x in x0..<x1 {
                        let source = (y * width + x) * 4
                        let alpha = Int(rgba[source + 3])
                        red += Int(rgba[source]) * alpha
                        green += Int(rgba[source + 1]) * alpha
                        blue += Int(rgba[source + 2]) * alpha
                        opacity += alpha
                    }
                }
                let count = (y1 - y0) * (x1 - x0)
                let target = (targetY * newWidth + targetX) * 4
                if opacity > 0 {
                    result[target] = UInt8((red + opacity / 2) / opacity)
                    result[target + 1] = UInt8((green + opacity / 2) / opacity)
                    result[target + 2] = UInt8((blue + opacity / 2) / opacity)
                }
                result[target + 3] = UInt8((opacity + count / 2) / count)
            }
        }
        return RGBAPixels(width: newWidth, height: newHeight, rgba: result)
    }
}

/// PNG row filters (chosen per row, the one with the smallest sum of absolute values), as
/// FlateDecode's `/Predictor 15` reads them.
enum RowPredictor {
    static func encode(_ samples: [UInt8], width: Int, height: Int, channels: Int) -> [UInt8] {
        let rowBytes = width * channels
        var output: [UInt8] = []
        output.reserveCapacity((rowBytes + 1) * height)
        var candidate = [UInt8](repeating: 0, count: rowBytes)
        var best = [UInt8](repeating: 0, count: rowBytes)
        for row in 0..<height {
            let start = row * rowBytes
            var bestFilter: UInt8 = 0
            var bestCost = Int.max
            for filter in UInt8(0)...4 {
                var cost = 0
                for index in 0..<rowBytes {
                    let value = samples[start + index]
                    let left = index >= channels ? Int(samples[start + index - channels]) : 0
                    let up = row > 0 ? Int(samples[start + index - rowBytes]) : 0
                    let upLeft = row > 0 && index >= channels ? Int(samples[start + index - rowBytes - channels]) : 0
                    let predicted: Int = switch filter {
                    case 0: 0
                    case 1: left
                    case 2: up
                    case 3: (left + up) / 2
                    default: paeth(left, up, upLeft)
                    }
                    let residual = UInt8(truncatingIfNeeded: Int(value) - predicted)
                    candidate[index] = residual
                    cost += Int(Int8(bitPattern: residual).magnitude)
                }
                if cost < bestCost {
                    bestCost = cost
                    bestFilter = filter
                    swap(&best, &candidate)
                }
            }
            output.append(bestFilter)
            output.append(contentsOf: best)
        }
        return output
    }

    private static func paeth(_ left: Int, _ up: Int, _ upLeft: Int) -> Int {
        let estimate = left + up - upLeft
        let toLeft = abs(estimate - left), toUp = abs(estimate - up), toUpLeft = abs(estimate - upLeft)
        if toLeft <= toUp && toLeft <= toUpLeft { return left }
        return toUp <= toUpLeft ? up : upLeft
    }
}
