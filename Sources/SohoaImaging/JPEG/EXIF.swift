/// The few EXIF fields a scan's page needs: orientation, resolution and date.
///
/// EXIF is a small TIFF structure inside the JPEG's APP1 segment; it is read here with every
/// offset bounds-checked, because the bytes come from outside.
struct EXIF: Equatable {
    var orientation: Int?
    var xResolution: Double?
    var yResolution: Double?
    /// 2 inches, 3 centimetres (the TIFF ResolutionUnit values).
    var resolutionUnit: Int = 2
    /// DateTimeOriginal when present, otherwise DateTime, as written (`YYYY:MM:DD HH:MM:SS`).
    var dateTime: String?

    /// Parses an APP1 payload starting with `Exif\0\0`; nil when it is not EXIF or unreadable.
    init?<Bytes: Collection>(app1 payload: Bytes) where Bytes.Element == UInt8 {
        let bytes = Array(payload)
        guard bytes.count > 14, bytes.starts(with: Array("Exif".utf8) + [0, 0]) else { return nil }
        let tiff = Array(bytes[6...])
        let littleEndian: Bool
        switch (tiff[0], tiff[1]) {
        case (0x49, 0x49): littleEndian = true
        case (0x4D, 0x4D): littleEndian = false
        default: return nil
        }
        let reader = Reader(bytes: tiff, littleEndian: littleEndian)
        guard reader.u16(2) == 42, let first = reader.u32(4) else { return nil }
        var exifIFD: Int?
        var dateTime: String?
        var original: String?
        reader.entries(at: Int(first)) { tag, type, count, valueOffset in
            switch tag {
            case 0x0112: self.orientation = reader.short(type: type, at: valueOffset)
            case 0x011A: self.xResolution = reader.rational(type: type, at: valueOffset)
            case 0x011B: self.yResolution = reader.rational(type: type, at: valueOffset)
            case 0x0128: self.resolutionUnit = reader.short(type: type, at: valueOffset) ?? 2
            case 0x0132: dateTime = reader.ascii(type: type, count: count, at: valueOffset)
            case 0x8769: exifIFD = reader.u32(valueOffset).map(Int.init)
            default: break
            }
        }
        if let exifIFD {
            reader.entries(at: exifIFD) { tag, type, count, valueOffset in
                if tag == 0x9003 { original = reader.ascii(type: type, count: count, at: valueOffset) }
            }
        }
        self.dateTime = original ?? dateTime
    }

    /// The stated resolution in dots per inch, when both values and a known unit are present.
    var resolution: Resolution? {
        guard let x = xResolution, let y = yResolution, x > 0, y > 0, x.isFinite, y.isFinite else { return nil }
        switch resolutionUnit {
        case 2: return Resolution(x: x, y: y)
        case 3: return Resolution(x: x * 2.54, y: y * 2.54)
        default: return nil
        }
    }

    private struct Reader {
        let bytes: [UInt8]
        let littleEndian: Bool

        func u16(_ at: Int) -> Int? {
            guard at >= 0, at + 2 <= bytes.count else { return nil }
            return littleEndian ? Int(bytes[at]) | Int(bytes[at + 1]) << 8 : Int(bytes[at]) << 8 | Int(bytes[at + 1])
        }

        func u32(_ at: Int) -> UInt32? {
            guard at >= 0, at + 4 <= bytes.count else { return nil }
            let b = (0..<4).map { UInt32(bytes[at + $0]) }
            return littleEndian ? b[0] | b[1] << 8 | b[2] << 16 | b[3] << 24 : b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]
        }

        /// Calls `body(tag, type, count, offsetOfValue)` for each entry of the IFD at `offset`.
        func entries(at offset: Int, _ body: (Int, Int, Int, Int) -> Void) {
            guard let count = u16(offset), count <= 512 else { return }
            for index in 0..<count {
                let entry = offset + 2 + index * 12
                guard let tag = u16(entry), let type = u16(entry + 2), let valueCount = u32(entry + 4) else { return }
                body(tag, type, Int(valueCount), entry + 8)
            }
        }

        func short(type: Int, at valueOffset: Int) -> Int? {
            type == 3 ? u16(valueOffset) : nil
        }

        func rational(type: Int, at valueOffset: Int) -> Double? {
            guard type == 5, let pointer = u32(valueOffset), let numerator = u32(Int(pointer)),
                  let denominator = u32(Int(pointer) + 4), denominator != 0 else { return nil }
            return Double(numerator) / Double(denominator)
        }

        func ascii(type: Int, count: Int, at valueOffset: Int) -> String? {
            guard type == 2, count > 0, count <= 64 else { return nil }
            let start = count <= 4 ? valueOffset : Int(u32(valueOffset) ?? 0)
            guard start >= 0, start + count <= bytes.count else { return nil }
            return String(decoding: bytes[start..<(start + count)].prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
