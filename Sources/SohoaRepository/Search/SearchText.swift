import Foundation

/// How words are compared in a search: the one definition both stores index with, so that the
/// embedded SQLite and PostgreSQL find the same pages.
///
/// A word is a run of letters and digits (Unicode categories L, N and private use); anything
/// else separates words. Its folded form is lower case with every diacritic removed: the text
/// is decomposed (NFD), its combining marks dropped, and the Vietnamese đ, which Unicode does
/// not decompose, written d. "Giấy", "GIẤY" and "giay" fold to the same "giay"; "Đăng" to
/// "dang". Folding is done here rather than by each database (SQLite's `unicode61` keeps đ;
/// PostgreSQL's parser reads "1.001193" as one token where FTS5 reads two), so both index
/// exactly these words.
public enum SearchText {
    /// A word longer than this is not indexed (no one searches for it; PostgreSQL would refuse it).
    public static let longestWord = 64

    /// One word of a text: where it is, as written, and folded.
    public struct Word: Sendable, Equatable {
        /// Its place in the text it was read from.
        public let range: Range<String.Index>
        /// As written, in lower case (NFC): what "with its diacritics" compares.
        public let written: String
        public let folded: String
    }

    /// The words of `text`, in order.
    public static func words(of text: String) -> [Word] {
        var words: [Word] = []
        var start: String.Index?
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if isWordCharacter(character) {
                if start == nil { start = index }
            } else if let begun = start {
                append(text[begun..<index], range: begun..<index, to: &words)
                start = nil
            }
            index = text.index(after: index)
        }
        if let begun = start { append(text[begun...], range: begun..<text.endIndex, to: &words) }
        return words
    }

    /// The folded words of `text`, separated by single spaces: what a store indexes.
    public static func indexed(_ text: String) -> String {
        words(of: text).map(\.folded).joined(separator: " ")
    }

    /// `word` in lower case with its diacritics removed.
    public static func fold(_ word: some StringProtocol) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in String(word).lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
            // Marks, joiners and anything else that is neither letter nor digit are dropped, so
            // that a folded word is one word to every tokenizer.
            guard isWordScalar(scalar) else { continue }
            switch scalar.value {
            case 0x0111: scalars.append("d")  // đ
            case 0x0131: scalars.append("i")  // dotless ı
            default: scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    private static func append(_ text: Substring, range: Range<String.Index>, to words: inout [Word]) {
        let written = String(text).lowercased().precomposedStringWithCanonicalMapping
        let folded = fold(text)
        guard !folded.isEmpty, folded.unicodeScalars.count <= longestWord else { return }
        words.append(Word(range: range, written: written, folded: folded))
    }

    /// Whether a character belongs to a word: its first scalar is a letter, a digit or a
    /// private-use character (a mark on its own separates, as in both databases' tokenizers).
    private static func isWordCharacter(_ character: Character) -> Bool {
        character.unicodeScalars.first.map(isWordScalar) ?? false
    }

    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber, .privateUse:
            return true
        default:
            return false
        }
    }
}
