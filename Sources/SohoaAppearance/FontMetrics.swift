/// The values a PDF font descriptor gives, read from a font's tables, in PDF glyph space
/// (thousandths of the font size).
public struct FontMetrics: Sendable, Equatable {
    /// The PDF font flags (FixedPitch 1, Serif 2, Symbolic 4, Italic 64).
    public let flags: Int
    /// The union of every glyph's bounding box: left, bottom, right, top.
    public let boundingBox: [Int]
    public let ascent: Int
    public let descent: Int
    public let capHeight: Int
    /// Degrees counter-clockwise from vertical (negative for a font leaning right).
    public let italicAngle: Double
    public let stemV: Int

    /// Reads the metrics of `face`, whose units per em is `upem`.
    init(face: HarfBuzzFace, upem: Int) {
        func scaled(_ value: Int) -> Int { Int((Double(value) * 1000 / Double(upem)).rounded()) }
        let head = face.table("head")
        let post = face.table("post")
        let os2 = face.table("OS/2")
        boundingBox = [36, 38, 40, 42].map { scaled(head.int16($0) ?? 0) }
        ascent = scaled(face.metric("hasc"))
        descent = scaled(face.metric("hdsc"))
        var cap = face.metric("cpht")
        if cap <= 0, let glyph = face.nominalGlyph("H"), let top = face.glyphTop(glyph) { cap = top }
        capHeight = scaled(cap > 0 ? cap : face.metric("hasc"))
        let angle = post.fixed(4) ?? 0
        italicAngle = (angle * 100).rounded() / 100
        // PDF has no field for it in TrueType fonts: estimated from the weight class (400 regular,
        // 700 bold), as PDF producers commonly do.
        let weight = Double(min(max(Int(os2.uint16(4) ?? 400), 100), 900))
        stemV = Int((50 + (weight / 65) * (weight / 65)).rounded())
        var flags = 4  // Symbolic: glyphs are reached by glyph id, not by a standard Latin encoding.
        if let fixedPitch = post.uint32(12), fixedPitch != 0 { flags |= 1 }
        // PANOSE (OS/2 offset 32): Latin text (family 2) with a serif style other than sans (11–13).
        if let family = os2.byte(32), let serif = os2.byte(33), family == 2, (2...10).contains(serif) { flags |= 2 }
        let fsSelection = os2.uint16(62) ?? 0
        if italicAngle != 0 || fsSelection & 1 != 0 { flags |= 64 }
        self.flags = flags
    }
}
