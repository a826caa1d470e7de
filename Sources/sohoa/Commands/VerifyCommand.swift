import ArgumentParser

/// `sohoa verify`: the auditors' validator.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify every signature in every PDF named (a folder means every PDF below it).",
        discussion: """
            Exit status: 0 every file is signed and every signature is valid; 1 at least one \
            signature is invalid or a file was modified in a way its signatures do not allow; \
            2 nothing invalid, but at least one signature could not be shown valid (untrusted or \
            incomplete chain, revocation unknown, file unsigned); 3 usage error or unreadable input.
            """
    )

    @Option(help: ArgumentHelp("Trust anchors: PEM or DER certificate files, or folders of them.",
                               valueName: "FILE_OR_DIR"))
    var trust: [String] = []

    @Flag(help: "Print one JSON object with a verdict per file and per signature.")
    var json = false

    @Option(help: ArgumentHelp("Language of the report: vi or en.", valueName: "LANG"))
    var lang: String?

    @Argument(help: ArgumentHelp("PDF files or folders.", valueName: "PATH"))
    var paths: [String]

    func run() throws {
        throw CommandFailure.notBuiltYet("verify", "verified")
    }
}
