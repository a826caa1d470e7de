import Foundation
import SohoaTestSupport

/// Structure-aware mutants of TIFF, PNG and JPEG files: fields of the headers, the chunk, segment
/// and directory structure, and the compressed data, given boundary values; pieces removed,
/// repeated and moved; checksums recomputed so that the decoder gets past them. Each operator
/// returns what it did, so that a failure can be redone by hand.
enum ImageMutants {
    /// One to three mutations of `bytes` (a file of `format`: "tiff", "png" or "jpeg").
    static func mutate(_ bytes: [UInt8], format: String, using g: inout SplitMix64) -> (bytes: [UInt8], what: [String]) {
        var out = bytes
        var what: [String] = []
        for _ in 0..<[1, 1, 1, 2, 3].randomElement(using: &g)! {
            let step: (bytes: [UInt8], what: String)
            if Int.random(in: 0..<10, using: &g) < 6 {
                switch format {
                case "tiff": step = TIFFMutant.mutate(out, using: &g)
                case "png": step = PNGMutant.mutate(out, using: &g)
                default: step = JPEGMutant.mutate(out, using: &g)
                }
            } else {
                step = byteLevel(out, using: &g)
            }
            out = step.bytes
            what.append(step.what)
            if out.isEmpty { break }
        }
        return (out, what)
    }

    /// A generic operator at a position drawn near the start (where the headers are) half the time.
    static func byteLevel(_ bytes: [UInt8], using g: inout SplitMix64) -> (bytes: [UInt8], what: String) {
        guard !bytes.isEmpty else { return (bytes, "nothing to mutate") }
        let offset = Bool.random(using: &g) ? Int.random(in: 0..<min(bytes.count, 1024), using: &g)
            : Int.random(in: 0..<bytes.count, using: &g)
        let op = ByteMutation.allCases.randomElement(using: &g)!
        return op.apply(to: bytes, at: offset, donor: bytes, using: &g)
    }

    static let interesting32: [UInt32] = [0, 1, 2, 3, 7, 8, 255, 256, 4095, 4096, 65535, 65536, 100_000, 0x7FFF_FFFF,
                                          0x8000_0000, 0xFFFF_FFFE, 0xFFFF_FFFF]
    static let interesting16: [UInt16] = [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 255, 256, 0x7FFF, 0x8000, 0xFFFF]

    static func be32(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}

// MARK: PNG

enum PNGMutant {
    struct Chunk {
        let offset: Int
        let length: Int
        let type: String
        var dataRange: Range<Int> { (offset + 8)..<(offset + 8 + length) }
        var end: Int { offset + 12 + length }
    }

