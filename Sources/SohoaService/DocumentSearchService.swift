import Foundation
import SohoaRepository

/// A document found by its words (`repo search --json`): the document as `repo list --json`
/// lists it, its best page with the passage around the words, and every page holding them.
public struct FoundDocument: Encodable, Sendable {
    public let document: ListedDocument
    public let page: Int
    public let pages: [Int]
    /// "phrase" (the words together, as typed), "phrase-without-diacritics", or "words".
    public let match: SearchRanking.Match
    public let snippet: String
    /// The query's words as the snippet writes them.
    public let matched: [String]
    /// The document as the store keeps it.
    public let record: Document

    enum CodingKeys: String, CodingKey { case document, page, pages, match, snippet, matched }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(document, forKey: .document)
        try container.encode(page, forKey: .page)
        try container.encode(pages, forKey: .pages)
        try container.encode(match, forKey: .match)
        try container.encode(snippet, forKey: .snippet)
        try container.encode(matched, forKey: .matched)
    }
}

/// What a search found, best first.
public struct SearchResults: Encodable, Sendable {
    public let query: String
    /// The words searched for, as compared (lower case, without diacritics).
    public let terms: [String]
    public let results: [FoundDocument]
    /// Whether more pages held the words than were looked at (`RepositoryService.pagesLookedAt`):
    /// the newest documents' were; narrow the search to see the others.
    public let truncated: Bool
}

extension RepositoryService {
    /// At most this many matching pages are ranked: those of the newest documents.
    public static let pagesLookedAt = 2000

    /// Documents whose current text holds every word of `query`, with and without diacritics,
    /// best first (`SearchRanking`), at most `limit`. A principal that reads everything searches
    /// everything the filters select; an agency must name the citizen and the case it serves,
    /// and finds that citizen's signed or approved documents. The search is audited with the
    /// documents it showed.
    public func search(_ query: TextSearchQuery, limit: Int, servingCase: DossierCode? = nil,
                       as principal: Principal) async throws(ServiceError) -> SearchResults {
        var scope = query
        let agency = !principal.may(.readEverything)
        if agency {
            try principal.require(.readForCase)
            guard let owner = query.owner else {
                throw .invalidInput("an agency searches one citizen's documents: name the citizen")
            }
            try await checkServedCase(servingCase ?? query.dossier, of: owner.description, as: principal)
            scope.dossier = nil
        }
        let candidates = try await serviceErrors { try await store.pagesContaining(scope, limit: Self.pagesLookedAt + 1) }
        let truncated = candidates.count > Self.pagesLookedAt
        var found: [FoundDocument] = []
        for hit in SearchRanking.rank(Array(candidates.prefix(Self.pagesLookedAt)), for: query) where found.count < max(0, limit) {
            guard let document = try await serviceErrors({ try await store.document(hit.document) }) else { continue }
            if agency && document.state != .signed && document.state != .approved { continue }
            found.append(FoundDocument(document: ListedDocument(document), page: hit.page, pages: hit.pages, match: hit.match,
                                       snippet: hit.snippet, matched: hit.matched, record: document))
        }
        let filters = [query.owner.map { "citizen \($0)" }, query.dossier.map { "case \($0)" },
                       servingCase.map { "for case \($0)" }].compactMap { $0 }
        let detail = "«\(query.terms.joined(separator: " "))»" + (filters.isEmpty ? "" : " (\(filters.joined(separator: ", ")))")
            + ": \(found.count) document(s)" + (found.isEmpty ? "" : " " + found.map(\.document.id).joined(separator: ","))
        _ = try await serviceErrors {
            try await store.record(actor: principal.actor, action: "search", subject: "documents", detail: detail)
        }
        return SearchResults(query: query.text, terms: query.terms, results: found, truncated: truncated)
    }
}
