import ArgumentParser
import Foundation
import SohoaCrypto
import SohoaRepository
import SohoaService

/// `sohoa access`: who may use the repository through `sohoa serve`.
struct AccessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "access",
        abstract: "Give, list and revoke access to the repository's HTTP service.",
        discussion: """
            Each grant has a name (a person, a branch, an agency's system), one or more roles \
            and a bearer token, which `access add` prints once: the repository keeps only its \
            hash. Requests to sohoa serve carry it as `Authorization: Bearer TOKEN`. An agency \
            that holds an organisation certificate may sign in with it instead \
            (`access add --certificate`, and sohoa serve --client-ca naming its issuer). Roles: \
            operator (files documents, reads the status), officer (signs; reads documents), \
            approver (approves; reads documents), auditor (reads everything, verifies, reads the \
            audit log), agency (reads a citizen's documents for a case of that citizen's, and \
            reuses them), admin (reads the status; access itself is managed with this command, on a machine that \
            holds the repository). Every grant and revocation is in the audit log.

            Examples:
              sohoa access add --data /srv/sohoa --name so-tu-phap.ho-tich --role agency
              sohoa access add --data /srv/sohoa --name nguyen.van.an --role officer --role approver
              sohoa access add --data /srv/sohoa --name so-xay-dung --role agency --certificate so-xay-dung.pem
              sohoa access list --data /srv/sohoa
              sohoa access revoke --data /srv/sohoa nguyen.van.an

            Exit status: 0 done, 1 refused (a name already in force, nothing to revoke, the \
            repository cannot be read), 3 usage error.
            """,
        subcommands: [Add.self, List.self, Revoke.self]
    )

    /// `sohoa access add`.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give a name roles and a new bearer token (printed once), or a client certificate to sign in with.",
            discussion: """
                The token is printed on standard output and never again: hand it to its holder \
                and keep no copy. To change a name's roles or token, revoke it and add it again. \
                With --certificate no token is made: the client certificate of that subject from \
                that issuer (a renewal too) signs in for the name over HTTPS, when sohoa serve \
                trusts its issuer (--client-ca). --json prints {"name", "roles", "key", "created", \
                "token", "certificate"} (token null with a certificate; certificate {"subject", \
                "issuer"} or null).

                Examples:
                  sohoa access add --data /srv/sohoa --name so-tu-phap.ho-tich --role agency
                  sohoa access add --data /srv/sohoa --name kiem-toan --role auditor --json
                  sohoa access add --data /srv/sohoa --name so-xay-dung --role agency --certificate so-xay-dung.pem

                Exit status: 0 given, 1 the name or the certificate already has access, or the \
                repository cannot be written, 3 usage error or a certificate that cannot be read.
                """)
        static let name = "sohoa access add"

        @OptionGroup var repository: RepoCommand.DataOption
        @Option(help: ArgumentHelp("Who the token is for: lower-case letters, digits, '.', '-', '_', '@'.", valueName: "NAME"))
        var name: String
        @Option(name: .customLong("role"),
                help: ArgumentHelp("A role (repeat for several): \(AccessRole.allCases.map(\.rawValue).joined(separator: ", ")).",
                                   valueName: "ROLE"))
        var roles: [String] = []
        @Option(help: ArgumentHelp("The client certificate (PEM or DER) that signs in for the name instead of a token.",
                                   valueName: "FILE"))
        var certificate: String?
        @Flag(help: "Print JSON.") var json = false

        struct Shown: ContractJSON {
            let name: String, roles: [String], key: String, created: Date, token: String?, certificate: CertificateBinding?
        }

        /// The subject and issuer of the --certificate file; nil without one.
        func certificateBinding() throws -> CertificateBinding? {
            guard let certificate else { return nil }
            guard let first = try? Certificate.load(fileAt: certificate).first else {
                throw CommandFailure(message: "\(Self.name): \(certificate) holds no certificate Sohoa can read (PEM or DER)",
                                     exitCode: ExitStatus.usage)
            }
            return CertificateBinding(subject: first.subject, issuer: first.issuer)
        }

        func validate() throws {
            _ = try RepoCommand.parse { () throws(IdentifierError) in try AccessName(name) }
            _ = try parsedRoles()
        }

        func parsedRoles() throws -> [AccessRole] {
            guard !roles.isEmpty else {
                throw ValidationError("give at least one --role: " + AccessRole.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return try roles.map { text in
                guard let role = AccessRole(rawValue: text) else {
                    throw ValidationError("--role \(text) is not a role; use one of "
                                          + AccessRole.allCases.map(\.rawValue).joined(separator: ", "))
                }
                return role
            }
        }

        func run() async throws {
            let accessName = try RepoCommand.parse { () throws(IdentifierError) in try AccessName(name) }
            let roles = try parsedRoles()
            let binding = try certificateBinding()
            let repository = try await self.repository.open(for: Self.name)
            let granted: AccessService.Granted
            do {
                granted = try await AccessService(store: repository.store).grant(accessName, roles: roles, certificate: binding,
                                                                                 as: RepoCommand.principal)
            } catch {
                throw RepoCommand.failure(error, command: Self.name)
            }
            if json {
                print(try RepoCommand.json(Shown(name: accessName.rawValue, roles: granted.grant.roles.map(\.rawValue), key: granted.grant.key,
                                                 created: granted.grant.created, token: granted.token?.text, certificate: binding)))
            } else if let token = granted.token {
                print(token.text)
            }
            if let binding {
                Output.notice(RepoWords.language.pick(
                    vietnamese: "\(Self.name): đã cấp cho \(accessName) vai trò \(granted.grant.storedRoles). Chứng thư \(binding.subject) "
                        + "(do \(binding.issuer) cấp) dùng để đăng nhập qua HTTPS; không có mã truy cập.",
                    english: "\(Self.name): \(accessName) now has the roles \(granted.grant.storedRoles). The certificate \(binding.subject) "
                        + "(issued by \(binding.issuer)) signs in for it over HTTPS; there is no token."))
                return
            }
            Output.notice(RepoWords.language.pick(
                vietnamese: "\(Self.name): đã cấp cho \(accessName) vai trò \(granted.grant.storedRoles). Mã truy cập chỉ hiện một lần này: "
                    + "hãy trao cho người giữ và không lưu bản sao.",
                english: "\(Self.name): \(accessName) now has the roles \(granted.grant.storedRoles). The token is shown this once: "
                    + "hand it to its holder and keep no copy."))
        }
    }

    /// `sohoa access list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List every grant, those revoked too.",
            discussion: """
                Tokens are never shown (the repository does not have them); KEY is the token's \
                public start, after sohoa_, or the subject of the client certificate that signs in. \
                --json prints {"access": [{"name", "roles", "key", "created", "revoked", \
                "certificate"}]} (revoked null while in force; certificate {"subject", "issuer"} \
                or null).

                Examples:
                  sohoa access list --data /srv/sohoa
                  sohoa access list --data /srv/sohoa --json

                Exit status: 0 listed, 1 the repository cannot be read, 3 usage error.
                """)
        static let name = "sohoa access list"

        @OptionGroup var repository: RepoCommand.DataOption
        @Flag(help: "Print JSON.") var json = false

        struct Listed: ContractJSON {
            let name: String, roles: [String], key: String, created: Date, revoked: Date?, certificate: CertificateBinding?
        }

        func run() async throws {
            let repository = try await self.repository.open(for: Self.name)
            let grants: [AccessGrant]
            do { grants = try await AccessService(store: repository.store).grants(as: RepoCommand.principal) } catch {
                throw RepoCommand.failure(error, command: Self.name)
            }
            if json {
                print(try RepoCommand.json(["access": grants.map {
                    Listed(name: $0.name.rawValue, roles: $0.roles.map(\.rawValue), key: $0.key, created: $0.created, revoked: $0.revoked,
                           certificate: $0.certificate)
                }]))
                return
            }
            let language = RepoWords.language
            guard !grants.isEmpty else {
                print(language.pick(vietnamese: "Chưa cấp quyền truy cập nào.", english: "No access has been given."))
                return
            }
            var table = TextTable(header: language == .vietnamese ? ["TÊN", "VAI TRÒ", "KHÓA / CHỨNG THƯ", "NGÀY CẤP", "THU HỒI"]
                                                                   : ["NAME", "ROLES", "KEY / CERTIFICATE", "GIVEN", "REVOKED"])
            for grant in grants {
                table.append([grant.name.rawValue, grant.storedRoles, grant.certificate?.subject ?? grant.key, LocalTime.string(grant.created),
                              grant.revoked.map { LocalTime.string($0) } ?? "-"])
            }
            print(table.text)
        }
    }

    /// `sohoa access revoke`.
    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a name's access: its token stops working.",
            discussion: """
                A running sohoa serve stops accepting the token within a few seconds.

                Examples:
                  sohoa access revoke --data /srv/sohoa nguyen.van.an

                Exit status: 0 revoked, 1 the name has no access in force or the repository \
                cannot be written, 3 usage error.
                """)
        static let name = "sohoa access revoke"

        @OptionGroup var repository: RepoCommand.DataOption
        @Argument(help: ArgumentHelp("The name to revoke.", valueName: "NAME")) var name: String

        func validate() throws { _ = try RepoCommand.parse { () throws(IdentifierError) in try AccessName(name) } }

        func run() async throws {
            let accessName = try RepoCommand.parse { () throws(IdentifierError) in try AccessName(name) }
            let repository = try await self.repository.open(for: Self.name)
            do { try await AccessService(store: repository.store).revoke(accessName, as: RepoCommand.principal) } catch {
                throw RepoCommand.failure(error, command: Self.name)
            }
            print(RepoWords.language.pick(vietnamese: "Đã thu hồi quyền truy cập của \(accessName).",
                                          english: "Revoked \(accessName)'s access."))
        }
    }
}
