import Foundation
import GRDB

/// The embedded store's text of versions: each page's text in `page_text`, its folded words in
/// the FTS5 index `page_words` under the same row number.
extension SQLiteStore {
    public func pageTexts(of id: DocumentID, version: Int?) async throws -> [PageTextRecord] {
        try await read { db in
            let newest = try Int.fetchOne(db, sql: """
                SELECT MAX(number) FROM page_text WHERE document_id = ? AND number <= ?
                """, arguments: [id.rawValue, version ?? Int.max])
            guard let newest else { return [] }
            return try Self.pages(db, id, number: newest)
        }
    }

    public func pagesContaining(_ query: TextSearchQuery, limit: Int) async throws -> [PageCandidate] {
        try await read { db in
            // With a citizen or a case, their few pages are read first and each is looked up in
            // the index (FTS5 seeks a row number in its lists); without, the index gives every
            // matching page. Either way the pages are put in order without their text, which is
            // read for the pages kept only.
            var arguments: StatementArguments = []
            var source: String
            if let dossier = query.dossier {
                source = """
                    document_cases c CROSS JOIN documents d ON d.id = c.document_id CROSS JOIN page_text p ON p.document_id = d.id
                    CROSS JOIN page_words w ON w.rowid = p.id WHERE c.case_code = ?
                    """
                arguments += [dossier.rawValue]
                if let owner = query.owner {
                    source += " AND d.owner = ?"
                    arguments += [owner.description]
                }
            } else if let owner = query.owner {
                source = """
                    documents d CROSS JOIN page_text p ON p.document_id = d.id CROSS JOIN page_words w ON w.rowid = p.id
                    WHERE d.owner = ?
                    """
                arguments += [owner.description]
            } else {
                source = "page_words w JOIN page_text p ON p.id = w.rowid JOIN documents d ON d.id = p.document_id WHERE 1"
            }
            arguments += [Self.matchExpression(query.terms), max(0, limit)]
            return try Row.fetchAll(db.cachedStatement(sql: """
                SELECT p.document_id, p.number, p.page, p.text, x.created FROM (
                    SELECT p.id, d.created, d.id AS document, p.page FROM \(source)
                      AND page_words MATCH ?
                      AND p.number = (SELECT MAX(t.number) FROM page_text t WHERE t.document_id = p.document_id)
                    ORDER BY d.created DESC, d.id, p.page LIMIT ?) x
                JOIN page_text p ON p.id = x.id ORDER BY x.created DESC, x.document, x.page
                """), arguments: arguments).map { row in
                PageCandidate(document: try DocumentID(row[0] as String), version: row[1], page: row[2], text: row[3],
                              filed: AuditChain.date(milliseconds: row[4]))
            }
        }
    }

    public func recordedPageTexts(of id: DocumentID) async throws -> [Int: [PageTextRecord]] {
        try await read { db in
            var texts: [Int: [PageTextRecord]] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT number, page, text, confidence, flag FROM page_text WHERE document_id = ? ORDER BY number, page
                """, arguments: [id.rawValue]) {
                texts[row[0], default: []].append(PageTextRecord(page: row[1], text: row[2], confidence: row[3], flag: row[4]))
            }
            return texts
        }
    }

    public func insertPageTexts(_ texts: [(document: DocumentID, version: Int, pages: [PageTextRecord])]) async throws -> Int {
        try await write { db in
            var inserted = 0
            for (document, version, pages) in texts where !pages.isEmpty {
                let present = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM page_text WHERE document_id = ? AND number = ?",
                                               arguments: [document.rawValue, version]) ?? 0
                guard present == 0 else { continue }
                try Self.insertPageTexts(db, document, version: version, pages)
                inserted += 1
            }
            return inserted
        }
    }

    /// Writes the text of version `version`'s pages and indexes their words.
    static func insertPageTexts(_ db: Database, _ id: DocumentID, version: Int, _ pages: [PageTextRecord]) throws {
        for page in pages {
            try db.execute(sql: "INSERT INTO page_text (document_id, number, page, text, confidence, flag) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [id.rawValue, version, page.page, page.text, page.confidence, page.flag])
            try db.execute(sql: "INSERT INTO page_words (rowid, words) VALUES (?, ?)",
                           arguments: [db.lastInsertedRowID, SearchText.indexed(page.text)])
        }
    }

    private static func pages(_ db: Database, _ id: DocumentID, number: Int) throws -> [PageTextRecord] {
        try Row.fetchAll(db, sql: "SELECT page, text, confidence, flag FROM page_text WHERE document_id = ? AND number = ? ORDER BY page",
                         arguments: [id.rawValue, number]).map { row in
            PageTextRecord(page: row[0], text: row[1], confidence: row[2], flag: row[3])
        }
    }

    /// The FTS5 query for pages holding every term: each a quoted string (a term is letters and
    /// digits only, but is quoted all the same, so that nothing in it is ever FTS5 syntax).
    static func matchExpression(_ terms: [String]) -> String {
        terms.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: " AND ")
    }
}
