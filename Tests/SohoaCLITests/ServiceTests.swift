import Foundation
import SohoaTestSupport
import Testing

/// Running Sohoa as a service: `make install` and what it installs, and the logs under systemd.
@Suite struct ServiceTests {
    let sohoa = Fixtures.productsDirectory.appendingPathComponent("sohoa").path

    /// packaging/check-install.sh: `make install DESTDIR=…` with the built binary, every file in
    /// place and nothing outside DESTDIR, the example settings valid, the man pages rendering
    /// without warnings, the completions loading, the units passing `systemd-analyze verify`
    /// (checks whose tool is missing are skipped with a note in the output).
    @Test func makeInstallWritesEverythingUnderDestdirAndItChecksOut() throws {
        try #require(FileManager.default.isExecutableFile(atPath: sohoa), "build sohoa first (make test does)")
        let script = Fixtures.packageRoot.appendingPathComponent("packaging/check-install.sh").path
        let result = try Run.process("/bin/bash", [script, sohoa])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("every check passed"), "\(result.stdout)")
    }

    /// Runs `sohoa watch` on an empty inbox with standard error going to a file, until it says it
    /// is watching; returns what it logged. `journalStream` is JOURNAL_STREAM: nil for the file's
    /// own device and inode (as systemd sets it), or the value given.
    func watchLog(journalStream: String?) throws -> String {
        let scratch = try Fixtures.makeScratch("sohoa-journal")
        defer { Fixtures.removeScratch(scratch) }
        let inbox = scratch.appendingPathComponent("inbox").path
        try FileManager.default.createDirectory(atPath: inbox, withIntermediateDirectories: true)
        let log = scratch.appendingPathComponent("stderr.log").path
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let attributes = try FileManager.default.attributesOfItem(atPath: log)
        let device = (attributes[.systemNumber] as? NSNumber)?.uint64Value ?? 0
        let inode = (attributes[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
        let handle = try #require(FileHandle(forWritingAtPath: log))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: sohoa)
        process.arguments = ["watch", "--inbox", inbox, "--data", scratch.appendingPathComponent("repository").path, "--no-ocr"]
        var environment = ProcessInfo.processInfo.environment
        environment["JOURNAL_STREAM"] = journalStream ?? "\(device):\(inode)"
        process.environment = environment
        process.standardError = handle
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        var text = ""
        while Date() < deadline {
            text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            if text.contains("watching") { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        process.terminate()
        process.waitUntilExit()
        try handle.close()
        return (try? String(contentsOfFile: log, encoding: .utf8)) ?? text
    }

    @Test func underSystemdEachLogLineCarriesItsPriorityForTheJournal() throws {
        try #require(FileManager.default.isExecutableFile(atPath: sohoa), "build sohoa first (make test does)")
        let journal = try watchLog(journalStream: nil)
        let lines = journal.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("<6>sohoa.watch: watching") }, "\(journal)")
        #expect(lines.allSatisfy { $0.hasPrefix("<") }, "a line without its priority: \(journal)")
        // A JOURNAL_STREAM that is not this standard error (inherited by a child whose output was
        // redirected) leaves the terminal's format.
        let terminal = try watchLog(journalStream: "1:1")
        #expect(terminal.contains("watching") && !terminal.contains("<6>"), "\(terminal)")
    }
}
