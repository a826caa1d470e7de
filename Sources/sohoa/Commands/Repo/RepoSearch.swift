import ArgumentParser
import Foundation
import SohoaRepository
import SohoaService

extension RepoCommand {
    /// `sohoa repo search`: documents found by the words read on their pages.
    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Find documents by their words, with or without diacritics.",
            discussion: """
                Searches the text read on the pages of each document (by OCR, when its scans were \
                assembled) as it is now: a page must hold every word of QUERY. Diacritics and case \
                do not matter ("giay khai sinh" finds "Giấy khai sinh"); only letters and digits \
                count, so quotes, * or AND are plain words. Best first: the words together as \
                typed, then together whatever their diacritics, then more words as typed, then \
                more occurrences; among equals the newest document. Each document is shown once, \
                at its best page, with the passage around the words (marked «like this»). The \
                search is recorded in the audit log with the documents shown.

                --json prints {"query", "terms", "results": [{"document": {as repo list --json}, \
                "page", "pages", "match", "snippet", "matched"}], "truncated"}: "page" is the best \
                page (from 1), "pages" every page holding the words, "match" one of "phrase", \
                "phrase-without-diacritics", "words"; "matched" the words as the snippet writes \
                them; "truncated" is true when more than \(RepositoryService.pagesLookedAt) pages \
                held the words and only the newest documents' were ranked.

                Examples:
                  sohoa repo search --data /srv/sohoa "giay khai sinh"
                  sohoa repo search --data /srv/sohoa "Nguyễn Văn An" --citizen 001085012345 --json

                Exit status: 0 searched (also when nothing is found), 1 the repository cannot be \
                read, 3 usage error (a query with no words, over \(TextSearchQuery.longestText) \
                characters or over \(TextSearchQuery.mostTerms) different words).
                """)
        static let name = "sohoa repo search"

        @OptionGroup var repository: DataOption
        @Argument(help: ArgumentHelp("The words to find.", valueName: "QUERY")) var text: String
        @Option(help: ArgumentHelp("Only this owner's: 12-digit personal number or tax code.", valueName: "ID"))
        var citizen: String?
        @Option(name: .customLong("case"), help: ArgumentHelp("Only this case's.", valueName: "CASE")) var caseID: String?
        @Option(help: ArgumentHelp("Show at most N documents (1 to 1000).", valueName: "N")) var limit = 20
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            _ = try query()
            guard (1...1000).contains(limit) else { throw ValidationError("--limit \(limit): give a number from 1 to 1000") }
        }

        /// The query and its filters, checked.
        func query() throws -> TextSearchQuery {
            let owner = try citizen.map { text in try RepoCommand.parse { () throws(IdentifierError) in try OwnerID(text) } }
            let dossier = try caseID.map { text in try RepoCommand.parse { () throws(IdentifierError) in try DossierCode(text) } }
            do { return try TextSearchQuery(text, owner: owner, dossier: dossier) } catch {
                throw ValidationError("\(error.description): \"\(text)\"")
            }
        }

        func run() async throws {
            let query = try query()
            let repository = try await self.repository.open(for: Self.name)
            let results: SearchResults
            do { results = try await RepoCommand.service(repository).search(query, limit: limit, as: RepoCommand.principal) } catch {
                throw RepoCommand.failure(error, command: Self.name)
            }
            if json {
                print(try RepoCommand.json(results))
                return
            }
            print(Self.text(results, language: RepoWords.language))
        }

        /// The results for people: each document with its best page and passage.
        static func text(_ results: SearchResults, language: DisplayLanguage) -> String {
            guard !results.results.isEmpty else {
                return language.pick(vietnamese: "Không tìm thấy tài liệu nào có các từ: \(results.terms.joined(separator: " ")).",
                                     english: "No document holds the words: \(results.terms.joined(separator: " ")).")
            }
            var lines: [String] = []
            for (index, found) in results.results.enumerated() {
                let record = found.record
                let noTitle = language.pick(vietnamese: "(không có tiêu đề)", english: "(no title)")
                lines.append("\(index + 1). \(record.id)  \(record.title ?? noTitle)")
                let others = found.pages.count > 1
                    ? language.pick(vietnamese: " (các trang \(found.pages.map(String.init).joined(separator: ", ")))",
                                    english: " (pages \(found.pages.map(String.init).joined(separator: ", ")))")
                    : ""
                lines.append("   " + language.pick(
                    vietnamese: "công dân \(record.owner), hồ sơ \(record.cases.joined(separator: ", ")), \(RepoWords.state(record.state)), trang \(found.page)\(others)",
                    english: "citizen \(record.owner), cases \(record.cases.joined(separator: ", ")), \(RepoWords.state(record.state)), page \(found.page)\(others)"))
                lines.append("   " + marked(found.snippet, found.matched))
            }
            if results.truncated {
                lines.append(language.pick(
                    vietnamese: "Có hơn \(RepositoryService.pagesLookedAt) trang chứa các từ này; chỉ các tài liệu mới nhất được xét. "
                        + "Hãy thu hẹp bằng --citizen, --case hoặc thêm từ.",
                    english: "More than \(RepositoryService.pagesLookedAt) pages hold these words; only the newest documents' were "
                        + "ranked. Narrow the search with --citizen, --case or more words."))
            }
            return lines.joined(separator: "\n")
        }

        /// `snippet` with each of `words` marked «like this» where it stands as a whole word.
        static func marked(_ snippet: String, _ words: [String]) -> String {
            let wanted = Set(words)
            var out = ""
            var cursor = snippet.startIndex
            for word in SearchText.words(of: snippet) where wanted.contains(String(snippet[word.range])) {
                out += snippet[cursor..<word.range.lowerBound] + "«" + snippet[word.range] + "»"
                cursor = word.range.upperBound
            }
            return out + snippet[cursor...]
        }
    }
}
