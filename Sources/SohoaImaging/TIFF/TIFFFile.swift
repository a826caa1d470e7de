import CShims
import CTIFF

/// A TIFF file opened with libtiff, one page per directory.
///
/// libtiff's errors and warnings are collected per handle (never printed) and turned into
/// `ImagingError`s that name the file and the page.
public final class TIFFFile: ImageSource {
    public let path: String
    public let format = ImageFormat.tiff
    public let pageCount: Int

    private let handle: OpaquePointer
    private let diagnostics: UnsafeMutablePointer<SohoaTIFFDiagnostics>
    private let limits: DecodeLimits

    /// Opens `path` and counts its pages.
    ///
    /// - Throws: `ImagingError` when the file cannot be opened, is not a TIFF, or is damaged.
    public init(path: String, limits: DecodeLimits = .standard) throws {
        self.path = path
        self.limits = limits
        let prefix = try FileBytes.readPrefix(path: path, count: 8)
        guard ImageFormat.sniff(prefix) == .tiff else {
            throw ImagingError(file: path, reason: prefix.count < 8 ? .truncated("shorter than a TIFF header") : .notAnImage)
        }
        diagnostics = .allocate(capacity: 1)
        diagnostics.initialize(to: SohoaTIFFDiagnostics())
        guard let opened = sohoa_tiff_open(path, diagnostics, min(limits.maxDecodedBytes, Int(Int32.max))) else {
            let detail = Self.message(from: diagnostics.pointee, fallback: "libtiff could not open the file")
            diagnostics.deallocate()
            throw ImagingError(file: path, reason: .damaged(detail))
        }
        handle = opened
        let directories = Int(TIFFNumberOfDirectories(opened))
        if diagnostics.pointee.errorCount > 0 || directories == 0 {
            let detail = Self.message(from: diagnostics.pointee, fallback: "the file has no pages")
            TIFFClose(opened)
            diagnostics.deallocate()
            throw ImagingError(file: path, reason: .damaged(detail))
        }
        guard directories <= limits.maxPages else {
            TIFFClose(opened)
            diagnostics.deallocate()
            throw ImagingError(file: path, reason: .unsupported(
                "\(directories) pages, more than the limit of \(limits.maxPages) for one file"))
        }
        pageCount = directories
    }

    deinit {
        TIFFClose(handle)
        diagnostics.deallocate()
    }

    public func describePage(_ index: Int) throws -> PageDescription {
        try select(index)
        let page = index + 1
        let width = Int(u32(TIFFTAG_IMAGEWIDTH) ?? 0)
        let height = Int(u32(TIFFTAG_IMAGELENGTH) ?? 0)
        let bits = Int(u16Defaulted(TIFFTAG_BITSPERSAMPLE) ?? 1)
        let samples = Int(u16Defaulted(TIFFTAG_SAMPLESPERPIXEL) ?? 1)
        guard width > 0, height > 0 else {
            throw ImagingError(file: path, page: page, reason: .damaged("the page has no width or height"))
        }
        guard let photometric = u16(TIFFTAG_PHOTOMETRIC) else {
            throw ImagingError(file: path, page: page,
                               reason: .damaged("the page does not say how its pixels are coloured"))
        }
        let extraSamples = extraSampleCount()
        let colour: ColourModel
        switch Int32(photometric) {
        case PHOTOMETRIC_MINISWHITE, PHOTOMETRIC_MINISBLACK:
            colour = bits == 1 ? .bilevel : .gray
        case PHOTOMETRIC_PALETTE:
            colour = .palette
        case PHOTOMETRIC_RGB, PHOTOMETRIC_YCBCR:
            colour = .rgb
        case PHOTOMETRIC_SEPARATED:
            colour = .cmyk
        default:
            throw ImagingError(file: path, page: page, reason: .unsupported(
                "photometric interpretation \(photometric) (only black-and-white, gray, palette, RGB, YCbCr and CMYK)"))
        }
        return PageDescription(
            width: width, height: height, colour: colour, bitsPerComponent: bits,
            hasAlpha: extraSamples > 0 && samples > 1, resolution: resolution(),
            encoding: Self.compressionName(u16Defaulted(TIFFTAG_COMPRESSION) ?? 1))
    }

