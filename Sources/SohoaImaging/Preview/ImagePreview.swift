import CShims
import Glibc

/// Small gray previews of image data as a PDF stores it (a JPEG stream, CCITT Group 4 fax
/// data), decoded from memory: for finding where a page's image has ink.
public enum ImagePreview {
    /// The longest side a preview aims at; larger images are reduced.
    public static let targetSide = 600

    /// The DCT scaling (8, 4, 2 or 1) a JPEG of this size is decoded at for a preview: the
    /// largest that leaves at least half of `targetSide` pixels on its longest side.
    public static func jpegScale(width: Int, height: Int) -> Int {
        let longest = max(width, height)
        return [8, 4, 2].first { longest / $0 >= targetSide / 2 } ?? 1
    }

    /// A JPEG (baseline or progressive) decoded at 1/8, 1/4, 1/2 or full scale, to 8-bit gray;
    /// with `topFraction` under 1, only that top part of it (and a few rows more), for a question
    /// about the top of a page: the compressed data of the rows below is not even read.
    ///
    /// - Throws: `ImagingError` when the data is not a JPEG libjpeg can decode to gray (CMYK
    ///   cannot), is damaged, or exceeds `limits`.
    public static func jpeg(_ bytes: [UInt8], limits: DecodeLimits = .standard, topFraction: Double = 1) throws -> GrayPreview {
        let name = "JPEG image data"
        let file = try JPEGFile(bytes: bytes, name: name, limits: limits)
        let description = try file.describePage(0)
        guard description.colour != .cmyk else { throw ImagingError(file: name, reason: .unsupported("CMYK JPEG as gray")) }
        try limits.check(width: description.width, height: description.height, bitsPerPixel: 8, file: name, page: 1)
        let scale = jpegScale(width: description.width, height: description.height)
        let scaledHeight = (description.height + scale - 1) / scale
        let fraction = topFraction.isFinite ? min(1, max(0, topFraction)) : 1
        let wanted = fraction >= 1 ? scaledHeight : min(scaledHeight, Int((Double(scaledHeight) * fraction).rounded(.up)) + 2)
        var rows = SohoaGrayRows()
        var message = [CChar](repeating: 0, count: 256)
        let status = bytes.withUnsafeBufferPointer { input in
            sohoa_jpeg_gray_rows(input.baseAddress, input.count, UInt32(scale), UInt32(wanted), &rows, &message, message.count)
        }
        guard status == 0 else {
            let reason = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw ImagingError(file: name, reason: .damaged("libjpeg: \(reason)"))
        }
        defer { free(rows.pixels) }
        let count = Int(rows.width) * Int(rows.rows)
        let pixels = count == 0 ? [] : Array(UnsafeBufferPointer(start: rows.pixels, count: count))
        return GrayPreview(width: Int(rows.width), height: Int(rows.rows), pixels: pixels, fullHeight: Int(rows.height))
    }

    /// CCITT fax data (Group 4 when `k` < 0, Group 3 otherwise) of `width × height` pixels,
    /// decoded by libtiff, as gray where the black runs are dark.
    ///
    /// - Throws: `ImagingError` when the data does not decode to that size, or exceeds `limits`.
    public static func ccitt(_ data: [UInt8], width: Int, height: Int, k: Int, byteAligned: Bool = false,
                             limits: DecodeLimits = .standard) throws -> GrayPreview {
        let name = "CCITT fax image data"
        guard width > 0, height > 0, width <= 1 << 20, height <= 1 << 20 else {
            throw ImagingError(file: name, reason: .unsupported("an image of \(width) × \(height) pixels"))
        }
        try limits.check(width: width, height: height, bitsPerPixel: 1, file: name, page: 1)
        guard !(byteAligned && k < 0) else {
            throw ImagingError(file: name, reason: .unsupported("byte-aligned Group 4 data"))
        }
        let tiff = wrappedInTIFF(data, width: width, height: height, k: k, byteAligned: byteAligned)
        let descriptor = tiff.withUnsafeBufferPointer { sohoa_memory_file("sohoa-ccitt", $0.baseAddress, $0.count) }
        guard descriptor >= 0 else {
            throw ImagingError(file: name, reason: .unreadable("no memory file could be made for libtiff"))
        }
        defer { close(descriptor) }
        let file = try TIFFFile(path: "/proc/self/fd/\(descriptor)", limits: limits)
        let raster = try file.decodePage(0)
        guard raster.width == width, raster.height == height, raster.bitsPerComponent == 1 else {
            throw ImagingError(file: name, reason: .damaged("the fax data did not decode to \(width) × \(height) pixels"))
        }
        let factor = max(1, max(width, height) / targetSide)
        return GrayPreview.reducing(bilevel: raster.pixels, width: width, height: height, rowBytes: raster.bytesPerRow,
                                    factor: factor)
    }

    /// A one-strip little-endian TIFF around fax data; white is zero, so black runs decode to 1.
    static func wrappedInTIFF(_ data: [UInt8], width: Int, height: Int, k: Int, byteAligned: Bool) -> [UInt8] {
        var entries: [(tag: UInt16, type: UInt16, value: UInt32)] = [
            (256, 4, UInt32(width)), (257, 4, UInt32(height)), (258, 3, 1), (259, 3, k < 0 ? 4 : 3), (262, 3, 0),
            (273, 4, 0), (277, 3, 1), (278, 4, UInt32(height)), (279, 4, UInt32(data.count)),
        ]
        if k < 0 {
            entries.append((293, 4, 0))
        } else {
            entries.append((292, 4, (k > 0 ? 1 : 0) | (byteAligned ? 4 : 0)))
        }
        let directorySize = 2 + entries.count * 12 + 4
        let dataOffset = 8 + directorySize
        var bytes: [UInt8] = [0x49, 0x49, 42, 0, 8, 0, 0, 0]
        func u16(_ value: UInt16) { bytes += [UInt8(value & 0xFF), UInt8(value >> 8)] }
        func u32(_ value: UInt32) { bytes += [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 24)] }
        u16(UInt16(entries.count))
        for entry in entries {
            u16(entry.tag)
            u16(entry.type)
            u32(1)
            let value = entry.tag == 273 ? UInt32(dataOffset) : entry.value
            if entry.type == 3 { u16(UInt16(value)); u16(0) } else { u32(value) }
        }
        u32(0)
        return bytes + data
    }
}
