import Foundation
import SohoaTestSupport
@testable import SohoaAppearance

/// PNG files made in the tests, and rendered pages read back.
enum TestImages {
    /// A PNG file of 8-bit samples (`channels`: 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA), rows from the top.
    static func png(width: Int, height: Int, channels: Int, samples: [UInt8]) throws -> [UInt8] {
        let colourType: UInt8 = [1: 0, 2: 4, 3: 2, 4: 6][channels] ?? 6
        var header = bigEndian(UInt32(width)) + bigEndian(UInt32(height))
        header += [8, colourType, 0, 0, 0]
        var raw: [UInt8] = []
        for row in 0..<height {
            raw.append(0)
            raw += samples[row * width * channels..<(row + 1) * width * channels]
        }
        let data = try Deflate.compress(raw, what: "test PNG")
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", header) + chunk("IDAT", data)
            + chunk("IEND", [])
    }

    /// A red round seal on a transparent background: a ring, a star in the middle.
    static func sealPNG(side: Int = 240) throws -> [UInt8] {
        var samples = [UInt8](repeating: 0, count: side * side * 4)
        let centre = Double(side) / 2
        for y in 0..<side {
            for x in 0..<side {
                let dx = Double(x) + 0.5 - centre, dy = Double(y) + 0.5 - centre
                let radius = (dx * dx + dy * dy).squareRoot() / centre
                let ring = radius > 0.82 && radius < 0.97
                let star = radius < 0.3 && abs(dx) + abs(dy) < 0.3 * centre
                guard ring || star else { continue }
                let index = (y * side + x) * 4
                samples[index] = 210
                samples[index + 1] = 20
                samples[index + 2] = 30
                samples[index + 3] = 255
            }
        }
        return try png(width: side, height: side, channels: 4, samples: samples)
    }

    private static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return bigEndian(UInt32(data.count)) + body + bigEndian(crc32(body))
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}

/// A binary PPM (P6) as pdftoppm writes it.
struct PPMImage {
    let width: Int
    let height: Int
    let pixels: [UInt8]

    init?(_ bytes: [UInt8]) {
        guard let image = NetPBM.decode(bytes), image.channels == 3 else { return nil }
        width = image.width
        height = image.height
        pixels = image.pixels
    }

    /// The colour at `x`, `y` (from the top left).
    func rgb(_ x: Int, _ y: Int) -> (Int, Int, Int) {
        let index = (y * width + x) * 3
        return (Int(pixels[index]), Int(pixels[index + 1]), Int(pixels[index + 2]))
    }

    /// How many pixels of the rectangle (pixels from the top left) satisfy `test`.
    func count(x: Range<Int>, y: Range<Int>, where test: ((Int, Int, Int)) -> Bool) -> Int {
        var count = 0
        for row in y where row >= 0 && row < height {
            for column in x where column >= 0 && column < width && test(rgb(column, row)) { count += 1 }
        }
        return count
    }
}
