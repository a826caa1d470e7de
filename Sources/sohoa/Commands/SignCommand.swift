import ArgumentParser
import Foundation
import SohoaAppearance
import SohoaCrypto
import SohoaPipeline
import SohoaRepository
import SohoaSigning

#if canImport(Glibc)
import Glibc
#endif

extension SigningRole: ExpressibleByArgument {}
extension SignatureLevel: ExpressibleByArgument {}

/// `sohoa sign`: PAdES signatures on PDFs, in batches.
struct SignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign PDFs with PAdES signatures (a folder means every PDF in it).",
        usage: """
            sohoa sign --p12 FILE --password-env VAR [SIGNATURE OPTIONS] (--out DIR | --in-place) PDF_OR_DIR...
            sohoa sign --pkcs11-module LIB --token LABEL --pin-env VAR [--key-label L] [--chain PEM]
                [SIGNATURE OPTIONS] (--out DIR | --in-place) PDF_OR_DIR...
            sohoa sign --pending (--data DIR | --server URL --token-env VAR) (--citizen ID | --case CASE | --all)
                (--p12 FILE --password-env VAR | --pkcs11-module LIB --token LABEL --pin-env VAR) [SIGNATURE OPTIONS]
            SIGNATURE OPTIONS: [--tsa URL [--level B-T|B-LT|B-LTA | --ltv]] [--role officer|approver] [--certify] [--reason TEXT]
                [--force] [--allow-unknown-revocation] [--json]
            """,
        discussion: """
            The key comes from a PKCS#12 file (--p12 with --password-env) or a PKCS#11 token \
            (--pkcs11-module with --token and --pin-env). Secrets are read from the environment \
            variables named, never from the command line; without one, on a terminal, Sohoa asks \
            for it without echo, and a mistyped one may be typed twice more. Each signature is a \
            PAdES baseline signature (ETSI.CAdES.detached, SHA-256), time-stamped (B-T) with --tsa, \
            and with --level B-LT (or --ltv) followed by the certificates and current CRLs or OCSP \
            answers of the signer's and the time-stamp authority's chains (B-LT); --level B-LTA \
            adds after those a document time-stamp over the whole file from the same authority, \
            the evidence that keeps the document verifiable once the certificates have expired \
            (see sohoa repo refresh). Signed copies go to --out under \
            the same names; a copy that already exists there is skipped, so an interrupted batch is \
            simply run again.

            Before the first document, Sohoa checks that the key signs, that no certificate of \
            the signer's chain is revoked (asking the CRL distribution point or OCSP responder the \
            certificate names), and that the time-stamp authority answers; any failure stops the \
            batch with one message and nothing is signed. A revoked key never signs. When the \
            revocation status cannot be fetched (an offline machine), --allow-unknown-revocation \
            signs anyway and says so in a warning; a verifier that cannot fetch it either will \
            call the signatures indeterminate.

            An officer signs a document first and once; an approver (--role approver) signs what \
            an officer signed. A document that already carries a signature is refused to an \
            officer, an unsigned one to an approver, each with the reason; --force signs it \
            anyway, with a warning.

            With --pending --data DIR, signs what waits in the repository instead of files: as \
            officer the documents pending signature (they become signed), as approver the signed \
            ones (they become approved), of one citizen (--citizen), one case (--case) or all \
            (--all). Each signed version is filed with its provenance and an audit entry; an \
            interrupted batch is run again and signs only what still waits. With --server URL \
            instead of --data, the repository is the central one behind sohoa serve: each waiting \
            version is fetched (and checked against its SHA-256), signed here with the key that \
            never leaves this machine, and sent back; the service files it only if the document \
            is still as it was when fetched, so of two signers racing, one files and the other \
            is told it was skipped. The access token is read from the variable --token-env names.

            --json prints one object instead of the lines: {"files": [{"path", "output", \
            "document", "version", "sha256", "signer", "signingTime", "timestamp", "outcome", \
            "code", "reason", "warning"}], "totals": {"documents", "signed", "skipped", "refused", \
            "failed", "seconds"}, "warnings": [...], "error"}; outcome is signed, skipped, refused \
            or failed; "error" ({"code", "message"}) is set when the batch could not start.

            Examples:
              sohoa sign --p12 officer.p12 --password-env P \\
                --tsa http://127.0.0.1:8318/ --out signed/ unsigned/
              sohoa sign --pkcs11-module /usr/lib/softhsm/libsofthsm2.so \\
                --token Officer --pin-env PIN --key-label officer \\
                --chain chain.pem --tsa http://127.0.0.1:8318/ --ltv --in-place a.pdf
              sohoa sign --pending --data /srv/sohoa --all --role approver \\
                --p12 leader.p12 --password-env P --tsa http://127.0.0.1:8318/ --ltv
              sohoa sign --pending --server https://kho.so.vn/ --token-env SOHOA_TOKEN --all \\
                --p12 officer.p12 --password-env P --tsa http://127.0.0.1:8318/ --ltv

            Exit status: 0 every document signed or already signed; 1 something was refused or \
            failed (a document, or the whole batch: the key or certificate cannot be used, it is \
            revoked or its status unknown, the time-stamp authority does not answer); 3 usage \
            error, an environment variable not set, or an input that does not exist.
            """
    )

    @OptionGroup(title: "Key in a PKCS#12 file")
    var p12Key: PKCS12KeyOptions

    @OptionGroup(title: "Key on a PKCS#11 token")
    var tokenKey: TokenKeyOptions

    @OptionGroup(title: "Signature")
    var signature: SignatureOptions

    @OptionGroup(title: "Files")
    var files: FileOptions

    @OptionGroup(title: "Documents waiting in the repository")
    var waiting: PendingOptions

    @Flag(help: "Print one JSON object (per document: path, output, sha256, signer, time-stamp, outcome; totals).")
    var json = false

    @Argument(parsing: .allUnrecognized, help: ArgumentHelp("PDF files or folders of them.", valueName: "PDF_OR_DIR"))
    var arguments: [String] = []

    /// The PDFs and folders named: the arguments, and after a `--` whatever follows.
    var pdfs: [String] {
        guard let end = arguments.firstIndex(of: "--") else { return arguments }
        return Array(arguments[..<end]) + Array(arguments[(end + 1)...])
    }

    func validate() throws {
        // Unknown options land among the arguments (parsed as everything unrecognised) and are
        // reported first, before what they may have made look wrong.
        let beforeEnd = arguments.prefix { $0 != "--" }
        if let unknown = beforeEnd.first(where: { $0.hasPrefix("-") && $0.count > 1 && !FileManager.default.fileExists(atPath: $0) }) {
            throw ValidationError("Unknown option '\(unknown)'")
        }
        guard (p12Key.p12 != nil) != (tokenKey.pkcs11Module != nil) else {
            throw ValidationError("give either --p12 FILE (with --password-env VAR) or --pkcs11-module LIB (with --token LABEL "
                                  + "and --pin-env VAR)")
        }
        if tokenKey.pkcs11Module != nil, tokenKey.token == nil { throw ValidationError("--pkcs11-module needs --token LABEL") }
        if p12Key.p12 != nil, tokenKey.token != nil || tokenKey.pinEnv != nil || tokenKey.keyLabel != nil {
            throw ValidationError("--token, --pin-env and --key-label go with --pkcs11-module, not with --p12")
        }
        if tokenKey.pkcs11Module != nil, p12Key.passwordEnv != nil {
            throw ValidationError("--password-env goes with --p12; a token's PIN is named with --pin-env")
        }
        if waiting.pending {
            guard (waiting.data != nil) != (waiting.server != nil) else {
                throw ValidationError("--pending needs the repository: --data DIR on this machine, or --server URL (with --token-env VAR)")
            }
            if let server = waiting.server {
                guard let url = URL(string: server), url.scheme == "http" || url.scheme == "https", url.host != nil else {
                    throw ValidationError("--server \(server) is not an http:// or https:// address")
                }
                guard waiting.tokenEnv != nil else { throw ValidationError("--server needs --token-env VAR, the variable holding the token") }
            } else if waiting.tokenEnv != nil {
                throw ValidationError("--token-env goes with --server")
            }
            guard pdfs.isEmpty, files.out == nil, !files.inPlace else {
                throw ValidationError("--pending signs what waits in the repository; it takes no PDFs, --out or --in-place")
            }
            guard [waiting.citizen != nil, waiting.caseID != nil, waiting.all].filter({ $0 }).count == 1 else {
                throw ValidationError("with --pending, say whose documents: --citizen ID, --case CASE or --all")
            }
            if let base = waiting.checkURLBase {
                guard let url = URL(string: base), url.scheme == "http" || url.scheme == "https", url.host != nil,
                      url.query == nil, url.fragment == nil else {
                    throw ValidationError("--check-url-base \(base) is not an http:// or https:// address (without ? or #)")
                }
                if signature.invisible { throw ValidationError("--check-url-base is the QR code's link; it does not go with --invisible") }
            }
            if let citizen = waiting.citizen { _ = try RepoCommand.parse { () throws(IdentifierError) in try OwnerID(citizen) } }
            if let caseID = waiting.caseID { _ = try RepoCommand.parse { () throws(IdentifierError) in try DossierCode(caseID) } }
        } else {
            guard waiting.data == nil, waiting.server == nil, waiting.tokenEnv == nil, waiting.citizen == nil, waiting.caseID == nil,
                  !waiting.all, waiting.checkURLBase == nil else {
                throw ValidationError("--data, --server, --token-env, --citizen, --case, --all and --check-url-base go with --pending")
            }
            guard (files.out != nil) != files.inPlace else { throw ValidationError("give either --out DIR or --in-place") }
            guard !pdfs.isEmpty else { throw ValidationError("name the PDFs (or folders of PDFs) to sign") }
        }
        if signature.invisible, signature.agency != nil || signature.seal != nil {
            throw ValidationError("--agency and --seal draw in the visible block; they do not go with --invisible")
        }
        if signature.role == .officer, signature.agency != nil || signature.seal != nil {
            throw ValidationError("--agency and --seal go into the approver's block: add --role approver")
        }
        if let tsa = signature.tsa, URL(string: tsa)?.scheme?.hasPrefix("http") != true {
            throw ValidationError("--tsa \(tsa) is not an http:// or https:// address")
        }
        if signature.ltv, signature.tsa == nil {
            throw ValidationError("--ltv needs --tsa URL: long-term validation data extends a time-stamped (B-T) signature")
        }
        if let level = signature.level {
            if signature.ltv, !level.addsValidationData {
                throw ValidationError("--ltv is --level B-LT; it does not go with --level \(level.rawValue)")
            }
            if level.needsTimeStampAuthority, signature.tsa == nil {
                throw ValidationError("--level \(level.rawValue) needs --tsa URL: its signatures are time-stamped")
            }
            if !level.needsTimeStampAuthority, signature.tsa != nil {
                throw ValidationError("--level B-B has no time-stamp; drop --tsa, or ask for --level B-T")
            }
        }
    }

    func run() async throws {
        let report = SignReport(json: json)
        do {
            let signer = try KeySource(p12: p12Key, token: tokenKey).open()
            let subject = signer.certificate.subject
            if waiting.pending {
                let desk = try await signingDesk()
                let pades = try prepare(signer, report: report)
                try await signPending(desk, with: pades, actor: subject, report: report)
            } else {
                let inputs = try expandedInputs()
                let pades = try prepare(signer, report: report)
                try signFiles(inputs, with: pades, report: report)
            }
        } catch let failure as SignFailure {
            report.batchFailed(code: failure.code, message: failure.message)
            throw CommandFailure(message: failure.message, exitCode: failure.exitCode)
        } catch let failure as CommandFailure {
            report.batchFailed(code: failure.exitCode == ExitStatus.usage ? "usage" : "refused", message: failure.message)
            throw failure
        }
    }

    /// The PDFs named, checked before anything is signed: every one exists, and no two would
    /// become the same signed copy.
    private func expandedInputs() throws -> [String] {
        let found: [String]
        do { found = try BatchSigner.expand(pdfs) } catch {
            throw SignFailure(code: "no-such-file", message: "sohoa sign: \(error)", exitCode: ExitStatus.usage)
        }
        if let out = files.out {
            let names = found.map { ($0 as NSString).lastPathComponent }
            if let clash = Dictionary(grouping: names, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
                throw SignFailure(code: "same-name", message: "sohoa sign: two documents are named \(clash); their signed copies "
                                     + "would be the same file in \(out). Sign them in separate batches.", exitCode: ExitStatus.usage)
            }
        }
        return found
    }

    /// The PAdES signer, once every pre-flight check passed (see `SignPreflight`).
    private func prepare(_ signer: any Signer, report: SignReport) throws -> PAdESSigner {
        let level = signature.effectiveLevel
        let preflight = SignPreflight(tsa: signature.tsa, ltv: level.addsValidationData,
                                      allowUnknownRevocation: signature.allowUnknownRevocation)
        let checked = try preflight.run(signer) { warning in report.warn(warning) }
        var documentTimeStamper: DocumentTimeStamper?
        if level.addsDocumentTimeStamp, let tsa = signature.tsa, let url = URL(string: tsa) {
            let authority = HTTPTimeStamper(url: url)
            do { documentTimeStamper = try DocumentTimeStamper.sized { digest in try authority.token(forSHA256: digest) }.0 } catch {
                throw SignFailure(code: "time-stamp-authority-unavailable", message: "sohoa sign: \(error). Nothing was signed.",
                                  exitCode: ExitStatus.refused)
            }
        }
        var block: VisibleBlock?
        if !signature.invisible {
            var seal: SealImage?
            if let path = signature.seal {
                do { seal = try SealImage(path: path) } catch {
                    throw SignFailure(code: "seal", message: "sohoa sign: \(error). Nothing was signed.", exitCode: ExitStatus.usage)
                }
            }
            block = VisibleBlock(role: signature.role, signer: signer.certificate, agency: signature.agency, seal: seal)
            do { _ = try block?.visibleSignature(signedAt: Date()) } catch {
                throw SignFailure(code: "appearance", message: "sohoa sign: \(error). Nothing was signed.", exitCode: ExitStatus.usage)
            }
        }
        return PAdESSigner(signer: signer, role: signature.role, reason: signature.reason, certify: signature.certify,
                           timeStamper: checked.timeStamper, validationData: checked.validationData,
                           documentTimeStamper: documentTimeStamper, visibleBlock: block)
    }

    /// Signs `inputs` into `--out`, or in place.
    private func signFiles(_ inputs: [String], with pades: PAdESSigner, report: SignReport) throws {
        if let out = files.out {
            do { try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true) } catch {
                throw SignFailure(code: "output-folder", message: "sohoa sign: \(out): the output folder cannot be made", exitCode: ExitStatus.usage)
            }
        }
        let batch = BatchSigner(signer: pades, outputFolder: files.out, force: signature.force)
        let lock: Int32?
        do { lock = try batch.claimOutputFolder() } catch {
            throw SignFailure(code: "output-folder-busy", message: "sohoa sign: \(error)", exitCode: ExitStatus.refused)
        }
        defer { if let lock { close(lock) } }
        let display = BatchDisplay(total: inputs.count, nameWidth: 40, quiet: json)
        let subject = pades.signer.certificate.subject
        let summary = batch.run(inputs) { _, file, outcome in
            let name = (file as NSString).lastPathComponent
            report.add(SignReport.Entry(path: file, outcome: outcome, signer: subject))
            switch outcome {
            case .signed(let output, _, let warning):
                if let warning { display.warn(name, forced(warning)) }
                display.show(name, line: "signed   \(name) → \(output)")
            case .skipped(let output): display.show(name, line: "skipped  \(name): \(output) is already signed")
            case .refused(let problem): display.show(name, refusal: "\(file): " + refusal(problem))
            case .failed(let reason): display.show(name, failure: reason)
            }
        }
        display.finish()
        try report.finish(summary, total: inputs.count, line: summaryLine(summary, total: inputs.count, verb: "signed"))
    }

    /// Where the waiting documents are: the repository in --data, or the service at --server
    /// (its token read from the variable --token-env names, never shown).
    private func signingDesk() async throws -> any SigningDesk {
        guard let server = waiting.server, let url = URL(string: server) else {
            return LocalDesk(repository: try await RepoCommand.open(waiting.data ?? "", passwordFile: waiting.databasePasswordFile,
                                                                    for: "sohoa sign"))
        }
        let variable = waiting.tokenEnv ?? ""
        guard let token = ProcessInfo.processInfo.environment[variable], !token.isEmpty else {
            throw SignFailure(code: "usage", message: "sohoa sign: the environment variable \(variable) is not set (it holds the access token)",
                              exitCode: ExitStatus.usage)
        }
        let home = ProcessInfo.processInfo.environment["HOME"] ?? NSTemporaryDirectory()
        let state = ProcessInfo.processInfo.environment["XDG_STATE_HOME"] ?? "\(home)/.local/state"
        return RemoteDesk(client: RepositoryClient(base: url, token: token), workFolder: "\(state)/sohoa/sign-work")
    }

    /// `--pending`: signs what waits in the repository.
    private func signPending(_ desk: any SigningDesk, with pades: PAdESSigner, actor: String, report: SignReport) async throws {
        let owner = try waiting.citizen.map { text in try RepoCommand.parse { () throws(IdentifierError) in try OwnerID(text) } }
        let dossier = try waiting.caseID.map { text in try RepoCommand.parse { () throws(IdentifierError) in try DossierCode(text) } }
        // The officer's block carries a QR code at the page's foot: the document's dossier, holder,
        // name, the issuing system and time, and with --check-url-base its public check link.
        let qrCode = signature.invisible ? nil : DocumentQRCode(checkURLBase: waiting.checkURLBase.flatMap(URL.init(string:)))
        let batch = PendingSigning(desk: desk, signer: pades, actor: actor, force: signature.force, qrCode: qrCode)
        let documents: [Document]
        do { documents = try await batch.waiting(owner: owner, dossier: dossier) } catch {
            throw SignFailure(code: "repository", message: "sohoa sign: \(error)", exitCode: ExitStatus.refused)
        }
        let role = signature.role
        if documents.isEmpty {
            let english = "Nothing is \(role == .officer ? "pending signature" : "waiting for approval")"
                + "\(owner.map { " for \($0)" } ?? "")\(dossier.map { " in \($0)" } ?? "")."
            let vietnamese = "Không có tài liệu nào \(role == .officer ? "chờ ký" : "chờ phê duyệt")"
                + "\(owner.map { " của \($0)" } ?? "")\(dossier.map { " trong hồ sơ \($0)" } ?? "")."
            report.say(DisplayLanguage.current.pick(vietnamese: vietnamese, english: english))
            try report.finish(BatchSummary(), total: 0, line: nil)
            return
        }
        let display = BatchDisplay(total: documents.count, nameWidth: 50, quiet: json)
        let signedWord = role == .officer ? "signed  " : "approved"
        let summary = await batch.run(documents) { document, outcome in
            let name = "\(document.id) \(document.title ?? "")"
            report.add(SignReport.Entry(document: document, outcome: outcome, signer: actor))
            switch outcome {
            case .signed(let version, _, let warning):
                if let warning { display.warn(name, forced(warning)) }
                display.show(name, line: "\(signedWord) \(name) → version \(version.number) \(version.hash)")
            case .skipped(let why): display.show(name, line: "skipped  \(name): \(why)")
            case .refused(let problem):
                display.show(name, refusal: "document \(document.id) (\(document.title ?? "untitled")): " + refusal(problem))
            case .failed(let reason): display.show(name, failure: reason)
            }
        }
        display.finish()
        try report.finish(summary, total: documents.count,
                          line: summaryLine(summary, total: documents.count, verb: role == .officer ? "signed" : "approved"))
    }

    /// Why a document was not signed, for the officer.
    private func refusal(_ problem: SignatureOrderProblem) -> String {
        DisplayLanguage.current.pick(vietnamese: "\(problem.vietnamese); --force để vẫn ký",
                                     english: "\(problem); --force signs it anyway")
    }

    /// Why a document signed with --force should not have been.
    private func forced(_ problem: SignatureOrderProblem) -> String {
        DisplayLanguage.current.pick(vietnamese: "đã ký dù \(problem.vietnamese) (--force)",
                                     english: "signed anyway (--force): \(problem)")
    }

    /// What a time-stamped batch's signatures carry beyond the time-stamp, for the closing line.
    static func levelWords(_ level: SignatureLevel, vietnamese: Bool) -> String {
        switch (level, vietnamese) {
        case (.longTerm, false): ", with long-term validation data"
        case (.longTerm, true): ", kèm dữ liệu kiểm tra dài hạn"
        case (.longTermArchive, false): ", with long-term validation data and a document time-stamp (B-LTA)"
        case (.longTermArchive, true): ", kèm dữ liệu kiểm tra dài hạn và dấu thời gian tài liệu (B-LTA)"
        default: ""
        }
    }

    /// The closing line, in the officer's language: counts, time, rate, and what the
    /// signatures carry. (The per-document lines above it stay English: scripts read them.)
    private func summaryLine(_ summary: BatchSummary, total: Int, verb: String) -> String {
        let time = String(format: "%.2f", summary.seconds)
        let rate = String(format: "%.1f", summary.rate)
        switch DisplayLanguage.current {
        case .english:
            let refused = summary.refused > 0 ? ", \(summary.refused) refused" : ""
            let extras = signature.tsa.map { ", time-stamped by \($0)" + Self.levelWords(signature.effectiveLevel, vietnamese: false) } ?? ""
            return "\(summary.signed) of \(total) \(verb), \(summary.skipped) skipped, \(summary.failed) failed\(refused) "
                + "in \(time) s (\(rate) documents/s)\(extras)"
        case .vietnamese:
            let done = verb == "approved" ? "đã duyệt" : "đã ký"
            let refused = summary.refused > 0 ? ", \(summary.refused) bị từ chối" : ""
            let extras = signature.tsa.map { ", có dấu thời gian của \($0)" + Self.levelWords(signature.effectiveLevel, vietnamese: true) } ?? ""
            return "\(done) \(summary.signed)/\(total) tài liệu, \(summary.skipped) bỏ qua (đã ký từ trước), "
                + "\(summary.failed) lỗi\(refused), trong \(time) giây (\(rate) tài liệu/giây)\(extras)"
        }
    }
}

