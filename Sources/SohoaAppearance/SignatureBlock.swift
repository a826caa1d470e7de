import SohoaPDF

/// The visible signature block of page 1: lines of text, an optional seal image over its left
/// third and an optional QR code at its right, drawn as one Form XObject.
///
/// Text is set at the style's size and wraps at spaces within the text area; when the wrapped
/// text is still too tall it shrinks step by step down to the style's minimum size, and when
/// it does not fit even then the block is refused with the line that does not fit: text never
/// spills out of the block. Nothing is painted behind the text (the page shows through), only
/// a white square behind the QR code, whose quiet zone must be light to scan.
public struct SignatureBlock: Sendable {
    /// One line of the caller's, which may wrap onto several.
    public struct Line: Sendable, Equatable {
        public var text: String
        /// Set in the style's bold font.
        public var bold: Bool

        public init(_ text: String, bold: Bool = false) {
            self.text = text
            self.bold = bold
        }
    }

    /// The most lines a block takes.
    public static let maximumLines = 40

    /// The block's size in points.
    public var width: Double
    public var height: Double
    public var lines: [Line]
    public var seal: SealImage?
    public var qrCode: QRSymbol?
    public var style: SignatureStyle

    public init(width: Double, height: Double, lines: [Line], seal: SealImage? = nil, qrCode: QRSymbol? = nil,
                style: SignatureStyle) {
        self.width = width
        self.height = height
        self.lines = lines
        self.seal = seal
        self.qrCode = qrCode
        self.style = style
    }

    /// The block's Form XObject and the objects it uses (font subsets with their descriptors,
    /// font files and ToUnicode maps, the seal image and its mask).
    ///
    /// `allocate` is called once per object and must give unused object numbers; dictionaries
    /// refer to each other as `N 0 R`. The same block gives the same objects and bytes every
    /// time (for the same numbers).
    ///
    /// - Returns: the appearance's object number and every object, the appearance first.
    /// - Throws: `AppearanceError` when the layout fails (see `layout()`) or an object number is
    ///   not positive or given twice.
    public func makeObjects(allocate: () -> Int) throws(AppearanceError) -> (appearance: Int, objects: [PDFObject]) {
        let layout = try self.layout()
        var numbers = ObjectNumbers()
        return try BlockDrawing(block: self, layout: layout).objects(allocate: allocate, numbers: &numbers)
    }
}
