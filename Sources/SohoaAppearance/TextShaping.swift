import CHarfBuzz
import Foundation

/// One glyph of shaped text, in font units.
public struct ShapedGlyph: Sendable, Equatable {
    /// The glyph id in the font (kept as the CID when embedded).
    public let glyph: UInt32
    /// Where the glyph's cluster starts, as a byte offset into the UTF-8 of the NFC text.
    public let cluster: Int
    /// How far the pen moves after the glyph.
    public let xAdvance: Int
    /// How far the glyph is drawn from the pen position (marks placed over a base letter).
    public let xOffset: Int
    public let yOffset: Int
}

/// Text shaped by HarfBuzz with one font: glyphs in visual order, with their clusters.
public struct ShapedText: Sendable {
    /// The text as shaped, in Unicode NFC.
    public let text: String
    /// The glyphs, left to right.
    public let glyphs: [ShapedGlyph]
    /// Font units per em of the font that shaped it.
    public let unitsPerEm: Int

    let utf8: [UInt8]
    /// For each glyph, the end (exclusive byte offset) of its cluster's text.
    let clusterEnds: [Int]

    init(text: String, utf8: [UInt8], glyphs: [ShapedGlyph], unitsPerEm: Int) {
        self.text = text
        self.utf8 = utf8
        self.glyphs = glyphs
        self.unitsPerEm = unitsPerEm
        // A cluster ends where the next larger cluster value starts (or at the end of the text).
        let starts = glyphs.map(\.cluster)
        let sortedStarts = starts.enumerated().allSatisfy { $0.offset == 0 || starts[$0.offset - 1] <= $0.element }
            ? starts : starts.sorted()
        var next: [Int: Int] = [:]
        var following = utf8.count
        for start in sortedStarts.reversed() where start != following {
            if next[start] == nil { next[start] = following }
            following = start
        }
        clusterEnds = starts.map { next[$0] ?? utf8.count }
    }

    /// The sum of the glyphs' advances, in font units.
    public var advance: Int { glyphs.reduce(0) { $0 + $1.xAdvance } }

    /// The width of the text set at `size` points.
    public func width(atSize size: Double) -> Double {
        Double(advance) * size / Double(unitsPerEm)
    }

    /// The text of the cluster that glyph `index` belongs to.
    func clusterText(ofGlyph index: Int) -> String {
        let start = glyphs[index].cluster
        let end = clusterEnds[index]
        guard start >= 0, start <= end, end <= utf8.count else { return "" }
        return String(decoding: utf8[start..<end], as: UTF8.self)
    }
}

extension EmbeddedFont {
    /// The longest text shaped in one call, in Unicode scalars.
    public static let maximumTextLength = 4000

    /// Shapes `text` (normalised to NFC first) left to right, with Vietnamese language rules.
    ///
    /// - Throws: `AppearanceError` when the text holds control characters (line breaks
    ///   included: give lines separately), is longer than `maximumTextLength`, or has a
    ///   character the font has no glyph for.
    public func shape(_ text: String) throws(AppearanceError) -> ShapedText {
        try caches.shaped.value(for: text) { () throws(AppearanceError) -> ShapedText in try shapeAnew(text) }
    }

    private func shapeAnew(_ text: String) throws(AppearanceError) -> ShapedText {
        let normalized = ComposedText.of(text)
        let quoted = "the text \"\(normalized.prefix(80))\""
        guard normalized.unicodeScalars.count <= EmbeddedFont.maximumTextLength else {
            throw AppearanceError(quoted, .invalidInput("it is longer than \(EmbeddedFont.maximumTextLength) characters"))
        }
        if let control = normalized.unicodeScalars.first(where: { $0.properties.generalCategory == .control }) {
            throw AppearanceError(quoted, .invalidInput(
                "it holds the control character U+\(String(control.value, radix: 16, uppercase: true).leftPadded(to: 4))"))
        }
        let utf8 = Array(normalized.utf8)
        guard let buffer = hb_buffer_create(), hb_buffer_allocation_successful(buffer) != 0 else {
            throw AppearanceError(quoted, .libraryFailure("hb_buffer_create failed"))
        }
        defer { hb_buffer_destroy(buffer) }
        utf8.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) {
                hb_buffer_add_utf8(buffer, $0.baseAddress, Int32($0.count), 0, Int32($0.count))
            }
        }
        hb_buffer_set_direction(buffer, HB_DIRECTION_LTR)
        hb_buffer_set_language(buffer, hb_language_from_string("vi", -1))
        hb_buffer_guess_segment_properties(buffer)
        hb_shape(harfBuzz.font, buffer, nil, 0)
        var count: UInt32 = 0
        guard let infos = hb_buffer_get_glyph_infos(buffer, &count),
              let positions = hb_buffer_get_glyph_positions(buffer, nil) else {
            if utf8.isEmpty { return ShapedText(text: normalized, utf8: utf8, glyphs: [], unitsPerEm: unitsPerEm) }
            throw AppearanceError(quoted, .libraryFailure("hb_shape gave no glyphs"))
        }
        var glyphs: [ShapedGlyph] = []
        glyphs.reserveCapacity(Int(count))
        for index in 0..<Int(count) {
            let info = infos[index], position = positions[index]
            glyphs.append(ShapedGlyph(glyph: info.codepoint, cluster: Int(info.cluster), xAdvance: Int(position.x_advance),
                                      xOffset: Int(position.x_offset), yOffset: Int(position.y_offset)))
        }
        let shaped = ShapedText(text: normalized, utf8: utf8, glyphs: glyphs, unitsPerEm: unitsPerEm)
        if let missing = glyphs.indices.first(where: { glyphs[$0].glyph == 0 }) {
            throw AppearanceError(quoted, .missingGlyph(character: shaped.clusterText(ofGlyph: missing)))
        }
        return shaped
    }
}