    static func chunks(_ bytes: [UInt8]) -> [Chunk] {
        var found: [Chunk] = []
        var offset = 8
        while offset + 12 <= bytes.count {
            let length = Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            guard length <= bytes.count - offset - 12 else { break }
            found.append(Chunk(offset: offset, length: length, type: String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)))
            offset += 12 + length
        }
        return found
    }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return ImageMutants.be32(UInt32(data.count)) + body + ImageMutants.be32(PNGCRC.checksum(body[...]))
    }

    /// Recomputes the CRC of the chunk at `offset` (its length field read as it now is).
    static func fixCRC(_ bytes: inout [UInt8], at offset: Int) {
        let length = Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
        guard offset + 12 + length <= bytes.count else { return }
        let crc = PNGCRC.checksum(bytes[(offset + 4)..<(offset + 8 + length)])
        bytes.replaceSubrange((offset + 8 + length)..<(offset + 12 + length), with: ImageMutants.be32(crc))
    }

    static func mutate(_ bytes: [UInt8], using g: inout SplitMix64) -> (bytes: [UInt8], what: String) {
        let list = chunks(bytes)
        guard let ihdr = list.first(where: { $0.type == "IHDR" }), ihdr.length >= 13 else {
            return ImageMutants.byteLevel(bytes, using: &g)
        }
        var out = bytes
        let pick = list.randomElement(using: &g)!
        switch Int.random(in: 0..<9, using: &g) {
        case 0:
            // A header field with a boundary value, the checksum made right.
            let field = Int.random(in: 0..<7, using: &g)
            let base = ihdr.dataRange.lowerBound
            let what: String
            if field < 2 {
                let value = ImageMutants.interesting32.randomElement(using: &g)!
                out.replaceSubrange((base + 4 * field)..<(base + 4 * field + 4), with: ImageMutants.be32(value))
                what = "IHDR \(field == 0 ? "width" : "height") \(value)"
            } else {
                let value = UInt8([0, 1, 2, 3, 4, 5, 6, 7, 8, 16, 32, 255].randomElement(using: &g)!)
                out[base + 6 + field] = value
                what = "IHDR \(["bit depth", "colour type", "compression", "filter", "interlace"][field - 2]) \(value)"
            }
            fixCRC(&out, at: ihdr.offset)
            return (out, what)
        case 1:
            let value = ImageMutants.interesting32.randomElement(using: &g)!
            out.replaceSubrange(pick.offset..<(pick.offset + 4), with: ImageMutants.be32(value))
            return (out, "\(pick.type) length field \(value)")
        case 2:
            guard pick.length > 0 else { fallthrough }
            let count = Int.random(in: 1...min(8, pick.length), using: &g)
            for _ in 0..<count {
                out[Int.random(in: pick.dataRange, using: &g)] = UInt8.random(in: 0...255, using: &g)
            }
            let fixed = Int.random(in: 0..<10, using: &g) < 8
            if fixed { fixCRC(&out, at: pick.offset) }
            return (out, "\(count) bytes of \(pick.type) data changed\(fixed ? ", checksum fixed" : "")")
        case 3:
            out.removeSubrange(pick.offset..<pick.end)
            return (out, "\(pick.type) removed")
        case 4:
            out.insert(contentsOf: bytes[pick.offset..<pick.end], at: pick.end)
            return (out, "\(pick.type) repeated")
        case 5:
            let moved = Array(bytes[pick.offset..<pick.end])
            out.removeSubrange(pick.offset..<pick.end)
            let target = list.filter { $0.offset != pick.offset }.randomElement(using: &g)
            let at = target.map { $0.offset < pick.offset ? $0.offset : $0.offset - moved.count } ?? 8
            out.insert(contentsOf: moved, at: max(8, min(at, out.count)))
            return (out, "\(pick.type) moved before \(target?.type ?? "everything")")
        case 6:
            let crafted = craftedChunk(using: &g)
            let at = list.randomElement(using: &g)!.end
            out.insert(contentsOf: chunk(crafted.type, crafted.data), at: at)
            return (out, "\(crafted.type) inserted (\(crafted.what))")
        case 7:
            return zlibStream(bytes, list, using: &g)
        default:
            let idats = list.filter { $0.type == "IDAT" }
            guard let idat = idats.randomElement(using: &g), idat.length > 4 else { return ImageMutants.byteLevel(bytes, using: &g) }
            // One IDAT split in two at a random point (legal), or cut short (not).
            let cut = Int.random(in: 1..<idat.length, using: &g)
            let data = Array(bytes[idat.dataRange])
            let split = Bool.random(using: &g)
            let replacement = split ? chunk("IDAT", Array(data[..<cut])) + chunk("IDAT", Array(data[cut...]))
                : chunk("IDAT", Array(data[..<cut]))
            out.replaceSubrange(idat.offset..<idat.end, with: replacement)
            return (out, split ? "IDAT split at \(cut)" : "IDAT cut to \(cut) bytes")
        }
    }

    static func craftedChunk(using g: inout SplitMix64) -> (type: String, data: [UInt8], what: String) {
        switch Int.random(in: 0..<10, using: &g) {
        case 0: return ("tRNS", [UInt8](repeating: 0x80, count: [0, 1, 2, 6, 300].randomElement(using: &g)!), "transparency")
        case 1:
            let entries = [0, 1, 2, 255, 256, 257].randomElement(using: &g)!
            return ("PLTE", [UInt8](repeating: 0x40, count: entries * 3 + (Bool.random(using: &g) ? 1 : 0)), "\(entries) entries")
        case 2:
            let x = ImageMutants.interesting32.randomElement(using: &g)!, y = ImageMutants.interesting32.randomElement(using: &g)!
            return ("pHYs", ImageMutants.be32(x) + ImageMutants.be32(y) + [UInt8([0, 1, 2, 255].randomElement(using: &g)!)],
                    "\(x) x \(y)")
        case 3: return ("gAMA", ImageMutants.be32(ImageMutants.interesting32.randomElement(using: &g)!), "gamma")
        case 4: return ("iCCP", Array("icc".utf8) + [0, 0] + (0..<64).map { _ in UInt8.random(in: 0...255, using: &g) }, "garbage profile")
        case 5: return ("tIME", [0xFF, 0xFF, 13, 32, 25, 61, 61], "impossible date")
        case 6: return ("abCD", [1, 2, 3], "unknown critical chunk")
        case 7: return ("IDAT", [], "empty image data")
        case 8: return ("IHDR", [0, 0, 1, 0, 0, 0, 1, 0, 8, 0, 0, 0, 0], "second header")
        default:
            // A compressed text whose data inflates a thousandfold.
            let bomb: [UInt8] = [0x78, 0xDA, 0xED, 0xC1, 0x01, 0x0D, 0x00, 0x00, 0x00, 0xC2, 0xA0, 0xF7, 0x4F, 0x6D, 0x0E, 0x37,
                                 0xA0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x57, 0x03, 0x3E, 0x00,
                                 0x00, 0x01]
            return ("zTXt", Array("Comment".utf8) + [0, 0] + bomb, "compressed text")
        }
    }

    /// The concatenated image data's zlib stream changed, and written back as one IDAT with a
    /// right checksum: the damage reaches the inflater and the row filters.
    static func zlibStream(_ bytes: [UInt8], _ list: [Chunk], using g: inout SplitMix64) -> (bytes: [UInt8], what: String) {
        let idats = list.filter { $0.type == "IDAT" }
        guard let first = idats.first, let last = idats.last else { return ImageMutants.byteLevel(bytes, using: &g) }
        var stream = idats.flatMap { bytes[$0.dataRange] }
        guard stream.count > 8 else { return ImageMutants.byteLevel(bytes, using: &g) }
        let what: String
        switch Int.random(in: 0..<5, using: &g) {
        case 0:
            stream[Int.random(in: 0..<2, using: &g)] ^= UInt8(1 << Int.random(in: 0..<8, using: &g))
            what = "zlib header changed"
        case 1:
            let at = Int.random(in: 2..<stream.count, using: &g)
            stream[at] ^= UInt8(1 << Int.random(in: 0..<8, using: &g))
            what = "deflate data bit flipped at \(at)"
        case 2:
            stream.removeLast(Int.random(in: 1..<stream.count, using: &g))
            what = "zlib stream cut to \(stream.count) bytes"
        case 3:
            stream.replaceSubrange((stream.count - 4)..., with: [0, 0, 0, 0])
            what = "adler checksum zeroed"
        default:
            stream += (0..<Int.random(in: 1...64, using: &g)).map { _ in UInt8.random(in: 0...255, using: &g) }
            what = "garbage after the zlib stream"
        }
        var out = bytes
        let all = Array(bytes[first.offset..<last.end])
        let others = idats.count > 1 ? chunks([UInt8](repeating: 0, count: 8) + all).filter { $0.type != "IDAT" } : []
        guard others.isEmpty else { return ImageMutants.byteLevel(bytes, using: &g) }
        out.replaceSubrange(first.offset..<last.end, with: chunk("IDAT", stream))
        return (out, what)
    }
}

