import ArgumentParser
import Foundation
import SohoaRepository
import SohoaService

extension RepoCommand {
    /// `sohoa repo get`: a version of a document written to a file.
    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a document's (latest or given) version to a file.",
            discussion: """
                The copy is written under a temporary name, synced and renamed; the read is \
                recorded in the audit log. --doc-version picks a version by its number (as \
                `sohoa repo show` lists them); `--version N` is still read as --doc-version N.

                Examples:
                  sohoa repo get --data /srv/sohoa 3f9a1c -o don.pdf
                  sohoa repo get --data /srv/sohoa 3f9a1c --doc-version 1 -o trang-1.tif

                Exit status: 0 written, 1 no such document or version, or the file cannot be \
                written, 3 usage error.
                """)
        static let name = "sohoa repo get"

        @OptionGroup var repository: DataOption
        @Argument(help: ArgumentHelp("Document id, or its first 6 or more digits.", valueName: "DOC")) var document: String
        @Option(name: .customLong("doc-version"), help: ArgumentHelp("The document's version to write (default: the newest).",
                                                                     valueName: "N"))
        var documentVersion: String?
        /// The spelling before `--doc-version` (README's), still read; hidden so that the help
        /// shows one `--version`: the program's.
        @Option(name: .customLong("version"), help: .hidden) var legacyVersion: String?
        @Option(name: [.short, .customLong("output")], help: ArgumentHelp("File to write.", valueName: "FILE")) var output: String

        /// The version number asked for, checked.
        func number() throws -> Int? {
            if let documentVersion, let legacyVersion, documentVersion != legacyVersion {
                throw ValidationError("--doc-version \(documentVersion) and --version \(legacyVersion) disagree; give one")
            }
            guard let text = documentVersion ?? legacyVersion else { return nil }
            guard let number = Int(text), number >= 1 else {
                throw ValidationError("--doc-version \(text) is not a version number: they count from 1")
            }
            return number
        }

        func validate() throws {
            _ = try RepoCommand.prefix(document)
            _ = try number()
        }

        func run() async throws {
            let number = try number()
            let repository = try await self.repository.open(for: Self.name)
            let id = try await RepoCommand.document(document, in: repository, command: Self.name)
            do {
                let written = try await RepoCommand.service(repository).copy(id, number: number, to: output, as: RepoCommand.principal)
                print(RepoWords.language.pick(
                    vietnamese: "Đã ghi \(output): phiên bản \(written.number), \(RepoWords.kind(written.kind)), sha256 \(written.hash)",
                    english: "Wrote \(output): version \(written.number), \(written.kind.rawValue), sha256 \(written.hash)"))
            } catch {
                throw CommandFailure(message: "\(Self.name): \(error)", exitCode: ExitStatus.refused)
            }
        }
    }
}
