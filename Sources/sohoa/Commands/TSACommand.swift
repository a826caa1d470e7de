import ArgumentParser
import SohoaServer

/// `sohoa tsa`: the RFC 3161 time-stamp authority.
struct TSACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tsa",
        abstract: "Run an RFC 3161 time-stamp authority.",
        subcommands: [Serve.self]
    )

    /// `sohoa tsa serve`.
    struct Serve: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract: "Answer RFC 3161 time-stamp requests posted over HTTP.",
            discussion: """
                Requests are posted to http://HOST:PORT/ as application/timestamp-query and \
                answered as application/timestamp-reply.
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

        func validate() throws {
            guard ListenAddress(listen) != nil else {
                throw ValidationError("--listen \(listen) is not an address like 127.0.0.1:8318")
            }
        }

        func run() throws {
            throw CommandFailure.notBuiltYet("tsa serve", "started")
        }
    }
}
