import CQPDF
import SohoaImaging

/// Where an image XObject has ink: a small gray preview of it as the page shows it (after its
/// filters, colour space and /Decode), turned once into a map of its stroke pixels (ink beside
/// ink: specks of dust aside) with running sums, so that asking about any rectangle costs the
/// same four lookups. Images are looked at once each and remembered.
///
/// A cache made for a region of the page decodes a JPEG only down to the last row that region
/// needs (where the page draws the image upright, the top of the page is the top of the image):
/// the rows below it are not known, and ask about them and the answer is ink.
final class ImageInkCache {
    /// Stroke maps, or nil when the image cannot be looked at (every pixel counts as ink).
    private var maps: [Int: StrokeMap?] = [:]

    /// An area holds content when it has at least this many stroke pixels (a preview pixel is
    /// 1.4 to 2 pt: a digit is 3 or more); what a stroke pixel is, `StrokePixels` says.
    static let strokePixels = 2
    /// The largest image looked at, in pixels.
    static let pixelLimit = 200_000_000

    /// The part of the page questions will be about (page space); nil for all of it. Set
    /// before the first question.
    var region: PDFRect?
    /// Strokes recorded for images (by object number) by the program that made the page,
    /// used instead of decoding them: only for a document whose maker is known (see
    /// `PageInkMap.init(document:pageIndex:trustingRecordedInk:region:)`).
    var recorded: [Int: StrokePixels] = [:]
    /// The image asked about last, and its map.
    private var lastKey: Int?
    private var lastMap: StrokeMap?

    init() {}

    /// Whether `image`, drawn with the matrix whose inverse is `inverse` (nil: a matrix that
    /// cannot be inverted), shows ink within `rect` (page space).
    func hasInk(_ image: qpdf_oh, key: Int, access: ObjectAccess, inverse: PDFMatrix?, within rect: PDFRect) -> Bool {
        switch window(image, key: key, access: access, inverse: inverse, rect: rect) {
        case .outside: return false
        case .unknown: return true
        case .cells(let map, let x0, let y0, let x1, let y1): return map.strokePixels(x0: x0, y0: y0, x1: x1, y1: y1) >= Self.strokePixels
        }
    }

    /// For a sweep of rectangles of the same rows moving right (`rightward`) or left across
    /// the page: nil when `image` shows no ink within `rect` (as `hasInk` says), else how far
    /// the ink found reaches: every rectangle of the sweep whose left edge (moving right) is
    /// left of the value returned, or whose right edge (moving left) is right of it, holds the
    /// same stroke pixels and is inked too. Only an image drawn upright and unturned gives a
    /// reach beyond `rect` itself.
    func inkReach(_ image: qpdf_oh, key: Int, access: ObjectAccess, inverse: PDFMatrix?, within rect: PDFRect,
                  rightward: Bool) -> Double? {
        let here = rightward ? rect.minX : rect.maxX
        switch window(image, key: key, access: access, inverse: inverse, rect: rect) {
        case .outside:
            return nil
        case .unknown:
            return here
        case .cells(let map, let x0, let y0, let x1, let y1):
            func count(_ from: Int, _ to: Int) -> Int { from < to ? map.strokePixels(x0: from, y0: y0, x1: to, y1: y1) : 0 }
            guard count(x0, x1) >= Self.strokePixels else { return nil }
            guard let inverse, inverse.b == 0, inverse.c == 0, inverse.a > 0 else { return here }
            let width = Double(map.width)
            // A hair less far than computed: rounding never makes a blank rectangle count as inked.
            let margin = 1e-6 * max(1, abs(here))
            if rightward {
                // The last column from which `strokePixels` of them remain: a rectangle starting at or before it holds them.
                var low = x0, high = x1  // count(low, x1) ≥ threshold; count(high, x1) < threshold
                while high - low > 1 {
                    let middle = (low + high) / 2
                    if count(middle, x1) >= Self.strokePixels { low = middle } else { high = middle }
                }
                return max(here, (Double(low + 1) / width - inverse.e) / inverse.a - margin)
            }
            // The first column by which `strokePixels` of them are reached: a rectangle ending after it holds them.
            var low = x0, high = x1  // count(x0, low) < threshold; count(x0, high) ≥ threshold
            while high - low > 1 {
                let middle = (low + high) / 2
                if count(x0, middle) >= Self.strokePixels { high = middle } else { low = middle }
            }
            return min(here, (Double(high - 1) / width - inverse.e) / inverse.a + margin)
        }
    }

