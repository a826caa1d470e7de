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
    /// Row-major, top row first: true for a dark module.
    let modules: [Bool]

    /// Encodes `text` as UTF-8 (after NFC normalisation, so that the same words give the same
    /// symbol whichever way they were typed).
    ///
    /// - Throws: `AppearanceError` when the text is empty or too long for a QR code at
    ///   `errorCorrection`.
    public init(text: String, errorCorrection: ErrorCorrection = .medium) throws(AppearanceError) {
        try self.init(bytes: Array(text.precomposedStringWithCanonicalMapping.utf8), errorCorrection: errorCorrection)
    }

    /// Encodes `bytes` as they are.
    public init(bytes: [UInt8], errorCorrection: ErrorCorrection = .medium) throws(AppearanceError) {
        let subject = "the QR payload"
        guard !bytes.isEmpty else { throw AppearanceError(subject, .emptyPayload) }
        guard bytes.count <= QRSymbol.maximumPayloadBytes else {
            throw AppearanceError(subject, .payloadTooLong(bytes: bytes.count))
        }
        errno = 0
        let encoded = bytes.withUnsafeBufferPointer {
            QRcode_encodeData(Int32($0.count), $0.baseAddress, 0, errorCorrection.level)
        }
        guard let encoded else {
            if errno == ERANGE { throw AppearanceError(subject, .payloadTooLong(bytes: bytes.count)) }
            throw AppearanceError(subject, .libraryFailure("libqrencode failed: \(String(cString: strerror(errno)))"))
        }
        defer { QRcode_free(encoded) }
        let width = Int(encoded.pointee.width)
        guard (21...177).contains(width), let data = encoded.pointee.data else {
            throw AppearanceError(subject, .libraryFailure("libqrencode gave a symbol \(width) modules wide"))
        }
        payload = bytes
        self.errorCorrection = errorCorrection
        version = Int(encoded.pointee.version)
        size = width
        // Bit 0 of each byte is the module's colour (1 dark); the other bits describe its role.
        modules = (0..<width * width).map { data[$0] & 1 == 1 }
    }

    /// Whether the module at `row`, `column` (from the top left, quiet zone excluded) is dark;
    /// false outside the symbol.
    public func isDark(row: Int, column: Int) -> Bool {
        guard (0..<size).contains(row), (0..<size).contains(column) else { return false }
        return modules[row * size + column]
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
        for row in 0..<size {
            let bottom = QRSymbol.quietZone + size - 1 - row
            var column = 0
            while column < size {
                guard modules[row * size + column] else {
                    column += 1
                    continue
                }
                let start = column
                while column < size, modules[row * size + column] { column += 1 }
                stream.append(start + QRSymbol.quietZone)
                stream.append(space: bottom)
                stream.append(space: column - start)
                stream.append(" 1 re\n")
            }
        }
        stream.append("f\nQ\n")
    }
}
