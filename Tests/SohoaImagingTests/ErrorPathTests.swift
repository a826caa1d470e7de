import Foundation
import SohoaTestSupport
import Testing

@testable import SohoaImaging

/// Every decoder refuses bad input with an `ImagingError` that names the file and the reason.
@Suite final class ErrorPathTests {
    let scratch: URL

    init() throws {
        scratch = try Fixtures.makeScratch("imaging")
    }

    deinit { Fixtures.removeScratch(scratch) }

    @Test func textFileGivenToTheTIFFReaderIsNotAnImage() throws {
        let path = try Fixtures.write(Array("This is a letter, not a scan.\n".utf8), named: "letter.tif", in: scratch)
        let error = #expect(throws: ImagingError.self) { try TIFFFile(path: path) }
        #expect(error?.reason == .notAnImage)
        #expect(error?.description.contains("letter.tif") == true)
        #expect(error?.description.contains("not a TIFF, PNG or JPEG") == true)
    }

    @Test func tiffHeaderWithGarbageIsDamagedWithLibtiffsReason() throws {
        var bytes: [UInt8] = [0x49, 0x49, 0x2A, 0x00, 0xFF, 0xFF, 0x00, 0x00]  // first IFD far beyond the end
        bytes += Array(repeating: 0x41, count: 64)
        let path = try Fixtures.write(bytes, named: "garbage.tif", in: scratch)
        let error = #expect(throws: ImagingError.self) { try TIFFFile(path: path) }
        guard case .damaged(let detail)? = error?.reason else {
            Issue.record("expected a damaged-data refusal, got \(String(describing: error))")
            return
        }
        #expect(!detail.isEmpty)
        #expect(error?.file == path)
    }

    @Test func missingFileIsUnreadable() {
        let path = scratch.appendingPathComponent("absent.png").path
        let error = #expect(throws: ImagingError.self) { try ImageReader.open(path: path) }
        #expect(error?.reason == .unreadable("no such file"))
    }

    @Test func folderIsUnreadable() throws {
        let error = #expect(throws: ImagingError.self) { try PNGFile(path: scratch.path) }
        #expect(error?.reason == .unreadable("it is not a regular file"))
    }

    @Test func formatIsRecognisedByContentNotByName() throws {
        let sample = try #require(Fixtures.sampleImages().first { $0.hasSuffix(".png") })
        let disguised = try Fixtures.write(try Fixtures.read(sample), named: "really-a-png.jpg", in: scratch)
        let source = try ImageReader.open(path: disguised)
        #expect(source.format == .png)
    }

    @Test func truncatedPNGIsRefusedBeforeDecoding() throws {
        let sample = try #require(Fixtures.sampleImages().first { $0.hasSuffix(".png") })
        let bytes = try Fixtures.read(sample)
        let path = try Fixtures.write(Array(bytes.prefix(bytes.count / 2)), named: "half.png", in: scratch)
        let error = #expect(throws: ImagingError.self) { try ImageReader.open(path: path) }
        guard case .truncated? = error?.reason else {
            Issue.record("expected a truncation refusal, got \(String(describing: error))")
            return
        }
        #expect(error?.description.contains("half.png, page 1: the file is incomplete") == true)
    }

    @Test func pngWithABadChecksumIsRefused() throws {
        let sample = try #require(Fixtures.sampleImages().first { $0.hasSuffix(".png") })
        var bytes = try Fixtures.read(sample)
        let idat = try #require(PNGTestFile.chunkOffset(of: "IDAT", in: bytes))
        bytes[idat + 8 + 10] ^= 0x55  // one byte of compressed data, CRC left as it was
        let path = try Fixtures.write(bytes, named: "crc.png", in: scratch)
        let error = #expect(throws: ImagingError.self) { try PNGFile(path: path) }
        #expect(error?.reason == .damaged("the IDAT chunk fails its checksum"))
    }

