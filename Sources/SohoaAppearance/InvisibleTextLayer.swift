import SohoaPDF

/// The text of scanned pages as PDF text that is not drawn (render mode 3): each word set in
/// Liberation Serif over the box where it stands on the page image, stretched to the box's
/// width, so that searching finds it, selecting highlights the right words and copying gives
/// its exact letters (a /ToUnicode map, /ActualText where a glyph cannot say it alone).
///
/// One font subset serves every page of a document: pages add their words in turn, and the
/// font's objects are made once all pages are known. Not for use by several threads at once.
public final class InvisibleTextLayer {
    /// The name the pages' resources give the font.
    public static let fontResourceName = "OCR"

    /// One word to set, in page space (points, origin bottom left).
    public struct Word: Sendable {
        public let text: String
        /// The left end of the word's baseline.
        public let x: Double
        public let baseline: Double
        /// The word's length along its baseline.
        public let width: Double
        /// The height of its line's letters, ascenders to descenders: the words of a line are
        /// set at one size.
        public let lineHeight: Double
        /// How far the baseline is turned anticlockwise (a page scanned skewed), in degrees.
        public let angle: Double

        public init(text: String, x: Double, baseline: Double, width: Double, lineHeight: Double, angle: Double = 0) {
            self.text = text
            self.x = x
            self.baseline = baseline
            self.width = width
            self.lineHeight = lineHeight
            self.angle = angle
        }
    }

    private let font: EmbeddedFont
    private var map: GlyphTextMap
    private var drawnGlyphs = Set<UInt32>()

    /// Whether any word has been set.
    public var isEmpty: Bool { drawnGlyphs.isEmpty }

    /// - Throws: `AppearanceError` when Liberation Serif (Debian's fonts-liberation2) cannot be loaded.
    public init() throws(AppearanceError) {
        font = try EmbeddedFont.cached(path: EmbeddedFont.liberationSerifPath)
        map = GlyphTextMap(font: font)
    }

    /// The content stream setting `words` invisibly (empty when there are none).
    public func content(for words: [Word]) -> [UInt8] {
        var stream = ContentStream(capacity: 64 + words.count * 96)
        var started = false
        let extent = Double(font.metrics.ascent - font.metrics.descent) / 1000
        for word in words {
            guard word.x.isFinite, word.baseline.isFinite, word.width.isFinite, word.width > 0, word.angle.isFinite,
                  abs(word.angle) <= 45, word.lineHeight > 0, extent > 0,
                  !word.text.isEmpty, word.text.unicodeScalars.count <= 200 else { continue }
            // A word that cannot be set (a control character read off a smudge) is left out of the layer.
            guard let shaped = try? font.shape(word.text), !shaped.glyphs.isEmpty else { continue }
            let size = word.lineHeight / extent
            let natural = shaped.width(atSize: size)
            guard natural > 0, size >= 0.5, size <= 1000 else { continue }
            map.learn(shaped, 0..<shaped.glyphs.count)
            for glyph in shaped.glyphs { drawnGlyphs.insert(glyph.glyph) }
            if !started {
                stream.append("q\n3 Tr\n")
                started = true
            }
            // The word's advance stretched (or narrowed) to its box: 100 is its natural width.
            stream.append(max(1, min(10_000, 100 * word.width / natural)))
            stream.append(" Tz\n")
            let line = SignatureLayout.PlacedLine(
                text: word.text, sourceLine: 0, bold: false, x: word.x, baseline: word.baseline, width: natural,
                bounds: BlockRect(x: word.x, y: word.baseline - word.lineHeight, width: word.width, height: word.lineHeight),
                shaped: shaped, glyphRange: 0..<shaped.glyphs.count, angle: word.angle)
            TextDrawing(font: font, resourceName: Self.fontResourceName, map: map).draw(line, size: size, into: &stream)
        }
        if started { stream.append("Q\n") }
        return stream.bytes
    }

    /// `content(for:)` compressed, for a page's content stream (empty when nothing is set).
    public func compressedContent(for words: [Word]) throws(AppearanceError) -> [UInt8] {
        let content = content(for: words)
        return content.isEmpty ? [] : try Deflate.compress(content, what: "a page's text layer")
    }

    /// The font's objects (a Type0 font over an embedded Liberation Serif subset of every glyph
    /// set so far, with its /ToUnicode map), the Type0 font first.
    public func fontObjects(allocate: () -> Int) throws(AppearanceError) -> (font: Int, objects: [PDFObject]) {
        var numbers = ObjectNumbers()
        return try FontObjects(font: font, map: map, drawnGlyphs: drawnGlyphs, alwaysIncluded: "")
            .objects(allocate: allocate, numbers: &numbers)
    }
}
