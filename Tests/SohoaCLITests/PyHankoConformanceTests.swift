import Foundation
import SohoaTestSupport
import Testing

/// `sohoa verify` measured against pyHanko's own signed test PDFs and what pyHanko's tests expect
/// of them. `Tests/Fixtures/pyhanko_conformance.py` takes the files from pyHanko's source
/// distribution (pip, into `.build/pyhanko-sdist/`; nothing of pyHanko is committed) and writes a
/// manifest: per file, the test CA roots it needs and, per signature, what the pyHanko tests
/// named in it assert (`accepted`: intact and every later change allowed; `disallowed`: a change
/// pyHanko calls sneaky, or a signature it refuses; `not-accepted`: pyHanko's bottom line is
/// false without tampering). Every file is then verified offline with those roots, at the time
/// the pyHanko test froze (or now), and Sohoa's verdict is compared with what matters there:
/// integrity, the changes it does not allow, and `invalid` against not.
@Suite(.serialized) struct PyHankoConformanceTests {
    /// Files whose Sohoa verdict does not agree with pyHanko's tests yet, and why. The test fails
    /// when a file disagrees that is not listed here, and when a listed file agrees: then remove
    /// it from the list.
    static let knownDisagreements: [(file: String, reason: String)] = [
        ("ed448-shake256-nolen.pdf", "Ed448 with SHAKE256: Sohoa supports neither (indeterminate, unsupported-algorithm)"),
    ]

    /// The manifest and Sohoa's reports, made once for the suite's tests.
    static let corpus = Result<Corpus, any Error> { try Corpus.make() }

    @Test func whatPyHankoCallsSneakyOrRefusesIsNeverValid() throws {
        let corpus = try Self.corpus.get()
        let judged = corpus.rows.filter { $0.entry.expect == "invalid" || $0.entry.expect == "not-valid" }
        #expect(judged.count == 11, "pyHanko's tests flag 6 files as tampered with or refused and 5 as not accepted")
        for row in judged {
            let file = try #require(row.report, "\(row.name): Sohoa reports nothing (\(row.error ?? ""))")
            #expect(file.verdict != "valid", "\(row.name): pyHanko's tests do not accept it, Sohoa calls it valid")
            for expected in row.entry.signatures ?? [] where expected.expect != nil {
                let signature = file.signature(expected.field)
                #expect(signature?.verdict != "valid",
                        "\(row.name) \(expected.field ?? "?"): pyHanko: \(expected.pyhanko ?? ""); Sohoa calls it valid")
            }
        }
    }

    @Test func pyHankosExpectationsHoldSaveTheKnownDisagreements() throws {
        let corpus = try Self.corpus.get()
        let judged = corpus.rows.filter { $0.entry.expect != "none" }
        #expect(judged.count == 32, "32 signed files have an expectation grounded in a pyHanko test")
        print(corpus.table(known: Self.knownDisagreements))
        let known = Dictionary(Self.knownDisagreements.map { ($0.file, $0.reason) }) { first, _ in first }
        for row in judged {
            let disagreement = row.disagreement
            if let reason = known[row.name] {
                #expect(disagreement != nil,
                        "\(row.name) now agrees with pyHanko's tests: remove it from knownDisagreements (\(reason))")
            } else {
                #expect(disagreement == nil, "\(row.name): expected \(row.entry.expect), \(disagreement ?? "")")
            }
        }
        let names = Set(judged.map(\.name))
        for item in Self.knownDisagreements {
            #expect(names.contains(item.file), "\(item.file) in knownDisagreements is not a judged file of the corpus")
        }
    }

    @Test func everyOtherTestFileIsReadWithoutCrashAndNoneIsValid() throws {
        let corpus = try Self.corpus.get()
        #expect(corpus.rows.count == 132, "pyHanko 0.38.0 ships 132 test PDFs")
        #expect(corpus.statuses.allSatisfy { (0...3).contains($0) }, "sohoa verify exits 0...3: \(corpus.statuses)")
        for row in corpus.rows where row.entry.expect == "none" {
            #expect(row.report != nil || row.error != nil, "\(row.name): Sohoa reports neither a verdict nor an error")
            #expect(row.report?.verdict != "valid", "\(row.name) (\(row.entry.kind)): no pyHanko test accepts it")
        }
    }
}

/// What pyhanko_conformance.py writes.
struct Manifest: Decodable {
    let files: [Entry]

    struct Entry: Decodable {
        let file: String
        let kind: String
        let expect: String
        let trust: [String]?
        let at: String?
        let tests: [String]?
        let note: String?
        let signatures: [Signature]?
    }

    struct Signature: Decodable {
        let index: Int
        let field: String?
        let expect: String?
        let pyhanko: String?
    }
}

/// The parts of `sohoa verify --json` compared here.
struct VerifyReport: Decodable {
    let files: [File]
    let errors: [InputError]

    struct InputError: Decodable {
        let path: String
        let reason: String
    }

    struct File: Decodable {
        let path: String
        let verdict: String
        let problems: [String]?
        let signatures: [Signature]

        func signature(_ field: String?) -> Signature? { signatures.first { $0.field == field } }
    }

    struct Signature: Decodable {
        let field: String?
        let integrity: String?
        let verdict: String
        let reasonCodes: [String]?
        let modificationsAfter: [Change]?

        var disallowed: [Change] { (modificationsAfter ?? []).filter { !$0.allowed } }
    }

    struct Change: Decodable {
        let action: String
        let what: String
        let object: Int?
        let allowed: Bool
    }
}

/// One test PDF: what pyHanko's tests expect and what Sohoa said.
struct ConformanceRow: Sendable {
    let entry: Manifest.Entry
    let report: VerifyReport.File?
    let error: String?

