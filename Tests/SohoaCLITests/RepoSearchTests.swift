import Foundation
import SohoaRepository
import SohoaTestSupport
import Testing

/// `sohoa watch` reads each page's text by default and files it with the document; `sohoa repo
/// search` finds documents by those words, with or without diacritics, within a citizen's or a
/// case's documents, and audits what it showed.
@Suite struct RepoSearchTests {
    let sohoa = Fixtures.productsDirectory.appendingPathComponent("sohoa").path
    static let citizen = "001085012345", otherCitizen = "079190004567"
    static let firstCase = "000.00.01.H26-251124-0001", secondCase = "000.00.01.H26-251125-0002"

    func json(_ text: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]) ?? [:]
    }

    func search(_ data: String, _ arguments: [String]) throws -> [[String: Any]] {
        let run = try Run.process(sohoa, ["repo", "search", "--data", data, "--json"] + arguments)
        #expect(run.status == 0, "\(arguments): \(run.stderr)")
        return (json(run.stdout)["results"] as? [[String: Any]]) ?? []
    }

    func title(_ found: [String: Any]) -> String? { (found["document"] as? [String: Any])?["title"] as? String }
    func id(_ found: [String: Any]) -> String { ((found["document"] as? [String: Any])?["id"] as? String) ?? "" }

    @Test func theWatcherFilesThePagesTextAndASearchWithoutDiacriticsFindsIt() async throws {
        let scratch = try Fixtures.makeScratch("search-watch")
        defer { Fixtures.removeScratch(scratch) }
        let inbox = scratch.appendingPathComponent("inbox").path, data = scratch.appendingPathComponent("data").path
        let manager = FileManager.default
        let firstFolder = "\(inbox)/\(Self.citizen)/\(Self.firstCase)", secondFolder = "\(inbox)/\(Self.otherCitizen)/\(Self.secondCase)"
        for folder in [firstFolder, secondFolder] { try manager.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        // Staged outside the inbox, then moved in whole, as a scanner's software does.
        let staged = scratch.appendingPathComponent("ho-so-khai-sinh").path
        try manager.createDirectory(atPath: staged, withIntermediateDirectories: true)
        try manager.copyItem(atPath: try OCRPages.page("vb01-200dpi-clean.tif").path, toPath: "\(staged)/01.tif")
        try manager.copyItem(atPath: try OCRPages.page("vb05-300dpi-clean.png").path, toPath: "\(staged)/02.png")
        try Data().write(to: URL(fileURLWithPath: "\(staged)/.ready"))
        let noise = scratch.appendingPathComponent("nhieu.png").path
        let made = try Tools.run(Tools.python, ["-c", """
            import sys, numpy as np
            from PIL import Image
            rng = np.random.default_rng(11)
            Image.fromarray(rng.integers(0, 256, (560, 400), dtype=np.uint8), "L").save(sys.argv[1], dpi=(100, 100))
            """, noise])
        #expect(made.status == 0, "\(made.stderr)")

        let watcher = try Watcher(sohoa: sohoa, arguments: ["--inbox", inbox, "--data", data, "--stable-seconds", "0.2"],
                                  log: scratch.appendingPathComponent("watch.log").path, ocr: true)
        try manager.moveItem(atPath: staged, toPath: "\(firstFolder)/ho-so-khai-sinh")
        try manager.moveItem(atPath: noise, toPath: "\(firstFolder)/nhieu.png")
        try manager.copyItem(atPath: try OCRPages.page("vb02-200dpi-rot90.png").path, toPath: "\(secondFolder)/don-xac-nhan.png")
        let filed = try Eventually.holds(within: 180) {
            let status = json(try Run.process(sohoa, ["status", "--data", data, "--json"]).stdout)
            return (status["intake"] as? [String: Int])?["filed"] == 3
        }
        #expect(filed, "\(watcher.output)")
        #expect(watcher.stop() == 0, "\(watcher.output)")
        #expect(watcher.output.contains("page to check") && watcher.output.contains("nhieu.png"),
                "the unreadable page is named in the log: \(watcher.output)")

        // Without diacritics: the birth certificate, whose page 1 holds the words together,
        // before the request, which holds them apart.
        let found = try search(data, ["giay khai sinh"])
        #expect(found.map(title) == ["ho-so-khai-sinh", "don-xac-nhan.png"], "\(found)")
        let best = try #require(found.first)
        #expect(best["page"] as? Int == 1 && best["match"] as? String == "phrase-without-diacritics", "\(best)")
        let matched = (best["matched"] as? [String]) ?? []
        #expect(matched.contains("GIẤY") && matched.contains("KHAI") && matched.contains("SINH"),
                "the snippet gives the words as the page writes them: \(best)")
        #expect(found.last?["match"] as? String == "words")
        // With the diacritics typed, and in another case: the same documents.
        #expect(try search(data, ["Giấy khai sinh"]).map(title) == ["ho-so-khai-sinh", "don-xac-nhan.png"])
        // Filters: never a document outside them.
        #expect(try search(data, ["giay khai sinh", "--citizen", Self.otherCitizen]).map(title) == ["don-xac-nhan.png"])
        #expect(try search(data, ["giay khai sinh", "--case", Self.firstCase]).map(title) == ["ho-so-khai-sinh"])
        // Page 2 of the folder document.
        let marriage = try search(data, ["to khai dang ky ket hon", "--citizen", Self.citizen])
        #expect(marriage.map(title) == ["ho-so-khai-sinh"] && marriage.first?["page"] as? Int == 2
                    && marriage.first?["pages"] as? [Int] == [2], "\(marriage)")
        // Nothing found is no failure.
        #expect(try search(data, ["ban giao tai san"]).isEmpty)
        let text = try Run.process(sohoa, ["--lang", "en", "repo", "search", "--data", data, "giay khai sinh"])
        #expect(text.status == 0 && text.stdout.contains("«GIẤY» «KHAI» «SINH»") && text.stdout.contains("page 1"), "\(text.stdout)")

        // The text and each page's confidence are kept with the document.
        let shown = json(try Run.process(sohoa, ["repo", "show", "--data", data, "--json", id(best)]).stdout)
        let pages = (shown["pages"] as? [[String: Any]]) ?? []
        #expect(pages.count == 2 && pages.allSatisfy { ($0["confidence"] as? Double ?? 0) >= 60 && $0["flag"] is NSNull }, "\(pages)")
        let truth = try OCRPages.page("vb01-200dpi-clean.tif").truth
        let rate = OCRPages.characterErrorRate(truth: truth, hypothesis: pages.first?["text"] as? String ?? "")
        #expect(rate < 0.02, "page 1 as read: \(rate)")
        let noisy = try #require(try Run.process(sohoa, ["repo", "list", "--data", data, "--citizen", Self.citizen, "--json"]).stdout
            .components(separatedBy: "\"id\" : \"").dropFirst().map { String($0.prefix(32)) }
            .first { $0 != id(best) })
        let flagged = try Run.process(sohoa, ["--lang", "en", "repo", "show", "--data", data, noisy])
        #expect(flagged.stdout.contains("CHECK page 1"), "a page to check is shown: \(flagged.stdout)")

        // Every search is in the audit log, with who searched and what was shown.
        var searches = try await awaitAudit(data).filter { $0.action == "search" }
        #expect(searches.count == 7, "\(searches.map(\.detail))")
        #expect(searches.allSatisfy { $0.actor == (ProcessInfo.processInfo.environment["USER"] ?? "unknown") })
        #expect(searches.first?.detail.contains(id(best)) == true, "\(searches.first?.detail ?? "")")

        // Through `sohoa serve`: the same results; an agency finds only what it may rely on.
        var tokens: [String: String] = [:]
        for role in ["auditor", "agency"] {
            let added = try Run.process(sohoa, ["access", "add", "--data", data, "--name", "search-\(role)", "--role", role])
            #expect(added.status == 0, "\(added.stderr)")
            tokens[role] = added.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let server = try ServedRepository(data: data)
        defer { _ = server.stop() }
        let answered = try await server.request("/api/v1/search?q=giay%20khai%20sinh", token: tokens["auditor"])
        #expect(answered.status == 200, "\(answered.text)")
        let served = (answered.json?["results"] as? [[String: Any]]) ?? []
        #expect(served.map(title) == found.map(title) && served.map(id) == found.map(id)
                    && served.map { $0["snippet"] as? String } == found.map { $0["snippet"] as? String }, "\(answered.text)")
        #expect(try await server.request("/api/v1/search?q=giay", token: nil).status == 401)
        #expect(try await server.request("/api/v1/search?q=%22%3B%20--", token: tokens["auditor"]).status == 400)
        #expect(try await server.request("/api/v1/search?q=giay&limit=0", token: tokens["auditor"]).status == 400)
        #expect(try await server.request("/api/v1/search?q=giay", token: tokens["agency"]).status == 400,
                "an agency names the citizen (as in a listing)")
        #expect(try await server.request("/api/v1/search?q=giay&citizen=\(Self.citizen)", token: tokens["agency"]).status == 403,
                "and the case it serves")
        #expect(try await server.request("/api/v1/search?q=giay&citizen=\(Self.otherCitizen)&case=\(Self.firstCase)",
                                         token: tokens["agency"]).status == 403, "another citizen's case")
        let agency = try await server.request("/api/v1/search?q=giay%20khai%20sinh&citizen=\(Self.citizen)&case=\(Self.firstCase)",
                                              token: tokens["agency"])
        #expect(agency.status == 200 && (agency.json?["results"] as? [Any])?.isEmpty == true,
                "a document waiting for its signature is not one an agency may rely on: \(agency.text)")
        searches = try await awaitAudit(data).filter { $0.action == "search" }
        #expect(searches.count == 9 && searches.suffix(2).allSatisfy { $0.actor.hasPrefix("api:search-") },
                "\(searches.map { "\($0.actor): \($0.detail)" })")

        // Moved onto PostgreSQL (`repo migrate`), the text comes along and the same search
        // finds the same documents, at the same pages, with the same passages.
        let environment = try TestPostgres.server().environment
        let central = scratch.appendingPathComponent("central").path
        #expect(try Run.process(sohoa, ["repo", "init", "--data", central, "--database", try TestPostgres.freshDatabase("search")],
                                environment: environment).status == 0)
        let migrated = try Run.process(sohoa, ["repo", "migrate", "--from", data, "--data", central, "--json"], environment: environment)
        #expect(migrated.status == 0 && (json(migrated.stdout)["texts"] as? [String: Int])?["copied"] == 3, "\(migrated.stdout) \(migrated.stderr)")
        for arguments in [["giay khai sinh"], ["giay khai sinh", "--citizen", Self.otherCitizen], ["to khai dang ky ket hon"]] {
            let there = try Run.process(sohoa, ["repo", "search", "--data", central, "--json"] + arguments, environment: environment)
            let here = try Run.process(sohoa, ["repo", "search", "--data", data, "--json"] + arguments)
            #expect(there.status == 0 && there.stdout == here.stdout, "\(arguments): \(there.stdout) \(there.stderr)")
        }
    }

    func awaitAudit(_ data: String) async throws -> [AuditEntry] {
        try await SQLiteStore(path: "\(data)/sohoa.sqlite").auditLog()
    }

    /// A query of no words, too long or too wide, a bad filter: usage errors, before the
    /// repository is opened; a folder that is no repository is refused.
    @Test func whatCannotBeSearchedForIsAUsageError() throws {
        let scratch = try Fixtures.makeScratch("search-usage")
        defer { Fixtures.removeScratch(scratch) }
        let data = scratch.appendingPathComponent("data").path
        #expect(try Run.process(sohoa, ["repo", "init", "--data", data]).status == 0)
        let cases: [([String], String)] = [
            (["\"; -- *"], "holds no words"),
            (["   "], "holds no words"),
            ([String(repeating: "giấy ", count: 120)], "longer than 500"),
            ([(1...17).map { "w\($0)" }.joined(separator: " ")], "more than 16 different words"),
            (["giay", "--limit", "0"], "--limit"),
            (["giay", "--citizen", "../etc"], "citizen"),
            (["giay", "--case", "a/b"], "case"),
        ]
        for (arguments, reason) in cases {
            let run = try Run.process(sohoa, ["repo", "search", "--data", data] + arguments)
            #expect(run.status == 3 && run.stderr.contains(reason), "\(arguments): \(run.status) \(run.stderr)")
        }
        let empty = try Run.process(sohoa, ["repo", "search", "--data", data, "--json", "giấy khai sinh"])
        #expect(empty.status == 0 && (json(empty.stdout)["results"] as? [Any])?.isEmpty == true, "\(empty.stdout) \(empty.stderr)")
        let missing = try Run.process(sohoa, ["repo", "search", "--data", scratch.appendingPathComponent("none").path, "giay"])
        #expect(missing.status == 1 && missing.stderr.contains("none"), "\(missing.stderr)")

        // The watcher reads pages by default; --lang vi is the language of its messages, not
        // an OCR language, and a language pack that is missing stops it before it starts.
        let inbox = scratch.appendingPathComponent("inbox").path
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        let watcher = try Watcher(sohoa: sohoa, arguments: ["--lang", "vi", "--inbox", inbox, "--data", data],
                                  log: scratch.appendingPathComponent("watch.log").path, ocr: true)
        #expect(Eventually.holds(within: 20) { FileManager.default.fileExists(atPath: "\(inbox)/.sohoa-watch.lock") }, "\(watcher.output)")
        Thread.sleep(forTimeInterval: 0.5)
        #expect(watcher.stop() == 0, "\(watcher.output)")
        let french = try Run.process(sohoa, ["watch", "--inbox", inbox, "--data", data, "--lang", "fra"])
        #expect(french.status == 1 && french.stderr.contains("tesseract-ocr-fra") && french.stderr.contains("--no-ocr"),
                "\(french.stderr)")
        let both = try Run.process(sohoa, ["watch", "--inbox", inbox, "--data", data, "--lang", "vie", "--no-ocr"])
        #expect(both.status == 3, "\(both.stderr)")
    }
}
