import Foundation
import Synchronization

/// A TrueType font loaded from a file, for shaping text and embedding the glyphs it uses.
///
/// Loading reads the whole file and checks that it is a TrueType font with the tables a PDF
/// embedding needs. An instance is immutable apart from its cache of subsets, and can be
/// shared between threads; `EmbeddedFont.cached(path:)` gives one instance per path for the
/// whole process, so a batch loads each font once.
public final class EmbeddedFont: Sendable {
    /// Liberation Serif Regular (Times New Roman metrics), from Debian's fonts-liberation2.
    public static let liberationSerifPath = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"
    /// Liberation Serif Bold, for headings.
    public static let liberationSerifBoldPath = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf"
    /// The largest font file accepted.
    public static let maximumFileBytes = 32 << 20

    /// The file the font was read from.
    public let path: String
    /// The font's PostScript name (name ID 6), reduced to the characters a PDF name allows.
    public let postScriptName: String
    /// Font units per em.
    public let unitsPerEm: Int
    /// How many glyphs the font has.
    public let glyphCount: Int
    /// The values its PDF font descriptor gives.
    public let metrics: FontMetrics

    let harfBuzz: HarfBuzzFace
    let caches = FontCaches()

    /// Reads and checks the TrueType font at `path`.
    ///
    /// - Throws: `AppearanceError` naming the file when it is missing or unreadable, larger than
    ///   `maximumFileBytes`, not a TrueType font (a CFF-flavoured OpenType font or a collection
    ///   included), or lacks a table a PDF embedding needs.
    public init(path: String) throws(AppearanceError) {
        self.path = path
        let bytes = try FileReading.read(path: path, limit: EmbeddedFont.maximumFileBytes, what: "font")
        try EmbeddedFont.checkSignature(bytes, path: path)
        harfBuzz = try HarfBuzzFace(bytes: bytes, what: path)
        let tags = harfBuzz.tableTags
        let missing = ["head", "hhea", "hmtx", "maxp", "loca", "glyf"].filter { !tags.contains($0) }
        guard missing.isEmpty else {
            throw AppearanceError(path, .damagedFont("it has no \(missing.joined(separator: ", ")) table"))
        }
        unitsPerEm = Int(harfBuzz.table("head").uint16(18) ?? 0)
        guard (16...16384).contains(unitsPerEm) else {
            throw AppearanceError(path, .damagedFont("its units per em (\(unitsPerEm)) are out of range"))
        }
        glyphCount = Int(harfBuzz.table("maxp").uint16(4) ?? 0)
        guard glyphCount > 1 else {
            throw AppearanceError(path, .damagedFont("it has no glyphs"))
        }
        postScriptName = EmbeddedFont.pdfName(harfBuzz.name(6), path: path)
        metrics = FontMetrics(face: harfBuzz, upem: unitsPerEm)
    }

    private static let instances = Mutex<[String: EmbeddedFont]>([:])

    /// The one instance of the font at `path` for this process, loaded on first use.
    public static func cached(path: String) throws(AppearanceError) -> EmbeddedFont {
        if let font = instances.withLock({ $0[path] }) { return font }
        let font = try EmbeddedFont(path: path)
        return instances.withLock { table in
            if let existing = table[path] { return existing }
            table[path] = font
            return font
        }
    }

    /// A glyph's advance width in font units.
    public func advance(ofGlyph glyph: UInt32) -> Int { harfBuzz.advance(glyph) }

    /// A glyph's advance in PDF glyph space (thousandths of the font size), as the /W array gives it.
    func pdfWidth(ofGlyph glyph: UInt32) -> Int {
        Int((Double(advance(ofGlyph: glyph)) * 1000 / Double(unitsPerEm)).rounded())
    }

    private static func checkSignature(_ bytes: [UInt8], path: String) throws(AppearanceError) {
        guard bytes.count >= 12 else {
            throw AppearanceError(path, .notTrueType("it is only \(bytes.count) bytes long"))
        }
        switch Array(bytes[0..<4]) {
        case [0x00, 0x01, 0x00, 0x00], Array("true".utf8): return
        case Array("OTTO".utf8):
            throw AppearanceError(path, .notTrueType("it is an OpenType font with CFF outlines, which PDF cannot embed as TrueType"))
        case Array("ttcf".utf8):
            throw AppearanceError(path, .notTrueType("it is a font collection (.ttc); give a single .ttf font"))
        default:
            throw AppearanceError(path, .notTrueType("it does not start with a TrueType signature"))
        }
    }

    /// A PostScript name usable as a PDF name and subset base font: ASCII letters, digits, '-'
    /// and '_', at most 63 characters; the file name when the font has none.
    private static func pdfName(_ name: String?, path: String) -> String {
        func clean(_ text: String) -> String {
            String(String.UnicodeScalarView(text.unicodeScalars.filter {
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_")
            }).prefix(63))
        }
        if let name, !clean(name).isEmpty { return clean(name) }
        let stem = clean(((path as NSString).lastPathComponent as NSString).deletingPathExtension)
        return stem.isEmpty ? "Font" : stem
    }
}
