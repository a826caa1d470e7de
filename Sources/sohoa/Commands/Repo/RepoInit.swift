import ArgumentParser
import Foundation
import SohoaPostgres
import SohoaRepository

extension RepoCommand {
    /// `sohoa repo init`: a new repository, with its records in the folder or in PostgreSQL.
    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a repository: its records in the folder (SQLite) or in PostgreSQL.",
            discussion: """
                Without --database the records live in DIR/sohoa.sqlite on this machine, as \
                `sohoa watch` and `sohoa repo import` make them. With --database the records live \
                in PostgreSQL and the blobs in DIR, a folder every node mounts (NFS, SMB); the \
                database must exist and be empty, its tables are made here, and DIR/repository.json \
                records the URL (never a password). From then on every command that takes \
                --data DIR works on any node that mounts DIR.

                The database password is never given on the command line nor kept in DIR: each \
                node finds it in PGPASSWORD, in ~/.pgpass (host:port:database:user:password), or \
                in the file --database-password-file names (readable by its owner only), which \
                is recorded for every node (a node's setting database.password-file overrides it).

                Running it again with the same arguments changes nothing. A node with an older \
                Sohoa refuses a database whose schema is newer than it knows.

                Examples:
                  sohoa repo init --data /srv/sohoa
                  sohoa repo init --data /mnt/sohoa --database postgres://sohoa@db:5432/sohoa
                  sohoa repo init --data /mnt/sohoa --database postgres://sohoa@db/sohoa \\
                    --database-password-file /etc/sohoa/db-password

                Exit status: 0 made (or already this repository), 1 refused (the database cannot \
                be reached or refuses the login, DIR cannot be written, DIR is already another \
                repository), 3 usage error.
                """)
        static let name = "sohoa repo init"

        @OptionGroup var repository: DataOption

        @Option(help: ArgumentHelp("The PostgreSQL database for the records, postgres://USER@HOST:PORT/DATABASE "
                                   + "(?sslmode=require to insist on TLS).", valueName: "URL"))
        var database: String?

        @Flag(help: "Print JSON.") var json = false

        /// What `--json` prints.
        struct Made: Encodable {
            let data: String
            let id: String
            let engine: String
            let database: String?
            let created: Bool
        }

        func validate() throws {
            if let database { _ = try Self.location(database) }
        }

        static func location(_ text: String) throws -> PostgresLocation {
            do { return try PostgresLocation(url: text) } catch { throw ValidationError("--database \(error)") }
        }

        func run() async throws {
            let location = try database.map(Self.location)
            let made: RepositoryOpening.Made
            do {
                (_, made) = try await RepositoryOpening.initialize(data: repository.data, database: location,
                                                                   passwordFile: repository.databasePasswordFile)
            } catch {
                throw CommandFailure(message: "\(Self.name): \(error)", exitCode: ExitStatus.refused)
            }
            let descriptor = try? RepositoryDescriptor.read(in: repository.data)
            if json {
                print(try RepoCommand.json(Made(data: repository.data, id: descriptor?.id ?? "", engine: (descriptor?.engine ?? .sqlite).rawValue,
                                                database: location?.description, created: made == .created)))
                return
            }
            let records = location.map { "\($0)" } ?? (repository.data as NSString).appendingPathComponent("sohoa.sqlite")
            switch made {
            case .created:
                print(RepoWords.language.pick(
                    vietnamese: "Đã tạo kho lưu trữ tại \(repository.data); dữ liệu hồ sơ nằm ở \(records).",
                    english: "Made the repository in \(repository.data); its records are in \(records)."))
            case .existing:
                print(RepoWords.language.pick(
                    vietnamese: "\(repository.data) đã là kho lưu trữ này (dữ liệu ở \(records)); không có gì thay đổi.",
                    english: "\(repository.data) already is this repository (records in \(records)); nothing was changed."))
            }
        }
    }
}