    var name: String { String(entry.file.dropFirst("pdf/".count)) }

    /// Why Sohoa's verdict does not agree with the expectation; nil when it agrees.
    var disagreement: String? {
        guard let report else { return "Sohoa reports no verdict: \(error ?? "nothing")" }
        let reasons = (entry.signatures ?? []).compactMap { expected -> String? in
            guard let kind = expected.expect else { return nil }
            let field = expected.field ?? "signature \(expected.index)"
            guard let signature = report.signature(expected.field) else { return "\(field): Sohoa reports no such signature" }
            let agrees = switch kind {
            case "accepted": signature.integrity == "intact" && signature.disallowed.isEmpty && signature.verdict != "invalid"
            case "disallowed": signature.verdict == "invalid"
            default: signature.verdict != "valid"  // not-accepted
            }
            return agrees ? nil : "\(field): \(Self.describe(signature))"
        }
        return reasons.isEmpty ? nil : reasons.joined(separator: "; ")
    }

    /// A signature's verdict in one line: verdict, integrity, reason codes, the changes not allowed.
    static func describe(_ signature: VerifyReport.Signature) -> String {
        var text = "\(signature.verdict), \(signature.integrity ?? "no integrity"), [\((signature.reasonCodes ?? []).joined(separator: ", "))]"
        let changes = signature.disallowed.map { "\($0.action) \($0.what)\($0.object.map { " \($0)" } ?? "")" }
        if !changes.isEmpty {
            text += " not allowed: " + changes.prefix(6).joined(separator: ", ")
                + (changes.count > 6 ? " (+\(changes.count - 6))" : "")
        }
        return text
    }
}

/// The manifest built from pyHanko's sdist and Sohoa's report on every file in it.
struct Corpus: Sendable {
    let rows: [ConformanceRow]
    let statuses: [Int32]

    static func make() throws -> Corpus {
        let folder = Fixtures.packageRoot.appendingPathComponent(".build/pyhanko-conformance")
        try? FileManager.default.removeItem(at: folder)
        let script = Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/pyhanko_conformance.py").path
        let made = try Run.process(Tools.python, [script, "--out", folder.path])
        guard made.status == 0 else {
            throw Tools.Missing(description: "pyhanko_conformance.py failed: \(made.stderr.suffix(2000))")
        }
        let manifest = try JSONDecoder().decode(Manifest.self,
                                                from: Data(contentsOf: folder.appendingPathComponent("manifest.json")))
        let sohoa = Fixtures.productsDirectory.appendingPathComponent("sohoa").path
        // One run per set of anchors and validation time; a file's path is its key in the report.
        let groups = Dictionary(grouping: manifest.files) { entry in
            [entry.at ?? ""] + (entry.trust ?? [])
        }
        var reports: [String: VerifyReport.File] = [:]
        var errors: [String: String] = [:]
        var statuses: [Int32] = []
        for (key, entries) in groups.sorted(by: { $0.key.joined() < $1.key.joined() }) {
            var arguments = ["verify", "--json", "--offline", "--lang", "en"]
            if !key[0].isEmpty { arguments += ["--at", key[0]] }
            for anchor in key.dropFirst() { arguments += ["--trust", folder.appendingPathComponent(anchor).path] }
            arguments += entries.map { folder.appendingPathComponent($0.file).path }
            let result = try Run.process(sohoa, arguments)
            statuses.append(result.status)
            let report = try JSONDecoder().decode(VerifyReport.self, from: Data(result.stdout.utf8))
            for file in report.files { reports[file.path] = file }
            for error in report.errors { errors[error.path] = error.reason }
        }
        let rows = manifest.files.map { entry in
            let path = folder.appendingPathComponent(entry.file).path
            return ConformanceRow(entry: entry, report: reports[path], error: errors[path])
        }
        return Corpus(rows: rows, statuses: statuses)
    }

    /// The verdict table: every file with an expectation, agreed or not and why.
    func table(known: [(file: String, reason: String)]) -> String {
        let knownFiles = Set(known.map(\.file))
        let judged = rows.filter { $0.entry.expect != "none" }
        let agreed = judged.filter { $0.disagreement == nil }
        var lines = ["pyHanko conformance: \(judged.count) signed files with an expectation from pyHanko's tests: "
                     + "\(agreed.count) agreed, \(judged.count - agreed.count) disagreed "
                     + "(\(rows.count) test PDFs in all)"]
        let width = judged.map(\.name.count).max() ?? 0
        for row in judged.sorted(by: { ($0.disagreement == nil ? 0 : 1, $0.name) < ($1.disagreement == nil ? 0 : 1, $1.name) }) {
            let verdict = row.report?.verdict ?? "none"
            let status: String
            if let why = row.disagreement {
                status = (knownFiles.contains(row.name) ? "DISAGREED (known) " : "DISAGREED ") + why
            } else {
                status = "agreed"
            }
            lines.append("  \(row.name.padding(toLength: width, withPad: " ", startingAt: 0))  "
                         + "\(row.entry.expect.padding(toLength: 20, withPad: " ", startingAt: 0)) "
                         + "\(verdict.padding(toLength: 13, withPad: " ", startingAt: 0)) \(status)")
        }
        let others = rows.filter { $0.entry.expect == "none" }
        let byKind = Dictionary(grouping: others, by: \.entry.kind).map { kind, rows in
            "\(kind) \(rows.count) (" + Dictionary(grouping: rows) { $0.report?.verdict ?? "error" }
                .map { "\($0.key) \($0.value.count)" }.sorted().joined(separator: ", ") + ")"
        }.sorted()
        lines.append("  no expectation: " + byKind.joined(separator: "; "))
        return lines.joined(separator: "\n")
    }
}
