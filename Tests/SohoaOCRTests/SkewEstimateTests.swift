import Foundation
import SohoaOCR
import Testing

/// A page's skew is found from its lines, either way, and straightening turns it back.
@Suite struct SkewEstimateTests {
    /// A white page with dark text-like lines sloping `degrees` clockwise (falling to the right).
    static func lines(slope degrees: Double, width: Int = 1200, height: Int = 1600) -> GrayImage {
        var pixels = [UInt8](repeating: 245, count: width * height)
        let slope = tan(degrees * .pi / 180)
        for line in 0..<20 {
            let start = 150 + line * 60
            for x in 100..<(width - 100) where (x / 23) % 5 != 4 {
                let y = start + Int((Double(x) * slope).rounded())
                for thickness in 0..<6 where y + thickness >= 0 && y + thickness < height {
                    pixels[(y + thickness) * width + x] = 20
                }
            }
        }
        return GrayImage(width: width, height: height, pixels: pixels)
    }

    @Test(arguments: [0.0, 2.0, -1.5, 0.7, 4.5])
    func theSkewIsFoundEitherWay(degrees: Double) throws {
        let found = try #require(SkewEstimate.degrees(in: Self.lines(slope: degrees)))
        #expect(abs(found - degrees) <= 0.15, "found \(found)° for \(degrees)°")
    }

    @Test func straighteningTurnsTheLinesLevel() throws {
        let skewed = Self.lines(slope: 2)
        let straight = skewed.straightened(byDegrees: 2)
        let found = try #require(SkewEstimate.degrees(in: straight))
        #expect(abs(found) <= 0.15, "after straightening: \(found)°")
        // Ink of the straightened picture maps back onto ink of the scan, near either end of a line.
        let page = RecognizedPage(width: skewed.width, height: skewed.height, words: [], skewDegrees: 2, straightenedBy: 2)
        for x in [130, 600, 1060] {
            let y = try #require((0..<straight.height).first { straight.pixels[$0 * straight.width + x] < 128 })
            let mapped = page.onPage(x: Double(x), y: Double(y) + 2)
            let nearby = (-2...2).flatMap { dy in (-2...2).map { dx in (Int(mapped.x.rounded()) + dx, Int(mapped.y.rounded()) + dy) } }
            #expect(nearby.contains { skewed.pixels[$0.1 * skewed.width + $0.0] < 128 }, "x \(x): \(mapped) is not on the scan's ink")
        }
    }

    @Test func aBlankPageHasNoSkew() {
        #expect(SkewEstimate.degrees(in: GrayImage(width: 600, height: 800, pixels: [UInt8](repeating: 250, count: 480_000))) == nil)
    }
}
