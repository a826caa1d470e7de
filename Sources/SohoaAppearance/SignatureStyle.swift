/// A colour in DeviceRGB, each component from 0 to 1.
public struct RGBColour: Sendable, Equatable {
    public let red: Double
    public let green: Double
    public let blue: Double

    public init(red: Double, green: Double, blue: Double) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// A sober dark blue, for the text and frame of a signature block.
    public static let darkBlue = RGBColour(red: 0.05, green: 0.15, blue: 0.45)
    public static let black = RGBColour(red: 0, green: 0, blue: 0)

    var isValid: Bool { [red, green, blue].allSatisfy { $0.isFinite && (0...1).contains($0) } }

    /// `r g b` for the `rg` and `RG` operators.
    var operands: String { "\(PDFSyntax.number(red)) \(PDFSyntax.number(green)) \(PDFSyntax.number(blue))" }
}

/// How a signature block looks: its fonts, sizes, colour and frame.
public struct SignatureStyle: Sendable {
    /// The font for ordinary lines.
    public var regularFont: EmbeddedFont
    /// The font for lines marked bold; the regular font when nil.
    public var boldFont: EmbeddedFont?
    /// The size text is set at when it fits, in points.
    public var fontSize: Double = 10
    /// The smallest size text shrinks to before the block is refused.
    public var minimumFontSize: Double = 6
    /// How much smaller each attempt is.
    public var fontSizeStep: Double = 0.5
    /// Baseline to baseline, as a multiple of the font size.
    public var lineSpacing: Double = 1.15
    /// Space between the block's edge and its contents, in points.
    public var padding: Double = 4
    /// The colour of the text and frame.
    public var colour: RGBColour = .darkBlue
    /// The width of the frame's line in points; 0 for no frame.
    public var frameWidth: Double = 0.5
    /// The QR code's module size when the block has room for it, in points; smaller (down to
    /// `QRAppearance.minimumModuleSize`) when the block is not high enough.
    public var preferredQRModuleSize: Double = 2
    /// Characters whose glyphs every embedded subset holds, whatever the text: with the
    /// digits and the signs of an ISO 8601 time here, documents signed one after another by
    /// the same person share one cached subset.
    public var alwaysIncludedCharacters = "0123456789:-+T./, ()"

    /// A style with `regularFont` (and `boldFont` for bold lines), other values at their defaults.
    public init(regularFont: EmbeddedFont, boldFont: EmbeddedFont? = nil) {
        self.regularFont = regularFont
        self.boldFont = boldFont
    }

    /// Liberation Serif Regular and Bold (Times New Roman metrics) at 10 pt, dark blue text.
    public static func liberationSerif() throws(AppearanceError) -> SignatureStyle {
        SignatureStyle(regularFont: try EmbeddedFont.cached(path: EmbeddedFont.liberationSerifPath),
                       boldFont: try EmbeddedFont.cached(path: EmbeddedFont.liberationSerifBoldPath))
    }

    func check() throws(AppearanceError) {
        // The detail is worded only for a style that fails: every signature checks its style.
        func require(_ condition: Bool, _ field: String, _ detail: @autoclosure () -> String) throws(AppearanceError) {
            if !condition { throw AppearanceError("the style's \(field)", .invalidInput(detail())) }
        }
        try require(fontSize.isFinite && (2...72).contains(fontSize), "font size", "\(fontSize) pt is not between 2 and 72")
        try require(minimumFontSize.isFinite && minimumFontSize >= 2 && minimumFontSize <= fontSize, "minimum font size",
                    "\(minimumFontSize) pt is not between 2 pt and the font size")
        try require(fontSizeStep.isFinite && fontSizeStep >= 0.1, "font size step", "\(fontSizeStep) pt is below 0.1 pt")
        try require(lineSpacing.isFinite && (1...3).contains(lineSpacing), "line spacing", "\(lineSpacing) is not between 1 and 3")
        try require(padding.isFinite && (0...72).contains(padding), "padding", "\(padding) pt is not between 0 and 72")
        try require(colour.isValid, "colour", "each component must be between 0 and 1")
        try require(frameWidth.isFinite && (0...5).contains(frameWidth), "frame width", "\(frameWidth) pt is not between 0 and 5")
        try require(preferredQRModuleSize.isFinite && (QRAppearance.minimumModuleSize...20).contains(preferredQRModuleSize),
                    "QR module size", "\(preferredQRModuleSize) pt is not between \(QRAppearance.minimumModuleSize) and 20")
        try require(alwaysIncludedCharacters.unicodeScalars.count <= 500, "always-included characters", "more than 500")
    }
}