    public func decodePage(_ index: Int) throws -> Raster {
        let description = try describePage(index)
        let page = index + 1
        let bits = description.bitsPerComponent
        let samples = Int(u16Defaulted(TIFFTAG_SAMPLESPERPIXEL) ?? 1)
        try limits.check(width: description.width, height: description.height,
                         bitsPerPixel: bits * samples, file: path, page: page)
        let planar = u16Defaulted(TIFFTAG_PLANARCONFIG) ?? UInt16(PLANARCONFIG_CONTIG)
        guard Int32(planar) == PLANARCONFIG_CONTIG || samples == 1 else {
            throw ImagingError(file: path, page: page,
                               reason: .unsupported("colour planes stored separately (PlanarConfiguration 2)"))
        }
        let rowBytes = Int(TIFFScanlineSize64(handle))
        guard rowBytes > 0 else {
            throw ImagingError(file: path, page: page, reason: .damaged(currentError("the row size is invalid")))
        }
        var pixels = [UInt8](repeating: 0, count: rowBytes * description.height)
        let errorsBefore = diagnostics.pointee.errorCount
        if TIFFIsTiled(handle) != 0 {
            try readTiles(into: &pixels, rowBytes: rowBytes, description: description, bitsPerPixel: bits * samples, page: page)
        } else {
            try readStrips(into: &pixels, page: page)
        }
        if diagnostics.pointee.errorCount > errorsBefore {
            throw damage(page: page, "libtiff reported an error while decoding")
        }
        return Raster(width: description.width, height: description.height, components: samples,
                      bitsPerComponent: bits, bytesPerRow: rowBytes, pixels: pixels)
    }

    // MARK: - Reading pixel data

    private func readStrips(into pixels: inout [UInt8], page: Int) throws {
        let stripCount = TIFFNumberOfStrips(handle)
        var offset = 0
        try pixels.withUnsafeMutableBytes { buffer in
            for strip in 0..<stripCount {
                let remaining = buffer.count - offset
                guard remaining > 0 else { break }
                let read = TIFFReadEncodedStrip(handle, strip, buffer.baseAddress! + offset, tmsize_t(remaining))
                guard read >= 0 else {
                    throw damage(page: page, "strip \(strip + 1) of \(stripCount) cannot be decoded")
                }
                offset += Int(read)
            }
        }
        guard offset == pixels.count else {
            throw ImagingError(file: path, page: page,
                               reason: .truncated("only \(offset) of \(pixels.count) bytes of pixel data are present"))
        }
    }

    private func readTiles(into pixels: inout [UInt8], rowBytes: Int, description: PageDescription,
                           bitsPerPixel: Int, page: Int) throws {
        let tileWidth = Int(u32(TIFFTAG_TILEWIDTH) ?? 0)
        let tileHeight = Int(u32(TIFFTAG_TILELENGTH) ?? 0)
        let tileRowBytes = Int(TIFFTileRowSize64(handle))
        let tileBytes = Int(TIFFTileSize64(handle))
        guard tileWidth > 0, tileHeight > 0, tileRowBytes > 0, tileBytes >= tileRowBytes * tileHeight,
              tileBytes <= limits.maxDecodedBytes else {
            throw damage(page: page, "the tile layout is invalid")
        }
        var tile = [UInt8](repeating: 0, count: tileBytes)
        for y in stride(from: 0, to: description.height, by: tileHeight) {
            for x in stride(from: 0, to: description.width, by: tileWidth) {
                let number = TIFFComputeTile(handle, UInt32(x), UInt32(y), 0, 0)
                let read = tile.withUnsafeMutableBytes {
                    TIFFReadEncodedTile(handle, number, $0.baseAddress, tmsize_t(tileBytes))
                }
                guard read >= 0 else {
                    throw damage(page: page, "tile \(number + 1) cannot be decoded")
                }
                let rows = min(tileHeight, description.height - y)
                let startByte = x * bitsPerPixel / 8
                let copyBytes = min(tileRowBytes, rowBytes - startByte)
                for row in 0..<rows {
                    let target = (y + row) * rowBytes + startByte
                    pixels.replaceSubrange(target..<(target + copyBytes),
                                           with: tile[(row * tileRowBytes)..<(row * tileRowBytes + copyBytes)])
                }
            }
        }
    }

