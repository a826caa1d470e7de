/// Why a signature appearance (its font, seal image, QR code or layout) could not be made.
///
/// `subject` names what failed (a file path, a line of text, the QR payload) and `kind` says
/// why; `description` is one plain-English sentence built from both.
public struct AppearanceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Sendable, Equatable {
        /// A file could not be read (missing, unreadable, a folder); the detail says why.
        case unreadable(String)
        /// A font file is not a TrueType font (an OpenType/CFF font, a collection, or something else).
        case notTrueType(String)
        /// A font file looks like TrueType but cannot be used; the detail says why.
        case damagedFont(String)
        /// The font has no glyph for a character of the text.
        case missingGlyph(character: String)
        /// A seal file is not a PNG image.
        case notPNG
        /// A seal file or image exceeds a limit; the detail names the limit.
        case tooLarge(String)
        /// A PNG file is damaged; the detail is libpng's reason or the structural fault.
        case damagedImage(String)
        /// A QR payload is longer than a QR code holds at the chosen error correction.
        case payloadTooLong(bytes: Int)
        /// A QR payload is empty.
        case emptyPayload
        /// A line of text does not fit in the block, even at the smallest font size.
        case textDoesNotFit(String)
        /// The QR code or the seal does not fit in the block; the detail gives the sizes.
        case doesNotFit(String)
        /// An argument is out of range or malformed; the detail says which and why.
        case invalidInput(String)
        /// A C library failed where it should not have; the detail names the call.
        case libraryFailure(String)
    }

    /// What failed: a file path, a quoted line of text, "the QR payload", "the signature block".
    public let subject: String
    public let kind: Kind

    public init(_ subject: String, _ kind: Kind) {
        self.subject = subject
        self.kind = kind
    }

    public var description: String {
        switch kind {
        case .unreadable(let detail): "\(subject) cannot be read: \(detail)"
        case .notTrueType(let detail): "\(subject) is not a TrueType font: \(detail)"
        case .damagedFont(let detail): "\(subject) is a damaged or unusable TrueType font: \(detail)"
        case .missingGlyph(let character):
            "\(subject): the font has no glyph for \"\(character)\" (\(AppearanceError.codePoints(character)))"
        case .notPNG: "\(subject) is not a PNG image"
        case .tooLarge(let detail): "\(subject) is too large: \(detail)"
        case .damagedImage(let detail): "\(subject) is a damaged PNG image: \(detail)"
        case .payloadTooLong(let bytes):
            "\(subject) is too long for a QR code: \(bytes) bytes do not fit at this error-correction level"
        case .emptyPayload: "\(subject) is empty: a QR code needs at least one byte"
        case .textDoesNotFit(let detail): "\(subject) does not fit in the signature block: \(detail)"
        case .doesNotFit(let detail): "\(subject) does not fit in the signature block: \(detail)"
        case .invalidInput(let detail): "\(subject) is not valid: \(detail)"
        case .libraryFailure(let detail): "\(subject) could not be made: \(detail)"
        }
    }

    private static func codePoints(_ text: String) -> String {
        text.unicodeScalars.map { "U+" + String($0.value, radix: 16, uppercase: true).leftPadded(to: 4) }
            .joined(separator: " ")
    }
}

extension String {
    /// The string with leading zeros up to `width` characters.
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
