import Foundation
import Testing
import SohoaTestSupport
@testable import SohoaAppearance

/// Loading fonts, shaping Vietnamese, subsetting.
@Suite final class FontTests {
    let scratch: URL

    init() throws { scratch = try Fixtures.makeScratch("appearance-font") }
    deinit { Fixtures.removeScratch(scratch) }

    @Test(arguments: ["Nguyễn Thị Lấp Lánh Ánh", "Trần Thị Bình", "Ủy ban nhân dân phường Bến Thành"])
    func vietnameseLettersShapeToTheirPrecomposedGlyphs(text: String) throws {
        let font = try EmbeddedFont.cached(path: EmbeddedFont.liberationSerifPath)
        let shaped = try font.shape(text)
        let scalars = Array(text.precomposedStringWithCanonicalMapping.unicodeScalars)
        // One glyph per letter, and each the one the font's cmap gives the precomposed letter.
        #expect(shaped.glyphs.count == scalars.count)
        for (glyph, scalar) in zip(shaped.glyphs, scalars) {
            #expect(glyph.glyph == font.harfBuzz.nominalGlyph(scalar), "\(scalar)")
            #expect(glyph.yOffset == 0 && glyph.xOffset == 0)
        }
        // Typed decomposed (NFD), the same glyphs come out.
        let decomposed = try font.shape(text.decomposedStringWithCanonicalMapping)
        #expect(decomposed.glyphs.map(\.glyph) == shaped.glyphs.map(\.glyph))
        #expect(decomposed.text.scalarValues == text.precomposedStringWithCanonicalMapping.scalarValues)
        #expect(shaped.width(atSize: 10) > 30)
    }

    @Test func widthFollowsTheFontsAdvancesWithKerning() throws {
        let font = try EmbeddedFont.cached(path: EmbeddedFont.liberationSerifPath)
        // Times-metric "AV" is kerned: narrower than the two advances.
        let kerned = try font.shape("AV")
        let separate = try font.shape("A").advance + (try font.shape("V").advance)
        #expect(kerned.advance < separate)
        #expect(abs(try font.shape("0").width(atSize: 10) - 5) < 0.001)  // digits are half an em
    }

    @Test func missingFontFileIsNamed() {
        let path = scratch.appendingPathComponent("absent.ttf").path
        let error = #expect(throws: AppearanceError.self) { try EmbeddedFont(path: path) }
        #expect(error?.kind == .unreadable("no such file"))
        #expect(error?.description == "\(path) cannot be read: no such file")
    }

    @Test func textFileIsNotATrueTypeFont() throws {
        let path = try Fixtures.write(Array("This is a letter, not a font.\n".utf8), named: "letter.ttf", in: scratch)
        let error = #expect(throws: AppearanceError.self) { try EmbeddedFont(path: path) }
        #expect(error?.description == "\(path) is not a TrueType font: it does not start with a TrueType signature")
    }

    @Test func cffOpenTypeFontAndCollectionAreRefused() throws {
        let otf = try Fixtures.write(Array("OTTO".utf8) + [UInt8](repeating: 0, count: 64), named: "font.otf", in: scratch)
        let otfError = #expect(throws: AppearanceError.self) { try EmbeddedFont(path: otf) }
        #expect(otfError?.description.contains("OpenType font with CFF outlines") == true)
        let ttc = try Fixtures.write(Array("ttcf".utf8) + [UInt8](repeating: 0, count: 64), named: "font.ttc", in: scratch)
        let ttcError = #expect(throws: AppearanceError.self) { try EmbeddedFont(path: ttc) }
        #expect(ttcError?.description.contains("font collection") == true)
    }

    @Test func trueTypeSignatureOverGarbageIsADamagedFont() throws {
        var bytes: [UInt8] = [0, 1, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0]
        bytes += (0..<500).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        let path = try Fixtures.write(bytes, named: "garbage.ttf", in: scratch)
        let error = #expect(throws: AppearanceError.self) { try EmbeddedFont(path: path) }
        guard case .damagedFont(let detail)? = error?.kind else {
            Issue.record("expected a damaged-font refusal, got \(String(describing: error))")
            return
        }
        #expect(detail.contains("table"))
    }

    @Test func aFolderIsNotAFont() {
        let error = #expect(throws: AppearanceError.self) { try EmbeddedFont(path: self.scratch.path) }
        #expect(error?.kind == .unreadable("it is a folder"))
    }

    @Test func characterTheFontLacksIsNamed() throws {
        let font = try EmbeddedFont.cached(path: EmbeddedFont.liberationSerifPath)
        let error = #expect(throws: AppearanceError.self) { try font.shape("Ký bởi 山田") }
        #expect(error?.kind == .missingGlyph(character: "山"))
        #expect(error?.description.contains("U+5C71") == true)
    }

    @Test func controlCharactersAreRefused() throws {
        let font = try EmbeddedFont.cached(path: EmbeddedFont.liberationSerifPath)
        let error = #expect(throws: AppearanceError.self) { try font.shape("Ký bởi\nNguyễn") }
        #expect(error?.description.contains("U+000A") == true)
    }

    @Test func subsetIsCachedByGlyphSetAndTaggedDeterministically() throws {
        let font = try EmbeddedFont.cached(path: EmbeddedFont.liberationSerifPath)
        let glyphs = Set(try font.shape("Trần Thị Bình").glyphs.map(\.glyph))
        let first = try font.subset(glyphs: glyphs)
        let second = try font.subset(glyphs: glyphs)
        #expect(first.compressedFontFile == second.compressedFontFile)
        #expect(first.tag.range(of: "^[A-Z]{6}$", options: .regularExpression) != nil)
        #expect(first.baseFont == first.tag + "+LiberationSerif")
        let other = try font.subset(glyphs: glyphs.union(try font.shape("Q").glyphs.map(\.glyph)))
        #expect(other.tag != first.tag)
        // A font loaded again (no cache shared) gives the same subset, byte for byte.
        let reloaded = try EmbeddedFont(path: EmbeddedFont.liberationSerifPath).subset(glyphs: glyphs)
        #expect(reloaded.compressedFontFile == first.compressedFontFile && reloaded.tag == first.tag)
        #expect(first.compressedFontFile.count < 4000, "\(first.compressedFontFile.count) bytes")
    }

    @Test func glyphOutsideTheFontIsRefused() throws {
        let font = try EmbeddedFont.cached(path: EmbeddedFont.liberationSerifPath)
        #expect(throws: AppearanceError.self) { try font.subset(glyphs: [UInt32(font.glyphCount)]) }
    }
}