    /// What a question about `rect` (page space) reads of an image.
    private enum Window {
        /// The rectangle misses the image.
        case outside
        /// Nothing can be read there (no map, no paper, a matrix that cannot be inverted, rows
        /// not decoded): it counts as ink.
        case unknown
        /// These cells of the image's stroke map: columns x0..<x1, rows y0..<y1.
        case cells(StrokeMap, x0: Int, y0: Int, x1: Int, y1: Int)
    }

    private func window(_ image: qpdf_oh, key: Int, access: ObjectAccess, inverse: PDFMatrix?, rect: PDFRect) -> Window {
        guard let inverse else { return .unknown }
        // The image asked about last is kept at hand: a block's search asks about one image thousands of times.
        if lastKey != key {
            lastMap = map(of: image, key: key, access: access, inverse: inverse)
            lastKey = key
        }
        guard let map = lastMap, map.width > 0, map.height > 0, !map.allInk else { return .unknown }
        let inImage = inverse.bounds(of: rect)
        guard inImage.isFinite else { return .unknown }
        guard let unit = inImage.intersection(PDFRect(minX: 0, minY: 0, maxX: 1, maxY: 1)) else { return .outside }
        let x0 = max(0, Int((unit.minX * Double(map.width)).rounded(.down)))
        let x1 = min(map.width, Int((unit.maxX * Double(map.width)).rounded(.up)))
        let y0 = max(0, Int(((1 - unit.maxY) * Double(map.fullHeight)).rounded(.down)))
        let y1 = min(map.fullHeight, Int(((1 - unit.minY) * Double(map.fullHeight)).rounded(.up)))
        guard x1 > x0, y1 > y0 else { return .outside }
        // Rows not decoded are ink; so is the last row decoded, whose neighbours below are unknown.
        guard map.isWhole || y1 < map.height else { return .unknown }
        return .cells(map, x0: x0, y0: y0, x1: x1, y1: y1)
    }

    /// The stroke map of `image`, made when first asked for: from its record, or decoded.
    private func map(of image: qpdf_oh, key: Int, access: ObjectAccess, inverse: PDFMatrix) -> StrokeMap? {
        if maps[key] == nil {
            if let strokes = recorded[key] {
                maps[key] = .some(StrokeMap(strokes))
            } else {
                let top = region.map { Self.topFraction(of: $0, inverse: inverse) } ?? 1
                maps[key] = .some(Self.preview(image, access: access, topFraction: top).map { StrokeMap(StrokePixels($0)) })
            }
        }
        return maps[key] ?? nil
    }

    /// How much of an image, from its top row, a question about `region` can need.
    private static func topFraction(of region: PDFRect, inverse: PDFMatrix) -> Double {
        let inImage = inverse.bounds(of: region)
        guard inImage.isFinite else { return 1 }
        // Image space has its first row at y = 1.
        return 1 - min(1, max(0, inImage.minY))
    }

    /// Where an image's strokes are, as running sums of its stroke pixels, so that asking
    /// about any rectangle costs a few lookups. The sums are made band by band (32 rows), when
    /// a question first reaches a band: a signature block's search asks about a quarter of
    /// the page at a time.
    final class StrokeMap {
        let width: Int
        /// Rows known, from the top, of `fullHeight`.
        let height: Int
        let fullHeight: Int
        var isWhole: Bool { height == fullHeight }
        /// The image shows no paper (a photograph): all of it counts as ink.
        let allInk: Bool
        private let strokes: StrokePixels
        /// Per band, (rows + 1) × (width + 1) sums: its stroke pixels above and left of each
        /// corner; band `b` starts at `b × bandSize`. One allocation, whose pages are touched
        /// only as bands are made; `made` says which are.
        private let sums: UnsafeMutablePointer<Int32>
        private var made: [Bool]
        private let bandSize: Int

        static let bandRows = 32

        init(_ strokes: StrokePixels) {
            width = strokes.width
            height = strokes.height
            fullHeight = strokes.fullHeight
            allInk = strokes.allInk
            self.strokes = strokes
            let bands = strokes.allInk ? 0 : (strokes.height + Self.bandRows - 1) / Self.bandRows
            bandSize = (strokes.width + 1) * (Self.bandRows + 1)
            sums = .allocate(capacity: max(1, bands * bandSize))
            made = Array(repeating: false, count: bands)
        }

        deinit {
            sums.deallocate()
        }

