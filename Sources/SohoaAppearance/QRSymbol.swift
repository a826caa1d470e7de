import CQRencode
import Foundation

/// A QR code symbol (ISO/IEC 18004) encoded by libqrencode in 8-bit byte mode.
///
/// The version (size) is the smallest that holds the payload at the chosen error-correction
/// level. Modules are addressed from the top-left corner; the quiet zone is not part of
/// `size` (drawing adds `quietZone` modules on every side).
public struct QRSymbol: Sendable, Equatable {
    /// How much of the symbol may be damaged and still read: about 7 %, 15 %, 25 % and 30 %.
    public enum ErrorCorrection: Sendable, Equatable {
        case low, medium, quartile, high

        var level: QRecLevel {
            switch self {
            case .low: QR_ECLEVEL_L
            case .medium: QR_ECLEVEL_M
            case .quartile: QR_ECLEVEL_Q
            case .high: QR_ECLEVEL_H
            }
        }
    }

    /// The light modules drawn around the symbol on every side.
    public static let quietZone = 4
    /// The most bytes a QR code holds (version 40 at low error correction).
    public static let maximumPayloadBytes = 2953

    /// The encoded bytes.
    public let payload: [UInt8]
    public let errorCorrection: ErrorCorrection
    /// The symbol version, 1 to 40.
    public let version: Int
    /// Modules per side, without the quiet zone (21 for version 1, 4 more per version).
    public let size: Int
    /// Rows, top first, of `words` 64-bit words each; bit `c & 63` of word `c >> 6` is column
    /// `c`, set for a dark module.
    private let rows: [UInt64]
    private let words: Int

    /// Encodes `text` as UTF-8 (after NFC normalisation, so that the same words give the same
    /// symbol whichever way they were typed).
    ///
    /// - Throws: `AppearanceError` when the text is empty or too long for a QR code at
    ///   `errorCorrection`.
    public init(text: String, errorCorrection: ErrorCorrection = .medium) throws(AppearanceError) {
        try self.init(bytes: Array(ComposedText.of(text).utf8), errorCorrection: errorCorrection)
    }

    /// Encodes `bytes` as they are.
    public init(bytes: [UInt8], errorCorrection: ErrorCorrection = .medium) throws(AppearanceError) {
        let subject = "the QR payload"
        guard !bytes.isEmpty else { throw AppearanceError(subject, .emptyPayload) }
        guard bytes.count <= QRSymbol.maximumPayloadBytes else {
            throw AppearanceError(subject, .payloadTooLong(bytes: bytes.count))
        }
        errno = 0
        // Encoded once, with mask 0; QRMasking chooses the mask as libqrencode would.
        guard let input = QRinput_new2(0, errorCorrection.level) else {
            throw AppearanceError(subject, .libraryFailure("libqrencode failed: \(String(cString: strerror(errno)))"))
        }
        defer { QRinput_free(input) }
        let appended = bytes.withUnsafeBufferPointer { QRinput_append(input, QR_MODE_8, Int32($0.count), $0.baseAddress) }
        let encoded = appended == 0 ? QRcode_encodeMask(input, 0) : nil
        guard let encoded else {
            if errno == ERANGE { throw AppearanceError(subject, .payloadTooLong(bytes: bytes.count)) }
            throw AppearanceError(subject, .libraryFailure("libqrencode failed: \(String(cString: strerror(errno)))"))
        }
        defer { QRcode_free(encoded) }
        let width = Int(encoded.pointee.width)
        guard (21...177).contains(width), let data = encoded.pointee.data else {
            throw AppearanceError(subject, .libraryFailure("libqrencode gave a symbol \(width) modules wide"))
        }
        // Bit 0 of each byte is the module's colour (1 dark); bit 7 marks a function module,
        // which no mask touches.
        let masking = try QRMasking.masks(width: width, level: errorCorrection) { data[$0 * width + $1] & 0x80 != 0 }
        let words = masking.words
        let unmasked = masking.unmasked(fromMask0: data)
        rows = masking.bestRows(unmasked: unmasked)
        self.words = words
        payload = bytes
        self.errorCorrection = errorCorrection
        version = Int(encoded.pointee.version)
        size = width
    }

    /// Whether the module at `row`, `column` (from the top left, quiet zone excluded) is dark;
    /// false outside the symbol.
    public func isDark(row: Int, column: Int) -> Bool {
        guard (0..<size).contains(row), (0..<size).contains(column) else { return false }
        return rows[row * words + column >> 6] >> UInt64(column & 63) & 1 == 1
    }

    /// Modules per side with the quiet zone on both sides.
    public var sizeWithQuietZone: Int { size + 2 * QRSymbol.quietZone }

    /// Draws the symbol with its quiet zone as a square of side `sizeWithQuietZone ×
    /// moduleSize` whose lower-left corner is at (`x`, `y`): a white square, then each row's
    /// runs of dark modules as one black rectangle each (in module units, under a scaling `cm`).
    func draw(x: Double, y: Double, moduleSize: Double, into stream: inout ContentStream) {
        let side = sizeWithQuietZone
        let scale = PDFSyntax.number(moduleSize)
        stream.append("q \(scale) 0 0 \(scale) \(PDFSyntax.number(x)) \(PDFSyntax.number(y)) cm\n1 g 0 0 \(side) \(side) re f\n0 g\n")
        // At most one rectangle per two modules of a row and one more, each "xxx yyy www 1 re\n".
        let most = size * (size / 2 + 1) * 18
        stream.append(bytes: [UInt8](unsafeUninitializedCapacity: most) { buffer, written in
            written = 0
            func put(_ number: Int) {
                // Below 1,000: a symbol and its quiet zone are at most 185 modules wide.
                if number >= 100 { buffer[written] = UInt8(0x30 + number / 100); written += 1 }
                if number >= 10 { buffer[written] = UInt8(0x30 + number / 10 % 10); written += 1 }
                buffer[written] = UInt8(0x30 + number % 10)
                written += 1
            }
            for row in 0..<size {
                let bottom = QRSymbol.quietZone + size - 1 - row
                var column = 0
                while let start = nextColumn(row: row, from: column, dark: true) {
                    // Bits past the symbol's side are light, so a run always ends.
                    column = nextColumn(row: row, from: start, dark: false) ?? size
                    put(start + QRSymbol.quietZone)
                    buffer[written] = 0x20
                    written += 1
                    put(bottom)
                    buffer[written] = 0x20
                    written += 1
                    put(column - start)
                    for byte in " 1 re\n".utf8 {
                        buffer[written] = byte
                        written += 1
                    }
                }
            }
        })
        stream.append("f\nQ\n")
    }

    /// The first column at or after `column` in `row` that is dark (or light), nil when none is.
    private func nextColumn(row: Int, from column: Int, dark: Bool) -> Int? {
        var word = column >> 6
        guard word < words else { return nil }
        var bits = (dark ? rows[row * words + word] : ~rows[row * words + word]) & ~UInt64(0) << UInt64(column & 63)
        while bits == 0 {
            word += 1
            guard word < words else { return nil }
            bits = dark ? rows[row * words + word] : ~rows[row * words + word]
        }
        return word << 6 + bits.trailingZeroBitCount
    }
}
