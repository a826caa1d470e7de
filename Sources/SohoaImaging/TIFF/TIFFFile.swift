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

    /// Decodes to a normalised raster: bilevel (1 = black), gray, RGB or CMYK at 8 or 16 bits,
    /// or palette indices; alpha flattened onto white; orientation not applied.
    public func decodePage(_ index: Int) throws -> Raster {
        try decodeNormalized(index, keepAlpha: false).raster
    }

    /// Decodes like `decodePage`; with `keepAlpha`, unassociated alpha is returned as its own
    /// 8- or 16-bit gray raster instead of being flattened (premultiplied alpha is always flattened).
    private func decodeNormalized(_ index: Int, keepAlpha: Bool) throws -> (raster: Raster, alpha: Raster?) {
        let description = try describePage(index)
        let page = index + 1
        let layout = try sampleLayout(page: page)
        try limits.check(width: description.width, height: description.height,
                         bitsPerPixel: max(layout.bits, 8) * max(layout.samples, 4), file: path, page: page)
        let width = description.width, height = description.height
        let photometric = Int32(u16(TIFFTAG_PHOTOMETRIC) ?? 1)
        let colourSamples = layout.samples - layout.extra
        var alpha: Raster?
        let contiguous = layout.planar == PLANARCONFIG_CONTIG || layout.samples == 1

        if layout.compression == COMPRESSION_JPEG, photometric == PHOTOMETRIC_YCBCR {
            // libtiff converts JPEG-compressed YCbCr to RGB itself when asked.
            _ = sohoa_tiff_set_int(handle, UInt32(TIFFTAG_JPEGCOLORMODE), JPEGCOLORMODE_RGB)
            let pixels = try readSamples(description, page: page)
            return (Raster(width: width, height: height, components: 3, bitsPerComponent: 8,
                          bytesPerRow: width * 3, pixels: pixels), alpha)
        }
        switch photometric {
        case let gray where (gray == PHOTOMETRIC_MINISWHITE || gray == PHOTOMETRIC_MINISBLACK)
                && contiguous && colourSamples == 1:
            var pixels = try readSamples(description, page: page)
            let minIsWhite = photometric == PHOTOMETRIC_MINISWHITE
            switch layout.bits {
            case 1 where layout.samples == 1:
                if !minIsWhite { SampleConversions.invert(&pixels) }  // normalised: 1 = black
                return (Raster(width: width, height: height, components: 1, bitsPerComponent: 1,
                              bytesPerRow: (width + 7) / 8, pixels: pixels), alpha)
            case let bits where (bits == 2 || bits == 4) && layout.samples == 1:
                pixels = SampleConversions.expand(pixels, width: width, height: height, samplesPerPixel: 1,
                                                  bits: layout.bits, packedRowBytes: (width * layout.bits + 7) / 8, scale: true)
                if minIsWhite { SampleConversions.invert(&pixels) }
                return (Raster(width: width, height: height, components: 1, bitsPerComponent: 8,
                              bytesPerRow: width, pixels: pixels), alpha)
            case 8, 16:
                if layout.bits == 16 { SampleConversions.swapPairs(&pixels) }
                if layout.extra > 0 {
                    (pixels, alpha) = try removeAlpha(pixels, layout: layout, width: width, height: height,
                                                      colourSamples: 1, keep: keepAlpha)
                }
                if minIsWhite { SampleConversions.invert(&pixels) }
                return (Raster(width: width, height: height, components: 1, bitsPerComponent: layout.bits,
                              bytesPerRow: width * layout.bits / 8, pixels: pixels), alpha)
            default:
                break
            }
        case PHOTOMETRIC_RGB where contiguous && colourSamples == 3 && (layout.bits == 8 || layout.bits == 16):
            var pixels = try readSamples(description, page: page)
            if layout.bits == 16 { SampleConversions.swapPairs(&pixels) }
            if layout.extra > 0 {
                (pixels, alpha) = try removeAlpha(pixels, layout: layout, width: width, height: height,
                                                  colourSamples: 3, keep: keepAlpha)
            }
            return (Raster(width: width, height: height, components: 3, bitsPerComponent: layout.bits,
                          bytesPerRow: width * 3 * layout.bits / 8, pixels: pixels), alpha)
        case PHOTOMETRIC_PALETTE where layout.samples == 1 && [1, 2, 4, 8].contains(layout.bits):
            var red: UnsafePointer<UInt16>?, green: UnsafePointer<UInt16>?, blue: UnsafePointer<UInt16>?
            guard sohoa_tiff_get_colormap(handle, &red, &green, &blue) == 1, let red, let green, let blue else {
                throw ImagingError(file: path, page: page, reason: .damaged("a palette image without its colour map"))
            }
            var palette = [UInt8]()
            for entry in 0..<(1 << layout.bits) {
                palette += [UInt8(red[entry] >> 8), UInt8(green[entry] >> 8), UInt8(blue[entry] >> 8)]
            }
            var pixels = try readSamples(description, page: page)
            if layout.bits < 8 {
                pixels = SampleConversions.expand(pixels, width: width, height: height, samplesPerPixel: 1,
                                                  bits: layout.bits, packedRowBytes: (width * layout.bits + 7) / 8, scale: false)
            }
            return (Raster(width: width, height: height, components: 1, bitsPerComponent: 8,
                          bytesPerRow: width, pixels: pixels, palette: palette), alpha)
        case PHOTOMETRIC_SEPARATED where contiguous && colourSamples == 4 && layout.bits == 8
                && (u16Defaulted(TIFFTAG_INKSET) ?? 1) == 1:
            var pixels = try readSamples(description, page: page)
            if layout.extra > 0 {
                (pixels, alpha) = try removeAlpha(pixels, layout: layout, width: width, height: height,
                                                  colourSamples: 4, keep: keepAlpha, ink: true)
            }
            return (Raster(width: width, height: height, components: 4, bitsPerComponent: 8,
                          bytesPerRow: width * 4, pixels: pixels), alpha)
        default:
            break
        }
        return (try decodeThroughRGBA(width: width, height: height, page: page), nil)
    }

    /// Passes a single-strip CCITT G4 page through unchanged (bit-reversed when the file
    /// stores bits least significant first); re-encodes anything else losslessly.
    public func preparePage(_ index: Int, settings: PreparationSettings) throws -> PreparedPage {
        let description = try describePage(index)
        let page = index + 1
        let orientation = Orientation(tag: Int(u16Defaulted(TIFFTAG_ORIENTATION) ?? 1))
        var date: UnsafePointer<CChar>?
        let recordedDate = sohoa_tiff_get_string(handle, UInt32(TIFFTAG_DATETIME), &date) == 1
            ? date.flatMap { RecordedDate.fromTIFF(String(cString: $0)) } : nil
        let layout = try sampleLayout(page: page)
        let passThrough = try passThroughG4(description: description, layout: layout, page: page)
        let raster = try decodePage(index)
        let softMask = settings.keepTransparency && layout.extra > 0
            ? try decodeNormalized(index, keepAlpha: true) : nil
        let resolution = settings.resolution.resolve(description.resolution)
        let analysis = settings.analyzer.analyze(raster, dpi: resolution.dpi,
                                                 lossless: layout.compression != COMPRESSION_JPEG
                                                     && layout.compression != COMPRESSION_OJPEG)
        let image: EncodedImage
        if let passThrough {
            image = passThrough
        } else {
            do {
                if let softMask, let alpha = softMask.alpha {
                    image = try LosslessEncoder.encode(softMask.raster).withSoftMask(try LosslessEncoder.encodeMask(alpha))
                } else {
                    image = try LosslessEncoder.encode(raster)
                }
            } catch {
                throw ImagingError(file: path, page: page, reason: .unsupported(error.description))
            }
        }
        return PreparedPage(source: path, indexInFile: index, description: description, orientation: orientation,
                            resolution: resolution, analysis: analysis, image: image, recordedDate: recordedDate)
            .recordingInk(of: raster, settings)
    }

    // MARK: - Preparation helpers

    private struct SampleLayout {
        let bits: Int
        let samples: Int
        let extra: Int
        let associatedAlpha: Bool
        let planar: Int32
        let compression: Int32
    }

    private func sampleLayout(page: Int) throws -> SampleLayout {
        let samples = Int(u16Defaulted(TIFFTAG_SAMPLESPERPIXEL) ?? 1)
        var count: UInt16 = 0
        var values: UnsafePointer<UInt16>?
        var extra = 0
        var associated = false
        if sohoa_tiff_get_u16_array(handle, UInt32(TIFFTAG_EXTRASAMPLES), &count, &values) == 1, let values {
            extra = Int(count)
            associated = count > 0 && Int32(values[0]) == EXTRASAMPLE_ASSOCALPHA
        }
        guard samples >= 1, samples <= 16, extra < samples else {
            throw ImagingError(file: path, page: page, reason: .damaged("the samples per pixel are inconsistent"))
        }
        return SampleLayout(bits: Int(u16Defaulted(TIFFTAG_BITSPERSAMPLE) ?? 1), samples: samples, extra: extra,
                            associatedAlpha: associated,
                            planar: Int32(u16Defaulted(TIFFTAG_PLANARCONFIG) ?? UInt16(PLANARCONFIG_CONTIG)),
                            compression: Int32(u16Defaulted(TIFFTAG_COMPRESSION) ?? 1))
    }

    /// Removes the extra samples: the first is alpha, flattened onto white, or (with `keep`,
    /// for unassociated alpha) returned as a gray raster; further extra samples are dropped.
    private func removeAlpha(_ pixels: [UInt8], layout: SampleLayout, width: Int, height: Int, colourSamples: Int,
                             keep: Bool, ink: Bool = false) throws -> ([UInt8], Raster?) {
        let pixelCount = width * height
        var withOneAlpha = pixels
        if layout.extra > 1 {
            let bytesPerSample = layout.bits / 8
            let kept = (colourSamples + 1) * bytesPerSample
            let stride = layout.samples * bytesPerSample
            withOneAlpha = [UInt8](repeating: 0, count: pixelCount * kept)
            for pixel in 0..<pixelCount {
                for byte in 0..<kept { withOneAlpha[pixel * kept + byte] = pixels[pixel * stride + byte] }
            }
        }
        if keep && !layout.associatedAlpha {
            let (colour, alpha) = SampleConversions.splitAlpha(withOneAlpha, pixelCount: pixelCount,
                                                               colourChannels: colourSamples, bits: layout.bits)
            return (colour, Raster(width: width, height: height, components: 1, bitsPerComponent: layout.bits,
                                   bytesPerRow: width * layout.bits / 8, pixels: alpha))
        }
        let flat = SampleConversions.flattenOntoWhite(withOneAlpha, pixelCount: pixelCount, colourChannels: colourSamples,
                                                      bits: layout.bits, associated: layout.associatedAlpha, inkModel: ink)
        return (flat, nil)
    }

    /// A size libtiff computed, as an Int; -1 (an impossible size the callers refuse) when it
    /// does not fit, as libtiff's (uint64)-1 for "cannot be known" does not.
    private static func size(_ value: UInt64) -> Int { Int(exactly: value) ?? -1 }

    /// The page's own CCITT G4 strip, ready for the PDF, when it can be used unchanged.
    private func passThroughG4(description: PageDescription, layout: SampleLayout, page: Int) throws -> EncodedImage? {
        guard layout.compression == COMPRESSION_CCITTFAX4, layout.bits == 1, layout.samples == 1,
              TIFFIsTiled(handle) == 0, TIFFNumberOfStrips(handle) == 1,
              (u32(TIFFTAG_GROUP4OPTIONS) ?? 0) & UInt32(GROUP4OPT_UNCOMPRESSED) == 0 else { return nil }
        let photometric = Int32(u16(TIFFTAG_PHOTOMETRIC) ?? 0)
        guard photometric == PHOTOMETRIC_MINISWHITE || photometric == PHOTOMETRIC_MINISBLACK else { return nil }
        let size = Self.size(TIFFRawStripSize64(handle, 0))
        guard size > 0, size <= limits.maxFileBytes else {
            throw damage(page: page, "the compressed strip has an impossible size")
        }
        var strip = [UInt8](repeating: 0, count: size)
        let read = strip.withUnsafeMutableBytes { TIFFReadRawStrip(handle, 0, $0.baseAddress, tmsize_t(size)) }
        guard read == size else {
            throw ImagingError(file: path, page: page, reason: .truncated("the compressed strip is cut off"))
        }
        if Int32(u16Defaulted(TIFFTAG_FILLORDER) ?? 1) == FILLORDER_LSB2MSB {
            strip.withUnsafeMutableBufferPointer { TIFFReverseBits($0.baseAddress, tmsize_t($0.count)) }
        }
        return EncodedImage(width: description.width, height: description.height, bitsPerComponent: 1,
                            colourSpace: .gray, compression: .ccittG4(blackIs1: photometric == PHOTOMETRIC_MINISBLACK),
                            data: strip, passedThrough: true)
    }

    /// The decoded samples of the current page, strips or tiles, as libtiff delivers them.
    private func readSamples(_ description: PageDescription, page: Int) throws -> [UInt8] {
        let rowBytes = Self.size(TIFFScanlineSize64(handle))
        guard rowBytes > 0, rowBytes <= limits.maxDecodedBytes / max(description.height, 1) else {
            throw ImagingError(file: path, page: page, reason: .damaged(currentError("the row size is invalid")))
        }
        var pixels = [UInt8](repeating: 0, count: rowBytes * description.height)
        let errorsBefore = diagnostics.pointee.errorCount
        if TIFFIsTiled(handle) != 0 {
            let bitsPerPixel = Int(u16Defaulted(TIFFTAG_BITSPERSAMPLE) ?? 1) * Int(u16Defaulted(TIFFTAG_SAMPLESPERPIXEL) ?? 1)
            try readTiles(into: &pixels, rowBytes: rowBytes, description: description, bitsPerPixel: bitsPerPixel, page: page)
        } else {
            try readStrips(into: &pixels, page: page)
        }
        if diagnostics.pointee.errorCount > errorsBefore {
            throw damage(page: page, "libtiff reported an error while decoding")
        }
        // Rows may carry padding bits beyond the width; the normalised raster has none.
        return pixels
    }

    /// Anything the direct paths do not cover (separate planes, YCbCr without JPEG, odd bit
    /// depths) goes through libtiff's RGBA reader, with orientation left as stored.
    private func decodeThroughRGBA(width: Int, height: Int, page: Int) throws -> Raster {
        let storedOrientation = u16Defaulted(TIFFTAG_ORIENTATION) ?? 1
        _ = sohoa_tiff_set_u16(handle, UInt32(TIFFTAG_ORIENTATION), UInt16(ORIENTATION_TOPLEFT))
        defer { _ = sohoa_tiff_set_u16(handle, UInt32(TIFFTAG_ORIENTATION), storedOrientation) }
        var rgba = [UInt32](repeating: 0, count: width * height)
        let ok = rgba.withUnsafeMutableBufferPointer {
            TIFFReadRGBAImageOriented(handle, UInt32(width), UInt32(height), $0.baseAddress, ORIENTATION_TOPLEFT, 0)
        }
        guard ok == 1 else {
            let description = (try? describePage(page - 1))?.encoding ?? "this TIFF"
            throw damage(page: page, "libtiff cannot turn \(description) into RGB")
        }
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for (index, value) in rgba.enumerated() {
            let alpha = Int(value >> 24)
            // The RGBA reader delivers premultiplied colour: composite onto white by adding the rest.
            pixels[index * 3] = UInt8(min(255, Int(value & 0xFF) + 255 - alpha))
            pixels[index * 3 + 1] = UInt8(min(255, Int((value >> 8) & 0xFF) + 255 - alpha))
            pixels[index * 3 + 2] = UInt8(min(255, Int((value >> 16) & 0xFF) + 255 - alpha))
        }
        return Raster(width: width, height: height, components: 3, bitsPerComponent: 8,
                      bytesPerRow: width * 3, pixels: pixels)
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
                    if currentError("").contains("Read error") {
                        throw ImagingError(file: path, page: page, reason: .truncated(
                            "strip \(strip + 1) of \(stripCount) is cut off: \(currentError(""))"))
                    }
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
        let tileRowBytes = Self.size(TIFFTileRowSize64(handle))
        let tileBytes = Self.size(TIFFTileSize64(handle))
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