    @Test func pngWithCorruptDataButValidChecksumsIsRefusedByLibpng() throws {
        let sample = try #require(Fixtures.sampleImages().first { $0.hasSuffix(".png") })
        var bytes = try Fixtures.read(sample)
        let idat = try #require(PNGTestFile.chunkOffset(of: "IDAT", in: bytes))
        for index in (idat + 8 + 2)..<(idat + 8 + 40) { bytes[index] = 0xFF }  // breaks the deflate stream
        PNGTestFile.fixCRC(at: idat, in: &bytes)
        let path = try Fixtures.write(bytes, named: "deflate.png", in: scratch)
        let png = try PNGFile(path: path)
        let error = #expect(throws: ImagingError.self) { try png.decodePage(0) }
        guard case .damaged(let detail)? = error?.reason else {
            Issue.record("expected a damaged-data refusal, got \(String(describing: error))")
            return
        }
        #expect(detail.hasPrefix("libpng: "))
    }

    @Test func pngDecompressionBombIsRefusedBeforeAllocating() throws {
        let bytes = PNGTestFile.make(width: 200_000, height: 200_000, colourType: 2, bitDepth: 8)
        let path = try Fixtures.write(bytes, named: "bomb.png", in: scratch)
        let png = try PNGFile(path: path)
        #expect(try png.describePage(0).width == 200_000)
        let error = #expect(throws: ImagingError.self) { try png.decodePage(0) }
        guard case .tooLarge(let width, let height, _)? = error?.reason else {
            Issue.record("expected a size refusal, got \(String(describing: error))")
            return
        }
        #expect(width == 200_000 && height == 200_000)
    }

    /// A 100 × 100 gray PNG needs 10 100 bytes of image data once inflated (a filter byte and
    /// 100 samples a row; 10 188 over Adam7's seven passes). Its zlib stream of zeros goes on
    /// for ~268 MB, or a few kilobytes too many: the decoder stops where the rows end and
    /// refuses the file as damaged instead of inflating the rest.
    @Test(arguments: [(false, 268_000_000), (true, 268_000_000), (false, 15_100)])
    func pngWhoseDataInflatesBeyondItsDeclaredSizeIsRefused(interlaced: Bool, inflatedBytes: Int) throws {
        let stream = PNGTestFile.zlibStreamOfZeros(atLeast: inflatedBytes)
        let bytes = PNGTestFile.make(width: 100, height: 100, colourType: 0, bitDepth: 8, interlaced: interlaced, imageData: stream)
        let path = try Fixtures.write(bytes, named: "inflates.png", in: scratch)
        let png = try PNGFile(path: path)
        let error = #expect(throws: ImagingError.self) { _ = try png.decodePage(0) }
        #expect(error?.reason == .excessImageData(declaredBytes: interlaced ? 10_188 : 10_100), "\(String(describing: error))")
        #expect(error?.file == path && error?.page == 1)
        #expect(error?.description.contains("inflates.png, page 1") == true)
        #expect(throws: ImagingError.self) { _ = try png.preparePage(0, settings: PreparationSettings()) }
    }

    @Test func tiffDecompressionBombIsRefusedBeforeAllocating() throws {
        let path = try Fixtures.write(TIFFTestFile.header(width: 150_000, height: 150_000), named: "bomb.tif", in: scratch)
        let tiff = try TIFFFile(path: path)
        let error = #expect(throws: ImagingError.self) { try tiff.decodePage(0) }
        guard case .tooLarge? = error?.reason else {
            Issue.record("expected a size refusal, got \(String(describing: error))")
            return
        }
        #expect(error?.page == 1)
    }

    @Test func truncatedJPEGIsRefusedNotDecodedWithGreyBands() throws {
        let sample = try #require(Fixtures.sampleImages().first { $0.hasSuffix(".jpg") })
        let bytes = try Fixtures.read(sample)
        let path = try Fixtures.write(Array(bytes.prefix(bytes.count * 2 / 3)), named: "cut.jpg", in: scratch)
        let jpeg = try JPEGFile(path: path)
        #expect(try jpeg.describePage(0).width > 0)  // the header is intact
        let error = #expect(throws: ImagingError.self) { try jpeg.decodePage(0) }
        #expect(error?.page == 1)
        #expect(error?.description.contains("cut.jpg, page 1") == true)
        #expect(error?.description.contains("libjpeg") == true)
    }

