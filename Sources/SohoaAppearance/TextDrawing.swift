import Foundation
/// Content-stream operators drawing one placed line of shaped text.
///
/// Glyphs are shown by id (two-byte CIDs under Identity-H). Each glyph goes where HarfBuzz
/// placed it: the difference between its shaped position and where the /W widths alone
/// would put it (kerning, mark offsets) becomes a TJ adjustment, and vertical offsets a
/// text rise.
struct TextDrawing {
    let font: EmbeddedFont
    let resourceName: String
    let map: GlyphTextMap

    func draw(_ line: SignatureLayout.PlacedLine, size: Double, into stream: inout ContentStream) {
        let shaped = line.shaped
        let scale = 1000 / Double(shaped.unitsPerEm)
        stream.append("BT\n/\(resourceName) ")
        stream.append(size)
        stream.append(" Tf\n")
        if line.angle == 0 {
            stream.append("1 0 0 1 ")
        } else {
            let radians = line.angle * .pi / 180
            stream.append(cos(radians))
            stream.append(" ")
            stream.append(sin(radians))
            stream.append(" ")
            stream.append(-sin(radians))
            stream.append(" ")
            stream.append(cos(radians))
            stream.append(" ")
        }
        stream.append(line.x)
        stream.append(" ")
        stream.append(line.baseline)
        stream.append(" Tm\n")
        var shown = ShownText()
        var rise = 0.0
        var idealPen = 0.0  // where HarfBuzz puts the pen, in thousandths of the size
        var pdfPen = 0  // where the text matrix is after the glyphs and adjustments shown
        for cluster in GlyphTextMap.clusters(shaped, line.glyphRange) {
            let actualText = !map.spells(shaped, cluster: cluster)
            if actualText {
                shown.flush(into: &stream)
                stream.append("/Span <</ActualText " + PDFSyntax.textString(shaped.clusterText(ofGlyph: cluster.lowerBound))
                              + ">> BDC\n")
            }
            for index in cluster {
                let glyph = shaped.glyphs[index]
                let glyphRise = Double(glyph.yOffset) * size / Double(shaped.unitsPerEm)
                if PDFSyntax.number(glyphRise) != PDFSyntax.number(rise) {
                    shown.flush(into: &stream)
                    stream.append(glyphRise)
                    stream.append(" Ts\n")
                    rise = glyphRise
                }
                let adjustment = Int((idealPen + Double(glyph.xOffset) * scale - Double(pdfPen)).rounded())
                if adjustment != 0 {
                    shown.adjust(-adjustment)
                    pdfPen += adjustment
                }
                shown.glyph(UInt16(truncatingIfNeeded: glyph.glyph))
                pdfPen += font.pdfWidth(ofGlyph: glyph.glyph)
                idealPen += Double(glyph.xAdvance) * scale
            }
            if actualText {
                shown.flush(into: &stream)
                stream.append("EMC\n")
            }
        }
        shown.flush(into: &stream)
        if rise != 0 { stream.append("0 Ts\n") }
        stream.append("ET\n")
    }
}

/// The operand of one TJ (or Tj) being built: runs of glyph ids and adjustments between them.
private struct ShownText {
    private var parts: [String] = []
    private var run = ContentStream(capacity: 64)
    private var runIsOpen = false

    mutating func glyph(_ id: UInt16) {
        if !runIsOpen {
            run = ContentStream(capacity: 64)
            run.append("<")
            runIsOpen = true
        }
        run.appendHex16(id)
    }

    mutating func adjust(_ thousandths: Int) {
        closeRun()
        parts.append(String(thousandths))
    }

    private mutating func closeRun() {
        guard runIsOpen else { return }
        run.append(">")
        parts.append(String(decoding: run.bytes, as: UTF8.self))
        runIsOpen = false
    }

    /// Writes what was built as `<...> Tj` or `[...] TJ`, and starts again.
    mutating func flush(into stream: inout ContentStream) {
        closeRun()
        guard !parts.isEmpty else { return }
        if parts.count == 1, parts[0].hasPrefix("<") {
            stream.append(parts[0] + " Tj\n")
        } else {
            // Adjustments before the first glyph or after the last one still move the pen.
            stream.append("[" + parts.joined(separator: " ") + "] TJ\n")
        }
        parts.removeAll(keepingCapacity: true)
    }
}
