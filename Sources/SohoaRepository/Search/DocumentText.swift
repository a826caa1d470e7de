import Foundation

/// The text read on one page of a filed version (by OCR when it was assembled).
public struct PageTextRecord: Sendable, Equatable, Codable {
    /// The page, from 1, in the PDF's order.
    public let page: Int
    /// Its words, a line per line of the page (NFC); empty for a page that was not read.
    public let text: String
    /// How sure the reading is, 0 to 100; nil for a page that was not read (a blank one).
    public let confidence: Double?
    /// Why the operator should look at the page; nil when it reads well.
    public let flag: String?

    enum CodingKeys: String, CodingKey { case page, text, confidence, flag }

    /// Every key is written, null when there is no value.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(page, forKey: .page)
        try container.encode(text, forKey: .text)
        try container.encode(confidence, forKey: .confidence)
        try container.encode(flag, forKey: .flag)
    }

    public init(page: Int, text: String, confidence: Double?, flag: String?) {
        self.page = page
        self.text = text.precomposedStringWithCanonicalMapping
        self.confidence = confidence
        self.flag = flag
    }
}

/// A page a store found holding every word of a search (before it is ranked).
public struct PageCandidate: Sendable, Equatable {
    public let document: DocumentID
    /// The version whose text it is.
    public let version: Int
    public let page: Int
    public let text: String
    /// When its document was filed (newer documents come first among equals).
    public let filed: Date

    public init(document: DocumentID, version: Int, page: Int, text: String, filed: Date) {
        self.document = document
        self.version = version
        self.page = page
        self.text = text
        self.filed = filed
    }
}

/// The text of documents' versions and the search over it. A version filed with text keeps
/// it; a version made from it (signed, approved, refreshed: the same pages) has the text of the
/// newest version before it that has some, so a document carries its text through its life and
/// into every case it is reused in.
public protocol DocumentTextStore: Sendable {
    /// The pages' text of version `version` of a document (of its newest when nil), in page
    /// order; empty when no text was read for it.
    func pageTexts(of id: DocumentID, version: Int?) async throws -> [PageTextRecord]

    /// Pages of each document's current text holding every one of `query.terms` as a whole
    /// word (folded, `SearchText`), within the query's citizen and case; newest documents first,
    /// then by id and page; at most `limit`.
    func pagesContaining(_ query: TextSearchQuery, limit: Int) async throws -> [PageCandidate]

    /// Every version of a document that has text of its own, with that text (for `repo migrate`).
    func recordedPageTexts(of id: DocumentID) async throws -> [Int: [PageTextRecord]]

    /// Writes versions' text as it is; a version whose text is there already is left. Returns
    /// how many versions' text was new.
    func insertPageTexts(_ texts: [(document: DocumentID, version: Int, pages: [PageTextRecord])]) async throws -> Int
}
