import ArgumentParser
import Foundation
import SohoaCrypto
import SohoaVerification

/// `sohoa verify`: the auditors' validator.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify every signature in every PDF named (a folder means every PDF below it).",
        usage: "sohoa verify [--trust FILE_OR_DIR]... [--json] [--lang vi|en] [--at TIME] [--offline] PATH...",
        discussion: """
            Each signature is checked for structure (its signed range, and what changed in the \
            file after it), cryptography (digest, signature value, signing certificate), trust \
            (a chain to a --trust anchor at the time a valid time-stamp proves, or now), \
            revocation (CRLs in the document first, then fetched unless --offline) and its \
            time-stamp. Exit status: 0 every file is signed and every signature is valid; 1 at \
            least one signature is invalid or a file was modified in a way its signatures do not \
            allow; 2 nothing invalid, but at least one signature could not be shown valid \
            (untrusted or incomplete chain, revocation unknown, file unsigned); 3 usage error or \
            unreadable input (when nothing is invalid).

            --json prints {"files": [{"path", "sha256", "verdict", "signatures": [{"field", \
            "signer", "signingTime", "timestamp", "coversWholeDocument", "integrity", "chain", \
            "revocation", "modificationsAfter", "verdict", "reasons", "reasonCodes", …}], \
            "problems", "problemCodes"}], "errors": [{"path", "reason", "code"}]}: every message \
            has a stable code beside it (reasonCodes, problemCodes, code).

            Examples:
              sohoa verify --trust root-ca.pem signed/
              sohoa verify --trust /etc/sohoa/trust/ --json result.pdf > report.json
              sohoa verify --trust root-ca.pem --offline --at 2026-11-24T09:30:00Z old/
            """
    )

    @Option(help: ArgumentHelp("Trust anchors: PEM or DER certificate files, or folders of them.",
                               valueName: "FILE_OR_DIR"))
    var trust: [String] = []

    @Flag(help: "Print one JSON object with a verdict per file and per signature.")
    var json = false

    @Option(help: ArgumentHelp("Language of the report: vi or en (default: from the locale).", valueName: "LANG"))
    var lang: String?

    @Option(help: ArgumentHelp("Validate at this time (ISO 8601) when no time-stamp proves an earlier one.",
                               valueName: "TIME"))
    var at: String?

    @Flag(help: "Never fetch revocation data; use only what the documents carry.")
    var offline = false

    @Argument(help: ArgumentHelp("PDF files or folders.", valueName: "PATH"))
    var paths: [String]

    func validate() throws {
        if let lang, ReportLanguage(rawValue: lang) == nil { throw ValidationError("--lang is vi or en, not \(lang)") }
        if let at, Self.parseTime(at) == nil {
            throw ValidationError("--at \(at) is not a time like 2026-11-24T09:30:00Z")
        }
        guard !paths.isEmpty else { throw ValidationError("name the PDFs (or folders of PDFs) to verify") }
    }

    func run() throws {
        let language = lang.flatMap(ReportLanguage.init(rawValue:)) ?? ReportLanguage.fromEnvironment()
        let anchors: TrustAnchors
        do { anchors = try TrustAnchors(loading: trust) } catch {
            throw CommandFailure(message: "sohoa verify: \(error)", exitCode: ExitStatus.usage)
        }
        let policy = VerificationPolicy(anchors: anchors, at: at.flatMap(Self.parseTime),
                                        fetcher: offline ? nil : RevocationFetcher(timeout: 5))
        let (files, missing) = VerificationRunner.expand(paths)
        let start = Date()
        let runner = VerificationRunner(verifier: DocumentVerifier(policy: policy, language: language))
        let printsAsItGoes = !json
        let results = runner.run(files) { _, result in
            guard printsAsItGoes else { return }
            switch result {
            case .success(let report): print(TextReport.render(report, language) + "\n")
            case .failure(let error): Output.error("\(error.path): \(error.reason)")
            }
        }
        var reports: [FileReport] = []
        var errors = missing.map {
            VerificationRun.InputError(path: $0, reason: language == .vi ? "không có tệp hay thư mục này" : "no such file or folder",
                                       code: .noSuchFile)
        }
        for result in results {
            switch result {
            case .success(let report): reports.append(report)
            case .failure(let error): errors.append(.init(path: error.path, reason: error.reason, code: error.kind))
            }
        }
        if !json { missing.forEach { Output.error("\($0): \(language == .vi ? "không có tệp hay thư mục này" : "no such file or folder")") } }
        let run = VerificationRun(files: reports, errors: errors)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(run), as: UTF8.self))
        } else {
            print(TextReport.summary(run, seconds: Date().timeIntervalSince(start), language))
        }
        let verdicts = reports.map(\.verdict)
        if verdicts.contains(.invalid) { throw ExitCode(VerifyExitCode.invalid.rawValue) }
        if !errors.isEmpty || files.isEmpty { throw ExitCode(VerifyExitCode.usageOrUnreadable.rawValue) }
        let code = VerifyExitCode.forFiles(verdicts)
        if code != .allValid { throw ExitCode(code.rawValue) }
    }

    static func parseTime(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withFullDate]
        return formatter.date(from: text)
    }
}
