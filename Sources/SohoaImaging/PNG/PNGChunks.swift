import Foundation

/// A PNG file's chunk structure, read and checked without decoding pixels: every chunk's
/// length and CRC, the header, palette, resolution and time, and where the image data lies
/// (for passing it into a PDF unchanged).
struct PNGChunks {
    /// IHDR: the image header.
    struct Header: Equatable {
        var width: Int
        var height: Int
        var bitDepth: Int
        var colourType: Int
        var interlaced: Bool

        /// The size of the image data once inflated: each row of samples after its filter-type
        /// byte, over the seven passes of Adam7 when interlaced.
        var inflatedSize: Int {
            let channels = [0: 1, 2: 3, 3: 1, 4: 2, 6: 4][colourType] ?? 4
            func size(_ columns: Int, _ rows: Int) -> Int {
                columns > 0 && rows > 0 ? rows * (1 + (columns * channels * bitDepth + 7) / 8) : 0
            }
            guard interlaced else { return size(width, height) }
            // Each pass: its first column and row, and its steps across and down.
            let passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
            return passes.reduce(0) { total, pass in
                total + size((width - pass.0 + pass.2 - 1) / pass.2, (height - pass.1 + pass.3 - 1) / pass.3)
            }
        }
    }

    enum Problem: Error, Equatable {
        case truncated(String)
        case damaged(String)
    }

    var header: Header
    /// Pixels per metre from pHYs, when its unit is the metre.
    var pixelsPerMetre: (x: Int, y: Int)?
    /// Whether the file carries a tRNS (transparency) chunk.
    var hasTransparency: Bool
    /// Total bytes of IDAT payload.
    var imageDataBytes: Int
    /// Where each IDAT payload lies in the file, in order.
    var imageDataRanges: [Range<Int>]
    /// The PLTE payload: RGB triplets.
    var palette: [UInt8]?
    /// The tIME chunk as `YYYY-MM-DDTHH:MM:SS`.
    var modificationTime: String?

    /// The concatenated IDAT payloads: one zlib stream.
    func imageData(in bytes: [UInt8]) -> [UInt8] {
        var data = [UInt8]()
        data.reserveCapacity(imageDataBytes)
        for range in imageDataRanges { data.append(contentsOf: bytes[range]) }
        return data
    }

    /// Walks every chunk of `bytes` up to IEND, checking lengths and CRCs.
    init(_ bytes: [UInt8]) throws(Problem) {
        guard bytes.count >= 8 else { throw .truncated("shorter than a PNG signature") }
        var offset = 8
        var header: Header?
        var physical: (Int, Int)?
        var transparency = false
        var idat = 0
        var ranges: [Range<Int>] = []
        var palette: [UInt8]?
        var time: String?
        var sawEnd = false
        while offset < bytes.count {
            guard offset + 12 <= bytes.count else { throw .truncated("a chunk header is cut off at byte \(offset)") }
            let length = Int(Self.be32(bytes, offset))
            guard length <= 0x7FFF_FFFF else { throw .damaged("a chunk claims an impossible length") }
            let typeStart = offset + 4
            let dataStart = offset + 8
            guard dataStart + length + 4 <= bytes.count else {
                throw .truncated("the \(Self.typeName(bytes, typeStart)) chunk is cut off")
            }
            let type = Self.typeName(bytes, typeStart)
            let stored = Self.be32(bytes, dataStart + length)
            let computed = CRC32.checksum(bytes[typeStart..<(dataStart + length)])
            guard stored == computed else { throw .damaged("the \(type) chunk fails its checksum") }
            switch type {
            case "IHDR":
                guard header == nil, offset == 8, length == 13 else { throw .damaged("the IHDR chunk is malformed") }
                header = Header(width: Int(Self.be32(bytes, dataStart)), height: Int(Self.be32(bytes, dataStart + 4)),
                                bitDepth: Int(bytes[dataStart + 8]), colourType: Int(bytes[dataStart + 9]),
                                interlaced: bytes[dataStart + 12] == 1)
            case "pHYs" where length == 9 && bytes[dataStart + 8] == 1:
                physical = (Int(Self.be32(bytes, dataStart)), Int(Self.be32(bytes, dataStart + 4)))
            case "tRNS":
                transparency = true
            case "IDAT":
                idat += length
                ranges.append(dataStart..<(dataStart + length))
            case "PLTE":
                guard length % 3 == 0, length > 0, length <= 768 else { throw .damaged("the PLTE palette is malformed") }
                palette = Array(bytes[dataStart..<(dataStart + length)])
            case "tIME" where length == 7:
                let year = Int(bytes[dataStart]) << 8 | Int(bytes[dataStart + 1])
                let parts = (2..<7).map { Int(bytes[dataStart + $0]) }
                if (1...12).contains(parts[0]), (1...31).contains(parts[1]), parts[2] < 24, parts[3] < 60, parts[4] < 61 {
                    time = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", year, parts[0], parts[1], parts[2], parts[3], parts[4])
                }
            case "IEND":
                sawEnd = true
            default:
                break
            }
            offset = dataStart + length + 4
            if sawEnd { break }
        }
        guard let header else { throw .damaged("the file has no IHDR header") }
        guard idat > 0 else { throw .truncated("the file holds no image data") }
        guard sawEnd else { throw .truncated("the file ends before its IEND chunk") }
        try Self.validate(header)
        self.header = header
        self.pixelsPerMetre = physical.map { (x: $0.0, y: $0.1) }
        self.hasTransparency = transparency
        self.imageDataBytes = idat
        self.imageDataRanges = ranges
        self.palette = palette
        self.modificationTime = time
    }