/// `--p12 FILE --password-env VAR`.
struct PKCS12KeyOptions: ParsableArguments {
    @Option(help: ArgumentHelp("PKCS#12 file holding the signing key and certificate.", valueName: "FILE"))
    var p12: String?

    @Option(help: ArgumentHelp("Environment variable holding the PKCS#12 password (without it, asked at a terminal).",
                               valueName: "VAR"))
    var passwordEnv: String?
}

/// `--pkcs11-module LIB --token LABEL --pin-env VAR [--key-label L] [--chain PEM]`.
struct TokenKeyOptions: ParsableArguments {
    @Option(help: ArgumentHelp("PKCS#11 module (token driver) to load.", valueName: "LIB"))
    var pkcs11Module: String?

    @Option(help: ArgumentHelp("Label of the PKCS#11 token.", valueName: "LABEL"))
    var token: String?

    @Option(help: ArgumentHelp("Environment variable holding the token PIN (without it, asked at a terminal).",
                               valueName: "VAR"))
    var pinEnv: String?

    @Option(help: ArgumentHelp("Label of the key on the token.", valueName: "L"))
    var keyLabel: String?

    @Option(help: ArgumentHelp("Certificates above the token's signing certificate (PEM).", valueName: "PEM"))
    var chain: String?
}

