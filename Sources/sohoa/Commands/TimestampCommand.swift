import ArgumentParser
import Foundation
import SohoaCrypto
import SohoaSigning
import SohoaVerification

/// `sohoa timestamp`: renews the evidence signed PDFs carry (an archive time-stamp, PAdES B-LTA).
struct TimestampCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timestamp",
        abstract: "Keep signed PDFs verifiable: add validation data and a new document time-stamp (PAdES B-LTA).",
        usage: "sohoa timestamp --tsa URL [--trust FILE_OR_DIR]... [--json] PDF_OR_DIR...",
        discussion: """
            Each file is first verified (with --trust, fetching revocation data): only a file \
            whose every signature is valid now is renewed, so that the evidence added proves \
            something true; any other is refused with the verifier's reasons and left as it is. \
            Then two incremental updates are appended: the certificates of every signature's \
            and every time-stamp's chain with a current CRL or OCSP answer for each (what the \
            document already holds is not added again), and a document time-stamp from --tsa \
            over the whole file. What was signed does not change and every earlier signature \
            stays valid. Renew before the newest time-stamp's certificate expires (sohoa repo \
            refresh does it for the whole repository). The file is replaced only once both \
            updates are written: a renewal cut short leaves it as it was.

            --json prints {"files": [{"path", "outcome", "reason", "timestamp", "bytesAdded"}]}; \
            outcome is time-stamped, refused or failed.

            Examples:
              sohoa timestamp --tsa http://tsa.so.vn/ --trust /etc/sohoa/trust/ archive/2026/
              sohoa timestamp --tsa http://127.0.0.1:8318/ --trust root-ca.pem quyet-dinh.pdf

            Exit status: 0 every file renewed, 1 a file refused (not valid now) or not renewed \
            (the authority or revocation data could not be had), 3 usage error.
            """
    )
    static let name = "sohoa timestamp"

    @Option(help: ArgumentHelp("The RFC 3161 time-stamp authority.", valueName: "URL"))
    var tsa: String

    @Option(help: ArgumentHelp("Trust anchors for the verification first: PEM or DER files, or folders.", valueName: "FILE_OR_DIR"))
    var trust: [String] = []

    @Flag(help: "Print JSON.") var json = false

    @Argument(help: ArgumentHelp("Signed PDFs, or folders of them.", valueName: "PDF_OR_DIR"))
    var paths: [String] = []

    func validate() throws {
        guard URL(string: tsa)?.scheme?.hasPrefix("http") == true else {
            throw ValidationError("--tsa \(tsa) is not an http:// or https:// address")
        }
        guard !paths.isEmpty else { throw ValidationError("name the signed PDFs (or folders of them) to time-stamp") }
    }

    struct Outcome: ContractJSON {
        let path: String
        let outcome: String
        let reason: String?
        let timestamp: Date?
        let bytesAdded: Int?
    }

    func run() throws {
        let anchors: TrustAnchors
        do { anchors = try TrustAnchors(loading: trust) } catch {
            throw CommandFailure(message: "\(Self.name): \(error)", exitCode: ExitStatus.usage)
        }
        let files: [String]
        do { files = try BatchSigner.expand(paths) } catch {
            throw CommandFailure(message: "\(Self.name): \(error)", exitCode: ExitStatus.usage)
        }
        guard let url = URL(string: tsa) else { throw ExitCode(ExitStatus.usage) }
        let fetcher = RevocationFetcher(timeout: 10)
        let verifier = DocumentVerifier(policy: VerificationPolicy(anchors: anchors, fetcher: fetcher), language: .en)
        let authority = HTTPTimeStamper(url: url)
        let stamper: DocumentTimeStamper
        do { stamper = try DocumentTimeStamper.sized { digest in try authority.token(forSHA256: digest) }.0 } catch {
            throw CommandFailure(message: "\(Self.name): \(error); nothing was time-stamped", exitCode: ExitStatus.refused)
        }
        let renewal = ArchiveRenewal(validationData: ValidationDataCollector(fetcher: fetcher), stamper: stamper,
                                     anchors: anchors.certificates)
        var outcomes: [Outcome] = []
        for file in files {
            let outcome = renew(file, verifier: verifier, renewal: renewal)
            outcomes.append(outcome)
            guard !json else { continue }
            switch outcome.outcome {
            case "time-stamped":
                print("time-stamped \(file): document time-stamp at \(outcome.timestamp.map { LocalTime.string($0) } ?? "?"), "
                      + "\(outcome.bytesAdded ?? 0) bytes added")
            default:
                Output.error("\(Self.name): \(file): \(outcome.reason ?? "not time-stamped")")
            }
        }
        if json { print(try RepoCommand.json(["files": outcomes])) }
        if outcomes.contains(where: { $0.outcome != "time-stamped" }) { throw ExitCode(ExitStatus.refused) }
    }

    /// Verifies `file`, then renews it when every signature is valid now.
    private func renew(_ file: String, verifier: DocumentVerifier, renewal: ArchiveRenewal) -> Outcome {
        let report: FileReport
        do { report = try verifier.verify(path: file) } catch {
            return Outcome(path: file, outcome: "refused", reason: error.reason, timestamp: nil, bytesAdded: nil)
        }
        guard report.verdict != .unsigned else {
            return Outcome(path: file, outcome: "refused", reason: "it has no signature, so there is nothing to keep verifiable",
                           timestamp: nil, bytesAdded: nil)
        }
        guard report.verdict == .valid else {
            let reasons = report.reasonsNotValid
            return Outcome(path: file, outcome: "refused",
                           reason: "not time-stamped: it is \(report.verdict.rawValue) now"
                               + (reasons.isEmpty ? "" : " (" + reasons.joined(separator: "; ") + ")")
                               + "; a renewal proves only what holds",
                           timestamp: nil, bytesAdded: nil)
        }
        do {
            let renewed = try renewal.renew(fileAt: file)
            return Outcome(path: file, outcome: "time-stamped", reason: nil, timestamp: renewed.time, bytesAdded: renewed.bytesAdded)
        } catch {
            return Outcome(path: file, outcome: "failed", reason: "\(error)", timestamp: nil, bytesAdded: nil)
        }
    }
}
