import Foundation
import SohoaTestSupport
import Testing

/// Several `sohoa watch` nodes on one PostgreSQL repository, killed and started again while
/// documents arrive: what a centre with several branches relies on. Every document is filed
/// once, none is lost or left behind, and the repository checks clean with one audit chain.
@Suite(.serialized) struct ClusterTests {
    let sohoa = Fixtures.productsDirectory.appendingPathComponent("sohoa").path

    /// One `sohoa watch` process standing for a node: started again with the same arguments
    /// after each kill, each run logging to a file of its own (`<log>.<run>`).
    final class Node {
        let name: String
        let inbox: String
        let arguments: [String]
        let log: String
        let environment: [String: String]
        let sohoa: String
        private(set) var watcher: Watcher
        /// The times it stopped without being told to, each with its exit status.
        private(set) var exitedByItself: [String] = []
        private(set) var kills = 0
        /// How many times it was started.
        private(set) var runs = 1

        init(name: String, sohoa: String, inbox: String, data: String, log: String, environment: [String: String]) throws {
            self.name = name
            self.sohoa = sohoa
            self.inbox = inbox
            self.log = log
            self.environment = environment
            // Short leases, so jobs of a killed node are taken over within the test.
            arguments = ["--inbox", inbox, "--data", data, "--stable-seconds", "0.2", "--lease-seconds", "3", "--workers", "2"]
            watcher = try Watcher(sohoa: sohoa, arguments: arguments, log: "\(log).1", environment: environment)
        }

        /// Everything it logged, every run of it.
        var output: String {
            (1...runs).map { (try? String(contentsOfFile: "\(log).\($0)", encoding: .utf8)) ?? "" }.joined()
        }

        /// Notes (and starts again) a node that stopped without being killed: a crash, or a
        /// refusal to run.
        func checkAlive() throws {
            guard !watcher.process.isRunning else { return }
            exitedByItself.append("status \(watcher.process.terminationStatus)")
            try start()
        }

        /// SIGKILL, as a power cut or an out-of-memory kill would.
        func kill() {
            watcher.kill()
            kills += 1
        }

        /// Stops it (SIGSTOP) for `seconds`, then lets it go on (SIGCONT): a node that hangs
        /// longer than its leases (a stalled disk, a network partition) and then comes back.
        func freeze(for seconds: TimeInterval) {
            guard watcher.process.isRunning else { return }
            Foundation.kill(watcher.process.processIdentifier, SIGSTOP)
            Thread.sleep(forTimeInterval: seconds)
            Foundation.kill(watcher.process.processIdentifier, SIGCONT)
        }

        func start() throws {
            runs += 1
            watcher = try Watcher(sohoa: sohoa, arguments: arguments, log: "\(log).\(runs)", environment: environment)
        }

        /// The lines of its log that say something went wrong (every run of it), each told once.
        var troubles: [String] {
            var seen: Set<String> = []
            return output.split(separator: "\n").map(String.init).filter { line in
                let lower = line.lowercased()
                guard !lower.contains("refused files go to"),
                      ["error", "fatal", "crash", "given up", "rejected", "lease lost", "already watching", "cannot"]
                        .contains(where: { lower.contains($0) }) else { return false }
                // The same message again (a refusal at each start, with another time and PID) is told once.
                let message = String(line.map { $0.isNumber ? "#" : $0 })
                return seen.insert(message).inserted
            }
        }

        /// What happened to it, for a failure message.
        var evidence: String {
            let troubles = self.troubles
            let exits = exitedByItself.isEmpty ? "" : "; \(exitedByItself.count) times it exited by itself: "
                + Set(exitedByItself).sorted().joined(separator: ", ")
            return "\(name) (\(kills) kills\(exits)):\n" + (troubles.isEmpty ? String(output.suffix(1500))
                : troubles.prefix(12).joined(separator: "\n") + (troubles.count > 12 ? "\n… \(troubles.count - 12) more" : ""))
        }
    }

    /// The first few of `items`, and how many there are.
    static func some(_ items: [String]) -> String {
        items.isEmpty ? "none" : "\(items.count): " + items.prefix(8).joined(separator: ", ") + (items.count > 8 ? ", …" : "")
    }

