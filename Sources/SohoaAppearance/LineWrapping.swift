/// Breaking shaped text into lines at spaces.
enum LineWrapping {
    /// The glyph ranges of the lines `text` breaks into when no line may be wider than
    /// `maximumAdvance` font units; spaces at a break are dropped. Nil when one word alone is
    /// wider. Empty text gives one empty line.
    static func wrap(_ text: ShapedText, maximumAdvance: Double) -> [Range<Int>]? {
        let glyphs = text.glyphs
        var lines: [Range<Int>] = []
        var lineStart: Int?
        var lineEnd = 0
        var lineAdvance = 0
        var index = 0
        while index < glyphs.count {
            var gap = 0
            while index < glyphs.count, text.isSpace(index) {
                gap += glyphs[index].xAdvance
                index += 1
            }
            guard index < glyphs.count else { break }
            let wordStart = index
            var word = 0
            while index < glyphs.count, !text.isSpace(index) {
                word += glyphs[index].xAdvance
                index += 1
            }
            guard Double(word) <= maximumAdvance else { return nil }
            if lineStart != nil, Double(lineAdvance + gap + word) <= maximumAdvance {
                lineEnd = index
                lineAdvance += gap + word
            } else {
                if let start = lineStart { lines.append(start..<lineEnd) }
                lineStart = wordStart
                lineEnd = index
                lineAdvance = word
            }
        }
        if let start = lineStart { lines.append(start..<lineEnd) }
        return lines.isEmpty ? [0..<0] : lines
    }

    /// The widest word of `text`, and its advance in font units.
    static func widestWord(_ text: ShapedText) -> (word: String, advance: Int) {
        var best = ("", 0)
        var index = 0
        let glyphs = text.glyphs
        while index < glyphs.count {
            while index < glyphs.count, text.isSpace(index) { index += 1 }
            let start = index
            var advance = 0
            while index < glyphs.count, !text.isSpace(index) {
                advance += glyphs[index].xAdvance
                index += 1
            }
            if advance > best.1 { best = (text.text(ofGlyphs: start..<index), advance) }
        }
        return best
    }
}

extension ShapedText {
    /// Whether glyph `index` is a space (a cluster of exactly U+0020).
    func isSpace(_ index: Int) -> Bool {
        let start = glyphs[index].cluster
        return start < utf8.count && utf8[start] == 0x20 && clusterEnds[index] == start + 1
    }

    /// The text of the clusters that glyphs `range` belong to (left to right).
    func text(ofGlyphs range: Range<Int>) -> String {
        guard let first = range.first, let last = range.last else { return "" }
        let start = min(glyphs[first].cluster, glyphs[last].cluster)
        let end = max(clusterEnds[first], clusterEnds[last])
        guard start <= end, end <= utf8.count else { return "" }
        return String(decoding: utf8[start..<end], as: UTF8.self)
    }

    /// The advance of glyphs `range`, in font units.
    func advance(ofGlyphs range: Range<Int>) -> Int {
        glyphs[range].reduce(0) { $0 + $1.xAdvance }
    }
}
