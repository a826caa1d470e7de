import CHarfBuzz

/// A HarfBuzz face and font over one font file's bytes, owned together.
///
/// Both are made immutable once set up; HarfBuzz documents immutable faces and fonts as safe
/// to use from several threads at once (each shaping call has its own buffer), hence the
/// `@unchecked Sendable`.
final class HarfBuzzFace: @unchecked Sendable {
    let face: OpaquePointer
    let font: OpaquePointer

    /// Opens the first face of `bytes` (copied into HarfBuzz's own memory).
    init(bytes: [UInt8], what: String) throws(AppearanceError) {
        guard bytes.count < Int(UInt32.max) else {
            throw AppearanceError(what, .tooLarge("\(bytes.count) bytes"))
        }
        let blob: OpaquePointer? = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) {
                hb_blob_create($0.baseAddress, UInt32($0.count), HB_MEMORY_MODE_DUPLICATE, nil, nil)
            }
        }
        guard let blob else { throw AppearanceError(what, .libraryFailure("hb_blob_create failed")) }
        defer { hb_blob_destroy(blob) }
        guard let face = hb_face_create(blob, 0) else {
            throw AppearanceError(what, .libraryFailure("hb_face_create failed"))
        }
        hb_face_make_immutable(face)
        guard let font = hb_font_create(face) else {
            hb_face_destroy(face)
            throw AppearanceError(what, .libraryFailure("hb_font_create failed"))
        }
        // Positions in font units: no hinting, no rounding to a pixel grid.
        let upem = Int32(clamping: hb_face_get_upem(face))
        hb_font_set_scale(font, upem, upem)
        hb_font_make_immutable(font)
        self.face = face
        self.font = font
    }

    deinit {
        hb_font_destroy(font)
        hb_face_destroy(face)
    }

    /// The tags of every table in the face.
    var tableTags: Set<String> {
        var tags = Set<String>()
        var offset: UInt32 = 0
        while true {
            var batch = [hb_tag_t](repeating: 0, count: 32)
            var count = UInt32(batch.count)
            let total = hb_face_get_table_tags(face, offset, &count, &batch)
            for index in 0..<Int(count) { tags.insert(HarfBuzzFace.string(batch[index])) }
            offset += count
            if count == 0 || offset >= total { break }
        }
        return tags
    }

    /// The bytes of one table (empty when the face has none by that tag).
    func table(_ tag: String) -> FontTable {
        guard let blob = hb_face_reference_table(face, HarfBuzzFace.tag(tag)) else { return FontTable([]) }
        defer { hb_blob_destroy(blob) }
        var length: UInt32 = 0
        guard let data = hb_blob_get_data(blob, &length), length > 0 else { return FontTable([]) }
        return FontTable(data.withMemoryRebound(to: UInt8.self, capacity: Int(length)) {
            Array(UnsafeBufferPointer(start: $0, count: Int(length)))
        })
    }

    /// An English name-table entry (`nameID` 6 is the PostScript name).
    func name(_ nameID: UInt32) -> String? {
        var size: UInt32 = 0
        let length = hb_ot_name_get_utf8(face, hb_ot_name_id_t(nameID), nil, &size, nil)
        guard length > 0, length < 4096 else { return nil }
        var buffer = [CChar](repeating: 0, count: Int(length) + 1)
        size = UInt32(buffer.count)
        _ = hb_ot_name_get_utf8(face, hb_ot_name_id_t(nameID), nil, &size, &buffer)
        return String(decoding: buffer.prefix(Int(size)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A font-wide metric in font units, HarfBuzz's fallback included.
    func metric(_ tag: String) -> Int {
        var position: hb_position_t = 0
        hb_ot_metrics_get_position_with_fallback(font, hb_ot_metrics_tag_t(rawValue: HarfBuzzFace.tag(tag)), &position)
        return Int(position)
    }

    /// The glyph a character maps to in the font's cmap, if any.
    func nominalGlyph(_ scalar: Unicode.Scalar) -> UInt32? {
        var glyph: hb_codepoint_t = 0
        return hb_font_get_nominal_glyph(font, scalar.value, &glyph) != 0 ? glyph : nil
    }

    /// A glyph's horizontal advance in font units.
    func advance(_ glyph: UInt32) -> Int {
        Int(hb_font_get_glyph_h_advance(font, glyph))
    }

    /// A glyph's top (y bearing) in font units, when it has an outline.
    func glyphTop(_ glyph: UInt32) -> Int? {
        var extents = hb_glyph_extents_t()
        return hb_font_get_glyph_extents(font, glyph, &extents) != 0 ? Int(extents.y_bearing) : nil
    }

    static func tag(_ text: String) -> hb_tag_t {
        var value: UInt32 = 0
        for byte in text.utf8.prefix(4) { value = value << 8 | UInt32(byte) }
        var length = min(text.utf8.count, 4)
        while length < 4 {
            value = value << 8 | 0x20
            length += 1
        }
        return value
    }

    static func string(_ tag: hb_tag_t) -> String {
        String(decoding: [UInt8(tag >> 24 & 0xFF), UInt8(tag >> 16 & 0xFF), UInt8(tag >> 8 & 0xFF), UInt8(tag & 0xFF)],
               as: UTF8.self)
    }
}

/// The bytes of one font table, read big-endian; out-of-range reads give nil.
struct FontTable {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func uint16(_ offset: Int) -> UInt16? {
        guard offset >= 0, offset + 2 <= bytes.count else { return nil }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    func int16(_ offset: Int) -> Int? { uint16(offset).map { Int(Int16(bitPattern: $0)) } }

    func uint32(_ offset: Int) -> UInt32? {
        guard let high = uint16(offset), let low = uint16(offset + 2) else { return nil }
        return UInt32(high) << 16 | UInt32(low)
    }

    /// A 16.16 fixed-point number.
    func fixed(_ offset: Int) -> Double? { uint32(offset).map { Double(Int32(bitPattern: $0)) / 65536 } }

    func byte(_ offset: Int) -> UInt8? { offset >= 0 && offset < bytes.count ? bytes[offset] : nil }
}