        /// Stroke pixels in columns x0..<x1 and rows y0..<y1 (within the rows known).
        func strokePixels(x0: Int, y0: Int, x1: Int, y1: Int) -> Int {
            let stride = width + 1
            var total: Int32 = 0
            for band in (y0 / Self.bandRows)...((y1 - 1) / Self.bandRows) {
                if !made[band] { makeBand(band) }
                let first = band * Self.bandRows
                let top = (max(y0, first) - first) * stride, bottom = (min(y1, first + Self.bandRows) - first) * stride
                let band = sums + band * bandSize
                total += band[bottom + x1] - band[top + x1] - band[bottom + x0] + band[top + x0]
            }
            return Int(total)
        }

        private func makeBand(_ band: Int) {
            let first = band * Self.bandRows, rows = min(Self.bandRows, height - first)
            let (width, stride, rowBytes) = (self.width, self.width + 1, strokes.rowBytes)
            let sums = self.sums + band * bandSize
            strokes.bits.withUnsafeBufferPointer { bits in
                for x in 0..<stride { sums[x] = 0 }
                for y in 0..<rows {
                    var row: Int32 = 0
                    let above = y * stride + 1, here = above + stride, bitRow = (first + y) * rowBytes
                    sums[here - 1] = 0
                    // A row of blank paper (most of a margin's): the sums of the row above.
                    if !bits[bitRow..<bitRow + rowBytes].contains(where: { $0 != 0 }) {
                        (sums + here).update(from: sums + above, count: width)
                        continue
                    }
                    // Eight pixels a byte; most bytes of a page are blank paper, a plain copy of the row above.
                    for byteIndex in 0..<rowBytes {
                        let byte = bits[bitRow + byteIndex]
                        let start = byteIndex * 8, end = min(width, start + 8)
                        if byte == 0 {
                            for x in start..<end { sums[here + x] = sums[above + x] + row }
                        } else {
                            for x in start..<end {
                                row += Int32(byte >> UInt8(7 - (x - start)) & 1)
                                sums[here + x] = sums[above + x] + row
                            }
                        }
                    }
                }
            }
            made[band] = true
        }
    }

    /// The image as the page shows it, reduced; nil when it cannot be decoded here.
    /// With `topFraction` under 1, a JPEG is decoded only that far down (other images whole).
    static func preview(_ image: qpdf_oh, access: ObjectAccess, topFraction: Double = 1) -> GrayPreview? {
        guard let width = access.integer(access.value(image, "/Width")), let height = access.integer(access.value(image, "/Height")),
              width > 0, height > 0, width <= 1 << 20, height <= 1 << 20, width * height <= pixelLimit else { return nil }
        let filterValue = access.value(image, "/Filter")
        let filters = access.isArray(filterValue) ? access.items(filterValue).compactMap { access.name($0) }
            : [access.name(filterValue)].compactMap { $0 }
        let parametersValue = access.value(image, "/DecodeParms")
        let parameters = access.isArray(parametersValue) ? access.items(parametersValue).last ?? parametersValue : parametersValue
        // Compressed image data over 64 MiB is not read (the whole image then counts as ink).
        guard let stored = access.integer(access.value(image, "/Length")), stored <= 64 << 20 else { return nil }
        let decode = access.items(access.value(image, "/Decode")).compactMap { access.number($0) }
        let inverted = decode.count >= 2 && decode[0] > decode[1]
        var preview: GrayPreview?
        switch filters.last {
        case "/DCTDecode":
            guard filters.count == 1, let bytes = access.rawStreamData(image) else { return nil }
            preview = try? ImagePreview.jpeg(bytes, topFraction: topFraction)
            if access.name(access.value(image, "/ColorSpace")) == "/DeviceCMYK" { return nil }
        case "/CCITTFaxDecode":
            guard filters.count == 1, let bytes = access.rawStreamData(image) else { return nil }
            let k = access.integer(access.value(parameters, "/K")) ?? 0
            let columns = access.integer(access.value(parameters, "/Columns")) ?? 1728
            let rows = access.integer(access.value(parameters, "/Rows")) ?? height
            guard columns == width, rows == height || rows == 0 else { return nil }
            let aligned = access.has(parameters, "/EncodedByteAlign")
                && qpdf_oh_get_bool_value(access.q, access.value(parameters, "/EncodedByteAlign")) != 0
            let blackIs1 = access.has(parameters, "/BlackIs1")
                && qpdf_oh_get_bool_value(access.q, access.value(parameters, "/BlackIs1")) != 0
            guard var decoded = try? ImagePreview.ccitt(bytes, width: width, height: height, k: k, byteAligned: aligned) else {
                return nil
            }
            // Black runs come out as sample 1 with /BlackIs1, 0 without; /DeviceGray shows 0 as black.
            if blackIs1 != inverted { decoded = Self.inverting(decoded) }
            return decoded
        default:
            // At most what the image's samples take (and a PNG predictor's byte per row).
            let bits = max(1, min(16, access.integer(access.value(image, "/BitsPerComponent")) ?? 8))
            let limit = (width * 4 * bits + 7) / 8 * height + height + 1024
            guard let bytes = access.boundedDecodedStreamData(image, limit: limit) else { return nil }
            preview = samplesPreview(bytes, width: width, height: height, image: image, access: access)
        }
        guard let preview else { return nil }
        return inverted && filters.last != "/CCITTFaxDecode" ? inverting(preview) : preview
    }

