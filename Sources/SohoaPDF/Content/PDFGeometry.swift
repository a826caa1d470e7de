import Foundation

/// A rectangle in a page's default user space (points; the origin at the bottom left).
public struct PDFRect: Sendable, Equatable, CustomStringConvertible {
    public var minX: Double
    public var minY: Double
    public var maxX: Double
    public var maxY: Double

    public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = min(minX, maxX)
        self.minY = min(minY, maxY)
        self.maxX = max(minX, maxX)
        self.maxY = max(minY, maxY)
    }

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.init(minX: x, minY: y, maxX: x + width, maxY: y + height)
    }

    public var width: Double { maxX - minX }
    public var height: Double { maxY - minY }
    public var isEmpty: Bool { !(width > 0 && height > 0) }
    /// Whether every coordinate is a finite number.
    public var isFinite: Bool { minX.isFinite && minY.isFinite && maxX.isFinite && maxY.isFinite }

    public func intersects(_ other: PDFRect) -> Bool {
        minX < other.maxX && other.minX < maxX && minY < other.maxY && other.minY < maxY
    }

    public func intersection(_ other: PDFRect) -> PDFRect? {
        guard intersects(other) else { return nil }
        return PDFRect(minX: max(minX, other.minX), minY: max(minY, other.minY),
                       maxX: min(maxX, other.maxX), maxY: min(maxY, other.maxY))
    }

    public func contains(_ other: PDFRect) -> Bool {
        minX <= other.minX && minY <= other.minY && other.maxX <= maxX && other.maxY <= maxY
    }

    /// Grown by `amount` on every side.
    /// The smallest rectangle holding both.
    public func union(_ other: PDFRect) -> PDFRect {
        PDFRect(minX: min(minX, other.minX), minY: min(minY, other.minY), maxX: max(maxX, other.maxX), maxY: max(maxY, other.maxY))
    }

    public func inset(by amount: Double) -> PDFRect {
        PDFRect(minX: minX + amount, minY: minY + amount, maxX: maxX - amount, maxY: maxY - amount)
    }

    /// "[x0 y0 x1 y1]", as a PDF array.
    public var description: String {
        "[\(PDFNumber.text(minX)) \(PDFNumber.text(minY)) \(PDFNumber.text(maxX)) \(PDFNumber.text(maxY))]"
    }
}

/// A PDF transformation matrix [a b c d e f] (ISO 32000-2 §8.3.3).
struct PDFMatrix: Equatable {
    var a = 1.0, b = 0.0, c = 0.0, d = 1.0, e = 0.0, f = 0.0

    static let identity = PDFMatrix()

    init(a: Double = 1, b: Double = 0, c: Double = 0, d: Double = 1, e: Double = 0, f: Double = 0) {
        (self.a, self.b, self.c, self.d, self.e, self.f) = (a, b, c, d, e, f)
    }

    init?(_ values: [Double]) {
        guard values.count == 6, values.allSatisfy(\.isFinite) else { return nil }
        self.init(a: values[0], b: values[1], c: values[2], d: values[3], e: values[4], f: values[5])
    }

    /// `self` applied first, then `other` (PDF's `self × other`).
    func then(_ other: PDFMatrix) -> PDFMatrix {
        PDFMatrix(a: a * other.a + b * other.c, b: a * other.b + b * other.d,
                  c: c * other.a + d * other.c, d: c * other.b + d * other.d,
                  e: e * other.a + f * other.c + other.e, f: e * other.b + f * other.d + other.f)
    }

    func apply(_ x: Double, _ y: Double) -> (x: Double, y: Double) {
        (a * x + c * y + e, b * x + d * y + f)
    }

    var inverse: PDFMatrix? {
        let determinant = a * d - b * c
        guard determinant.isFinite, abs(determinant) > 1e-12 else { return nil }
        return PDFMatrix(a: d / determinant, b: -b / determinant, c: -c / determinant, d: a / determinant,
                         e: (c * f - d * e) / determinant, f: (b * e - a * f) / determinant)
    }

    /// The bounding box of `rect` transformed.
    func bounds(of rect: PDFRect) -> PDFRect {
        // Each coordinate's extremes come from its terms' extremes: no corner list is made (this
        // is asked thousands of times while a signature block looks for blank paper).
        let (x1, x2) = (a * rect.minX, a * rect.maxX), (y1, y2) = (c * rect.minY, c * rect.maxY)
        let (u1, u2) = (b * rect.minX, b * rect.maxX), (v1, v2) = (d * rect.minY, d * rect.maxY)
        return PDFRect(minX: min(x1, x2) + min(y1, y2) + e, minY: min(u1, u2) + min(v1, v2) + f,
                       maxX: max(x1, x2) + max(y1, y2) + e, maxY: max(u1, u2) + max(v1, v2) + f)
    }

    /// How much the matrix can stretch a length, at most.
    var largestScale: Double { max(abs(a) + abs(c), abs(b) + abs(d)) }
}

/// Numbers (and text strings) as a PDF writes them, the same way every time.
public enum PDFNumber {
    /// `value` (not negative) in decimal with leading zeros to `width` digits, as
    /// cross-reference entries and byte ranges are written.
    public static func zeroPadded(_ value: Int, to width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// A number: no exponent, at most `decimals` decimals (4 unless told), no trailing zeros,
    /// never "-0"; a value that is not finite, or beyond 10^14, is written 0.
    public static func text(_ value: Double, decimals: Int = 4) -> String {
        let decimals = max(0, min(6, decimals))
        var unit: Int64 = 1
        for _ in 0..<decimals { unit *= 10 }
        let scaled = (value * Double(unit)).rounded()
        guard scaled.isFinite, abs(scaled) < 1e14 * Double(unit) else { return "0" }
        let units = Int64(scaled)
        if units == 0 { return "0" }
        let sign = units < 0 ? "-" : ""
        let magnitude = units.magnitude
        let whole = magnitude / UInt64(unit)
        var fraction = magnitude % UInt64(unit)
        if fraction == 0 { return sign + String(whole) }
        var digits = decimals
        while fraction % 10 == 0 { fraction /= 10; digits -= 1 }
        let fractionText = String(fraction)
        return sign + String(whole) + "." + String(repeating: "0", count: digits - fractionText.count) + fractionText
    }

    /// A text string as hexadecimal UTF-16BE with its byte-order mark (`<FEFF...>`).
    public static func utf16TextString(_ text: String) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var bytes: [UInt8] = Array("<FEFF".utf8)
        for unit in text.utf16 {
            for shift in [12, 8, 4, 0] { bytes.append(digits[Int(unit >> UInt16(shift)) & 0xF]) }
        }
        bytes.append(UInt8(ascii: ">"))
        return String(decoding: bytes, as: UTF8.self)
    }
}