/// What every signature of the batch is.
struct SignatureOptions: ParsableArguments {
    @Option(help: ArgumentHelp("RFC 3161 time-stamp authority to time-stamp each signature.", valueName: "URL"))
    var tsa: String?

    @Flag(help: "Add long-term validation data (certificates, CRLs or OCSP answers of both chains) after each signature; needs --tsa. The same as --level B-LT.")
    var ltv = false

    @Option(help: ArgumentHelp("PAdES level: B-B, B-T (needs --tsa), B-LT, or B-LTA (B-LT and a document time-stamp over the whole file).",
                               valueName: "LEVEL"))
    var level: SignatureLevel?

    /// The level asked for, by --level or by --tsa and --ltv.
    var effectiveLevel: SignatureLevel {
        if let level { return level }
        if tsa != nil { return ltv ? .longTerm : .timeStamped }
        return .basic
    }

    @Option(help: "Who signs: officer (first signature) or approver (second).")
    var role: SigningRole = .officer

    @Flag(help: "Certify the document (DocMDP P=2): afterwards only signing and form filling are allowed.")
    var certify = false

    @Option(help: ArgumentHelp("Reason written into the signature.", valueName: "TEXT"))
    var reason: String?

    @Flag(help: """
        Sign without a visible block. By default the officer's block (name, role, signing time, the mark of \
        conversion from paper) goes top left of page 1 and the approver's (agency, signing time) top right, \
        on blank paper only.
        """)
    var invisible = false

