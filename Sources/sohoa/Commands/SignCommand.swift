import ArgumentParser
import SohoaSigning

extension SigningRole: ExpressibleByArgument {}

/// `sohoa sign`: PAdES signatures on PDFs, in batches.
struct SignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign PDFs with PAdES signatures (a folder means every PDF in it).",
        discussion: """
            The key comes from a PKCS#12 file (--p12 with --password-env) or a PKCS#11 token \
            (--pkcs11-module with --token and --pin-env). Secrets are read from the environment \
            variables named, never from the command line.
            """
    )

    @Option(help: ArgumentHelp("PKCS#12 file holding the signing key and certificate.", valueName: "FILE"))
    var p12: String?

    @Option(help: ArgumentHelp("Environment variable holding the PKCS#12 password.", valueName: "VAR"))
    var passwordEnv: String?

    @Option(help: ArgumentHelp("PKCS#11 module (token driver) to load.", valueName: "LIB"))
    var pkcs11Module: String?

    @Option(help: ArgumentHelp("Label of the PKCS#11 token.", valueName: "LABEL"))
    var token: String?

    @Option(help: ArgumentHelp("Environment variable holding the token PIN.", valueName: "VAR"))
    var pinEnv: String?

    @Option(help: ArgumentHelp("Label of the key on the token.", valueName: "L"))
    var keyLabel: String?

    @Option(help: ArgumentHelp("RFC 3161 time-stamp authority to time-stamp each signature.", valueName: "URL"))
    var tsa: String?

    @Option(help: "Who signs: officer (first signature) or approver (second).")
    var role: SigningRole = .officer

    @Option(help: ArgumentHelp("Reason written into the signature.", valueName: "TEXT"))
    var reason: String?

    @Flag(help: "Add long-term validation data (certificates and CRLs) after signing.")
    var ltv = false

    @Option(help: ArgumentHelp("Folder for the signed copies.", valueName: "DIR"))
    var out: String?

    @Flag(help: "Sign the documents waiting in the repository (with --data).")
    var pending = false

    @Option(help: ArgumentHelp("Repository folder, with --pending.", valueName: "DIR"))
    var data: String?

    @Argument(help: ArgumentHelp("PDF files or folders of them.", valueName: "PDF"))
    var pdfs: [String] = []

    func run() throws {
        throw CommandFailure.notBuiltYet("sign", "signed")
    }
}
