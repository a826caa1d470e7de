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

    /// The written and folded forms of words met before: pages share most of their words, and
    /// folding one (lower case, decomposition) costs far more than looking it up.
    public struct FoldCache {
        var forms: [Spelling: (written: String, folded: String)] = [:]
        public init() {}
    }

    /// A word as its bytes spell it: hashed and compared byte for byte (a `Substring` key would
    /// be normalized at every lookup).
    struct Spelling: Hashable {
        let text: Substring

        static func == (a: Spelling, b: Spelling) -> Bool { a.text.utf8.elementsEqual(b.text.utf8) }

        func hash(into hasher: inout Hasher) {
            if text.utf8.withContiguousStorageIfAvailable({ hasher.combine(bytes: UnsafeRawBufferPointer($0)) }) == nil {
                for byte in text.utf8 { hasher.combine(byte) }
            }
        }
    }

    /// The words of `text`, in order.
    public static func words(of text: String) -> [Word] {
        var cache = FoldCache()
        return words(of: text, cache: &cache)
    }

    /// The words of `text`, in order, folding through `cache`. Read scalar by scalar: a word is a
    /// run of letters and digits, with the combining marks that follow them.
    public static func words(of text: String, cache: inout FoldCache) -> [Word] {
        var words: [Word] = []
        let scalars = text.unicodeScalars
        var start: String.Index?
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let scalar = scalars[index]
            if isWordScalar(scalar) || (start != nil && isMark(scalar)) {
                if start == nil { start = index }
            } else if let begun = start {
                append(text, begun..<index, to: &words, cache: &cache)
                start = nil
            }
            index = scalars.index(after: index)
        }
        if let begun = start { append(text, begun..<text.endIndex, to: &words, cache: &cache) }
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

    private static func append(_ text: String, _ range: Range<String.Index>, to words: inout [Word], cache: inout FoldCache) {
        let key = Spelling(text: text[range])
        if let known = cache.forms[key] {
            if !known.folded.isEmpty { words.append(Word(range: range, written: known.written, folded: known.folded)) }
            return
        }
        var forms: (written: String, folded: String)
        let word = key.text
        if word.utf8.allSatisfy({ $0 < 0x80 }) {
            let lower = String(decoding: word.utf8.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
            forms = (lower, lower)
        } else {
            forms = (String(word).lowercased().precomposedStringWithCanonicalMapping, fold(word))
        }
        if forms.folded.unicodeScalars.count > longestWord { forms.folded = "" }
        cache.forms[key] = forms
        if !forms.folded.isEmpty { words.append(Word(range: range, written: forms.written, folded: forms.folded)) }
    }

    private static func isMark(_ scalar: Unicode.Scalar) -> Bool {
        if (0x0300...0x036F).contains(scalar.value) { return true }  // the combining diacritics, without a lookup
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }

    /// Whether a scalar starts or continues a word: a letter, a digit or a private-use
    /// character (as in both databases' tokenizers).
    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x80 {
            let value = scalar.value
            return (value >= 48 && value <= 57) || (value >= 65 && value <= 90) || (value >= 97 && value <= 122)
        }
        // Every letter of Vietnamese is in these blocks, all of them letters but × and ÷: no
        // lookup of the category for them.
        switch scalar.value {
        case 0x00C0...0x024F: return scalar.value != 0x00D7 && scalar.value != 0x00F7
        case 0x1E00...0x1EFF: return true
        default: break
        }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber, .privateUse:
            return true
        default:
            return false
        }
    }
}