    @Option(help: ArgumentHelp("The agency's name in the approver's block (default: the certificate's organisation).",
                               valueName: "NAME"))
    var agency: String?

    @Option(help: ArgumentHelp("The agency's seal (PNG, transparency kept), drawn over the approver's block's left third.",
                               valueName: "PNG"))
    var seal: String?

    @Flag(help: "Sign even a document whose signatures do not fit the role (an unsigned one as approver, a signed one as officer), with a warning.")
    var force = false

    @Flag(help: """
        Sign when the certificate's revocation status cannot be fetched (an offline machine), with a warning. \
        A certificate known to be revoked never signs.
        """)
    var allowUnknownRevocation = false
}

/// Where signed copies go.
struct FileOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Folder for the signed copies.", valueName: "DIR"))
    var out: String?

    @Flag(help: "Sign the files where they are instead of writing copies to --out.")
    var inPlace = false
}

/// `--pending (--data DIR | --server URL --token-env VAR) (--citizen ID | --case CASE | --all)`.
struct PendingOptions: ParsableArguments {
    @Flag(help: "Sign the documents waiting in the repository (with --data, or --server).")
    var pending = false

    @Option(help: ArgumentHelp("Repository folder, with --pending.", valueName: "DIR"))
    var data: String?

    @Option(help: ArgumentHelp("With --pending: the central repository's service (sohoa serve), instead of --data.",
                               valueName: "URL"))
    var server: String?

    @Option(help: ArgumentHelp("With --server: the environment variable holding the access token (sohoa access add).",
                               valueName: "VAR"))
    var tokenEnv: String?

    @Option(help: ArgumentHelp("With --pending: a file holding the database password (a repository in PostgreSQL).",
                               valueName: "FILE"))
    var databasePasswordFile: String?

    @Option(help: ArgumentHelp("With --pending: only this citizen's or organisation's documents.", valueName: "ID"))
    var citizen: String?

    @Option(name: .customLong("case"), help: ArgumentHelp("With --pending: only this case's documents.", valueName: "CASE"))
    var caseID: String?

    @Option(help: ArgumentHelp("With --pending: the public check page's address (sohoa serve), linked from the QR code as "
                               + "URL/v/CODE.", valueName: "URL"))
    var checkURLBase: String?

    @Flag(help: "With --pending: every waiting document.")
    var all = false
}