    /// `sohoa` with the database password in its environment, as an operator's shell has it.
    func run(_ arguments: [String], _ environment: [String: String]) throws -> ProcessResult {
        try Run.process(sohoa, arguments, environment: environment)
    }

    func json(_ arguments: [String], _ environment: [String: String]) throws -> [String: Any] {
        let result = try run(arguments, environment)
        return (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]) ?? [:]
    }

    /// Files left anywhere under `folder` (dot-folders, so the spool, included), relative; the
    /// inbox's lock file is not counted.
    func files(under folder: String) -> [String] {
        let walker = FileManager.default.enumerator(atPath: folder)
        var found: [String] = []
        while let relative = walker?.nextObject() as? String {
            if [".sohoa-watch.lock", ".sohoa-inbox-id"].contains((relative as NSString).lastPathComponent) { continue }
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: "\(folder)/\(relative)", isDirectory: &isFolder), !isFolder.boolValue {
                found.append(relative)
            }
        }
        return found.sorted()
    }

    /// Three nodes on one PostgreSQL repository (two sharing one branch's inbox, one on a
    /// second branch's), 300 documents dropped across the two inboxes in bursts while a node
    /// is killed with SIGKILL 30 times and started again (and three times one hangs past its
    /// leases and comes back): every document is filed exactly once, nothing is left in an
    /// inbox, its spool or the rejected folders, no job is stuck, and `repo fsck` finds the
    /// repository clean, its audit chain one chain.
    @Test func threeNodesKilledThirtyTimesFileEveryDocumentOnce() throws {
        try dropWhileKilling(label: "cluster", branches: 2, nodes: [("node 1", 0), ("node 2", 0), ("node 3", 1)])
    }

    /// The same with one node on one inbox: what a branch that moved its records to PostgreSQL
    /// runs before it adds a node.
    @Test func oneNodeKilledThirtyTimesFilesEveryDocumentOnce() throws {
        try dropWhileKilling(label: "one-node", branches: 1, nodes: [("node 1", 0)])
    }

    /// Makes a PostgreSQL repository and `branches` inboxes, starts `nodes` (a name and the
    /// index of its inbox each), drops 300 documents in 30 bursts (two of every three to the
    /// first inbox when there are two), killing a random node after each burst and starting it
    /// again (and, with several nodes, freezing one past its leases now and then), then checks that every document is filed exactly once and nothing is left.
    func dropWhileKilling(label: String, branches branchCount: Int, nodes topology: [(String, Int)]) throws {
        let started = Date()
        let scratch = try Fixtures.makeScratch(label)
        defer { Fixtures.removeScratch(scratch) }
        let environment = try TestPostgres.server().environment
        let url = try TestPostgres.freshDatabase(label)
        let databaseName = (url as NSString).lastPathComponent
        let data = scratch.appendingPathComponent("data").path
        let made = try run(["repo", "init", "--data", data, "--database", url], environment)
        try #require(made.status == 0, "repo init: \(made.stderr)")
        // Each branch with its inbox and its rejected folder beside it.
        let branches = ["branch-a", "branch-b"].prefix(branchCount).map { scratch.appendingPathComponent($0).path }
        let inboxes = branches.map { "\($0)/inbox" }
        for inbox in inboxes { try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true) }

        // 300 distinct small scans (A6, one page each), written aside and renamed into an inbox
        // as scanners do: with two branches, two of every three to the first, the others to the second.
        let count = 300, rounds = 30
        let staging = scratch.appendingPathComponent("staging").path
        let generated = try Tools.run(Tools.python, [Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/make_drop.py").path,
                                                     staging, "\(count)"])
        try #require(generated.status == 0, "\(generated.stderr)")
        let dropped = generated.stdout.split(separator: "\n").map { String($0.split(separator: " ")[0]) }
        try #require(dropped.count == count)
        let sources = Set(generated.stdout.split(separator: "\n").map { String($0.split(separator: " ")[1]) })
        try #require(sources.count == count, "every scan differs from the others")

        let nodes = try topology.enumerated().map { index, node in
            try Node(name: node.0, sohoa: sohoa, inbox: inboxes[node.1], data: data,
                     log: scratch.appendingPathComponent("node-\(index + 1).log").path, environment: environment)
        }
        /// Each node's troubles, and why the documents that were not filed were refused.
        func evidence() -> String {
            let reasons = (try? TestPostgres.psql("""
                SELECT state, COUNT(*), MIN(note) FROM intake WHERE state <> 'filed' GROUP BY state ORDER BY state
                """, database: databaseName)) ?? "-"
            return nodes.map(\.evidence).joined(separator: "\n\n") + "\nintake not filed (state|count|a reason): \(reasons)"
        }

        var generator = SystemRandomNumberGenerator()
        let burst = count / rounds
        var delayedRestarts = 0, freezes = 0
        for round in 0..<rounds {
            for (offset, relative) in dropped[(round * burst)..<((round + 1) * burst)].enumerated() {
                let inbox = (round * burst + offset) % 3 == 2 ? inboxes[inboxes.count - 1] : inboxes[0]
                let target = "\(inbox)/\(relative)"
                try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent,
                                                        withIntermediateDirectories: true)
                try #require(rename("\(staging)/\(relative)", target) == 0, "\(relative) dropped")
            }
            Thread.sleep(forTimeInterval: Double.random(in: 0.1...1.0, using: &generator))
            for node in nodes { try node.checkAlive() }
            let victim = nodes.randomElement(using: &generator)!
            victim.kill()
            // Now and then the node stays down longer than its lease: its jobs are taken over
            // by the others (when there are others), not only taken back when it starts again.
            if round % 6 == 5 {
                delayedRestarts += 1
                Thread.sleep(forTimeInterval: 4)
            }
            try victim.start()
            // With several nodes, now and then one hangs past its leases and comes back: the
            // others take its jobs over, and it must not finish them too.
            if nodes.count > 1, round % 10 == 3 {
                freezes += 1
                nodes.randomElement(using: &generator)!.freeze(for: 4.5)
            }
        }
        let dropEnded = Date()

        // Everything filed, and nothing left behind in an inbox or its spool (a document
        // rejected or taken as a duplicate can never become filed: no use waiting then).
        var settled = false
        _ = try Eventually.holds(within: 150) {
            for node in nodes { try node.checkAlive() }
            let intake = (try json(["status", "--data", data, "--json"], environment)["intake"] as? [String: Int]) ?? [:]
            settled = intake["filed"] == count && intake["received"] == 0 && inboxes.allSatisfy { files(under: $0).isEmpty }
            return settled || intake["rejected"] ?? 0 > 0 || intake["duplicate"] ?? 0 > 0
        }
        let settledAt = Date()
        var stopped: [String] = []
        for node in nodes {
            let status = node.watcher.stop()
            if status != 0 { stopped.append("\(node.name) stopped with status \(status)") }
        }
        let status = try json(["status", "--data", data, "--json"], environment)
        let left = inboxes.flatMap(files(under:))
        // What the nodes said, told once, with the first failure.
        let story = settled && stopped.isEmpty && nodes.allSatisfy({ $0.exitedByItself.isEmpty }) ? "" : "\n" + evidence()
        #expect(settled, "not everything was filed: \(status["intake"] ?? "-"); left in the inboxes: \(Self.some(left))\(story)")
        #expect(stopped.isEmpty, "SIGTERM stops every node cleanly: \(stopped)")
        #expect(nodes.allSatisfy { $0.exitedByItself.isEmpty }, "no node crashed or refused to run\(settled ? story : "")")

        // Exactly once: one filed document per dropped file, named after it, none twice.
        let intake = (status["intake"] as? [String: Int]) ?? [:]
        #expect(intake["filed"] == count && intake["duplicate"] ?? 0 == 0 && intake["rejected"] ?? 0 == 0
                    && intake["received"] ?? 0 == 0, "intake: \(intake)")
        let documents = (try json(["repo", "list", "--data", data, "--json"], environment)["documents"] as? [[String: Any]]) ?? []
        let titles = documents.compactMap { $0["title"] as? String }
        let names = Set(dropped.map { ($0 as NSString).lastPathComponent })
        #expect(documents.count == count, "\(documents.count) documents filed for \(count) dropped")
        #expect(Set(titles).count == titles.count,
                "no document filed twice: \(Self.some(Dictionary(grouping: titles) { $0 }.filter { $1.count > 1 }.keys.sorted()))")
        #expect(Self.some(names.subtracting(titles).sorted()) == "none", "no document lost")
        #expect(Set(documents.compactMap { $0["sha256"] as? String }).count == documents.count, "each filed PDF is its own")
        // The intake log: one row per dropped file, each filed once, from its own scan.
        let intakeRows = try TestPostgres.psql("""
            SELECT COUNT(*), COUNT(DISTINCT relative_path), COUNT(DISTINCT sha256), COUNT(DISTINCT document_id),
                   COUNT(*) FILTER (WHERE state = 'filed') FROM intake
            """, database: databaseName)
        #expect(intakeRows == "\(count)|\(count)|\(count)|\(count)|\(count)", "intake rows, paths, scans, documents, filed: \(intakeRows)")
        let receivedScans = Set(try TestPostgres.psql("SELECT sha256 FROM intake", database: databaseName)
            .split(separator: "\n").map(String.init))
        #expect(receivedScans == sources, "the scans received are the ones dropped")
        // No job stuck, failed or waiting.
        let jobs = try TestPostgres.psql("SELECT state, COUNT(*) FROM jobs GROUP BY state ORDER BY state", database: databaseName)
        #expect(jobs == "done|\(count)", "jobs by state: \(jobs)")

        // Nothing left anywhere: inboxes, spools, rejected folders, the work folder.
        for branch in branches {
            #expect(Self.some(files(under: "\(branch)/inbox")) == "none", "left in \(branch)/inbox or its spool")
            #expect(Self.some(files(under: "\(branch)/rejected")) == "none", "in \(branch)/rejected")
        }
        #expect(Self.some(files(under: "\(data)/work")) == "none", "left in the work folder")

        // The repository checks clean: every blob, every row, one audit chain with one filing
        // entry for each document.
        let checked = try run(["repo", "fsck", "--data", data, "--json"], environment)
        let report = (try? JSONSerialization.jsonObject(with: Data(checked.stdout.utf8)) as? [String: Any]) ?? [:]
        #expect(checked.status == 0 && (report["problems"] as? [Any])?.isEmpty == true && (report["orphans"] as? [Any])?.isEmpty == true,
                "\(checked.stdout)\(checked.stderr)")
        #expect(report["auditEntriesChecked"] as? Int ?? 0 >= count && report["blobsChecked"] as? Int ?? 0 >= 2 * count, "\(report)")
        let filings = try TestPostgres.psql("SELECT COUNT(*), COUNT(DISTINCT subject) FROM audit WHERE action = 'file'",
                                            database: databaseName)
        #expect(filings == "\(count)|\(count)", "audit entries for filings (all, distinct documents): \(filings)")

        // The figures of the run.
        let takenOver = try TestPostgres.psql("SELECT COUNT(*) FROM jobs WHERE attempts > 1", database: databaseName)
        let takenBack = nodes.map { $0.output.components(separatedBy: "taking back the jobs of a worker that stopped").count - 1 }
            .reduce(0, +)
        let lost = nodes.map { $0.output.components(separatedBy: "lease lost").count - 1 }.reduce(0, +)
        print("""
            \(label): \(nodes.map(\.kills).reduce(0, +)) kills (\(nodes.map { "\($0.name): \($0.kills)" }.joined(separator: ", ")); \
            \(delayedRestarts) restarts after the lease ran out), \(freezes) nodes hung past their leases, \(takenOver) jobs run more than once, \(takenBack) dead workers' \
            jobs taken back at start, \(lost) leases lost to another worker; drops took \(String(format: "%.1f", dropEnded.timeIntervalSince(started))) s, everything \
            filed \(String(format: "%.1f", settledAt.timeIntervalSince(dropEnded))) s after the last drop, the whole test \
            \(String(format: "%.1f", Date().timeIntervalSince(started))) s
            """)
    }
}
