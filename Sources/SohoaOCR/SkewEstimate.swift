import Foundation

/// How far a page's text lines slope, found from the page itself (a projection profile: the
/// angle at which the dark pixels fall into the sharpest rows), so that a slightly skewed scan
/// can be read straightened while the image in the PDF stays as scanned.
public enum SkewEstimate {
    /// The largest skew looked for, either way, and the step, in degrees.
    static let range = 5.0
    static let step = 0.1

    /// The skew of `image` in degrees, clockwise positive (lines falling to the right); nil
    /// when the page has too little ink to tell.
    public static func degrees(in image: GrayImage) -> Double? {
        // About 600 pixels across is enough to see lines and cheap to turn 100 times.
        let factor = max(1, image.width / 600)
        var points: [(x: Double, y: Double)] = []
        let threshold = darkThreshold(image)
        var y = 0
        while y < image.height {
            var x = 0
            let row = y * image.width
            while x < image.width {
                if image.pixels[row + x] < threshold { points.append((Double(x / factor), Double(y / factor))) }
                x += factor
            }
            y += factor
        }
        let height = image.height / factor + 1, width = image.width / factor + 1
        guard points.count >= 200, points.count <= width * height / 3 else { return nil }
        let margin = Int(Double(width) * sin(range * .pi / 180)) + 2
        var best = (angle: 0.0, score: -1.0)
        var bins = [Int32](repeating: 0, count: height + 2 * margin)
        var angle = -range
        while angle <= range + step / 2 {
            let radians = angle * .pi / 180
            let sine = sin(radians), cosine = cos(radians)
            for index in bins.indices { bins[index] = 0 }
            for point in points {
                let row = Int((point.y * cosine - point.x * sine).rounded()) + margin
                if row >= 0, row < bins.count { bins[row] += 1 }
            }
            var score = 0.0
            for count in bins { score += Double(count) * Double(count) }
            if score > best.score { best = (angle, score) }
            angle += step
        }
        return (best.angle * 10).rounded() / 10
    }

    /// Pixels darker than this are ink: halfway between the page's paper and its darkest tenth.
    static func darkThreshold(_ image: GrayImage) -> UInt8 {
        var histogram = [Int](repeating: 0, count: 256)
        var index = 0
        while index < image.pixels.count {
            histogram[Int(image.pixels[index])] += 1
            index += 7
        }
        let total = histogram.reduce(0, +)
        func level(_ fraction: Double) -> Int {
            var seen = 0
            for value in 0..<256 {
                seen += histogram[value]
                if Double(seen) >= fraction * Double(total) { return value }
            }
            return 255
        }
        let paper = level(0.9), ink = level(0.01)
        return UInt8(max(1, (paper + ink) / 2))
    }
}

extension GrayImage {
    /// The image turned `degrees` anticlockwise about its centre (what straightens a page
    /// skewed that far clockwise), the same size, the corners filled with white.
    public func straightened(byDegrees degrees: Double) -> GrayImage {
        let radians = degrees * .pi / 180
        let sine = sin(radians), cosine = cos(radians)
        let centreX = Double(width - 1) / 2, centreY = Double(height - 1) / 2
        var out = [UInt8](repeating: 255, count: pixels.count)
        pixels.withUnsafeBufferPointer { source in
            out.withUnsafeMutableBufferPointer { target in
                for y in 0..<height {
                    let dy = Double(y) - centreY
                    // Each pixel of the result comes from the scan turned back clockwise.
                    var sourceX = centreX - centreX * cosine - dy * sine
                    var sourceY = centreY - centreX * sine + dy * cosine
                    for x in 0..<width {
                        let sx = Int(sourceX + 0.5), sy = Int(sourceY + 0.5)
                        if sx >= 0, sy >= 0, sx < width, sy < height { target[y * width + x] = source[sy * width + sx] }
                        sourceX += cosine
                        sourceY += sine
                    }
                }
            }
        }
        return GrayImage(width: width, height: height, pixels: out)
    }
}
