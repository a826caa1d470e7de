import CQPDF

/// What the ink analysis needs of a font: how wide each glyph is and how far glyphs reach
/// above and below the baseline, in text space units per unit of font size. Where the font
/// does not say, the guesses are generous (a glyph as wide as the font size), so that text
/// is never thought narrower than it is.
struct FontMetrics {
    /// Whether codes are two bytes (a Type0 font with an Identity encoding).
    var twoByteCodes = false
    var widths: [Int: Double] = [:]
    var defaultWidth = 1.0
    var descent = -0.3
    var ascent = 1.1

    static let generous = FontMetrics()

    /// The standard 14 fonts (ISO 32000-2 §9.6.2.2), which a file may use without metrics.
    static let standardFonts: Set<String> = [
        "/Times-Roman", "/Times-Bold", "/Times-Italic", "/Times-BoldItalic", "/Helvetica", "/Helvetica-Bold",
        "/Helvetica-Oblique", "/Helvetica-BoldOblique", "/Courier", "/Courier-Bold", "/Courier-Oblique",
        "/Courier-BoldOblique",
    ]

    init() {}

    init(_ font: qpdf_oh, access: ObjectAccess) {
        guard access.isDictionary(font) else { return }
        var descriptor = access.value(font, "/FontDescriptor")
        if access.name(access.value(font, "/Subtype")) == "/Type0" {
            let encoding = access.name(access.value(font, "/Encoding"))
            twoByteCodes = encoding == "/Identity-H" || encoding == "/Identity-V"
            let descendant = access.items(access.value(font, "/DescendantFonts")).first ?? font
            descriptor = access.value(descendant, "/FontDescriptor")
            if twoByteCodes {
                defaultWidth = access.number(access.value(descendant, "/DW")).map { $0 / 1000 } ?? 1.0
                readCIDWidths(access.value(descendant, "/W"), access: access)
            }
        } else if access.name(access.value(font, "/Subtype")) != "/Type3" {
            let first = access.integer(access.value(font, "/FirstChar")) ?? 0
            for (index, item) in access.items(access.value(font, "/Widths")).prefix(256).enumerated() {
                if let width = access.number(item) { widths[first + index] = max(0, width) / 1000 }
            }
            if let missing = access.number(access.value(descriptor, "/MissingWidth")), missing > 0 {
                defaultWidth = missing / 1000
            }
        }
        if let ascent = access.number(access.value(descriptor, "/Ascent")),
           let descent = access.number(access.value(descriptor, "/Descent")), ascent > 0 {
            self.descent = max(-3, min(-0.1, descent / 1000))
            self.ascent = min(3, max(0.5, ascent / 1000))
        } else if let box = Optional(access.items(access.value(descriptor, "/FontBBox")).compactMap { access.number($0) }),
                  box.count == 4 {
            descent = min(-0.2, max(-3, min(box[1], box[3]) / 1000))
            ascent = max(0.9, min(3, max(box[1], box[3]) / 1000))
        } else if let base = access.name(access.value(font, "/BaseFont")), Self.standardFonts.contains(base) {
            // The standard 14 fonts' ascenders and descenders (their AFM files) are within these.
            descent = -0.25
            ascent = 0.75
        }
    }

    /// /W: `c [w1 w2 …]` or `cFirst cLast w`, at most 65,536 entries.
    private mutating func readCIDWidths(_ array: qpdf_oh, access: ObjectAccess) {
        let items = access.items(array)
        var index = 0
        while index + 1 < items.count, widths.count < 65_536 {
            guard let first = access.integer(items[index]) else { return }
            if access.isArray(items[index + 1]) {
                for (offset, item) in access.items(items[index + 1]).prefix(65_536).enumerated() {
                    if let width = access.number(item) { widths[first + offset] = max(0, width) / 1000 }
                }
                index += 2
            } else {
                guard index + 2 < items.count, let last = access.integer(items[index + 1]),
                      let width = access.number(items[index + 2]), last >= first, last - first < 65_536 else { return }
                for code in first...last { widths[code] = max(0, width) / 1000 }
                index += 3
            }
        }
    }

    /// The codes a string shows.
    func codes(_ bytes: [UInt8]) -> [Int] {
        guard twoByteCodes else { return bytes.map(Int.init) }
        return stride(from: 0, to: bytes.count, by: 2).map { index in
            Int(bytes[index]) << 8 | (index + 1 < bytes.count ? Int(bytes[index + 1]) : 0)
        }
    }

    func width(_ code: Int) -> Double { widths[code] ?? defaultWidth }
}
