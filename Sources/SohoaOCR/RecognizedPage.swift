import Foundation

/// A rectangle of an image in pixels, top-left origin: columns `x0..<x1`, rows `y0..<y1`.
public struct PixelBox: Sendable, Equatable, Codable {
    public var x0: Int, y0: Int, x1: Int, y1: Int

    public init(x0: Int, y0: Int, x1: Int, y1: Int) {
        self.x0 = x0
        self.y0 = y0
        self.x1 = x1
        self.y1 = y1
    }

    public var width: Int { x1 - x0 }
    public var height: Int { y1 - y0 }
}

/// One word Tesseract read, where it stands on the upright page.
public struct RecognizedWord: Sendable, Equatable {
    /// The word in Unicode NFC.
    public let text: String
    public let box: PixelBox
    /// The row of the line's baseline under the word's middle, when Tesseract found one.
    public let baseline: Double?
    /// Tesseract's confidence, 0 to 100.
    public let confidence: Double
    /// Which line of the page the word is on, from 0.
    public let line: Int

    public init(text: String, box: PixelBox, baseline: Double?, confidence: Double, line: Int) {
        self.text = text
        self.box = box
        self.baseline = baseline
        self.confidence = confidence
        self.line = line
    }
}

/// What was read on one page.
public struct RecognizedPage: Sendable {
    /// The size of the (upright) image read, in pixels.
    public let width: Int
    public let height: Int
    public let words: [RecognizedWord]
    /// How far the text lines slope, in degrees (clockwise positive); nil when too few lines
    /// were found to tell.
    public let skewDegrees: Double?
    /// How far the page was turned anticlockwise to be read straight (0: read as it is): the
    /// words' boxes and baselines are in that straightened picture; `onPage` maps them back.
    public let straightenedBy: Double

    public init(width: Int, height: Int, words: [RecognizedWord], skewDegrees: Double?, straightenedBy: Double = 0) {
        self.width = width
        self.height = height
        self.words = words
        self.skewDegrees = skewDegrees
        self.straightenedBy = straightenedBy
    }

    /// A point of the straightened picture where it is on the page as scanned (pixels, top left).
    public func onPage(x: Double, y: Double) -> (x: Double, y: Double) {
        guard straightenedBy != 0 else { return (x, y) }
        let radians = straightenedBy * .pi / 180
        let centreX = Double(width - 1) / 2, centreY = Double(height - 1) / 2
        let dx = x - centreX, dy = y - centreY
        return (centreX + dx * cos(radians) - dy * sin(radians), centreY + dx * sin(radians) + dy * cos(radians))
    }

    /// The page's confidence: the words' confidences weighted by their lengths, 0 without words.
    public var confidence: Double {
        let total = words.reduce(0) { $0 + $1.text.count }
        guard total > 0 else { return 0 }
        return words.reduce(0) { $0 + $1.confidence * Double($1.text.count) } / Double(total)
    }

    /// The text, a line per line of the page, words separated by spaces.
    public var text: String {
        var lines: [String] = []
        var current: [String] = []
        var line = words.first?.line
        for word in words {
            if word.line != line {
                lines.append(current.joined(separator: " "))
                current = []
                line = word.line
            }
            current.append(word.text)
        }
        if !current.isEmpty { lines.append(current.joined(separator: " ")) }
        return lines.joined(separator: "\n")
    }
}
