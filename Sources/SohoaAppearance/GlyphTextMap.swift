/// What each glyph of one font stands for in the text, for the /ToUnicode CMap.
///
/// A glyph maps to its cluster's text when it is the cluster's only glyph (one glyph for one
/// letter, or a ligature for several); in a cluster of several glyphs, each maps to the
/// character the font's cmap gives it, if any. The first use in the block decides. A cluster
/// whose glyphs' texts do not spell the cluster's text exactly is drawn inside an
/// /ActualText span, so that text extraction gives the right letters there too.
struct GlyphTextMap {
    /// The longest text one glyph maps to, in UTF-16 code units.
    static let maximumMappedLength = 32

    let font: EmbeddedFont
    private(set) var texts: [UInt32: String] = [:]

    init(font: EmbeddedFont) { self.font = font }

    /// Learns the mappings of the glyphs `range` of `shaped`.
    mutating func learn(_ shaped: ShapedText, _ range: Range<Int>) {
        for cluster in GlyphTextMap.clusters(shaped, range) {
            let text = shaped.clusterText(ofGlyph: cluster.lowerBound)
            if cluster.count == 1 {
                let glyph = shaped.glyphs[cluster.lowerBound].glyph
                if texts[glyph] == nil, !text.isEmpty, text.utf16.count <= GlyphTextMap.maximumMappedLength {
                    texts[glyph] = text
                }
                continue
            }
            for index in cluster {
                let glyph = shaped.glyphs[index].glyph
                guard texts[glyph] == nil else { continue }
                if let scalar = text.unicodeScalars.first(where: { font.harfBuzz.nominalGlyph($0) == glyph }) {
                    texts[glyph] = String(scalar)
                }
            }
        }
    }

    /// Whether the mapped texts of cluster `cluster`'s glyphs spell its text.
    func spells(_ shaped: ShapedText, cluster: Range<Int>) -> Bool {
        var spelled = ""
        for index in cluster {
            guard let text = texts[shaped.glyphs[index].glyph] else { return false }
            spelled += text
        }
        return spelled == shaped.clusterText(ofGlyph: cluster.lowerBound)
    }

    /// The runs of consecutive glyphs of `range` sharing a cluster.
    static func clusters(_ shaped: ShapedText, _ range: Range<Int>) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start = range.lowerBound
        while start < range.upperBound {
            var end = start + 1
            while end < range.upperBound, shaped.glyphs[end].cluster == shaped.glyphs[start].cluster { end += 1 }
            result.append(start..<end)
            start = end
        }
        return result
    }

    /// One glyph and the text it stands for.
    struct Entry: Hashable, Sendable {
        let glyph: UInt32
        let text: String
    }

    /// The mappings, by glyph id.
    var entries: [Entry] {
        texts.map { Entry(glyph: $0.key, text: $0.value) }.sorted { $0.glyph < $1.glyph }
    }

    /// The /ToUnicode CMap program: one bfchar entry per mapped glyph, by glyph id.
    var cmap: [UInt8] {
        GlyphTextMap.cmap(entries)
    }

    /// The /ToUnicode CMap program for `entries` (sorted by glyph id).
    static func cmap(_ entries: [Entry]) -> [UInt8] {
        var stream = ContentStream(capacity: 512 + entries.count * 20)
        stream.append("""
            /CIDInit /ProcSet findresource begin
            12 dict begin
            begincmap
            /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
            /CMapName /Adobe-Identity-UCS def
            /CMapType 2 def
            1 begincodespacerange
            <0000> <FFFF>
            endcodespacerange

            """)
        var start = 0
        while start < entries.count {
            let block = entries[start..<min(start + 100, entries.count)]
            stream.append("\(block.count) beginbfchar\n")
            for entry in block {
                stream.append("<")
                stream.appendHex16(UInt16(truncatingIfNeeded: entry.glyph))
                stream.append("> <")
                for unit in entry.text.utf16 { stream.appendHex16(unit) }
                stream.append(">\n")
            }
            stream.append("endbfchar\n")
            start += 100
        }
        stream.append("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
        return stream.bytes
    }
}