    private static func validate(_ header: Header) throws(Problem) {
        let allowed: [Int: [Int]] = [0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16]]
        guard let depths = allowed[header.colourType], depths.contains(header.bitDepth) else {
            throw .damaged("colour type \(header.colourType) with bit depth \(header.bitDepth) is not valid PNG")
        }
        guard header.width > 0, header.height > 0 else { throw .damaged("the image has no pixels") }
    }

    private static func be32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
    }

    private static func typeName(_ bytes: [UInt8], _ at: Int) -> String {
        let raw = bytes[at..<min(at + 4, bytes.count)]
        guard raw.allSatisfy({ (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }) else { return "unnamed" }
        return String(decoding: raw, as: UTF8.self)
    }
}

/// The CRC-32 of PNG (and zlib, gzip): polynomial 0xEDB88320, reflected; computed eight
/// bytes at a time ("slicing by 8"), since every byte of every chunk is checked.
enum CRC32 {
    private static let tables: [[UInt32]] = {
        var tables = [[UInt32]](repeating: [UInt32](repeating: 0, count: 256), count: 8)
        for n in 0..<256 {
            var c = UInt32(n)
            for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            tables[0][n] = c
        }
        for n in 0..<256 {
            for k in 1..<8 {
                let previous = tables[k - 1][n]
                tables[k][n] = tables[0][Int(previous & 0xFF)] ^ (previous >> 8)
            }
        }
        return tables
    }()

    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.withUnsafeBufferPointer { checksum(UnsafeRawBufferPointer($0)) }
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { checksum(UnsafeRawBufferPointer($0)) }
    }

    static func checksum(_ buffer: UnsafeRawBufferPointer) -> UInt32 {
        let t = tables
        return t[0].withUnsafeBufferPointer { t0 in t[1].withUnsafeBufferPointer { t1 in
            t[2].withUnsafeBufferPointer { t2 in t[3].withUnsafeBufferPointer { t3 in
                t[4].withUnsafeBufferPointer { t4 in t[5].withUnsafeBufferPointer { t5 in
                    t[6].withUnsafeBufferPointer { t6 in t[7].withUnsafeBufferPointer { t7 in
                        var crc: UInt32 = 0xFFFF_FFFF
                        var index = 0
                        let count = buffer.count
                        while index + 8 <= count {
                            let low = UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: index, as: UInt32.self)) ^ crc
                            let high = UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: index + 4, as: UInt32.self))
                            crc = t7[Int(low & 0xFF)] ^ t6[Int((low >> 8) & 0xFF)] ^ t5[Int((low >> 16) & 0xFF)]
                                ^ t4[Int(low >> 24)] ^ t3[Int(high & 0xFF)] ^ t2[Int((high >> 8) & 0xFF)]
                                ^ t1[Int((high >> 16) & 0xFF)] ^ t0[Int(high >> 24)]
                            index += 8
                        }
                        while index < count {
                            crc = t0[Int((crc ^ UInt32(buffer[index])) & 0xFF)] ^ (crc >> 8)
                            index += 1
                        }
                        return crc ^ 0xFFFF_FFFF
                    } }
                } }
            } }
        } }
    }
}
