import ArgumentParser
import SohoaPipeline

/// `sohoa`: scans to signed, verifiable, reusable PDF documents.
struct Sohoa: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sohoa",
        abstract: "Turn paper scans into signed, verifiable, reusable PDF documents.",
        discussion: """
            The pipeline: intake (watch) → normalize and assemble (assemble) → sign (sign) → \
            file in the repository (repo) → verify (verify). Exit status 3 means a usage error, \
            an unreadable input, or a command this version does not provide yet.
            """,
        version: SohoaVersion.current,
        subcommands: [
            AssembleCommand.self,
            SignCommand.self,
            VerifyCommand.self,
            TSACommand.self,
            WatchCommand.self,
            StatusCommand.self,
            RepoCommand.self,
            InboxCommand.self,
        ]
    )
}
