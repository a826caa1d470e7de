/// A rectangle in the block's coordinates (points, origin at the lower left).
public struct BlockRect: Sendable, Equatable {
    public let x: Double
    public let y: Double
    public let width: Double
    public let height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var maxX: Double { x + width }
    public var maxY: Double { y + height }

    /// Whether `other` lies inside this rectangle (allowing for rounding of a thousandth of a point).
    public func contains(_ other: BlockRect) -> Bool {
        other.x >= x - 0.001 && other.y >= y - 0.001 && other.maxX <= maxX + 0.001 && other.maxY <= maxY + 0.001
    }
}

/// Where everything in a signature block goes, as computed before drawing.
public struct SignatureLayout: Sendable {
    /// One line as drawn: a whole line of the caller's, or a part of one after wrapping.
    public struct PlacedLine: Sendable {
        /// The text drawn on this line (NFC).
        public let text: String
        /// Which of the block's lines it comes from (0-based).
        public let sourceLine: Int
        public let bold: Bool
        /// The left end of the baseline.
        public let x: Double
        public let baseline: Double
        /// The advance width of the text at the font size.
        public let width: Double
        /// The space the line takes: from its baseline minus the font's descent to its
        /// baseline plus the ascent, over its width.
        public let bounds: BlockRect

        let shaped: ShapedText
        let glyphRange: Range<Int>
        /// How far the baseline is turned anticlockwise about its left end, in degrees.
        var angle = 0.0
    }

    /// The block's size.
    public let width: Double
    public let height: Double
    /// The size the text is set at (the style's size, or smaller when it had to shrink).
    public let fontSize: Double
    /// Where text may go.
    public let textArea: BlockRect
    public let lines: [PlacedLine]
    /// Where the seal is drawn (its aspect ratio kept), when the block has one.
    public let seal: BlockRect?
    /// Where the QR code and its quiet zone are drawn, when the block has one.
    public let qrCode: BlockRect?
    /// The QR code's module size in points.
    public let qrModuleSize: Double?
}
