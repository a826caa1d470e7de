import Foundation

/// What a person searches for: their words, and optionally one citizen's documents or one
/// case's. Checked when made: a query is words, never syntax of any database.
public struct TextSearchQuery: Sendable, Equatable {
    /// As typed.
    public let text: String
    /// Its words, in order (repeated ones kept: they make the phrase).
    public let words: [SearchText.Word]
    /// Its distinct folded words: what a page must hold.
    public let terms: [String]
    public var owner: OwnerID?
    public var dossier: DossierCode?

    /// Longest query accepted, in characters.
    public static let longestText = 500
    /// Most distinct words in a query.
    public static let mostTerms = 16

    public init(_ text: String, owner: OwnerID? = nil, dossier: DossierCode? = nil) throws(SearchQueryError) {
        guard text.count <= Self.longestText else { throw .tooLong(Self.longestText) }
        let words = SearchText.words(of: text)
        var terms: [String] = []
        for word in words where !terms.contains(word.folded) { terms.append(word.folded) }
        guard !terms.isEmpty else { throw .noWords }
        guard terms.count <= Self.mostTerms else { throw .tooManyWords(Self.mostTerms) }
        self.text = text
        self.words = words
        self.terms = terms
        self.owner = owner
        self.dossier = dossier
    }

    public static func == (a: TextSearchQuery, b: TextSearchQuery) -> Bool {
        a.text == b.text && a.owner == b.owner && a.dossier == b.dossier
    }
}

/// Why a query cannot be searched for.
public enum SearchQueryError: Error, Equatable, Sendable, CustomStringConvertible {
    case noWords
    case tooLong(Int)
    case tooManyWords(Int)

    public var description: String {
        switch self {
        case .noWords: return "the query holds no words to search for (letters or digits)"
        case .tooLong(let limit): return "the query is longer than \(limit) characters"
        case .tooManyWords(let limit): return "the query has more than \(limit) different words"
        }
    }
}