    @Test func jpegWithCorruptScanDataIsRefused() throws {
        let sample = try #require(Fixtures.sampleImages().first { $0.hasSuffix(".jpg") })
        var bytes = try Fixtures.read(sample)
        let scanStart = try #require(JPEGTestFile.startOfScanData(in: bytes))
        for index in stride(from: scanStart + 200, to: min(scanStart + 20_000, bytes.count - 2), by: 97) {
            bytes[index] = bytes[index] == 0xFF ? 0x00 : 0xFF  // markers in the middle of entropy-coded data
        }
        let path = try Fixtures.write(bytes, named: "noise.jpg", in: scratch)
        let error = #expect(throws: ImagingError.self) { try JPEGFile(path: path).decodePage(0) }
        #expect(error != nil)
    }

    @Test func jpegWithoutFrameHeaderIsRefusedWhenOpened() throws {
        let bytes: [UInt8] = [0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x08, 1, 2, 3, 4, 5, 6, 0xFF, 0xD9]
        let path = try Fixtures.write(bytes, named: "noframe.jpg", in: scratch)
        let error = #expect(throws: ImagingError.self) { try JPEGFile(path: path) }
        guard case .damaged? = error?.reason else {
            Issue.record("expected a damaged-data refusal, got \(String(describing: error))")
            return
        }
    }

    @Test func pageOutsideTheFileIsRefused() throws {
        let sample = try #require(Fixtures.sampleImages().first { $0.hasSuffix(".tif") })
        let tiff = try TIFFFile(path: sample)
        let error = #expect(throws: ImagingError.self) { try tiff.describePage(tiff.pageCount) }
        #expect(error?.reason == .noSuchPage(count: tiff.pageCount))
    }

    @Test func fileOverTheSizeLimitIsRefusedWithoutReadingIt() throws {
        let sample = try #require(Fixtures.sampleImages().first { $0.hasSuffix(".png") })
        let limits = DecodeLimits(maxFileBytes: 1024)
        let error = #expect(throws: ImagingError.self) { try PNGFile(path: sample, limits: limits) }
        guard case .fileTooLarge(_, let limit)? = error?.reason else {
            Issue.record("expected a file-size refusal, got \(String(describing: error))")
            return
        }
        #expect(limit == 1024)
    }
}

