import ArgumentParser
import Foundation
import SohoaRepository
import SohoaService

extension RepoCommand {
    /// `sohoa repo show`: a document, its cases and its versions with their provenance.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a document, its versions and cases.",
            discussion: """
                Each version says what it was made from: an assembled PDF names the page scans \
                (its source versions), a signed version the version that was signed. Times are \
                local, with their offset. The read is recorded in the audit log. --json prints \
                {"document": {as repo list --json}, "versions": [{"number", "hash", "kind", \
                "actor", "created", "parent", "sources", "size"}], "publicCode", "procedure", "pages": \
                [{"page", "text", "confidence", "flag"}]}: "parent" is the \
                first version it was made from (null for none), "sources" all of them, in page \
                order; "publicCode" is the code of its public check page (/v/CODE of sohoa serve); \
                "pages" the text read on each page (OCR; confidence 0 to 100, null for a page not \
                read; flag says why a page should be checked), empty when none was read.

                Examples:
                  sohoa repo show --data /srv/sohoa 3f9a1c
                  sohoa repo show --data /srv/sohoa 3f9a1c0d5e7b48a2b1c4d6e8f0a2b4c6 --json

                Exit status: 0 shown, 1 no such document (or the id's start names several), \
                3 usage error.
                """)
        static let name = "sohoa repo show"

        @OptionGroup var repository: DataOption
        @Argument(help: ArgumentHelp("Document id, or its first 6 or more digits.", valueName: "DOC")) var document: String
        @Flag(help: "Print JSON.") var json = false

        func validate() throws { _ = try RepoCommand.prefix(document) }

        func run() async throws {
            let repository = try await self.repository.open(for: Self.name)
            let id = try await RepoCommand.document(document, in: repository, command: Self.name)
            let language = RepoWords.language
            let shown: ShownDocument
            do {
                shown = try await RepoCommand.service(repository).show(id, as: RepoCommand.principal)
            } catch .notFound {
                throw CommandFailure(message: "\(Self.name): " + language.pick(vietnamese: "không có tài liệu \(id)",
                                                                                english: "there is no document \(id)"),
                                     exitCode: ExitStatus.refused)
            } catch {
                throw RepoCommand.failure(error, command: Self.name)
            }
            if json {
                print(try RepoCommand.json(shown))
                return
            }
            print(Self.text(shown.record, shown.versions, language: language))
            if let reading = Self.reading(shown.pages, language: language) { print(reading) }
        }

        /// The document for people.
        static func text(_ document: Document, _ versions: [DocumentVersion], language: DisplayLanguage) -> String {
            let noTitle = language.pick(vietnamese: "(không có tiêu đề)", english: "(no title)")
            var lines = [
                language.pick(vietnamese: "Tài liệu", english: "Document") + " \(document.id): \(document.title ?? noTitle)",
                "  " + language.pick(
                    vietnamese: "chủ sở hữu \(document.owner), loại \(document.type ?? "-"), trạng thái \(RepoWords.state(document.state))",
                    english: "owner \(document.owner), type \(document.type ?? "-"), state \(RepoWords.state(document.state))"),
                "  " + language.pick(vietnamese: "hồ sơ", english: "cases") + ": \(document.cases.joined(separator: ", "))",
            ]
            for version in versions {
                let by = language.pick(
                    vietnamese: "(\(version.size) byte), do \(version.actor) lúc \(LocalTime.string(version.created))",
                    english: "(\(version.size) bytes) by \(version.actor) at \(LocalTime.string(version.created))")
                lines.append("  " + language.pick(vietnamese: "phiên bản", english: "version")
                             + " \(version.number): \(RepoWords.kind(version.kind)) \(version.hash) \(by)"
                             + madeFrom(version, among: versions, language: language))
            }
            return lines.joined(separator: "\n")
        }

        /// What was read on the pages: how many, how surely, and each page to check; nil when
        /// nothing was read.
        static func reading(_ pages: [PageTextRecord], language: DisplayLanguage) -> String? {
            let read = pages.compactMap(\.confidence)
            guard !read.isEmpty else { return nil }
            let words = pages.reduce(0) { $0 + SearchText.words(of: $1.text).count }
            let mean = Int((read.reduce(0, +) / Double(read.count)).rounded())
            var lines = ["  " + language.pick(
                vietnamese: "văn bản: \(read.count)/\(pages.count) trang đã đọc, \(words) từ, độ tin cậy trung bình \(mean)",
                english: "text: \(read.count) of \(pages.count) pages read, \(words) words, mean confidence \(mean)")]
            for page in pages {
                guard let flag = page.flag else { continue }
                lines.append("    " + language.pick(vietnamese: "CẦN KIỂM TRA trang \(page.page): \(flag)",
                                                      english: "CHECK page \(page.page): \(flag)"))
            }
            return lines.joined(separator: "\n")
        }

        /// ", made from version 1 (3f9a…)" or ", made from versions 1, 2, 3": the versions of the
        /// same document it was made from, by number (by hash when none has it).
        static func madeFrom(_ version: DocumentVersion, among versions: [DocumentVersion], language: DisplayLanguage) -> String {
            guard !version.sources.isEmpty else { return "" }
            var used = Set<Int>()
            let named = version.sources.map { hash -> String in
                // Two pages may be the same scan: each names its own version.
                guard let made = versions.first(where: { $0.hash == hash && $0.number < version.number && !used.contains($0.number) })
                else { return "\(hash.rawValue.prefix(12))…" }
                used.insert(made.number)
                return "\(made.number)"
            }
            if named.count == 1 {
                return language.pick(vietnamese: ", tạo từ phiên bản", english: ", made from version")
                    + " \(named[0]) (\(version.sources[0].rawValue.prefix(12))…)"
            }
            return language.pick(vietnamese: ", tạo từ các phiên bản", english: ", made from versions")
                + " \(named.joined(separator: ", "))"
        }
    }
}
