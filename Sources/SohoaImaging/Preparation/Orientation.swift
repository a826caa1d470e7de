/// How stored pixels must be turned to show the page upright: the TIFF and EXIF Orientation
/// tag, values 1 to 8.
public enum Orientation: Int, Sendable, CaseIterable {
    /// Row 0 at the top, column 0 at the left: already upright.
    case up = 1
    /// Mirrored left to right.
    case upMirrored = 2
    /// Upside down.
    case down = 3
    /// Mirrored top to bottom.
    case downMirrored = 4
    /// Mirrored along the main diagonal (row 0 is the left column).
    case leftMirrored = 5
    /// Turned: row 0 is the right column; the page is shown turned a quarter clockwise.
    case right = 6
    /// Mirrored along the anti-diagonal.
    case rightMirrored = 7
    /// Turned: row 0 is the left column, bottom to top; shown turned a quarter anticlockwise.
    case left = 8

    /// The orientation for a tag value; out-of-range values mean upright, as readers treat them.
    public init(tag: Int) {
        self = Orientation(rawValue: tag) ?? .up
    }

    /// The orientation that shows the page as this one does, then turned `quarterTurns`
    /// quarter turns clockwise more (a page found sideways after its stored orientation).
    public func turned(quarterTurns: Int) -> Orientation {
        // Each orientation is a quarter-turn count, then a mirror or not; a turn after a mirror
        // is the mirror after the opposite turn.
        let table: [Orientation: (turns: Int, mirrored: Bool)] = [
            .up: (0, false), .right: (1, false), .down: (2, false), .left: (3, false),
            .upMirrored: (0, true), .leftMirrored: (1, true), .downMirrored: (2, true), .rightMirrored: (3, true),
        ]
        let (turns, mirrored) = table[self] ?? (0, false)
        let total = (((mirrored ? turns - quarterTurns : turns + quarterTurns) % 4) + 4) % 4
        return table.first { $0.value.turns == total && $0.value.mirrored == mirrored }?.key ?? self
    }

    /// Whether showing the page upright swaps its width and height.
    public var swapsWidthAndHeight: Bool { rawValue >= 5 }

    /// The upright size of a page stored as `width × height` pixels.
    public func uprightSize(width: Int, height: Int) -> (width: Int, height: Int) {
        swapsWidthAndHeight ? (height, width) : (width, height)
    }
}
