import Foundation

/// Text in Unicode normalization form C (composed), the form Sohoa draws and encodes, so that
/// the same words give the same bytes whichever way they were typed.
enum ComposedText {
    /// `text` in NFC.
    ///
    /// Text whose every scalar is below U+0300 (ASCII, Latin-1 and Latin Extended: Vietnamese
    /// ă, â, đ, ê, ô, ơ, ư and the letters with one tone mark there) or in Latin Extended
    /// Additional (U+1E00–U+1EFF: the other Vietnamese letters with tone marks) is returned as
    /// it is: every one of those scalars is NFC_Quick_Check=Yes with combining class 0, so such
    /// text is NFC already (UAX #15, section 9). Anything else goes through Foundation.
    static func of(_ text: String) -> String {
        text.unicodeScalars.allSatisfy({ $0.value < 0x300 || (0x1E00...0x1EFF).contains($0.value) })
            ? text : text.precomposedStringWithCanonicalMapping
    }
}
