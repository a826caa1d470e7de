import Foundation
import PostgresNIO
import SohoaRepository

/// The PostgreSQL store's text of versions: each page's text with its folded words
/// (`SearchText`) in `page_text`, found through a GIN index over `to_tsvector('simple', words)`.
/// The words are already folded and split by Sohoa, so the `simple` configuration only has
/// to take them as they are.
extension PostgresStore {
    public func pageTexts(of id: DocumentID, version: Int?) async throws -> [PageTextRecord] {
        try await read { session in
            guard let newest = try await session.row("""
                SELECT MAX(number) AS newest FROM page_text WHERE document_id = \(id.rawValue) AND number <= \(version ?? Int(Int32.max))
                """)?.get("newest", as: Int?.self) else { return [] }
            return try await Self.pages(session, id, number: newest)
        }
    }

    public func pagesContaining(_ query: TextSearchQuery, limit: Int) async throws -> [PageCandidate] {
        let words = query.terms.joined(separator: " ")
        let owner = query.owner?.description, dossier = query.dossier?.rawValue
        return try await read { session in
            // The pages are put in order without their text, which is read for the pages kept only.
            try await session.rows("""
                SELECT p.document_id, p.number, p.page, p.text, x.created FROM (
                    SELECT p.document_id, p.number, p.page, d.created
                    FROM page_text p JOIN documents d ON d.id = p.document_id
                    WHERE to_tsvector('simple', p.words) @@ plainto_tsquery('simple', \(words))
                      AND p.number = (SELECT MAX(t.number) FROM page_text t WHERE t.document_id = p.document_id)
                      AND (\(owner)::text IS NULL OR d.owner = \(owner))
                      AND (\(dossier)::text IS NULL OR d.id IN (SELECT c.document_id FROM document_cases c WHERE c.case_code = \(dossier)))
                    ORDER BY d.created DESC, d.id, p.page LIMIT \(max(0, limit))) x
                JOIN page_text p ON p.document_id = x.document_id AND p.number = x.number AND p.page = x.page
                ORDER BY x.created DESC, x.document_id, x.page
                """).map { row in
                PageCandidate(document: try DocumentID(try row.get("document_id", as: String.self)), version: try row.get("number"),
                              page: try row.get("page"), text: try row.get("text"), filed: try row.date("created"))
            }
        }
    }

    public func recordedPageTexts(of id: DocumentID) async throws -> [Int: [PageTextRecord]] {
        try await read { session in
            var texts: [Int: [PageTextRecord]] = [:]
            for row in try await session.rows("""
                SELECT number, page, text, confidence, flag FROM page_text WHERE document_id = \(id.rawValue) ORDER BY number, page
                """) {
                texts[try row.get("number", as: Int.self), default: []].append(try Self.record(row))
            }
            return texts
        }
    }

    public func insertPageTexts(_ texts: [(document: DocumentID, version: Int, pages: [PageTextRecord])]) async throws -> Int {
        try await write { session in
            var inserted = 0
            for (document, version, pages) in texts where !pages.isEmpty {
                let present = try await session.row("""
                    SELECT 1 AS present FROM page_text WHERE document_id = \(document.rawValue) AND number = \(version) LIMIT 1
                    """)
                guard present == nil else { continue }
                try await Self.insertPageTexts(session, document, version: version, pages)
                inserted += 1
            }
            return inserted
        }
    }

    /// Writes the text of version `version`'s pages with their folded words.
    static func insertPageTexts(_ session: PostgresSession, _ id: DocumentID, version: Int, _ pages: [PageTextRecord]) async throws {
        for page in pages {
            try await session.execute("""
                INSERT INTO page_text (document_id, number, page, text, words, confidence, flag)
                VALUES (\(id.rawValue), \(version), \(page.page), \(page.text), \(SearchText.indexed(page.text)), \(page.confidence),
                        \(page.flag))
                """)
        }
    }

    private static func pages(_ session: PostgresSession, _ id: DocumentID, number: Int) async throws -> [PageTextRecord] {
        try await session.rows("""
            SELECT page, text, confidence, flag FROM page_text WHERE document_id = \(id.rawValue) AND number = \(number) ORDER BY page
            """).map(record)
    }

    /// A page's text from a row of `page`, `text`, `confidence` and `flag`.
    private static func record(_ row: PostgresRandomAccessRow) throws -> PageTextRecord {
        PageTextRecord(page: try row.get("page"), text: try row.get("text"), confidence: try row.get("confidence"),
                       flag: try row.get("flag"))
    }
}
