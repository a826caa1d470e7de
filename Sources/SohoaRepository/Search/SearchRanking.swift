import Foundation

/// How found pages are ordered, and what each shows: the same for every store, computed here
/// from the pages' text, so that both stores give the same results in the same order.
///
/// A page ranks higher when it holds, in this order of importance:
/// 1. the query's words one after another, with the diacritics as typed;
/// 2. the query's words one after another, whatever their diacritics;
/// 3. more of the query's words with the diacritics as typed;
/// 4. more occurrences of the query's words.
/// Among equals, the document filed last comes first, then by id and page. A document is shown
/// once, at its best page.
public enum SearchRanking {
    /// How closely a page matches.
    public enum Match: String, Sendable, Codable {
        /// The words one after another, as typed.
        case phrase
        /// The words one after another, diacritics aside.
        case phraseWithoutDiacritics = "phrase-without-diacritics"
        /// Every word, not together.
        case words
    }

    /// One page's standing.
    struct Score: Comparable {
        let phraseAsTyped: Bool
        let phrase: Bool
        let wordsAsTyped: Int
        let occurrences: Int
        /// Where the snippet goes: the first word of the best passage.
        let anchor: Int

        static func < (a: Score, b: Score) -> Bool {
            (a.phraseAsTyped ? 1 : 0, a.phrase ? 1 : 0, a.wordsAsTyped, a.occurrences)
                < (b.phraseAsTyped ? 1 : 0, b.phrase ? 1 : 0, b.wordsAsTyped, b.occurrences)
        }

        static func == (a: Score, b: Score) -> Bool { !(a < b) && !(b < a) }

        var match: Match { phraseAsTyped ? .phrase : phrase ? .phraseWithoutDiacritics : .words }
    }

    /// A document found, at its best page.
    public struct Hit: Sendable {
        public let document: DocumentID
        /// Its best page, and every page that holds the words.
        public let page: Int
        public let pages: [Int]
        public let match: Match
        /// The passage around the words, on one line ("…" where it is cut).
        public let snippet: String
        /// The query's words as the snippet writes them, each once.
        public let matched: [String]
    }

    /// What a page is scored against: the query's words in the forms compared, made once for
    /// every page of a search.
    struct Wanted {
        /// The distinct folded words a page must hold.
        let terms: Set<String>
        /// The words as typed (lower case, with their diacritics).
        let typed: Set<String>
        /// The query's words in order, folded and as typed: the phrase.
        let phrase: [String]
        let typedPhrase: [String]

        init(_ query: TextSearchQuery) {
            terms = Set(query.terms)
            typed = Set(query.words.map(\.written))
            phrase = query.words.map(\.folded)
            typedPhrase = query.words.map(\.written)
        }
    }

    /// Words shown before and after the passage's first match.
    static let wordsBefore = 8
    static let wordsAfter = 16

    /// The documents of `candidates`, best first.
    public static func rank(_ candidates: [PageCandidate], for query: TextSearchQuery) -> [Hit] {
        var best: [DocumentID: (candidate: PageCandidate, words: [SearchText.Word], score: Score)] = [:]
        var pages: [DocumentID: [Int]] = [:]
        var cache = SearchText.FoldCache()
        let wanted = Wanted(query)
        for candidate in candidates {
            let words = SearchText.words(of: candidate.text, cache: &cache)
            guard let score = score(words, for: wanted) else { continue }  // a store's false positive
            pages[candidate.document, default: []].append(candidate.page)
            if let current = best[candidate.document],
               current.score > score || (current.score == score && current.candidate.page < candidate.page) {
                continue
            }
            best[candidate.document] = (candidate, words, score)
        }
        let ordered = best.values.sorted { a, b in
            if a.score != b.score { return a.score > b.score }
            if a.candidate.filed != b.candidate.filed { return a.candidate.filed > b.candidate.filed }
            return a.candidate.document.rawValue < b.candidate.document.rawValue
        }
        return ordered.map { entry in
            let (snippet, matched) = self.snippet(entry.candidate.text, entry.words, around: entry.score.anchor, terms: wanted.terms)
            return Hit(document: entry.candidate.document, page: entry.candidate.page,
                       pages: (pages[entry.candidate.document] ?? []).sorted(), match: entry.score.match, snippet: snippet,
                       matched: matched)
        }
    }

    /// The page's score, nil when it does not hold every term.
    static func score(_ words: [SearchText.Word], for wanted: Wanted) -> Score? {
        var found = Set<String>()
        var occurrences = 0
        for word in words where wanted.terms.contains(word.folded) {
            found.insert(word.folded)
            occurrences += 1
        }
        guard found.count == wanted.terms.count else { return nil }
        let written = words.map(\.written)
        let present = Set(written)
        let wordsAsTyped = wanted.typed.filter { present.contains($0) }.count
        let phraseAt = firstRun(of: wanted.phrase, in: words.map(\.folded))
        let phraseAsTypedAt = firstRun(of: wanted.typedPhrase, in: written)
        let anchor = phraseAsTypedAt ?? phraseAt ?? densestPassage(words, terms: wanted.terms)
        return Score(phraseAsTyped: phraseAsTypedAt != nil, phrase: phraseAt != nil, wordsAsTyped: wordsAsTyped,
                     occurrences: occurrences, anchor: anchor)
    }

    /// Where `needle` first occurs in `haystack` as a run, nil when it does not.
    static func firstRun(of needle: [String], in haystack: [String]) -> Int? {
        guard !needle.isEmpty, needle.count <= haystack.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return start }
        }
        return nil
    }

    /// The first matching word of the passage (`wordsAfter` long) holding the most distinct terms.
    static func densestPassage(_ words: [SearchText.Word], terms: Set<String>) -> Int {
        var bestStart = 0, bestCount = -1
        for start in words.indices where terms.contains(words[start].folded) {
            let end = min(words.count, start + wordsAfter)
            let count = Set(words[start..<end].map(\.folded)).intersection(terms).count
            if count > bestCount { (bestStart, bestCount) = (start, count) }
        }
        return bestStart
    }

    /// The passage of `text` around word `anchor`, on one line, and the terms' words in it.
    static func snippet(_ text: String, _ words: [SearchText.Word], around anchor: Int, terms: Set<String>) -> (String, [String]) {
        guard !words.isEmpty else { return ("", []) }
        let first = max(0, anchor - wordsBefore)
        let last = min(words.count - 1, anchor + wordsAfter - 1)
        let passage = text[words[first].range.lowerBound..<words[last].range.upperBound]
        // One line; a run of marks (the dots of a form's blank, a scan's specks read as
        // punctuation) is shown as one ellipsis.
        var line = passage.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            .replacing(/[^\p{L}\p{N}\s]{4,}/, with: "…")
        if first > 0 { line = "… " + line }
        if last < words.count - 1 { line += " …" }
        var matched: [String] = []
        for word in words[first...last] where terms.contains(word.folded) {
            let shown = String(text[word.range])
            if !matched.contains(shown) { matched.append(shown) }
        }
        return (line, matched)
    }
}