    // MARK: - Tags

    private func select(_ index: Int) throws {
        guard index >= 0, index < pageCount else {
            throw ImagingError(file: path, page: index + 1, reason: .noSuchPage(count: pageCount))
        }
        if Int(TIFFCurrentDirectory(handle)) == index { return }
        guard TIFFSetDirectory(handle, UInt32(index)) == 1 else {
            throw damage(page: index + 1, "the page directory cannot be read")
        }
    }

    private func u16(_ tag: Int32) -> UInt16? {
        var value: UInt16 = 0
        return sohoa_tiff_get_u16(handle, UInt32(tag), &value) == 1 ? value : nil
    }

    private func u16Defaulted(_ tag: Int32) -> UInt16? {
        var value: UInt16 = 0
        return sohoa_tiff_get_u16_defaulted(handle, UInt32(tag), &value) == 1 ? value : nil
    }

    private func u32(_ tag: Int32) -> UInt32? {
        var value: UInt32 = 0
        return sohoa_tiff_get_u32(handle, UInt32(tag), &value) == 1 ? value : nil
    }

    private func float(_ tag: Int32) -> Float? {
        var value: Float = 0
        return sohoa_tiff_get_float(handle, UInt32(tag), &value) == 1 ? value : nil
    }

    private func extraSampleCount() -> Int {
        var count: UInt16 = 0
        var values: UnsafePointer<UInt16>?
        return sohoa_tiff_get_u16_array(handle, UInt32(TIFFTAG_EXTRASAMPLES), &count, &values) == 1 ? Int(count) : 0
    }

    /// The resolution in dots per inch, or `nil` when the page states none (or no unit).
    private func resolution() -> Resolution? {
        guard let x = float(TIFFTAG_XRESOLUTION), let y = float(TIFFTAG_YRESOLUTION),
              x.isFinite, y.isFinite, x > 0, y > 0 else { return nil }
        switch Int32(u16Defaulted(TIFFTAG_RESOLUTIONUNIT) ?? UInt16(RESUNIT_INCH)) {
        case RESUNIT_INCH: return Resolution(x: Double(x), y: Double(y))
        case RESUNIT_CENTIMETER: return Resolution(x: Double(x) * 2.54, y: Double(y) * 2.54)
        default: return nil
        }
    }

    static func compressionName(_ compression: UInt16) -> String {
        switch Int32(compression) {
        case COMPRESSION_NONE: return "uncompressed"
        case COMPRESSION_CCITTRLE: return "CCITT modified Huffman"
        case COMPRESSION_CCITTFAX3: return "CCITT G3"
        case COMPRESSION_CCITTFAX4: return "CCITT G4"
        case COMPRESSION_LZW: return "LZW"
        case COMPRESSION_OJPEG, COMPRESSION_JPEG: return "JPEG"
        case COMPRESSION_ADOBE_DEFLATE, COMPRESSION_DEFLATE: return "Deflate"
        case COMPRESSION_PACKBITS: return "PackBits"
        default: return "compression \(compression)"
        }
    }

    // MARK: - Errors

    private func currentError(_ fallback: String) -> String {
        Self.message(from: diagnostics.pointee, fallback: fallback)
    }

    private func damage(page: Int, _ what: String) -> ImagingError {
        let detail = diagnostics.pointee.errorCount > 0 ? "\(what): \(currentError(what))" : what
        return ImagingError(file: path, page: page, reason: .damaged(detail))
    }

    private static func message(from diagnostics: SohoaTIFFDiagnostics, fallback: String) -> String {
        guard diagnostics.errorCount > 0 else { return fallback }
        return withUnsafeBytes(of: diagnostics.lastError) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
