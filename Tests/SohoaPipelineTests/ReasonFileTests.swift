import Foundation
import Logging
import SohoaPipeline
import SohoaRepository
import SohoaTestSupport
import Testing

/// The reason files beside refused items: the same detail in Vietnamese and in English, no
/// English inside the Vietnamese part, nothing said twice; a duplicate names the document its
/// first copy was filed as, and that document's state.
@Suite struct ReasonFileTests {
    let caseFolder = IntakeSetup.caseFolder

    /// A reason file cut into its four parts.
    struct Reason {
        let vietnamese: String, english: String, vietnameseAdvice: String, englishAdvice: String

        init(_ path: String) throws {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            func between(_ start: String, _ end: String?) throws -> String {
                let from = try #require(text.range(of: start), "\(start) in \(text)").upperBound
                guard let end else { return String(text[from...]).trimmingCharacters(in: .whitespacesAndNewlines) }
                let to = try #require(text.range(of: end, range: from..<text.endIndex), "\(end) in \(text)").lowerBound
                return String(text[from..<to]).trimmingCharacters(in: .whitespacesAndNewlines)
            }
            vietnamese = try between("Vấn đề:\n", "What was wrong:\n")
            english = try between("What was wrong:\n", "Cần làm gì:\n")
            vietnameseAdvice = try between("Cần làm gì:\n", "What to do:\n")
            englishAdvice = try between("What to do:\n", nil)
        }

        /// English words found in the Vietnamese parts (words of the file's own names and
        /// fields excluded by the tests' choice of names).
        var englishInVietnamese: [String] {
            let english: Set<String> = ["the", "is", "not", "cannot", "it", "of", "with", "must", "and", "was", "this",
                                        "has", "file", "digits", "used", "correct", "drop", "again", "already", "being"]
            return (vietnamese + " " + vietnameseAdvice).lowercased()
                .split { !$0.isLetter }.map(String.init).filter { english.contains($0) }
        }

        /// Vietnamese in the English parts.
        var vietnameseInEnglish: Bool {
            let text = english + englishAdvice
            return ["không", "được", "tệp", "thư mục", "hồ sơ"].contains { text.contains($0) }
        }

        /// Clauses (split at `;`, `:` and `.`) said more than once in the English problem.
        var repeatedInEnglish: [String] {
            let clauses = english.lowercased().split { ";:.".contains($0) }
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.count > 8 }
            var seen: Set<String> = [], repeated: [String] = []
            for clause in clauses where !seen.insert(clause).inserted { repeated.append(clause) }
            let whole = (english + " " + englishAdvice).lowercased()
            for phrase in ["cannot be used", "drop it", "correct it"] where whole.components(separatedBy: phrase).count > 2 {
                repeated.append(phrase)
            }
            return repeated
        }

