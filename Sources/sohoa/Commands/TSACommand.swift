import ArgumentParser
import Foundation
import SohoaCrypto
import SohoaServer

/// `sohoa tsa`: the RFC 3161 time-stamp authority.
struct TSACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tsa",
        abstract: "Run an RFC 3161 time-stamp authority.",
        discussion: """
            For tests, demonstrations and in-house use; a real deployment points sohoa sign \
            --tsa at a licensed time-stamp authority.

            Examples:
              sohoa tsa serve --cert tsa.pem --key tsa.key.pem --listen 127.0.0.1:8318

            Exit status: 0 stopped by SIGTERM or SIGINT, 1 cannot listen, 3 usage error.
            """,
        subcommands: [Serve.self]
    )

    /// `sohoa tsa serve`.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract: "Answer RFC 3161 time-stamp requests posted over HTTP.",
            usage: "sohoa tsa serve --cert PEM --key PEM [--chain PEM] --listen HOST:PORT [--policy OID] [--serial-file FILE]",
            discussion: """
                Requests are posted to http://HOST:PORT/ as application/timestamp-query and \
                answered as application/timestamp-reply, signed with SHA-256. Malformed requests \
                get a rejection response. Serial numbers are kept in --serial-file and stay \
                unique across restarts. Port 0 picks a free port; the address is printed once \
                the authority listens. SIGINT or SIGTERM stops it after the requests in flight. \
                For tests, demonstrations and in-house use: a real deployment uses a licensed TSA.

                Examples:
                  sohoa tsa serve --cert tsa.pem --key tsa.key.pem \\
                    --chain tsa-chain.pem --listen 127.0.0.1:8318
                  sohoa tsa serve --cert tsa.pem --key tsa.key.pem \\
                    --listen 127.0.0.1:0 --serial-file /var/lib/sohoa/tsa-serial
                and then: sohoa sign … --tsa http://127.0.0.1:8318/

                Exit status: 0 stopped by SIGINT or SIGTERM; 1 the address cannot be listened on \
                (the port is in use by another program, or reserved); 3 usage error, or the \
                certificate, key or serial file cannot be used.
                """
        )

        @Option(help: ArgumentHelp("The TSA certificate (critical timeStamping EKU).", valueName: "PEM"))
        var cert: String

        @Option(help: ArgumentHelp("The TSA private key.", valueName: "PEM"))
        var key: String

        @Option(help: ArgumentHelp("Certificates above the TSA certificate.", valueName: "PEM"))
        var chain: String?

        @Option(help: ArgumentHelp("Address to listen on.", valueName: "127.0.0.1:PORT"))
        var listen: String

        @Option(help: ArgumentHelp("The policy object identifier written into every token.", valueName: "OID"))
        var policy: String = TimeStampAuthority.Configuration.defaultPolicyOID

        @Option(help: ArgumentHelp("Where serial numbers are kept (default: ~/.local/state/sohoa/tsa-serial).",
                                   valueName: "FILE"))
        var serialFile: String?

        func validate() throws {
            guard ListenAddress(listen) != nil else {
                throw ValidationError("--listen \(listen) is not an address like 127.0.0.1:8318")
            }
        }

        func run() async throws {
            let home = ProcessInfo.processInfo.environment["HOME"] ?? "."
            let state = ProcessInfo.processInfo.environment["XDG_STATE_HOME"] ?? "\(home)/.local/state"
            let configuration = TimeStampAuthority.Configuration(
                certificatePath: cert, keyPath: key, chainPath: chain, policyOID: policy,
                serialFile: serialFile ?? "\(state)/sohoa/tsa-serial")
            let authority: TimeStampAuthority
            do {
                authority = try TimeStampAuthority(configuration)
            } catch {
                throw CommandFailure(message: "sohoa tsa serve: \(error)", exitCode: ExitStatus.usage)
            }
            guard let address = ListenAddress(listen) else { throw ExitCode(ExitStatus.usage) }
            let policy = self.policy
            let subject = authority.certificate.subject
            do {
                try await TimeStampServer(authority: authority, address: address).run { port in
                    let shown = address.host.contains(":") ? "[\(address.host)]" : address.host
                    // Written unbuffered: scripts wait for this line to know the port.
                    FileHandle.standardOutput.write(Data(
                        "Time-stamp authority listening on http://\(shown):\(port)/ as \(subject), policy \(policy)\n".utf8))
                }
            } catch let failure as ListenFailure {
                throw CommandFailure(message: "sohoa tsa serve: \(failure)", exitCode: ExitStatus.refused)
            } catch {
                throw CommandFailure(message: "sohoa tsa serve: cannot serve on \(listen): \(error)",
                                     exitCode: ExitStatus.refused)
            }
        }
    }
}