/// CRC-32 (ISO 3309), as PNG checksums its chunks.
enum PNGCRC {
    static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for byte in bytes { c = table[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}

// MARK: JPEG

enum JPEGMutant {
    struct Segment {
        let marker: UInt8
        let offset: Int
        /// The length field's value (it counts itself), 0 for markers without one.
        let length: Int
        var end: Int { offset + 2 + length }
        var data: Range<Int> { (offset + 4)..<end }
    }

    /// The segments up to and including the first SOS, and where its entropy-coded data starts.
    static func segments(_ bytes: [UInt8]) -> (list: [Segment], scan: Int?) {
        var list: [Segment] = []
        var offset = 2
        while offset + 4 <= bytes.count, bytes[offset] == 0xFF {
            let marker = bytes[offset + 1]
            let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            guard length >= 2, offset + 2 + length <= bytes.count else { break }
            let segment = Segment(marker: marker, offset: offset, length: length)
            list.append(segment)
            if marker == 0xDA { return (list, segment.end) }
            offset = segment.end
        }
        return (list, nil)
    }

    static func name(_ marker: UInt8) -> String {
        switch marker {
        case 0xC0...0xC3, 0xC5...0xC7, 0xC9...0xCB, 0xCD...0xCF: return "SOF\(marker - 0xC0)"
        case 0xC4: return "DHT"
        case 0xDB: return "DQT"
        case 0xDA: return "SOS"
        case 0xDD: return "DRI"
        case 0xE0...0xEF: return "APP\(marker - 0xE0)"
        case 0xFE: return "COM"
        default: return String(format: "marker %02X", marker)
        }
    }

    static func mutate(_ bytes: [UInt8], using g: inout SplitMix64) -> (bytes: [UInt8], what: String) {
        let (list, scan) = segments(bytes)
        guard let pick = list.randomElement(using: &g) else { return ImageMutants.byteLevel(bytes, using: &g) }
        var out = bytes
        switch Int.random(in: 0..<9, using: &g) {
        case 0:
            guard let frame = list.first(where: { (0xC0...0xCF).contains($0.marker) && $0.marker != 0xC4 && $0.marker != 0xC8
                && $0.marker != 0xCC }), frame.length >= 8 else { fallthrough }
            let base = frame.data.lowerBound
            switch Int.random(in: 0..<5, using: &g) {
            case 0:
                out[base] = UInt8([0, 1, 8, 12, 16, 255].randomElement(using: &g)!)
                return (out, "frame precision \(out[base])")
            case 1, 2:
                let value = ImageMutants.interesting16.randomElement(using: &g)!
                let field = base + (Bool.random(using: &g) ? 1 : 3)
                out[field] = UInt8(value >> 8)
                out[field + 1] = UInt8(value & 0xFF)
                return (out, "frame \(field == base + 1 ? "height" : "width") \(value)")
            case 3:
                out[base + 5] = UInt8([0, 1, 2, 3, 4, 5, 255].randomElement(using: &g)!)
                return (out, "frame component count \(out[base + 5])")
            default:
                guard frame.length >= 11 else { return (out, "frame unchanged") }
                let component = base + 6 + 3 * Int.random(in: 0..<max(1, min(Int(bytes[base + 5]), (frame.length - 8) / 3)), using: &g)
                let field = component + Int.random(in: 1...2, using: &g)
                guard field < frame.end else { return (out, "frame unchanged") }
                out[field] = UInt8([0x00, 0x11, 0x12, 0x21, 0x22, 0x41, 0x44, 0x0F, 0xFF, 3, 4].randomElement(using: &g)!)
                return (out, "frame component \(field - base) = 0x\(String(out[field], radix: 16))")
            }
        case 1:
            let value = ImageMutants.interesting16.randomElement(using: &g)!
            out[pick.offset + 2] = UInt8(value >> 8)
            out[pick.offset + 3] = UInt8(value & 0xFF)
            return (out, "\(name(pick.marker)) length \(value)")
        case 2:
            guard pick.length > 2 else { fallthrough }
            let count = Int.random(in: 1...min(6, pick.length - 2), using: &g)
            for _ in 0..<count { out[Int.random(in: pick.data, using: &g)] = UInt8.random(in: 0...255, using: &g) }
            return (out, "\(count) bytes of \(name(pick.marker)) changed")
        case 3:
            out.removeSubrange(pick.offset..<pick.end)
            return (out, "\(name(pick.marker)) removed")
        case 4:
            out.insert(contentsOf: bytes[pick.offset..<pick.end], at: pick.end)
            return (out, "\(name(pick.marker)) repeated")
        case 5:
            guard let app1 = list.first(where: { $0.marker == 0xE1 }), app1.length > 16 else { fallthrough }
            // EXIF: a boundary value written somewhere in its TIFF structure.
            let at = Int.random(in: (app1.data.lowerBound + 6)..<(app1.end - 1), using: &g)
            let value = ImageMutants.interesting16.randomElement(using: &g)!
            out[at] = UInt8(value & 0xFF)
            out[at + 1] = UInt8(value >> 8)
            return (out, "EXIF bytes \(at - app1.data.lowerBound) = \(value)")
        case 6:
            guard let scan, scan < bytes.count - 16 else { fallthrough }
            // The entropy-coded data: bits flipped, a marker planted, or cut short.
            switch Int.random(in: 0..<3, using: &g) {
            case 0:
                let count = Int.random(in: 1...16, using: &g)
                for _ in 0..<count { out[Int.random(in: scan..<(bytes.count - 2), using: &g)] ^= UInt8(1 << Int.random(in: 0..<8, using: &g)) }
                return (out, "\(count) bits of scan data flipped")
            case 1:
                let marker = UInt8([0xD0, 0xD3, 0xD7, 0xD9, 0xC4, 0xDA, 0xFF, 0x00].randomElement(using: &g)!)
                let at = Int.random(in: scan..<(bytes.count - 2), using: &g)
                out.insert(contentsOf: [0xFF, marker], at: at)
                return (out, "FF \(String(marker, radix: 16)) planted in the scan data at \(at)")
            default:
                let at = Int.random(in: scan..<bytes.count, using: &g)
                out.removeSubrange(at...)
                return (out, "cut in the scan data at \(at)")
            }
        case 7:
            // Progressive and baseline scans alike: a scan header's selectors and approximation.
            let scans = list.filter { $0.marker == 0xDA && $0.length >= 8 }
            guard let header = scans.randomElement(using: &g) else { fallthrough }
            let field = header.end - 3 + Int.random(in: 0..<3, using: &g)
            out[field] = UInt8([0, 1, 5, 63, 64, 0xFF, 0x11, 0xF0].randomElement(using: &g)!)
            return (out, "scan header byte \(field - header.offset) = \(out[field])")
        default:
            return ImageMutants.byteLevel(bytes, using: &g)
        }
    }
}

// MARK: TIFF

enum TIFFMutant {
    struct Entry {
        let offset: Int
        let tag: Int
        let type: Int
        let count: Int
    }

    struct Layout {
        let littleEndian: Bool
        let directories: [(offset: Int, entries: [Entry])]
    }

    static func read16(_ b: [UInt8], _ at: Int, _ little: Bool) -> Int {
        guard at >= 0, at + 2 <= b.count else { return 0 }
        return little ? Int(b[at]) | Int(b[at + 1]) << 8 : Int(b[at]) << 8 | Int(b[at + 1])
    }

    static func read32(_ b: [UInt8], _ at: Int, _ little: Bool) -> Int {
        guard at >= 0, at + 4 <= b.count else { return 0 }
        return little ? Int(b[at]) | Int(b[at + 1]) << 8 | Int(b[at + 2]) << 16 | Int(b[at + 3]) << 24
            : Int(b[at]) << 24 | Int(b[at + 1]) << 16 | Int(b[at + 2]) << 8 | Int(b[at + 3])
    }

    static func write(_ b: inout [UInt8], _ at: Int, _ value: UInt32, width: Int, _ little: Bool) {
        for index in 0..<width where at + index < b.count {
            let shift = little ? 8 * index : 8 * (width - 1 - index)
            b[at + index] = UInt8(truncatingIfNeeded: value >> UInt32(shift))
        }
    }

    static func layout(_ b: [UInt8]) -> Layout? {
        guard b.count >= 8 else { return nil }
        let little = b[0] == 0x49
        var directories: [(Int, [Entry])] = []
        var offset = read32(b, 4, little)
        var seen = Set<Int>()
        while offset > 0, offset + 2 <= b.count, seen.insert(offset).inserted, directories.count < 16 {
            let count = read16(b, offset, little)
            var entries: [Entry] = []
            for index in 0..<count {
                let at = offset + 2 + 12 * index
                guard at + 12 <= b.count else { break }
                entries.append(Entry(offset: at, tag: read16(b, at, little), type: read16(b, at + 2, little), count: read32(b, at + 4, little)))
            }
            directories.append((offset, entries))
            let next = offset + 2 + 12 * count
            guard next + 4 <= b.count else { break }
            offset = read32(b, next, little)
        }
        return Layout(littleEndian: little, directories: directories)
    }

    /// Tags whose values steer decoding.
    static let steering: Set<Int> = [256, 257, 258, 259, 262, 266, 273, 274, 277, 278, 279, 282, 283, 284, 292, 293, 296, 317,
                                     320, 322, 323, 324, 325, 338, 339, 530, 532]

    static func mutate(_ bytes: [UInt8], using g: inout SplitMix64) -> (bytes: [UInt8], what: String) {
        guard let layout = layout(bytes), let directory = layout.directories.randomElement(using: &g),
              !directory.entries.isEmpty else { return ImageMutants.byteLevel(bytes, using: &g) }
        let little = layout.littleEndian
        var out = bytes
        let steered = directory.entries.filter { Self.steering.contains($0.tag) }
        let entry = (Int.random(in: 0..<4, using: &g) > 0 ? steered.randomElement(using: &g) : nil)
            ?? directory.entries.randomElement(using: &g)!
        switch Int.random(in: 0..<10, using: &g) {
        case 0, 1, 2:
            // The value (or the offset to the values).
            let value = ImageMutants.interesting32.randomElement(using: &g)!
            let short = entry.type == 3 && entry.count <= 2 && Bool.random(using: &g)
            write(&out, entry.offset + 8, value, width: short ? 2 : 4, little)
            return (out, "tag \(entry.tag) value \(short ? UInt32(UInt16(truncatingIfNeeded: value)) : value)")
        case 3:
            let value = ImageMutants.interesting32.randomElement(using: &g)!
            write(&out, entry.offset + 4, value, width: 4, little)
            return (out, "tag \(entry.tag) count \(value)")
        case 4:
            let type = UInt32([0, 1, 2, 3, 4, 5, 7, 11, 12, 13, 16, 0xFFFF].randomElement(using: &g)!)
            write(&out, entry.offset + 2, type, width: 2, little)
            return (out, "tag \(entry.tag) type \(type)")
        case 5:
            let tag = UInt32(([256, 257, 259, 273, 279, 322, 324, 330, 0, 0xFFFF] + steered.map(\.tag)).randomElement(using: &g)!)
            write(&out, entry.offset, tag, width: 2, little)
            return (out, "tag \(entry.tag) renamed \(tag)")
        case 6:
            let count = UInt32([0, 1, 2, directory.entries.count + 1, 0xFFFF].randomElement(using: &g)!)
            write(&out, directory.offset, count, width: 2, little)
            return (out, "directory at \(directory.offset) says \(count) entries")
        case 7:
            let next = directory.offset + 2 + 12 * directory.entries.count
            let target = UInt32([directory.offset, 8, 0, bytes.count + 100, 1, 0x7FFF_FFFF,
                                 layout.directories.first?.offset ?? 8].randomElement(using: &g)!)
            if next + 4 <= out.count { write(&out, next, target, width: 4, little) }
            return (out, "directory at \(directory.offset) links to \(target)")
        case 8:
            // A rational (resolution) with a zero or huge part, or the data a value points at.
            let points = entry.type == 5 || entry.type == 10 || (entry.count * max(1, [0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8][min(entry.type, 12)]) > 4)
            let at = read32(bytes, entry.offset + 8, little)
            guard points, at >= 8, at + 8 <= bytes.count else { fallthrough }
            let value = ImageMutants.interesting32.randomElement(using: &g)!
            let position = at + 4 * Int.random(in: 0...1, using: &g)
            write(&out, position, value, width: 4, little)
            return (out, "tag \(entry.tag) data at \(position) = \(value)")
        default:
            // Strip or tile data: bits flipped where the decompressor reads.
            guard let offsets = directory.entries.first(where: { $0.tag == 273 || $0.tag == 324 }) else {
                return ImageMutants.byteLevel(bytes, using: &g)
            }
            let first = offsets.count == 1 ? read32(bytes, offsets.offset + 8, little)
                : read32(bytes, read32(bytes, offsets.offset + 8, little) & 0x7FFF_FFFF, little)
            guard first > 0, first < bytes.count - 1 else { return ImageMutants.byteLevel(bytes, using: &g) }
            let count = Int.random(in: 1...12, using: &g)
            for _ in 0..<count {
                out[Int.random(in: first..<min(bytes.count, first + 4096), using: &g)] ^= UInt8(1 << Int.random(in: 0..<8, using: &g))
            }
            return (out, "\(count) bits flipped in the strip data at \(first)")
        }
    }
}
