import ArgumentParser
import Foundation
import SohoaPostgres
import SohoaRepository
import SohoaService
import SohoaVerification
import SohoaCrypto

/// `sohoa repo`: the shared repository of signed documents. Each subcommand is in `Repo/`.
struct RepoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repo",
        abstract: "File, find, reuse and check documents in the repository.",
        discussion: """
            Every subcommand takes --data DIR, the repository folder. A document is named by its \
            32-digit id, or by its first 6 or more digits when no other document's id starts \
            with them. Blobs live at DATA/blobs/sha256/<2 hex>/<2 hex>/<hash>.

            Examples:
              sohoa repo list --data /srv/sohoa --state pending
              sohoa repo show --data /srv/sohoa 3f9a1c
              sohoa repo get --data /srv/sohoa 3f9a1c -o don.pdf

            Exit status: 0 done, 1 refused (the reason on standard error), 3 usage error.
            """,
        subcommands: [Init.self, Import.self, List.self, Search.self, Show.self, Get.self, Reuse.self, Export.self, Fsck.self, Anchor.self, Refresh.self, Migrate.self]
    )

    /// Options every repository command takes.
    struct DataOption: ParsableArguments {
        @Option(help: ArgumentHelp("The repository folder.", valueName: "DIR"))
        var data: String

        @Option(help: ArgumentHelp("A file holding the database password, for a repository whose records are in "
                                   + "PostgreSQL (instead of the one `repo init` recorded; PGPASSWORD and ~/.pgpass "
                                   + "also work).", valueName: "FILE"))
        var databasePasswordFile: String?

        /// The repository, opened for `command` (`sohoa repo list`, `sohoa status`: the name its
        /// messages start with). Only filing (`import`) creates a new one, so that a mistyped
        /// folder is reported instead of being an empty repository.
        func open(for command: String = "sohoa", creating: Bool = false) async throws -> Repository {
            try await RepoCommand.open(data, passwordFile: databasePasswordFile, for: command, creating: creating)
        }
    }

    /// The repository in `data`, whichever engine keeps its records, opened for `command`; a
    /// folder that is no repository is refused (exit 1), unless `creating` (the embedded default
    /// is made there).
    static func open(_ data: String, passwordFile: String?, for command: String, creating: Bool = false) async throws -> Repository {
        if !creating, !RepositoryOpening.isRepository(data) {
            throw CommandFailure(message: RepoWords.notARepository(data, command: command), exitCode: ExitStatus.refused)
        }
        do { return try await RepositoryOpening.open(data: data, passwordFile: passwordFile, creatingEmbedded: creating) } catch {
            throw CommandFailure(message: "\(command): \(error)", exitCode: ExitStatus.refused)
        }
    }

    /// Who acts: the operating-system user running the command.
    static var actor: String { ProcessInfo.processInfo.environment["USER"] ?? "unknown" }

    /// The command line's principal: the person at the machine, with every role.
    static var principal: Principal { .localUser(actor) }

    /// The use cases over `repository`; `verifier` is what reuse verifies with (a verifier
    /// without trust anchors when the command verifies nothing).
    static func service(_ repository: Repository, verifier: DocumentVerifier? = nil) -> RepositoryService {
        RepositoryService(repository: repository, verifier: verifier ?? DocumentVerifier(
            policy: VerificationPolicy(anchors: TrustAnchors([]), fetcher: nil), language: .en))
    }

    /// A use case's refusal as the command's failure: exit 1, in the words of the error.
    static func failure(_ error: ServiceError, command: String) -> CommandFailure {
        CommandFailure(message: "\(command): \(error)", exitCode: ExitStatus.refused)
    }

    /// An identifier checked before it reaches a path or a query; a usage error otherwise.
    static func parse<T>(_ make: () throws(IdentifierError) -> T) throws -> T {
        do { return try make() } catch { throw ValidationError(error.description) }
    }

    /// A document id or the start of one, checked (a usage error otherwise).
    static func prefix(_ text: String) throws -> DocumentIDPrefix {
        try parse { () throws(IdentifierError) in try DocumentIDPrefix(text) }
    }

    /// The document `text` names: a whole id as it is, or the one document whose id starts with
    /// it; none or several are refused (exit 1) naming the candidates.
    static func document(_ text: String, in repository: Repository, command: String) async throws -> DocumentID {
        let prefix = try prefix(text)
        if let id = prefix.fullID { return id }
        do { return try await DocumentLookup.resolve(prefix, in: repository.store) } catch let error as DocumentLookupError {
            throw CommandFailure(message: "\(command): \(RepoWords.lookup(error))", exitCode: ExitStatus.refused)
        } catch {
            throw CommandFailure(message: "\(command): \(error)", exitCode: ExitStatus.refused)
        }
    }

    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
