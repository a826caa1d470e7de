import ArgumentParser
import Foundation
import SohoaRepository

extension RepoCommand {
    /// `sohoa repo export`: a case's bundle.
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export a case's signed PDFs, manifest and audit entries as a zip.",
            discussion: """
                The bundle holds documents/<id>.pdf (each document's newest version), SHA256SUMS \
                (checked by `sha256sum -c`), manifest.json (the documents, their versions and \
                provenance) and audit.jsonl; it is written under a temporary name, synced and \
                renamed, and the export is recorded in the audit log. --json prints one object: \
                {"case", "output", "documents", "auditEntries", "sha256"} (sha256: of the zip).

                Examples:
                  sohoa repo export --data /srv/sohoa --case 000.00.01.H26-251124-0001 \\
                      -o ho-so.zip
                  sohoa repo export --data /srv/sohoa --case 000.00.01.H26-251124-0001 \\
                      -o ho-so.zip --json

                Exit status: 0 written, 1 no such case, a case without documents, a damaged blob \
                or a file that cannot be written, 3 usage error.
                """)
        static let name = "sohoa repo export"

        @OptionGroup var repository: DataOption
        @Option(name: .customLong("case"), help: ArgumentHelp("The dossier code.", valueName: "CASE")) var caseID: String
        @Option(name: [.short, .customLong("output")], help: ArgumentHelp("The zip file to write.", valueName: "FILE.zip")) var output: String
        @Flag(help: "Print JSON.") var json = false

        /// What `--json` prints.
        struct Exported: Encodable {
            let `case`: String
            let output: String
            let documents: Int
            let auditEntries: Int
            let sha256: String
        }

        func validate() throws { _ = try RepoCommand.parse { () throws(IdentifierError) in try DossierCode(caseID) } }

        func run() async throws {
            let dossier = try RepoCommand.parse { () throws(IdentifierError) in try DossierCode(caseID) }
            let repository = try await self.repository.open(for: Self.name)
            let export: Repository.Export
            do { export = try await repository.export(case: dossier, to: output, actor: RepoCommand.actor) } catch {
                throw CommandFailure(message: "\(Self.name): \(error)", exitCode: ExitStatus.refused)
            }
            if json {
                print(try RepoCommand.json(Exported(case: dossier.rawValue, output: output, documents: export.documents,
                                                    auditEntries: export.auditEntries, sha256: export.sha256.rawValue)))
                return
            }
            print(RepoWords.language.pick(
                vietnamese: "Đã ghi \(output): \(export.documents) tài liệu, SHA256SUMS, manifest.json và "
                    + "\(export.auditEntries) mục nhật ký kiểm toán (sha256 \(export.sha256))",
                english: "Wrote \(output): \(export.documents) document(s), SHA256SUMS, manifest.json and "
                    + "\(export.auditEntries) audit entries (sha256 \(export.sha256))"))
        }
    }
}