/// Builds and patches PNG files for the tests.
enum PNGTestFile {
    static func chunkOffset(of type: String, in bytes: [UInt8]) -> Int? {
        var offset = 8
        while offset + 8 <= bytes.count {
            let length = Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            if String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self) == type { return offset }
            offset += 12 + length
        }
        return nil
    }

    static func fixCRC(at offset: Int, in bytes: inout [UInt8]) {
        let length = Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
        let crc = CRC32.checksum(bytes[(offset + 4)..<(offset + 8 + length)])
        bytes.replaceSubrange((offset + 8 + length)..<(offset + 12 + length), with: be32(crc))
    }

    /// A structurally valid PNG whose header claims `width × height` and whose data is tiny
    /// (an empty zlib stream) unless `imageData` is given.
    static func make(width: Int, height: Int, colourType: UInt8, bitDepth: UInt8, interlaced: Bool = false,
                     imageData: [UInt8] = [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]) -> [UInt8] {
        var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        bytes += chunk("IHDR", be32(UInt32(width)) + be32(UInt32(height)) + [bitDepth, colourType, 0, 0, interlaced ? 1 : 0])
        bytes += chunk("IDAT", imageData)
        bytes += chunk("IEND", [])
        return bytes
    }

    /// A zlib stream that inflates to `1 + 258 × n` zero bytes, at least `count`: one fixed-Huffman
    /// block of a literal zero and then n copies of <length 258, distance 1>, 13 bits each.
    static func zlibStreamOfZeros(atLeast count: Int) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        out.reserveCapacity(count / 150)
        var bits: UInt64 = 0
        var filled = 0
        func put(_ value: UInt64, _ width: Int) {  // LSB first, as deflate packs everything
            bits |= value << filled
            filled += width
            while filled >= 8 {
                out.append(UInt8(truncatingIfNeeded: bits))
                bits >>= 8
                filled -= 8
            }
        }
        func code(_ value: UInt64, _ width: Int) {  // Huffman codes go most significant bit first
            var reversed: UInt64 = 0
            for bit in 0..<width { reversed |= ((value >> bit) & 1) << (width - 1 - bit) }
            put(reversed, width)
        }
        put(1, 1)  // BFINAL
        put(1, 2)  // BTYPE 01: fixed Huffman codes
        code(0x30, 8)  // literal 0
        let copies = max(0, (count - 1 + 257) / 258)
        var copy: UInt64 = 0  // length 258 (code 285: 11000101), then distance 1 (code 0: 00000)
        for bit in 0..<8 { copy |= ((0xC5 >> bit) & 1) << (7 - bit) }
        // Eight copies are 104 bits, 13 whole bytes: after one round through the bit writer, the
        // bytes of every further eight are the same 13.
        var left = copies
        if left >= 16 {
            let start = out.count
            for _ in 0..<8 { put(copy, 13) }
            let period = Array(out[start...])
            let rounds = (left - 8) / 8
            for _ in 0..<rounds { out += period }
            left -= 8 + rounds * 8
        }
        for _ in 0..<left { put(copy, 13) }
        code(0, 7)  // end of block (256)
        if filled > 0 { put(0, 8 - filled) }
        let total = 1 + 258 * copies
        let adler = UInt32(total % 65521) << 16 | 1  // a = 1 + the sum of zeros, b = a summed over every byte
        return out + be32(adler)
    }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return be32(UInt32(data.count)) + body + be32(CRC32.checksum(body))
    }

    static func be32(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}

/// Builds minimal TIFF files for the tests.
enum TIFFTestFile {
    /// A little-endian, uncompressed 8-bit gray TIFF whose header claims `width × height`
    /// and whose single strip holds 16 bytes.
    static func header(width: UInt32, height: UInt32) -> [UInt8] {
        var bytes: [UInt8] = [0x49, 0x49, 0x2A, 0x00, 0x08, 0x00, 0x00, 0x00]
        let entries: [(UInt16, UInt16, UInt32)] = [  // tag, type (3 short, 4 long), value
            (256, 4, width), (257, 4, height), (258, 3, 8), (259, 3, 1), (262, 3, 1),
            (273, 4, 0), (277, 3, 1), (278, 4, height), (279, 4, 16),
        ]
        let dataOffset = UInt32(8 + 2 + entries.count * 12 + 4)
        bytes += le16(UInt16(entries.count))
        for (tag, type, value) in entries {
            bytes += le16(tag) + le16(type) + le32(1)
            let stored = tag == 273 ? dataOffset : value
            bytes += type == 3 ? le16(UInt16(stored)) + [0, 0] : le32(stored)
        }
        bytes += le32(0)
        bytes += Array(repeating: 0x80, count: 16)
        return bytes
    }

    private static func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
    private static func le32(_ value: UInt32) -> [UInt8] {
        [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF), UInt8((value >> 16) & 0xFF), UInt8(value >> 24)]
    }
}

enum JPEGTestFile {
    /// The offset just after the first SOS segment's header.
    static func startOfScanData(in bytes: [UInt8]) -> Int? {
        var offset = 2
        while offset + 4 <= bytes.count, bytes[offset] == 0xFF {
            let marker = bytes[offset + 1]
            let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            if marker == 0xDA { return offset + 2 + length }
            offset += 2 + length
        }
        return nil
    }
}