    private static func inverting(_ preview: GrayPreview) -> GrayPreview {
        GrayPreview(width: preview.width, height: preview.height, pixels: preview.pixels.map { 255 - $0 },
                    fullHeight: preview.fullHeight)
    }

    /// Uncompressed samples (8-bit gray, RGB or CMYK, 1-bit gray, or an 8-bit palette) as gray.
    private static func samplesPreview(_ bytes: [UInt8], width: Int, height: Int, image: qpdf_oh,
                                       access: ObjectAccess) -> GrayPreview? {
        let bits = access.integer(access.value(image, "/BitsPerComponent")) ?? 8
        guard let space = ColourSpaceReading(access.value(image, "/ColorSpace"), access: access) else { return nil }
        let factor = max(1, max(width, height) / ImagePreview.targetSide)
        if bits == 1, space.components == 1, space.palette == nil {
            let rowBytes = (width + 7) / 8
            guard bytes.count >= rowBytes * height else { return nil }
            // Sample 1 is white in /DeviceGray: the bilevel reduction counts set bits as black.
            let black = bytes.prefix(rowBytes * height).map { ~$0 }
            return GrayPreview.reducing(bilevel: Array(black), width: width, height: height, rowBytes: rowBytes, factor: factor)
        }
        guard bits == 8 else { return nil }
        let rowBytes = width * space.components
        guard bytes.count >= rowBytes * height else { return nil }
        var gray = [UInt8](repeating: 255, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                let at = y * rowBytes + x * space.components
                gray[y * width + x] = space.gray(bytes, at: at)
            }
        }
        return GrayPreview.reducing(gray: gray, width: width, height: height, rowBytes: width, factor: factor)
    }
}

/// An image colour space, as far as turning its samples into gray goes.
private struct ColourSpaceReading {
    var components: Int
    /// RGB entries of an /Indexed space.
    var palette: [UInt8]?
    var cmyk = false

    init?(_ space: qpdf_oh, access: ObjectAccess) {
        if let name = access.name(space) {
            switch name {
            case "/DeviceGray", "/CalGray", "/G": components = 1
            case "/DeviceRGB", "/CalRGB", "/RGB": components = 3
            case "/DeviceCMYK", "/CMYK": components = 4; cmyk = true
            default: return nil
            }
            return
        }
        let items = access.items(space)
        guard let family = items.first.flatMap({ access.name($0) }) else { return nil }
        switch family {
        case "/ICCBased":
            guard items.count == 2, let count = access.integer(access.value(items[1], "/N")), [1, 3, 4].contains(count) else { return nil }
            components = count
            cmyk = count == 4
        case "/CalGray": components = 1
        case "/CalRGB": components = 3
        case "/Indexed", "/I":
            guard items.count == 4, let base = ColourSpaceReading(items[1], access: access), base.palette == nil,
                  !base.cmyk else { return nil }
            let lookup = access.isStream(items[3]) ? access.decodedStreamData(items[3]) : access.bytes(items[3])
            guard let lookup, let high = access.integer(items[2]), (0...255).contains(high),
                  lookup.count >= (high + 1) * base.components else { return nil }
            components = 1
            palette = (0...high).flatMap { index -> [UInt8] in
                base.components == 1 ? Array(repeating: lookup[index], count: 3)
                    : Array(lookup[(index * 3)..<(index * 3 + 3)])
            }
        default:
            return nil
        }
    }

    func gray(_ bytes: [UInt8], at index: Int) -> UInt8 {
        if let palette {
            let entry = Int(bytes[index]) * 3
            guard entry + 2 < palette.count else { return 0 }
            return GrayLevel.of(red: palette[entry], green: palette[entry + 1], blue: palette[entry + 2])
        }
        switch components {
        case 1: return bytes[index]
        case 3: return GrayLevel.of(red: bytes[index], green: bytes[index + 1], blue: bytes[index + 2])
        default:
            return GrayLevel.of(cyan: bytes[index], magenta: bytes[index + 1], yellow: bytes[index + 2], black: bytes[index + 3])
        }
    }
}
