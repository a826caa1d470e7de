import ArgumentParser
import Foundation
import SohoaCrypto
import SohoaPipeline
import SohoaRepository
import SohoaSigning

#if canImport(Glibc)
import Glibc
#endif

extension SigningRole: ExpressibleByArgument {}

/// `sohoa sign`: PAdES signatures on PDFs, in batches.
struct SignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign PDFs with PAdES signatures (a folder means every PDF in it).",
        discussion: """
            The key comes from a PKCS#12 file (--p12 with --password-env) or a PKCS#11 token \
            (--pkcs11-module with --token and --pin-env). Secrets are read from the environment \
            variables named, never from the command line; without one, on a terminal, Sohoa asks \
            for it without echo. Each signature is a PAdES baseline signature (ETSI.CAdES.detached, \
            SHA-256), time-stamped (B-T) with --tsa, and with --ltv followed by the certificates \
            and current CRLs of the signer's and the time-stamp authority's chains (B-LT; the CRLs \
            are fetched from the certificates' distribution points). Signed copies go to --out under the same \
            names; a copy that already exists there is skipped, so an interrupted batch is simply \
            run again. Exit status: 0 every document signed or already signed; 1 some failed, or \
            the key or certificate cannot be used; 3 usage error.

            With --pending --data DIR, signs what waits in the repository instead of files: as \
            officer the documents pending signature (they become signed), as approver the signed \
            ones (they become approved), of one citizen (--citizen), one case (--case) or all \
            (--all). Each signed version is filed with its provenance and an audit entry; an \
            interrupted batch is run again and signs only what still waits.
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

    @Option(help: ArgumentHelp("Certificates above the token's signing certificate (PEM).", valueName: "PEM"))
    var chain: String?

    @Option(help: ArgumentHelp("RFC 3161 time-stamp authority to time-stamp each signature.", valueName: "URL"))
    var tsa: String?

    @Option(help: "Who signs: officer (first signature) or approver (second).")
    var role: SigningRole = .officer

    @Option(help: ArgumentHelp("Reason written into the signature.", valueName: "TEXT"))
    var reason: String?

    @Flag(help: "Add long-term validation data (certificates and CRLs of both chains) after each signature; needs --tsa.")
    var ltv = false

    @Flag(help: "Certify the document (DocMDP P=2): afterwards only signing and form filling are allowed.")
    var certify = false

    @Option(help: ArgumentHelp("Folder for the signed copies.", valueName: "DIR"))
    var out: String?

    @Flag(help: "Sign the files where they are instead of writing copies to --out.")
    var inPlace = false

    @Flag(help: "Sign the documents waiting in the repository (with --data).")
    var pending = false

    @Option(help: ArgumentHelp("Repository folder, with --pending.", valueName: "DIR"))
    var data: String?

    @Option(help: ArgumentHelp("With --pending: only this citizen's or organisation's documents.", valueName: "ID"))
    var citizen: String?

    @Option(name: .customLong("case"), help: ArgumentHelp("With --pending: only this case's documents.", valueName: "CASE"))
    var caseID: String?

    @Flag(help: "With --pending: every waiting document.")
    var all = false

    @Argument(help: ArgumentHelp("PDF files or folders of them.", valueName: "PDF"))
    var pdfs: [String] = []

    func validate() throws {
        guard (p12 != nil) != (pkcs11Module != nil) else {
            throw ValidationError("give either --p12 FILE or --pkcs11-module LIB (with --token)")
        }
        if pkcs11Module != nil, token == nil { throw ValidationError("--pkcs11-module needs --token LABEL") }
        if pending {
            guard data != nil else { throw ValidationError("--pending needs --data DIR, the repository") }
            guard pdfs.isEmpty, out == nil, !inPlace else {
                throw ValidationError("--pending signs what waits in the repository; it takes no PDFs, --out or --in-place")
            }
            guard [citizen != nil, caseID != nil, all].filter({ $0 }).count == 1 else {
                throw ValidationError("with --pending, say whose documents: --citizen ID, --case CASE or --all")
            }
            if let citizen { _ = try RepoCommand.parse { () throws(IdentifierError) in try OwnerID(citizen) } }
            if let caseID { _ = try RepoCommand.parse { () throws(IdentifierError) in try DossierCode(caseID) } }
        } else {
            guard citizen == nil, caseID == nil, !all else { throw ValidationError("--citizen, --case and --all go with --pending") }
            guard (out != nil) != inPlace else { throw ValidationError("give either --out DIR or --in-place") }
            guard !pdfs.isEmpty else { throw ValidationError("name the PDFs (or folders of PDFs) to sign") }
        }
        if let tsa, URL(string: tsa)?.scheme?.hasPrefix("http") != true {
            throw ValidationError("--tsa \(tsa) is not an http:// or https:// address")
        }
        if ltv, tsa == nil {
            throw ValidationError("--ltv needs --tsa URL: long-term validation data extends a time-stamped (B-T) signature")
        }
    }

    func run() throws {
        let (pades, signerName) = try makeSigner()
        if pending {
            try signPending(with: pades, actor: signerName)
            return
        }
        if let out {
            do { try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true) } catch {
                throw CommandFailure(message: "sohoa sign: \(out): the output folder cannot be made", exitCode: ExitStatus.usage)
            }
        }
        let files: [String]
        do { files = try BatchSigner.expand(pdfs) } catch {
            throw CommandFailure(message: "sohoa sign: \(error)", exitCode: ExitStatus.usage)
        }
        if out != nil {
            let names = files.map { ($0 as NSString).lastPathComponent }
            if let clash = Dictionary(grouping: names, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
                throw CommandFailure(message: "sohoa sign: two documents are named \(clash); their signed copies "
                                     + "would be the same file in \(out ?? ""). Sign them in separate batches.",
                                     exitCode: ExitStatus.usage)
            }
        }
        let total = files.count
        let batch = BatchSigner(signer: pades, outputFolder: out)
        let lock: Int32?
        do { lock = try batch.claimOutputFolder() } catch {
            throw CommandFailure(message: "sohoa sign: \(error)", exitCode: ExitStatus.refused)
        }
        defer { if let lock { close(lock) } }
        let display = BatchDisplay(total: total, nameWidth: 40)
        let summary = batch.run(files) { _, file, outcome in
            let name = (file as NSString).lastPathComponent
            switch outcome {
            case .signed(let output): display.show(name, line: "signed   \(name) → \(output)")
            case .skipped(let output): display.show(name, line: "skipped  \(name): \(output) is already signed")
            case .failed(let reason): display.show(name, failure: reason)
            }
        }
        display.finish()
        print(String(format: "%d of %d signed, %d skipped, %d failed in %.2f s (%.1f documents/s)%@",
                     summary.signed, total, summary.skipped, summary.failed, summary.seconds, summary.rate, extras))
        if summary.failed > 0 { throw ExitCode(ExitStatus.refused) }
    }

    /// The PAdES signer from the key options, with its time-stamp authority and validation
    /// data, after checking the certificate can sign; and the certificate's subject.
    private func makeSigner() throws -> (PAdESSigner, String) {
        let signer = try openSigner()
        let problems = SigningCertificatePolicy().problems(with: signer.certificate)
        guard problems.isEmpty else {
            throw CommandFailure(message: "sohoa sign: \(signer.certificate.subject) cannot sign: "
                                 + problems.joined(separator: "; ") + ". Nothing was signed.", exitCode: ExitStatus.refused)
        }
        let stamper = tsa.flatMap { URL(string: $0) }.map { HTTPTimeStamper(url: $0) }
        var timeStamper: (@Sendable ([UInt8]) throws -> [UInt8])?
        if let stamper {
            timeStamper = { value in try stamper.token(for: value) }
        }
        var collector: ValidationDataCollector?
        if ltv {
            // The signer's own chain is checked before anything is signed: a revoked certificate
            // or an unreachable CRL stops the batch at once.
            collector = ValidationDataCollector()
            do { _ = try collector?.material(signer: signer, timeStampToken: nil) } catch {
                throw CommandFailure(message: "sohoa sign: \(signer.certificate.subject) cannot sign with --ltv: \(error). "
                                     + "Nothing was signed.", exitCode: ExitStatus.refused)
            }
        }
        let pades = PAdESSigner(signer: signer, role: role, reason: reason, certify: certify, timeStamper: timeStamper,
                                validationData: collector)
        return (pades, signer.certificate.subject)
    }

    /// What the batch line says about time-stamps and validation data.
    private var extras: String {
        tsa == nil ? "" : ", time-stamped by \(tsa ?? "")" + (ltv ? ", with long-term validation data" : "")
    }

    /// `--pending`: signs what waits in the repository.
    private func signPending(with pades: PAdESSigner, actor: String) throws {
        let repository = try RepoCommand.DataOption.parse(["--data", data ?? ""]).open()
        let owner = try citizen.map { text in try RepoCommand.parse { () throws(IdentifierError) in try OwnerID(text) } }
        let dossier = try caseID.map { text in try RepoCommand.parse { () throws(IdentifierError) in try DossierCode(text) } }
        let batch = PendingSigning(repository: repository, signer: pades, actor: actor)
        let documents: [Document]
        do { documents = try batch.waiting(owner: owner, dossier: dossier) } catch {
            throw CommandFailure(message: "sohoa sign: \(error)", exitCode: ExitStatus.refused)
        }
        let waitingState = role == .officer ? "pending signature" : "waiting for approval"
        if documents.isEmpty {
            print("Nothing is \(waitingState)\(owner.map { " for \($0)" } ?? "")\(dossier.map { " in \($0)" } ?? "").")
            return
        }
        let total = documents.count
        let display = BatchDisplay(total: total, nameWidth: 50)
        let signedWord = role == .officer ? "signed  " : "approved"
        let summary = batch.run(documents) { document, outcome in
            let name = "\(document.id) \(document.title ?? "")"
            switch outcome {
            case .signed(let version): display.show(name, line: "\(signedWord) \(name) → version \(version.number) \(version.hash)")
            case .skipped(let why): display.show(name, line: "skipped  \(name): \(why)")
            case .failed(let reason): display.show(name, failure: reason)
            }
        }
        display.finish()
        print(String(format: "%d of %d %@, %d skipped, %d failed in %.2f s (%.1f documents/s)%@",
                     summary.signed, total, role == .officer ? "signed" : "approved", summary.skipped, summary.failed,
                     summary.seconds, summary.rate, extras))
        if summary.failed > 0 { throw ExitCode(ExitStatus.refused) }
    }

    /// The key, from the PKCS#12 file or the token; secrets from the environment or a prompt.
    private func openSigner() throws -> any Signer {
        do {
            if let p12 {
                let password = try secret(variable: passwordEnv, prompt: "Password for \(p12): ")
                return PKCS12Signer(identity: try PKCS12.load(path: p12, password: password))
            }
            let module = try PKCS11Module.load(path: pkcs11Module ?? "")
            let pin = try secret(variable: pinEnv, prompt: "PIN for token \(token ?? ""): ")
            let chainCertificates = try chain.map { try Certificate.load(fileAt: $0) } ?? []
            return try PKCS11Signer(module: module, tokenLabel: token ?? "", pin: pin, keyLabel: keyLabel,
                                    chain: chainCertificates)
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure(message: "sohoa sign: \(error). Nothing was signed.", exitCode: ExitStatus.refused)
        }
    }

    /// A password or PIN: from the named environment variable, or asked for without echo on a terminal.
    private func secret(variable: String?, prompt: String) throws -> String {
        if let variable {
            guard let value = ProcessInfo.processInfo.environment[variable] else {
                throw CommandFailure(message: "sohoa sign: the environment variable \(variable) is not set",
                                     exitCode: ExitStatus.usage)
            }
            return value
        }
        guard isatty(STDIN_FILENO) == 1, let entered = getpass(prompt) else {
            throw CommandFailure(message: "sohoa sign: no password: give --password-env/--pin-env VAR, "
                                 + "or run on a terminal to be asked", exitCode: ExitStatus.usage)
        }
        return String(cString: entered)
    }
}

/// What a batch shows as it goes: at a terminal, one progress line that fills up; otherwise
/// one line per document. Failures always go to standard error.
private final class BatchDisplay: @unchecked Sendable {
    // Sendable: the batch calls its report closure under its own lock, one call at a time.
    private let terminal = isatty(STDOUT_FILENO) == 1
    private let total: Int
    private let nameWidth: Int
    private var done = 0

    init(total: Int, nameWidth: Int) {
        self.total = total
        self.nameWidth = nameWidth
    }

    /// One more document done: `line` is what a script sees, `failure` the reason it failed.
    func show(_ name: String, line: String? = nil, failure: String? = nil) {
        done += 1
        if let failure {
            if terminal { print("") }
            Output.error("FAILED   \(name): \(failure)")
        }
        if terminal {
            let width = 30
            let filled = total == 0 ? width : done * width / total
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled) + " \(done)/\(total)"
            FileHandle.standardOutput.write(Data("\r  \(bar) \(name.prefix(nameWidth))\u{1B}[K".utf8))
        } else if let line {
            print(line)
        }
    }

    /// Ends the progress line.
    func finish() {
        if terminal { print("") }
    }
}
