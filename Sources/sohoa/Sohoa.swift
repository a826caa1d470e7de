import ArgumentParser
import SohoaPipeline

/// `sohoa`: scans to signed, verifiable, reusable PDF documents.
struct Sohoa: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sohoa",
        abstract: "Turn paper scans into signed, verifiable, reusable PDF documents.",
        discussion: """
            The pipeline: intake (watch) → normalize and assemble (assemble) → sign (sign) → \
            file in the repository (repo) → verify (verify).

            Settings such as the repository folder, the time-stamp authority and the trust \
            anchors are read from /etc/sohoa/sohoa.toml, ~/.config/sohoa/sohoa.toml, the file \
            given with --config, and SOHOA_* environment variables (SOHOA_DATA, SOHOA_TSA, \
            SOHOA_TRUST, SOHOA_INBOX, SOHOA_REJECTED, SOHOA_LANG …), so that they need not be \
            typed on every command; an option on the command line always wins. `sohoa config \
            show` prints what is in force and where each value came from. Two options go \
            with every command and may stand anywhere on the command line: --config FILE \
            (settings read after the two files) and --lang vi|en (the language of messages; \
            default: from the locale).

            Exit status: 0 success; 1 something was refused or invalid (the others were \
            handled); 2 (verify only) nothing invalid, but a signature could not be shown valid; \
            3 usage error, unreadable input or a wrong setting, or a command this version does \
            not provide yet.

            Examples:
              sohoa watch --inbox /srv/sohoa/inbox --data /srv/sohoa/repository
              sohoa status
              sohoa sign --pending --all --p12 officer.p12 --password-env SOHOA_PASSWORD
              sohoa verify --trust root-ca.pem signed/
              sohoa --lang vi repo list --citizen 001085012345
              sohoa --config branch.toml config show
            """,
        version: SohoaVersion.current,
        subcommands: [
            AssembleCommand.self,
            SignCommand.self,
            VerifyCommand.self,
            TimestampCommand.self,
            TSACommand.self,
            WatchCommand.self,
            StatusCommand.self,
            RepoCommand.self,
            ServeCommand.self,
            AccessCommand.self,
            InboxCommand.self,
            ConfigCommand.self,
        ]
    )

    // The global options. The entry point takes them out of the command line wherever they stand
    // (PreparedCommandLine) before the parser runs; --config is declared here for the help, the
    // man page and the shell completions. --lang is not: declared on this root command, it would
    // take the value meant for a subcommand's own --lang (verify's).

    @Option(help: ArgumentHelp("A configuration file read after /etc/sohoa/sohoa.toml and ~/.config/sohoa/sohoa.toml "
                               + "(also SOHOA_CONFIG). Like --lang vi|en, it may stand anywhere on the command line.",
                               valueName: "FILE"),
            completion: .file(extensions: ["toml"]))
    var config: String?
}
