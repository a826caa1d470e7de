import ArgumentParser
import Foundation
import SohoaRepository
import SohoaService

extension RepoCommand {
    /// `sohoa repo import`: files a PDF for a citizen's case.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "File a PDF for a citizen's case; prints the document id.",
            discussion: """
                A signed PDF is filed as signed, any other as pending signature. The same content \
                filed again for the same owner is not copied: the document is linked to the case \
                and its id printed again. Makes the repository when --data names a new folder.

                --json prints one object: {"id", "citizen", "cases", "type", "title", "state", \
                "sha256", "created", "case", "duplicate"}.

                Examples:
                  sohoa repo import --data /srv/sohoa --citizen 001085012345 \\
                      --case 000.00.01.H26-251124-0001 --type application-form don.pdf
                  sohoa repo import --data /srv/sohoa --citizen 0314409058 \\
                      --case 000.00.01.H26-251124-0002 --json hd.pdf

                Exit status: 0 filed or already filed, 1 refused (not a PDF, another owner's case, \
                the repository cannot be written), 3 usage error (a bad citizen id or case id).
                """)
        static let name = "sohoa repo import"

        @OptionGroup var repository: DataOption
        @Option(help: ArgumentHelp("Owner: 12-digit personal number or tax code.", valueName: "ID")) var citizen: String
        @Option(name: .customLong("case"), help: ArgumentHelp("The dossier code.", valueName: "CASE")) var caseID: String
        @Option(help: ArgumentHelp("Document type.", valueName: "T")) var type: String?
        @Option(help: ArgumentHelp("Document title.", valueName: "TEXT")) var title: String?
        @Option(help: ArgumentHelp("The procedure the case is for (kept when the case is new).", valueName: "TEXT"))
        var procedure: String?
        @Flag(help: "Print JSON.") var json = false
        @Argument(help: ArgumentHelp("The PDF to file.", valueName: "FILE.pdf")) var file: String

        func validate() throws {
            _ = try RepoCommand.parse { () throws(IdentifierError) in try OwnerID(citizen) }
            _ = try RepoCommand.parse { () throws(IdentifierError) in try DossierCode(caseID) }
        }

        func run() async throws {
            let owner = try RepoCommand.parse { () throws(IdentifierError) in try OwnerID(citizen) }
            let dossier = try RepoCommand.parse { () throws(IdentifierError) in try DossierCode(caseID) }
            let repository = try await self.repository.open(for: Self.name, creating: true)
            let filed: Repository.Filed
            do {
                filed = try await RepoCommand.service(repository).file(pdfAt: file, owner: owner, dossier: dossier, procedure: procedure,
                                                                       type: type, title: title, as: RepoCommand.principal)
            } catch {
                throw RepoCommand.failure(error, command: Self.name)
            }
            if json {
                print(try RepoCommand.json(FiledDocument(filed, dossier: dossier)))
            } else {
                print(filed.document.id.rawValue)
            }
            if filed.alreadyInCase {
                let id = filed.document.id
                Output.error(RepoWords.language.pick(
                    vietnamese: "\(Self.name): \(file) đã được lưu cho \(owner) là tài liệu \(id), đã thuộc hồ sơ \(dossier); "
                        + "không có gì thay đổi",
                    english: "\(Self.name): \(file) is already filed for \(owner) as document \(id), already in \(dossier); "
                        + "nothing was changed"))
            } else if filed.duplicate {
                let id = filed.document.id
                Output.error(RepoWords.language.pick(
                    vietnamese: "\(Self.name): \(file) đã được lưu cho \(owner) là tài liệu \(id); nay tài liệu được gắn "
                        + "thêm vào hồ sơ \(dossier), không sao chép gì",
                    english: "\(Self.name): \(file) is already filed for \(owner) as document \(id); "
                        + "it is now linked to \(dossier) too, and nothing was copied"))
            }
        }
    }
}
