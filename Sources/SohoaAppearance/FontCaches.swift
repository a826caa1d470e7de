/// What one font keeps between documents, so that a batch signed by one person shapes,
/// subsets and compresses its constant parts once.
final class FontCaches: Sendable {
    /// Shaped lines by their text: a signer's name and role are shaped once a batch, and each
    /// line once however many block sizes are tried.
    let shaped = BoundedCache<String, ShapedText>(capacity: 64)
    /// Subsets by their sorted glyph ids.
    let subsets = BoundedCache<[UInt32], FontSubset>(capacity: 32)
    /// The glyphs of a style's always-included characters, by those characters.
    let glyphSets = BoundedCache<String, Set<UInt32>>(capacity: 8)
    /// Compressed /ToUnicode CMaps, by their glyph-to-text entries.
    let toUnicodeStreams = BoundedCache<[GlyphTextMap.Entry], [UInt8]>(capacity: 32)
}