        func expectClean(_ comment: Comment) {
            #expect(englishInVietnamese.isEmpty, "English in the Vietnamese part: \(englishInVietnamese); \(comment)\n\(vietnamese)")
            #expect(!vietnameseInEnglish, "Vietnamese in the English part: \(comment)\n\(english)")
            #expect(repeatedInEnglish.isEmpty, "said twice: \(repeatedInEnglish); \(comment)\n\(english)\n\(englishAdvice)")
        }
    }

    func setUp(_ label: String) throws -> IntakeSetup { try IntakeSetup(label) }

    func dropScan(_ relative: String, in inbox: String) throws {
        let folder = ("\(inbox)/\(relative)" as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Fixtures.samples.appendingPathComponent("\(caseFolder)/can-cuoc-cong-dan.jpg").path,
                                         toPath: "\(inbox)/\(relative)")
    }

    @Test(arguments: [("{ not json", "JSON"), (#"{"issueDate": "5/12/2026"}"#, "YYYY-MM-DD")])
    func aBrokenSidecarIsExplainedOnceInEachLanguage(content: String, detail: String) async throws {
        let setup = try setUp("reason-sidecar")
        defer { Fixtures.removeScratch(setup.scratch) }
        try dropScan("\(caseFolder)/giay-to.jpg", in: setup.inbox)
        try Data(content.utf8).write(to: URL(fileURLWithPath: "\(setup.inbox)/\(caseFolder)/giay-to.json"))
        #expect(try await setup.intake.pass().rejected == 2)
        for name in ["giay-to.json", "giay-to.jpg"] {
            let reason = try Reason("\(setup.rejected)/\(caseFolder)/\(name).reason.txt")
            reason.expectClean("\(name)")
            #expect(reason.vietnamese.contains(detail) && reason.english.contains(detail), "the same detail in both: \(name)")
            #expect(reason.vietnamese.contains("tệp thông tin kèm theo"))
        }
    }

    @Test func aCitizenFolderOfFiveDigitsSaysSoInBothLanguages() async throws {
        let setup = try setUp("reason-citizen")
        defer { Fixtures.removeScratch(setup.scratch) }
        try dropScan("12345/000.00.01.H26-251124-0001/giay-to.jpg", in: setup.inbox)
        #expect(try await setup.intake.pass().rejected == 1)
        let reason = try Reason("\(setup.rejected)/12345.reason.txt")
        reason.expectClean("12345")
        #expect(reason.english.contains("it has 5 digits"), "\(reason.english)")
        #expect(reason.vietnamese.contains("có 5 chữ số") && reason.vietnamese.contains("12 chữ số"), "\(reason.vietnamese)")
    }

    @Test func aBadCaseIDSaysWhyInBothLanguages() async throws {
        let setup = try setUp("reason-case")
        defer { Fixtures.removeScratch(setup.scratch) }
        try dropScan("001085012345/hososai/giay-to.jpg", in: setup.inbox)
        try dropScan("001085012345/000.00.01.H26-259924-0001/giay-to.jpg", in: setup.inbox)
        #expect(try await setup.intake.pass().rejected == 2)
        let parts = try Reason("\(setup.rejected)/001085012345/hososai.reason.txt")
        parts.expectClean("hososai")
        #expect(parts.english.contains("three parts") && parts.vietnamese.contains("ba phần"), "\(parts.vietnamese)")
        let date = try Reason("\(setup.rejected)/001085012345/000.00.01.H26-259924-0001.reason.txt")
        date.expectClean("259924")
        #expect(date.english.contains("259924 is not a date") && date.vietnamese.contains("259924 không phải là một ngày"),
                "\(date.vietnamese)")
    }

    /// Files the claimed item `entry` as a pending document, as the assemble stage does.
    func file(_ entry: IntakeEntry, in store: SQLiteStore) async throws -> DocumentID {
        let lease = try #require(try await store.claimJob(stage: "assemble", worker: "w", leaseFor: 30, now: Date()))
        let document = NewDocument(owner: entry.record.owner, cases: [entry.record.dossier], state: .pending, kind: .assembled,
                                   hash: entry.record.sha256, size: entry.record.size)
        return try #require(try await store.complete(lease, effect: .file(document, actor: "intake", action: "file", intake: entry.id),
                                               now: Date())).id
    }

    @Test func aDuplicateOfAFiledDocumentNamesItAndItsState() async throws {
        let setup = try setUp("reason-duplicate")
        defer { Fixtures.removeScratch(setup.scratch) }
        try dropScan("\(caseFolder)/ban-1.jpg", in: setup.inbox)
        #expect(try await setup.intake.pass().claimed == 1)
        let id = try await file(try #require(try await setup.store.intakeLog(limit: 1).first), in: setup.store)

        try dropScan("\(caseFolder)/ban-2.jpg", in: setup.inbox)
        #expect(try await setup.intake.pass().duplicates == 1)
        let pending = try Reason("\(setup.rejected)/\(caseFolder)/ban-2.jpg.reason.txt")
        pending.expectClean("pending")
        for text in [pending.vietnamese, pending.english, pending.vietnameseAdvice, pending.englishAdvice] {
            #expect(text.contains(id.rawValue), "names the filed document: \(text)")
        }
        #expect(pending.english.contains("pending") && pending.vietnamese.contains("chờ cán bộ ký"), "\(pending.english)")
        #expect(!pending.englishAdvice.contains("being processed") && !pending.vietnameseAdvice.contains("đang được xử lý"),
                "it is filed, not being processed: \(pending.englishAdvice)")

        // Signed since: the next copy says so.
        _ = try await setup.store.addVersion(to: id, hash: try ContentHash(String(repeating: "ab", count: 32)), size: 10, kind: .signed,
                                   state: .signed, expecting: nil, from: nil, actor: "officer", action: "sign")
        try dropScan("\(caseFolder)/ban-3.jpg", in: setup.inbox)
        #expect(try await setup.intake.pass().duplicates == 1)
        let signed = try Reason("\(setup.rejected)/\(caseFolder)/ban-3.jpg.reason.txt")
        signed.expectClean("signed")
        #expect(signed.english.contains("signed by an officer") && signed.vietnamese.contains("đã được cán bộ ký"))
    }

    @Test func aDuplicateOfAnItemStillInThePipelineSaysItIsBeingProcessed() async throws {
        let setup = try setUp("reason-duplicate-queued")
        defer { Fixtures.removeScratch(setup.scratch) }
        try dropScan("\(caseFolder)/ban-1.jpg", in: setup.inbox)
        #expect(try await setup.intake.pass().claimed == 1)
        try dropScan("\(caseFolder)/ban-2.jpg", in: setup.inbox)
        #expect(try await setup.intake.pass().duplicates == 1)
        let reason = try Reason("\(setup.rejected)/\(caseFolder)/ban-2.jpg.reason.txt")
        reason.expectClean("queued")
        #expect(reason.english.contains("ban-1.jpg") && reason.englishAdvice.contains("already being processed"))
        #expect(reason.vietnamese.contains("ban-1.jpg") && reason.vietnameseAdvice.contains("đang được xử lý"))
    }

    @Test func aRejectionFinishedAfterACrashKeepsBothLanguages() async throws {
        let setup = try setUp("reason-recovered")
        defer { Fixtures.removeScratch(setup.scratch) }
        try dropScan("\(caseFolder)/ban-1.jpg", in: setup.inbox)
        #expect(try await setup.intake.pass().claimed == 1)
        let entry = try #require(try await setup.store.intakeLog(limit: 1).first)
        let lease = try #require(try await setup.store.claimJob(stage: "assemble", worker: "w", leaseFor: 30, now: Date()))
        // The stage kept the words, the store said rejected, and the process died before the move.
        setup.intake.spool.saveProblem(OperatorText(vietnamese: "trang 2 bị hỏng", english: "page 2 is damaged"),
                                       inEntry: entry.record.spool)
        try await setup.store.reject(lease, intake: entry.id, reason: "page 2 is damaged", now: Date())
        #expect(try await setup.intake.recoverSpool() == 1)
        let reason = try Reason("\(setup.rejected)/\(caseFolder)/ban-1.jpg.reason.txt")
        reason.expectClean("recovered")
        #expect(reason.vietnamese == "trang 2 bị hỏng" && reason.english == "page 2 is damaged")
    }
}
