import Foundation
import SohoaTestSupport
import Testing

/// What `sohoa watch` and `sohoa status` do for the people who drop files and the officers who
/// wait for them: every document filed once, every bad file back with a reason, nothing lost.
@Suite(.serialized) struct WatchCommandTests {
    let sohoa = Fixtures.productsDirectory.appendingPathComponent("sohoa").path

    struct Folders {
        let scratch: URL
        var inbox: String { scratch.appendingPathComponent("inbox").path }
        var data: String { scratch.appendingPathComponent("data").path }
        var rejected: String { scratch.appendingPathComponent("rejected").path }
        var log: String { scratch.appendingPathComponent("watch.log").path }

        init(_ label: String) throws {
            scratch = try Fixtures.makeScratch(label)
            try FileManager.default.createDirectory(atPath: scratch.appendingPathComponent("inbox").path,
                                                    withIntermediateDirectories: true)
        }
    }

    func status(_ data: String) throws -> [String: Any] {
        let result = try Run.process(sohoa, ["status", "--data", data, "--json"])
        guard result.status == 0 else { return [:] }
        return (try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]) ?? [:]
    }

    func intake(_ data: String) throws -> [String: Int] { (try status(data)["intake"] as? [String: Int]) ?? [:] }

    func listed(_ data: String, _ citizen: String) throws -> [[String: Any]] {
        let result = try Run.process(sohoa, ["repo", "list", "--data", data, "--citizen", citizen, "--json"])
        return ((try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])?["documents"]
            as? [[String: Any]]) ?? []
    }

    /// Files left anywhere under `folder` (dot-folders included), relative; the inbox's lock
    /// file and identity file (which stay, see WatchLock and InboxIdentity) are not counted.
    func files(under folder: String) -> [String] {
        let walker = FileManager.default.enumerator(atPath: folder)
        var found: [String] = []
        while let relative = walker?.nextObject() as? String {
            if relative == ".sohoa-watch.lock" || relative == ".sohoa-inbox-id" { continue }
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: "\(folder)/\(relative)", isDirectory: &isFolder), !isFolder.boolValue {
                found.append(relative)
            }
        }
        return found.sorted()
    }

    @Test func theSamplesAreFiledAndBadFilesComeBackWithReasons() throws {
        let folders = try Folders("watch-samples")
        defer { Fixtures.removeScratch(folders.scratch) }
        let watcher = try Watcher(sohoa: sohoa, arguments: ["--inbox", folders.inbox, "--data", folders.data,
                                                            "--stable-seconds", "0.3", "--workers", "2"], log: folders.log)
        // Dropped while the watcher runs: the samples, and what operators get wrong.
        for owner in try FileManager.default.contentsOfDirectory(atPath: Fixtures.samples.path) {
            try FileManager.default.copyItem(atPath: Fixtures.samples.appendingPathComponent(owner).path,
                                            toPath: "\(folders.inbox)/\(owner)")
        }
        let caseFolder = "\(folders.inbox)/001085012345/000.00.01.H26-251124-0001"
        try Data("not an image".utf8).write(to: URL(fileURLWithPath: "\(caseFolder)/hong.png"))
        try Data("notes".utf8).write(to: URL(fileURLWithPath: "\(caseFolder)/ghi-chu.txt"))
        try Data("loose".utf8).write(to: URL(fileURLWithPath: "\(folders.inbox)/loose.tif"))
        try FileManager.default.createDirectory(atPath: "\(folders.inbox)/001085012345/not-a-case", withIntermediateDirectories: true)
        try Data("x".utf8).write(to: URL(fileURLWithPath: "\(folders.inbox)/001085012345/not-a-case/a.tif"))
        // A folder document without its .ready marker waits; a hidden file waits until renamed.
        let folderDocument = "\(caseFolder)/trang-rieng"
        try FileManager.default.createDirectory(atPath: folderDocument, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: "\(caseFolder)/can-cuoc-cong-dan.jpg", toPath: "\(folderDocument)/01.jpg")
        try FileManager.default.copyItem(atPath: "\(caseFolder)/don-de-nghi.tif", toPath: "\(caseFolder)/.dang-chep.tif")

        let settled = try Eventually.holds(within: 90) {
            let counts = try intake(folders.data)
            return counts["filed"] == 7 && counts["rejected"] == 1 && counts["received"] == 0
        }
        let seen = try status(folders.data)
        #expect(settled, "status: \(seen); log:\n\(watcher.output)")
        #expect(FileManager.default.fileExists(atPath: "\(folderDocument)/01.jpg"), "no .ready yet: not taken")
        #expect(FileManager.default.fileExists(atPath: "\(caseFolder)/.dang-chep.tif"), "a dot file is left alone")
        // The same scan again under another name: a duplicate, not a second document.
        try FileManager.default.copyItem(atPath: Fixtures.samples.appendingPathComponent(
            "001085012345/000.00.01.H26-251124-0001/don-de-nghi.tif").path, toPath: "\(caseFolder)/don-de-nghi-ban-2.tif")
        try Data().write(to: URL(fileURLWithPath: "\(folderDocument)/.ready"))
        #expect(try Eventually.holds(within: 30) {
            let counts = try intake(folders.data)
            return counts["filed"] == 8 && counts["duplicate"] == 1
        }, "\(watcher.output)")
        #expect(watcher.stop() == 0, "SIGTERM stops it cleanly: \(watcher.output)")

        // Every document filed, with its pages, its sources and the sidecar's metadata.
        let first = try listed(folders.data, "001085012345")
        #expect(first.count == 4)
        let application = try #require(first.first { ($0["title"] as? String)?.hasPrefix("Đơn đề nghị") == true },
                                       "\(first.map { $0["title"] ?? "-" })")
        #expect(application["state"] as? String == "pending" && application["cases"] as? [String] == ["000.00.01.H26-251124-0001"])
        let pdf = folders.scratch.appendingPathComponent("don.pdf").path
        #expect(try Run.process(sohoa, ["repo", "get", "--data", folders.data, application["id"] as! String, "-o", pdf]).status == 0)
        #expect(try Tools.pageSizes(pdf).count == 3)
        let shown = try Run.process(sohoa, ["repo", "show", "--data", folders.data, application["id"] as! String]).stdout
        let sourceHash = try Tools.run("sha256sum", [Fixtures.samples.appendingPathComponent(
            "001085012345/000.00.01.H26-251124-0001/don-de-nghi.tif").path]).stdout.prefix(64)
        #expect(shown.contains("version 1: source \(sourceHash)") && shown.contains("version 2: assembled"), "\(shown)")
        #expect(try listed(folders.data, "079190004567").count == 2)
        #expect(try listed(folders.data, "0314409058").count == 2)
        let household = try #require(try listed(folders.data, "079190004567").first {
            ($0["title"] as? String)?.hasPrefix("Sổ hộ khẩu") == true
        })
        let householdPDF = folders.scratch.appendingPathComponent("so.pdf").path
        #expect(try Run.process(sohoa, ["repo", "get", "--data", folders.data, household["id"] as! String, "-o", householdPDF]).status == 0)
        #expect(try Tools.pageSizes(householdPDF).count == 2, "a folder document: one page per image")

        // Bad files are in rejected/ under their inbox paths, each with its reason.
        let rejected = files(under: folders.rejected)
        for path in ["loose.tif", "001085012345/not-a-case", "001085012345/000.00.01.H26-251124-0001/hong.png",
                     "001085012345/000.00.01.H26-251124-0001/ghi-chu.txt",
                     "001085012345/000.00.01.H26-251124-0001/don-de-nghi-ban-2.tif"] {
            #expect(rejected.contains("\(path).reason.txt"), "\(path) has its reason: \(rejected)")
        }
        #expect(rejected.contains("001085012345/not-a-case/a.tif"))
        let reason = try String(contentsOfFile: "\(folders.rejected)/001085012345/000.00.01.H26-251124-0001/hong.png.reason.txt",
                                encoding: .utf8)
        #expect(reason.contains("not a TIFF, PNG or JPEG") && reason.contains("What to do"))
        #expect(reason.contains("không phải ảnh TIFF, PNG hoặc JPEG") && reason.contains("Cần làm gì"), "in Vietnamese too")
        let duplicate = try String(contentsOfFile:
            "\(folders.rejected)/001085012345/000.00.01.H26-251124-0001/don-de-nghi-ban-2.tif.reason.txt", encoding: .utf8)
        #expect(duplicate.contains("already received") && duplicate.contains("don-de-nghi.tif"))
        #expect(duplicate.contains("đã được tiếp nhận"))
        let misplaced = try String(contentsOfFile: "\(folders.rejected)/loose.tif.reason.txt", encoding: .utf8)
        #expect(misplaced.contains("<số định danh>/<mã hồ sơ>") && misplaced.contains("<citizen-id>/<case-id>"), "\(misplaced)")
        // Nothing lost: the inbox holds only what was left to wait, and the spool is empty.
        #expect(files(under: folders.inbox) == ["001085012345/000.00.01.H26-251124-0001/.dang-chep.tif"])
        #expect(try Run.process(sohoa, ["repo", "fsck", "--data", folders.data]).status == 0)

        let text = try Run.process(sohoa, ["status", "--data", folders.data])
        #expect(text.status == 0 && text.stdout.contains("assemble") && text.stdout.contains("Waiting for an officer's signature: 8"),
                "\(text.stdout)")
        let json = try status(folders.data)
        #expect(json["refusedInInbox"] as? Int == 3, "loose.tif, not-a-case/ and ghi-chu.txt never reached intake")
        let stage = try #require((json["stages"] as? [[String: Any]])?.first { $0["stage"] as? String == "assemble" })
        #expect(stage["done"] as? Int == 8 && stage["failed"] as? Int == 1 && stage["queued"] as? Int == 0)
        let failures = try #require(json["recentFailures"] as? [[String: Any]])
        #expect(failures.contains { ($0["reason"] as? String)?.contains("hong.png") == true && $0["state"] as? String == "failed" })
    }

    /// Hundreds of documents dropped while the watcher is killed with SIGKILL at random moments
    /// and started again: each is filed exactly once, nothing stays in the spool or is lost,
    /// and the repository checks clean.
    @Test func killedAgainAndAgainEveryDocumentIsFiledExactlyOnce() throws {
        let folders = try Folders("watch-crash")
        defer { Fixtures.removeScratch(folders.scratch) }
        let staging = folders.scratch.appendingPathComponent("staging").path
        let count = 240, rounds = 24
        let made = try Tools.run(Tools.python, [Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/make_drop.py").path,
                                                staging, "\(count)"])
        #expect(made.status == 0, "\(made.stderr)")
        let dropped = made.stdout.split(separator: "\n").map { String($0.split(separator: " ")[0]) }
        #expect(dropped.count == count)
        let arguments = ["--inbox", folders.inbox, "--data", folders.data, "--stable-seconds", "0.1", "--workers", "2"]
        var generator = SystemRandomNumberGenerator()
        let batch = count / rounds
        for round in 0..<rounds {
            let watcher = try Watcher(sohoa: sohoa, arguments: arguments, log: folders.log)
            // A scanner drops its files by renaming them into place.
            for relative in dropped[(round * batch)..<((round + 1) * batch)] {
                let target = "\(folders.inbox)/\(relative)"
                try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent,
                                                        withIntermediateDirectories: true)
                #expect(rename("\(staging)/\(relative)", target) == 0)
            }
            Thread.sleep(forTimeInterval: Double.random(in: 0.05...1.2, using: &generator))
            watcher.kill()
        }
        let watcher = try Watcher(sohoa: sohoa, arguments: arguments, log: folders.log)
        let finished = try Eventually.holds(within: 240) { try intake(folders.data)["filed"] == count }
        // The killed watchers may have filed everything already: it is stopped once it runs.
        #expect(Eventually.holds(within: 60) { watcher.output.contains("watching") }, "\(watcher.output)")
        #expect(watcher.stop() == 0)
        let counts = try intake(folders.data)
        #expect(finished, "intake: \(counts)")
        #expect(counts["duplicate"] == 0 && counts["rejected"] == 0 && counts["received"] == 0, "\(counts)")

        // Exactly once: one document per dropped file, named after it.
        var titles: [String] = []
        for citizen in ["001085012345", "079190004567", "0314409058", "001199007788"] {
            titles += try listed(folders.data, citizen).compactMap { $0["title"] as? String }
        }
        #expect(titles.count == count, "no document filed twice")
        #expect(Set(titles) == Set(dropped.map { ($0 as NSString).lastPathComponent }), "no document lost")
        #expect(files(under: folders.inbox).isEmpty, "nothing left in the inbox or its spool")
        #expect(files(under: folders.rejected).isEmpty)
        #expect(files(under: "\(folders.data)/work").isEmpty)
        let checked = try Run.process(sohoa, ["repo", "fsck", "--data", folders.data])
        #expect(checked.status == 0, "\(checked.stdout)")
    }

    @Test func pollingTakesFilesWithoutEvents() throws {
        let folders = try Folders("watch-poll")
        defer { Fixtures.removeScratch(folders.scratch) }
        let watcher = try Watcher(sohoa: sohoa, arguments: ["--inbox", folders.inbox, "--data", folders.data, "--poll",
                                                            "--stable-seconds", "0.3"], log: folders.log)
        let drop = try Tools.run(Tools.python, [Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/make_drop.py").path,
                                                folders.inbox, "6", "--pages", "2"])
        #expect(drop.status == 0, "\(drop.stderr)")
        #expect(try Eventually.holds(within: 60) { try intake(folders.data)["filed"] == 6 }, "\(watcher.output)")
        #expect(watcher.stop() == 0)
        #expect(watcher.output.contains("mode=polling"))
    }

    /// Two branches' watchers, each with its own inbox, file into one repository: each takes
    /// only the jobs of its own inbox's items (the other's spool is out of its reach), so every
    /// document of both is filed and none is refused as gone from the spool.
    @Test func twoInboxesOnOneRepositoryEachTakeTheirOwnItems() throws {
        let folders = try Folders("watch-two-inboxes")
        defer { Fixtures.removeScratch(folders.scratch) }
        let second = folders.scratch.appendingPathComponent("inbox-2").path
        try FileManager.default.createDirectory(atPath: second, withIntermediateDirectories: true)
        let watchers = try [(folders.inbox, "1"), (second, "2")].map { inbox, number in
            try Watcher(sohoa: sohoa, arguments: ["--inbox", inbox, "--data", folders.data, "--stable-seconds", "0.2",
                                                  "--rejected", folders.scratch.appendingPathComponent("rejected-\(number)").path],
                        log: folders.scratch.appendingPathComponent("watch-\(number).log").path)
        }
        let make = Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/make_drop.py").path
        #expect(try Tools.run(Tools.python, [make, folders.inbox, "12"]).status == 0)
        #expect(try Tools.run(Tools.python, [make, second, "12", "--start", "100"]).status == 0)
        let filed = try Eventually.holds(within: 90) { try intake(folders.data)["filed"] == 24 }
        let counts = try intake(folders.data)
        #expect(filed, "\(counts) \(watchers.map(\.output).joined(separator: "\n"))")
        for watcher in watchers { #expect(watcher.stop() == 0) }
        #expect(try intake(folders.data)["rejected"] == 0)
        for number in ["1", "2"] {
            #expect(files(under: folders.scratch.appendingPathComponent("rejected-\(number)").path).isEmpty)
        }
        let identities = try [folders.inbox, second].map {
            try String(contentsOfFile: "\($0)/.sohoa-inbox-id", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        #expect(identities[0] != identities[1] && identities[0].hasPrefix("inbox-") && identities[1].hasPrefix("inbox-2-"))
        let stages = (try status(folders.data)["stages"] as? [[String: Any]]) ?? []
        #expect(stages.count == 1 && stages.first?["stage"] as? String == "assemble" && stages.first?["done"] as? Int == 24,
                "one stage, its inboxes' queues together: \(stages)")
    }

    /// `sohoa status` shows each watcher as a node: running while it runs (with its inbox and
    /// workers), stopped once it stopped; a killed one keeps its last heartbeat.
    @Test func statusShowsEachWatcherAsANode() throws {
        let folders = try Folders("watch-nodes")
        defer { Fixtures.removeScratch(folders.scratch) }
        let watcher = try Watcher(sohoa: sohoa, arguments: ["--inbox", folders.inbox, "--data", folders.data, "--workers", "3"],
                                  log: folders.log)
        func nodes() throws -> [[String: Any]] { (try status(folders.data)["nodes"] as? [[String: Any]]) ?? [] }
        #expect(try Eventually.holds(within: 30) { try nodes().first?["state"] as? String == "running" }, "\(watcher.output)")
        let node = try #require(try nodes().first)
        #expect(node["name"] as? String == "\(ProcessInfo.processInfo.hostName):\(watcher.process.processIdentifier)")
        #expect(node["workers"] as? Int == 3 && (node["inbox"] as? String)?.hasSuffix("/inbox") == true, "\(node)")
        let text = try Run.process(sohoa, ["status", "--data", folders.data], environment: ["SOHOA_LANG": "en"]).stdout
        #expect(text.contains("busy/workers") && text.contains("running"), "\(text)")
        #expect(watcher.stop() == 0)
        #expect(try nodes().first?["state"] as? String == "stopped")
        let vietnamese = try Run.process(sohoa, ["status", "--data", folders.data], environment: ["SOHOA_LANG": "vi"]).stdout
        #expect(vietnamese.contains("đã dừng"), "\(vietnamese)")
    }

    /// A filing killed between storing its blob and committing its row leaves the blob and its
    /// unlocked marker (`blobs/pending/*.write`, naming the blob): the watcher removes that
    /// blob when it starts, so fsck is clean again without --repair.
    @Test func startingRemovesTheBlobOfAFilingThatDidNotFinish() throws {
        let folders = try Folders("watch-leftovers")
        defer { Fixtures.removeScratch(folders.scratch) }
        let pdf = folders.scratch.appendingPathComponent("kept.pdf").path
        let sample = Fixtures.samples.appendingPathComponent("001085012345/000.00.01.H26-251124-0001/can-cuoc-cong-dan.jpg").path
        #expect(try Run.process(sohoa, ["assemble", "-o", pdf, sample]).status == 0)
        #expect(try Run.process(sohoa, ["repo", "import", "--data", folders.data, "--citizen", "001085012345",
                                        "--case", "000.00.01.H26-251124-0001", pdf]).status == 0)
        let leftover = try Fixtures.write(Array("%PDF-1.7\n% stored, never filed\n%%EOF\n".utf8), named: "lost.pdf",
                                          in: folders.scratch)
        let hash = String(try Tools.run("sha256sum", [leftover]).stdout.prefix(64))
        let blob = "\(folders.data)/blobs/sha256/\(hash.prefix(2))/\(hash.dropFirst(2).prefix(2))/\(hash)"
        try FileManager.default.createDirectory(atPath: (blob as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: leftover, toPath: blob)
        try Data("\(hash)\n".utf8).write(to: URL(fileURLWithPath: "\(folders.data)/blobs/pending/killed.write"))
        let before = try Run.process(sohoa, ["repo", "fsck", "--data", folders.data])
        #expect(before.status == 1 && before.stdout.contains(hash), "the orphan is reported: \(before.stdout)")

        let watcher = try Watcher(sohoa: sohoa, arguments: ["--inbox", folders.inbox, "--data", folders.data], log: folders.log)
        #expect(Eventually.holds(within: 30) { !FileManager.default.fileExists(atPath: blob) }, "\(watcher.output)")
        #expect(watcher.stop() == 0)
        #expect(watcher.output.contains("removed the blobs of filings that did not finish"), "\(watcher.output)")
        let after = try Run.process(sohoa, ["repo", "fsck", "--data", folders.data])
        #expect(after.status == 0, "clean without --repair: \(after.stdout)")
        #expect(try listed(folders.data, "001085012345").count == 1, "the filed document is untouched")
    }

    /// A scanner that writes half a page, pauses longer than the stability window (the feeder
    /// between sheets, a slow copy) and then finishes: the scan is filed whole, nothing is
    /// rejected.
    @Test func aScanWrittenWithAPauseIsFiledNotRejected() throws {
        let folders = try Folders("watch-slow-writer")
        defer { Fixtures.removeScratch(folders.scratch) }
        let caseFolder = "\(folders.inbox)/001085012345/000.00.01.H26-251124-0001"
        try FileManager.default.createDirectory(atPath: caseFolder, withIntermediateDirectories: true)
        let watcher = try Watcher(sohoa: sohoa, arguments: ["--inbox", folders.inbox, "--data", folders.data,
                                                            "--stable-seconds", "0.5"], log: folders.log)
        #expect(Eventually.holds(within: 60) { watcher.output.contains("watching") }, "\(watcher.output)")
        let bytes = try Data(contentsOf: Fixtures.samples.appendingPathComponent(
            "001085012345/000.00.01.H26-251124-0001/don-de-nghi.tif"))
        let path = "\(caseFolder)/don-quet-cham.tif"
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let writer = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try writer.write(contentsOf: bytes.prefix(bytes.count / 2))
        try writer.synchronize()
        Thread.sleep(forTimeInterval: 4)  // eight stability windows
        try writer.write(contentsOf: bytes.dropFirst(bytes.count / 2))
        try writer.close()
        let filed = try Eventually.holds(within: 60) { try intake(folders.data)["filed"] == 1 }
        let counts = try intake(folders.data)
        #expect(filed, "intake: \(counts); log:\n\(watcher.output)")
        #expect(watcher.stop() == 0)
        #expect(files(under: folders.rejected).isEmpty, "nothing rejected: \(files(under: folders.rejected))")
        let sha = try Tools.run("sha256sum", [Fixtures.samples.appendingPathComponent(
            "001085012345/000.00.01.H26-251124-0001/don-de-nghi.tif").path]).stdout.prefix(64)
        let document = try #require(try listed(folders.data, "001085012345").first)
        let shown = try Run.process(sohoa, ["repo", "show", "--data", folders.data, document["id"] as! String]).stdout
        #expect(shown.contains("source \(sha)"), "the whole scan is the source: \(shown)")
    }

    /// This machine's name, as the lock records it.
    func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        _ = gethostname(&buffer, buffer.count - 1)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A second watcher on an inbox is refused with the first one's host and PID, in the
    /// operator's language; a watcher killed outright does not block the next one.
    @Test func aSecondWatcherOnTheSameInboxIsRefused() throws {
        let folders = try Folders("watch-twice")
        defer { Fixtures.removeScratch(folders.scratch) }
        let first = try Watcher(sohoa: sohoa, arguments: ["--inbox", folders.inbox, "--data", folders.data], log: folders.log,
                                environment: ["SOHOA_LANG": "en"])
        #expect(Eventually.holds(within: 60) { first.output.contains("watching") }, "\(first.output)")
        #expect(first.output.contains("refused files go to \(folders.rejected)"), "says where: \(first.output)")
        #expect(first.output.contains("the log goes to standard error"))
        let pid = first.process.processIdentifier
        // Another repository, the same inbox: refused all the same.
        for (language, expected) in [("en", ["host \(hostName()), PID \(pid)", "already watching this inbox"]),
                                     ("vi", ["máy \(hostName()), mã tiến trình (PID) \(pid)", "đang theo dõi thư mục tiếp nhận"])] {
            let log = folders.scratch.appendingPathComponent("second-\(language).log").path
            let second = try Watcher(sohoa: sohoa, arguments: ["--inbox", folders.inbox, "--data", "\(folders.data)-2"], log: log,
                                     environment: ["SOHOA_LANG": language])
            let ended = Eventually.holds(within: 60) { !second.process.isRunning }
            let status = second.stop()
            #expect(ended && status == 1, "refused with exit status 1, not \(status): \(second.output)")
            for words in expected {
                #expect(second.output.contains(words), "\(words) in: \(second.output)")
            }
            #expect(!second.output.contains("mode="), "it did not start: \(second.output)")
        }
        first.kill()
        let next = try Watcher(sohoa: sohoa, arguments: ["--inbox", folders.inbox, "--data", folders.data],
                               log: folders.scratch.appendingPathComponent("next.log").path, environment: ["SOHOA_LANG": "vi"])
        #expect(Eventually.holds(within: 60) { next.output.contains("watching") },
                "the lock of a killed watcher does not block: \(next.output)")
        #expect(next.output.contains("tệp bị từ chối được chuyển vào \(folders.rejected)"), "\(next.output)")
        #expect(next.stop() == 0)
    }

    /// The reasons the log gives for a refused file are in the operator's language; the event
    /// names stay English for scripts.
    @Test func theLogGivesReasonsInTheOperatorsLanguage() throws {
        for (language, words) in [("vi", "tệp"), ("en", "file")] {
            let folders = try Folders("watch-log-\(language)")
            defer { Fixtures.removeScratch(folders.scratch) }
            let watcher = try Watcher(sohoa: sohoa, arguments: ["--inbox", folders.inbox, "--data", folders.data,
                                                               "--stable-seconds", "0.2"],
                                      log: folders.log, environment: ["SOHOA_LANG": language])
            #expect(Eventually.holds(within: 60) { watcher.output.contains("watching") }, "\(watcher.output)")
            try Data("loose".utf8).write(to: URL(fileURLWithPath: "\(folders.inbox)/loose.tif"))
            // A scan that is not an image at all: refused by the assemble stage, a failure `status` lists.
            let caseFolder = "\(folders.inbox)/001085012345/000.00.01.H26-251124-0001"
            try FileManager.default.createDirectory(atPath: caseFolder, withIntermediateDirectories: true)
            try Data("not a scan".utf8).write(to: URL(fileURLWithPath: "\(caseFolder)/hong.tif"))
            #expect(Eventually.holds(within: 60) {
                FileManager.default.fileExists(atPath: "\(folders.rejected)/loose.tif.reason.txt")
                    && FileManager.default.fileExists(atPath: "\(folders.rejected)/001085012345/000.00.01.H26-251124-0001/hong.tif.reason.txt")
                    && watcher.output.contains("rejected")
            }, "\(watcher.output)")
            #expect(watcher.stop() == 0)
            let vietnameseLetters = Set("ảạấầẩẫậăắằẳẵặđéèẻẽẹêếềểễệíìỉĩịóòỏõọôốồổỗộơớờởỡợúùủũụưứừửữựýỳỷỹỵ")
            let line = try #require(watcher.output.split(separator: "\n").first { $0.contains("rejected") && $0.contains("reason=") })
            #expect(line.contains(words) && line.contains { vietnameseLetters.contains($0) } == (language == "vi"), "\(line)")
            // sohoa status gives the stage's failure in the same language.
            let status = try Run.process(sohoa, ["status", "--data", folders.data], environment: ["SOHOA_LANG": language])
            let failure = try #require(status.stdout.split(separator: "\n").first { $0.contains("hong.tif") }, "\(status.stdout)")
            let reason = try #require(failure.range(of: "): ").map { failure[$0.upperBound...] }, "\(failure)")
            #expect(reason.contains { vietnameseLetters.contains($0) } == (language == "vi"), "\(failure)")
        }
    }

    @Test func helpShowsExamplesExitCodesAndTheWindowForShares() throws {
        let help = try Run.process(sohoa, ["watch", "--help"])
        #expect(help.status == 0)
        for words in ["Examples:", "sohoa watch --inbox", "Exit status:", "--stable-seconds 30", "Network shares",
                      "longest pause"] {
            #expect(help.stdout.contains(words), "\(words) in: \(help.stdout)")
        }
    }

    @Test func badArgumentsAreRefused() throws {
        let folders = try Folders("watch-args")
        defer { Fixtures.removeScratch(folders.scratch) }
        let missing = try Run.process(sohoa, ["watch", "--inbox", folders.scratch.appendingPathComponent("none").path,
                                              "--data", folders.data])
        #expect(missing.status == 1 && missing.stderr.contains("is not a folder"), "\(missing.stderr)")
        let inside = try Run.process(sohoa, ["watch", "--inbox", folders.inbox, "--data", folders.data,
                                             "--rejected", "\(folders.inbox)/tu-choi"])
        #expect(inside.status == 1 && inside.stderr.contains("cannot be inside the inbox"), "\(inside.stderr)")
        let dataInside = try Run.process(sohoa, ["watch", "--inbox", folders.inbox, "--data", "\(folders.inbox)/./data"])
        #expect(dataInside.status == 1 && dataInside.stderr.contains("the repository cannot be inside the inbox"))
        #expect(!FileManager.default.fileExists(atPath: "\(folders.inbox)/data"), "nothing was made")
        let workers = try Run.process(sohoa, ["watch", "--inbox", folders.inbox, "--data", folders.data, "--workers", "0"])
        #expect(workers.status == 3)
        let notRepository = try Run.process(sohoa, ["status", "--data", folders.scratch.appendingPathComponent("nothing").path])
        #expect(notRepository.status == 1 && notRepository.stderr.contains("not a Sohoa repository"))
    }
}
