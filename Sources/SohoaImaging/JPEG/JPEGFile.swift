import CJPEG

/// A JPEG file, read through the TurboJPEG API (which handles libjpeg's longjmp internally).
///
/// A damaged file that libjpeg would only warn about ("premature end of JPEG file",
/// corrupt scan data) is refused: a scan that decodes with grey bands is not a scan.
public final class JPEGFile: ImageSource {
    public let path: String
    public let format = ImageFormat.jpeg
    public let pageCount = 1

    private let bytes: [UInt8]
    private let markers: JPEGMarkers
    private let limits: DecodeLimits
    private let decoder: tjhandle

    /// Reads `path` and its JPEG header.
    public convenience init(path: String, limits: DecodeLimits = .standard) throws {
        try self.init(bytes: try FileBytes.readAll(path: path, limit: limits.maxFileBytes), name: path, limits: limits)
    }

    /// A JPEG held in memory (a PDF's DCT stream, say); `name` stands for its path in messages.
    public init(bytes: [UInt8], name: String, limits: DecodeLimits = .standard) throws {
        path = name
        self.limits = limits
        self.bytes = bytes
        guard ImageFormat.sniff(bytes) == .jpeg else { throw ImagingError(file: path, reason: .notAnImage) }
        do {
            markers = try JPEGMarkers(bytes)
        } catch .truncated(let detail) {
            throw ImagingError(file: path, page: 1, reason: .truncated(detail))
        } catch .damaged(let detail) {
            throw ImagingError(file: path, page: 1, reason: .damaged(detail))
        }
        guard let handle = tjInitDecompress() else {
            throw ImagingError(file: path, reason: .unreadable("the JPEG decoder could not start"))
        }
        decoder = handle
    }

    deinit {
        tjDestroy(decoder)
    }

    public func describePage(_ index: Int) throws -> PageDescription {
        guard index == 0 else { throw ImagingError(file: path, page: index + 1, reason: .noSuchPage(count: 1)) }
        let header = try readHeader()
        let colour: ColourModel
        switch header.colourspace {
        case Int32(TJCS_GRAY.rawValue): colour = .gray
        case Int32(TJCS_CMYK.rawValue), Int32(TJCS_YCCK.rawValue): colour = .cmyk
        default: colour = .rgb
        }
        var resolution: Resolution?
        if let density = markers.density, density.x > 0, density.y > 0 {
            switch density.unit {
            case 1: resolution = Resolution(x: Double(density.x), y: Double(density.y))
            case 2: resolution = Resolution(x: Double(density.x) * 2.54, y: Double(density.y) * 2.54)
            default: resolution = nil
            }
        }
        if resolution == nil { resolution = markers.exif?.resolution }
        return PageDescription(width: header.width, height: header.height, colour: colour,
                               bitsPerComponent: markers.precision, hasAlpha: false, resolution: resolution,
                               encoding: markers.progressive ? "JPEG progressive" : "JPEG baseline")
    }

    /// Decodes to 8-bit gray, RGB or CMYK (ink amounts: Adobe's inverted CMYK is turned back).
    public func decodePage(_ index: Int) throws -> Raster {
        let description = try describePage(index)
        return try decode(description, scale: 1)
    }

    /// The pixels page 1's strokes are found in: the analysis preview when it is as fine as the
    /// previews signing decodes (`ImagePreview.jpegScale`), else the image decoded at that scale
    /// (a small image: an identity card, a receipt). Nothing is decoded when `recordsInk` is off.
    private func inkPixels(_ description: PageDescription, preview: Raster, previewScale: Int,
                           settings: PreparationSettings) throws -> Raster {
        let scale = ImagePreview.jpegScale(width: description.width, height: description.height)
        guard settings.recordsInk, scale < previewScale else { return preview }
        return try decode(description, scale: scale)
    }

