import ArgumentParser
import Foundation
import SohoaCrypto
import SohoaFiles
import SohoaPipeline
import SohoaRepository
import SohoaSigning

/// Why `sohoa sign` stops before or outside the documents, with a stable code for `--json`.
struct SignFailure: Error {
    /// Stable, for scripts: "certificate-revoked", "revocation-unknown", "time-stamp-authority-unavailable", …
    let code: String
    let message: String
    let exitCode: Int32
    /// A password or PIN was refused (it may be typed again at a terminal).
    var wrongSecret = false
}

/// What `sohoa sign` reports: lines for people, or with `--json` one object at the end
/// (`{"files", "totals", "warnings", "error"}`; README, *Signing*).
final class SignReport: @unchecked Sendable {
    // Sendable: the batch calls `add` under its own lock, one call at a time.
    let json: Bool
    private var entries: [Entry] = []
    private var warnings: [String] = []
    private let lock = NSLock()

    init(json: Bool) {
        self.json = json
    }

    /// One document's line in the JSON.
    struct Entry: ContractJSON {
        /// The input file; nil for a document of the repository.
        var path: String?
        /// The signed copy; nil when none was written.
        var output: String?
        /// The repository's document id, with `--pending`.
        var document: String?
        /// The new version's number, with `--pending`.
        var version: Int?
        /// SHA-256 of the signed file.
        var sha256: String?
        var signer: String
        /// The claimed signing time, ISO 8601 UTC.
        var signingTime: String?
        /// The time-stamp's time, ISO 8601 UTC; nil without --tsa.
        var timestamp: String?
        /// signed, skipped, refused or failed.
        var outcome: String
        /// A stable code for a refusal.
        var code: String?
        var reason: String?
        /// Signed despite a refusal's reason (with --force).
        var warning: String?
        /// Where the visible block went and by which rule; nil for an invisible signature.
        var appearance: Appearance?
        /// Where the QR code went (with `--pending`), nil when there is none.
        var qrCode: Appearance?

        struct Appearance: Encodable {
            /// 1-based.
            let page: Int
            /// [x0, y0, x1, y1] in points, the page's default user space.
            let rect: [Double]
            let rule: String
        }



        init(path: String, outcome: BatchOutcome, signer: String) {
            self.path = path
            self.signer = signer
            self.outcome = ""
            switch outcome {
            case .signed(let output, let file, let warning):
                self.output = output
                signed(file, warning: warning)
            case .skipped(let output):
                self.outcome = "skipped"
                self.output = output
                self.reason = "\(output) is already signed"
            case .refused(let problem): refused(problem)
            case .failed(let reason): failed(reason)
            }
        }

        init(document: Document, outcome: PendingSigning.Outcome, signer: String) {
            self.document = document.id.rawValue
            self.signer = signer
            self.outcome = ""
            switch outcome {
            case .signed(let version, let file, let warning):
                self.version = version.number
                signed(file, warning: warning)
            case .skipped(let why):
                self.outcome = "skipped"
                self.reason = why
            case .refused(let problem): refused(problem)
            case .failed(let reason): failed(reason)
            }
        }

        private mutating func signed(_ file: SignedFile, warning: SignatureOrderProblem?) {
            outcome = "signed"
            fill(file)
            self.warning = warning?.description
            code = warning?.code
        }

        private mutating func refused(_ problem: SignatureOrderProblem) {
            outcome = "refused"
            code = problem.code
            reason = problem.description
        }

        private mutating func failed(_ reason: String) {
            outcome = "failed"
            code = "signing-failed"
            self.reason = reason
        }

        private mutating func fill(_ file: SignedFile) {
            sha256 = Hex.string(file.sha256)
            signingTime = SignReport.utc(file.signingTime)
            timestamp = file.timeStampTime.map(SignReport.utc)
            let placed = file.placements.map { placement in
                Appearance(page: placement.pageIndex + 1,
                           rect: [placement.rect.minX, placement.rect.minY, placement.rect.maxX, placement.rect.maxY],
                           rule: placement.rule)
            }
            appearance = placed.first
            qrCode = placed.dropFirst().first
        }
    }

    private struct Totals: Encodable {
        let documents, signed, skipped, refused, failed: Int
        let seconds: Double
    }

    private struct BatchError: Encodable {
        let code: String
        let message: String
    }

    private struct Summary: ContractJSON {
        let files: [Entry]
        let totals: Totals
        let warnings: [String]
        let error: BatchError?
    }

    static func utc(_ date: Date) -> String {
        ISO8601Text.string(date)
    }

    /// Something the officer should know before the batch runs: on standard error, and in the JSON.
    func warn(_ message: String) {
        Output.error(message)
        lock.withLock { warnings.append(message) }
    }

    /// A line for people (not printed with `--json`).
    func say(_ line: String) {
        if !json { print(line) }
    }

    /// One document done.
    func add(_ entry: Entry) {
        lock.withLock { entries.append(entry) }
    }

    /// The end of a batch: the closing line, or the JSON object. Exit 1 when a document was
    /// refused or failed.
    func finish(_ summary: BatchSummary, total: Int, line: String?) throws {
        if json {
            print(Self.encode(Summary(files: entries, totals: totals(summary, total: total), warnings: warnings, error: nil)))
        } else if let line {
            print(line)
        }
        if summary.failed > 0 || summary.refused > 0 { throw ExitCode(ExitStatus.refused) }
    }

    /// The batch could not start or go on: with `--json`, the object says why (the message
    /// also goes to standard error).
    func batchFailed(code: String, message: String) {
        guard json else { return }
        print(Self.encode(Summary(files: entries, totals: totals(BatchSummary(), total: 0), warnings: warnings,
                                  error: BatchError(code: code, message: message))))
    }

    private func totals(_ summary: BatchSummary, total: Int) -> Totals {
        Totals(documents: total, signed: summary.signed, skipped: summary.skipped, refused: summary.refused,
               failed: summary.failed, seconds: (summary.seconds * 1000).rounded() / 1000)
    }

    private static func encode(_ summary: Summary) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(summary)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
