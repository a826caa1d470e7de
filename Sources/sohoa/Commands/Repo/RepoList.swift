import ArgumentParser
import Foundation
import SohoaRepository
import SohoaService

extension RepoCommand {
    /// `sohoa repo list`: documents by citizen, case, state, type and filing date.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List documents: a citizen's, a case's, those in a state, of a type or filed in a period.",
            discussion: """
                Every filter given must hold; with none, every document is listed, oldest first. \
                --since and --until are days (YYYY-MM-DD) in the local time zone, both included. \
                The table has a header row and its columns as wide as their contents; the filing \
                time is local, with its offset. --json prints {"documents": [{"id", "citizen", \
                "cases", "type", "title", "state", "sha256", "created"}]} (created in UTC).

                Examples:
                  sohoa repo list --data /srv/sohoa --citizen 001085012345
                  sohoa repo list --data /srv/sohoa --case 000.00.01.H26-251124-0001 --json
                  sohoa repo list --data /srv/sohoa --state pending \\
                      --since 2026-12-01 --until 2026-12-05

                Exit status: 0 listed (also when nothing matches), 1 the repository cannot be read, \
                3 usage error.
                """)
        static let name = "sohoa repo list"

        @OptionGroup var repository: DataOption
        @Option(help: ArgumentHelp("Only this owner's: 12-digit personal number or tax code.", valueName: "ID"))
        var citizen: String?
        @Option(name: .customLong("case"), help: ArgumentHelp("Only this case's.", valueName: "CASE")) var caseID: String?
        @Option(help: ArgumentHelp("Only this document type.", valueName: "T")) var type: String?
        @Option(help: ArgumentHelp("Only documents in this state: \(DocumentState.allCases.map(\.rawValue).joined(separator: ", ")).",
                                   valueName: "STATE"))
        var state: String?
        @Option(help: ArgumentHelp("Only documents filed on this day or later.", valueName: "YYYY-MM-DD")) var since: String?
        @Option(help: ArgumentHelp("Only documents filed on this day or earlier.", valueName: "YYYY-MM-DD")) var until: String?
        @Flag(help: "Print JSON.") var json = false

        func validate() throws { _ = try query() }

        /// The filters, checked.
        func query() throws -> DocumentQuery {
            var query = DocumentQuery()
            query.owner = try citizen.map { text in try RepoCommand.parse { () throws(IdentifierError) in try OwnerID(text) } }
            query.dossier = try caseID.map { text in try RepoCommand.parse { () throws(IdentifierError) in try DossierCode(text) } }
            query.type = type
            if let state {
                guard let known = DocumentState(rawValue: state) else {
                    throw ValidationError("--state \(state) is not a state; use one of "
                                          + DocumentState.allCases.map(\.rawValue).joined(separator: ", "))
                }
                query.state = known
            }
            query.filedFrom = try since.map { try LocalDay.start(of: $0, option: "--since") }
            query.filedBefore = try until.map { try LocalDay.end(of: $0, option: "--until") }
            if let from = query.filedFrom, let before = query.filedBefore, from >= before {
                throw ValidationError("--since \(since ?? "") is after --until \(until ?? "")")
            }
            return query
        }

        func run() async throws {
            let query = try query()
            let repository = try await self.repository.open(for: Self.name)
            let documents: [Document]
            do { documents = try await RepoCommand.service(repository).list(query, as: RepoCommand.principal) } catch {
                throw RepoCommand.failure(error, command: Self.name)
            }
            if json {
                print(try RepoCommand.json(["documents": documents.map(ListedDocument.init)]))
                return
            }
            let language = RepoWords.language
            guard !documents.isEmpty else {
                print(language.pick(vietnamese: "Không có tài liệu nào phù hợp.", english: "No documents match."))
                return
            }
            var table = TextTable(header: language == .vietnamese
                ? ["MÃ TÀI LIỆU", "CHỦ SỞ HỮU", "TRẠNG THÁI", "LOẠI", "HỒ SƠ", "NGÀY LƯU", "TIÊU ĐỀ"]
                : ["ID", "CITIZEN", "STATE", "TYPE", "CASES", "FILED", "TITLE"])
            for document in documents {
                table.append([document.id.rawValue, document.owner, RepoWords.state(document.state), document.type ?? "-",
                              document.cases.joined(separator: ", "), LocalTime.string(document.created), document.title ?? ""])
            }
            print(table.text)
        }
    }
}