    /// Passes the JPEG through unchanged (a JPEG is never decoded and re-encoded lossily); the
    /// pixels are decoded at reduced scale only to check the data and to analyse the page.
    public func preparePage(_ index: Int, settings: PreparationSettings) throws -> PreparedPage {
        let description = try describePage(index)
        guard markers.precision == 8 else {
            throw ImagingError(file: path, page: 1, reason: .unsupported(
                "\(markers.precision)-bit JPEG; PDF readers take 8-bit JPEG only — save the scan as 8-bit"))
        }
        let resolution = settings.resolution.resolve(description.resolution)
        let scale = [8, 4, 2].first { resolution.dpi / Double($0) >= 25 } ?? 1
        let preview = try decode(description, scale: scale)
        let analysis = settings.analyzer.analyze(preview, dpi: resolution.dpi / Double(scale), lossless: false)
        let arithmetic = [0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF].contains(markers.frameMarker)
        let image: EncodedImage
        if arithmetic {
            // Arithmetic-coded JPEGs are not part of PDF's DCTDecode: keep the decoded pixels losslessly.
            do {
                image = try LosslessEncoder.encode(try decode(description, scale: 1))
            } catch let error as LosslessEncoder.Failure {
                throw ImagingError(file: path, page: 1, reason: .unsupported(error.description))
            }
        } else {
            let colourSpace: EncodedImage.ColourSpace = switch description.colour {
            case .gray: .gray
            case .cmyk: .cmyk
            default: .rgb
            }
            image = EncodedImage(width: description.width, height: description.height, bitsPerComponent: 8,
                                 colourSpace: colourSpace, compression: .dct,
                                 invertedCMYK: description.colour == .cmyk && markers.adobeTransform != nil,
                                 data: bytes, passedThrough: true)
        }
        return PreparedPage(source: path, indexInFile: 0, description: description,
                            orientation: Orientation(tag: markers.exif?.orientation ?? 1), resolution: resolution,
                            analysis: analysis, image: image,
                            recordedDate: markers.exif?.dateTime.flatMap(RecordedDate.fromTIFF))
            .recordingInk(of: try inkPixels(description, preview: preview, previewScale: scale, settings: settings), settings)
    }

    /// Decodes at 1/`scale` of the full size (1, 2, 4 or 8), which reads every byte of the
    /// compressed data but computes fewer pixels.
    private func decode(_ description: PageDescription, scale: Int) throws -> Raster {
        let (pixelFormat, components): (TJPF, Int) = switch description.colour {
        case .gray: (TJPF_GRAY, 1)
        case .cmyk: (TJPF_CMYK, 4)
        default: (TJPF_RGB, 3)
        }
        try limits.check(width: description.width, height: description.height,
                         bitsPerPixel: 8 * components, file: path, page: 1)
        let width = (description.width + scale - 1) / scale
        let height = (description.height + scale - 1) / scale
        let rowBytes = width * components
        var pixels = [UInt8](repeating: 0, count: rowBytes * height)
        let flags = TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS
        let status = bytes.withUnsafeBufferPointer { input in
            pixels.withUnsafeMutableBufferPointer { output in
                tjDecompress2(decoder, input.baseAddress, UInt(input.count), output.baseAddress,
                              Int32(width), Int32(rowBytes), Int32(height),
                              Int32(pixelFormat.rawValue), Int32(flags))
            }
        }
        guard status == 0 else { throw decodingError() }
        if description.colour == .cmyk, markers.adobeTransform != nil {
            SampleConversions.invert(&pixels)
        }
        return Raster(width: width, height: height, components: components,
                      bitsPerComponent: 8, bytesPerRow: rowBytes, pixels: pixels)
    }

    private func readHeader() throws -> (width: Int, height: Int, colourspace: Int32) {
        var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colourspace: Int32 = 0
        let status = bytes.withUnsafeBufferPointer {
            tjDecompressHeader3(decoder, $0.baseAddress, UInt($0.count), &width, &height, &subsampling, &colourspace)
        }
        guard status == 0 else { throw decodingError() }
        return (Int(width), Int(height), colourspace)
    }

    private func decodingError() -> ImagingError {
        let message = String(cString: tjGetErrorStr2(decoder))
        let lower = message.lowercased()
        if lower.contains("premature end of jpeg file") || lower.contains("truncated") {
            return ImagingError(file: path, page: 1, reason: .truncated("libjpeg: \(message)"))
        }
        return ImagingError(file: path, page: 1, reason: .damaged("libjpeg: \(message)"))
    }
}
