import SohoaPDF

/// The PDF objects embedding one font's subset: a Type0 font (Identity-H) over a
/// CIDFontType2 with its descriptor, its font file and its /ToUnicode CMap.
struct FontObjects {
    let font: EmbeddedFont
    let map: GlyphTextMap
    /// The glyphs drawn with the font in this appearance.
    let drawnGlyphs: Set<UInt32>
    /// Characters whose glyphs the subset holds whatever is drawn (so that subsets are shared).
    let alwaysIncluded: String

    /// The objects, the Type0 font (the one the resources name) first.
    func objects(allocate: () -> Int, numbers: inout ObjectNumbers) throws(AppearanceError) -> (font: Int, objects: [PDFObject]) {
        let always = try font.caches.glyphSets.value(for: alwaysIncluded) { () throws(AppearanceError) in
            Set(try font.shape(alwaysIncluded).glyphs.map(\.glyph))
        }
        let subset = try font.subset(glyphs: drawnGlyphs.union(always))
        let entries = map.entries
        let toUnicodeStream = try font.caches.toUnicodeStreams.value(for: entries) { () throws(AppearanceError) in
            try Deflate.compress(GlyphTextMap.cmap(entries), what: "the ToUnicode map of \(font.path)")
        }
        let type0 = try numbers.take(allocate())
        let cidFont = try numbers.take(allocate())
        let descriptor = try numbers.take(allocate())
        let fontFile = try numbers.take(allocate())
        let toUnicode = try numbers.take(allocate())
        let name = PDFSyntax.name(subset.baseFont)
        let metrics = font.metrics
        return (type0, [
            PDFObject(id: type0, dictionary: "<< /Type /Font /Subtype /Type0 /BaseFont \(name) /Encoding /Identity-H "
                + "/DescendantFonts [\(PDFSyntax.reference(cidFont))] /ToUnicode \(PDFSyntax.reference(toUnicode)) >>"),
            PDFObject(id: cidFont, dictionary: "<< /Type /Font /Subtype /CIDFontType2 /BaseFont \(name) "
                + "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
                + "/FontDescriptor \(PDFSyntax.reference(descriptor)) /CIDToGIDMap /Identity /W \(subset.widthsArray) >>"),
            PDFObject(id: descriptor, dictionary: "<< /Type /FontDescriptor /FontName \(name) /Flags \(metrics.flags) "
                + "/FontBBox [\(metrics.boundingBox.map(String.init).joined(separator: " "))] "
                + "/ItalicAngle \(PDFSyntax.number(metrics.italicAngle)) /Ascent \(metrics.ascent) /Descent \(metrics.descent) "
                + "/CapHeight \(metrics.capHeight) /StemV \(metrics.stemV) /FontFile2 \(PDFSyntax.reference(fontFile)) >>"),
            PDFObject(id: fontFile, dictionary: "<< /Length1 \(subset.fontFileLength) /Filter /FlateDecode >>",
                      streamData: subset.compressedFontFile),
            PDFObject(id: toUnicode, dictionary: "<< /Filter /FlateDecode >>", streamData: toUnicodeStream),
        ])
    }
}
