import CHarfBuzz

/// The part of a font holding a set of glyphs, made by hb-subset and ready to embed.
///
/// Glyph ids are kept as they are in the whole font (`HB_SUBSET_FLAGS_RETAIN_GIDS`), so the
/// embedded font's CIDs are the glyph ids (`/CIDToGIDMap /Identity`) and text drawn with it
/// does not depend on which subset it ends up in. Hinting is dropped, and the layout tables
/// too (the text is shaped already).
public struct FontSubset: Sendable {
    /// The glyph ids it holds, ascending (glyph 0, .notdef, is always kept by the subsetter).
    public let glyphs: [UInt32]
    /// Six upper-case letters derived from the font's name and the glyph set.
    public let tag: String
    /// `TAG+PostScriptName`, the /BaseFont and /FontName.
    public let baseFont: String
    /// The subset font file, zlib-compressed (the /FontFile2 stream's bytes).
    public let compressedFontFile: [UInt8]
    /// The subset font file's length before compression (/Length1).
    public let fontFileLength: Int
    /// The /W array for the glyphs, in PDF glyph space.
    let widthsArray: String
}

extension EmbeddedFont {
    /// Tables the embedded font does without: layout (the text is shaped already), hinting
    /// helpers, device metrics and signatures.
    private static let droppedTables = ["GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "kern", "morx", "mort", "kerx",
                                        "feat", "hdmx", "VDMX", "LTSH", "gasp", "DSIG", "PCLT", "vhea", "vmtx", "meta",
                                        "COLR", "CPAL", "SVG ", "sbix", "CBDT", "CBLC", "EBDT", "EBLC", "EBSC", "STAT"]

    /// The subset holding `glyphs` (and glyph 0), made once per glyph set and cached.
    ///
    /// - Throws: `AppearanceError` when a glyph id is not in the font or hb-subset fails.
    public func subset(glyphs: Set<UInt32>) throws(AppearanceError) -> FontSubset {
        let sorted = glyphs.union([0]).sorted()
        if let bad = sorted.first(where: { $0 >= UInt32(glyphCount) }) {
            throw AppearanceError(path, .invalidInput("glyph \(bad) is not in the font (\(glyphCount) glyphs)"))
        }
        return try caches.subsets.value(for: sorted) { () throws(AppearanceError) in try makeSubset(sorted) }
    }

    private func makeSubset(_ glyphs: [UInt32]) throws(AppearanceError) -> FontSubset {
        guard let input = hb_subset_input_create_or_fail() else {
            throw AppearanceError(path, .libraryFailure("hb_subset_input_create_or_fail failed"))
        }
        defer { hb_subset_input_destroy(input) }
        let glyphSet = hb_subset_input_glyph_set(input)
        for glyph in glyphs { hb_set_add(glyphSet, glyph) }
        let dropped = hb_subset_input_set(input, HB_SUBSET_SETS_DROP_TABLE_TAG)
        for table in EmbeddedFont.droppedTables { hb_set_add(dropped, HarfBuzzFace.tag(table)) }
        hb_subset_input_set_flags(input, HB_SUBSET_FLAGS_RETAIN_GIDS.rawValue | HB_SUBSET_FLAGS_NO_HINTING.rawValue)
        guard let subsetFace = hb_subset_or_fail(harfBuzz.face, input) else {
            throw AppearanceError(path, .libraryFailure("hb-subset could not subset the font"))
        }
        defer { hb_face_destroy(subsetFace) }
        guard let blob = hb_face_reference_blob(subsetFace) else {
            throw AppearanceError(path, .libraryFailure("hb-subset gave no font data"))
        }
        defer { hb_blob_destroy(blob) }
        var length: UInt32 = 0
        guard let data = hb_blob_get_data(blob, &length), length > 0 else {
            throw AppearanceError(path, .libraryFailure("hb-subset gave an empty font"))
        }
        let fontFile = data.withMemoryRebound(to: UInt8.self, capacity: Int(length)) {
            Array(UnsafeBufferPointer(start: $0, count: Int(length)))
        }
        let tag = EmbeddedFont.subsetTag(name: postScriptName, glyphs: glyphs)
        return FontSubset(glyphs: glyphs, tag: tag, baseFont: tag + "+" + postScriptName,
                          compressedFontFile: try Deflate.compress(fontFile, what: "the font subset of \(path)"),
                          fontFileLength: fontFile.count, widthsArray: widthsArray(glyphs))
    }

    /// `[first [w w w] first [w] ...]`: runs of consecutive glyph ids with their widths.
    private func widthsArray(_ glyphs: [UInt32]) -> String {
        var parts: [String] = []
        var index = 0
        while index < glyphs.count {
            var end = index + 1
            while end < glyphs.count, glyphs[end] == glyphs[end - 1] + 1 { end += 1 }
            let widths = glyphs[index..<end].map { String(pdfWidth(ofGlyph: $0)) }.joined(separator: " ")
            parts.append("\(glyphs[index]) [\(widths)]")
            index = end
        }
        return "[" + parts.joined(separator: " ") + "]"
    }

    /// Six letters A–Z from a 64-bit FNV-1a hash of the font name and the glyph ids.
    static func subsetTag(name: String, glyphs: [UInt32]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        name.utf8.forEach(mix)
        for glyph in glyphs {
            for shift in stride(from: 24, through: 0, by: -8) { mix(UInt8(glyph >> UInt32(shift) & 0xFF)) }
        }
        var letters = ""
        for _ in 0..<6 {
            letters.unicodeScalars.append(UnicodeScalar(UInt8(65 + hash % 26)))
            hash /= 26
        }
        return letters
    }
}
