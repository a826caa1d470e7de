import Foundation

/// A `sohoa watch` process started by a test: its log goes to a file, and it is stopped with
/// SIGTERM (or killed) by the test.
public final class Watcher: @unchecked Sendable {
    public let process = Process()
    public let log: String

    /// Starts `sohoa watch` with `arguments` after `watch` (and `environment` added to this
    /// process's). Pages are read (OCR, about a second a page) only when `ocr` is set: the
    /// tests of everything else run with `--no-ocr`.
    public init(sohoa: String, arguments: [String], log: String, environment: [String: String]? = nil, ocr: Bool = false) throws {
        self.log = log
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        handle.seekToEndOfFile()
        process.executableURL = URL(fileURLWithPath: sohoa)
        process.arguments = ["watch"] + arguments + (ocr ? [] : ["--no-ocr"])
        if let environment {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    /// Asks it to stop (SIGTERM) and waits; returns its exit status.
    @discardableResult
    public func stop() -> Int32 {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Kills it at once (SIGKILL), as a power cut would.
    public func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Everything it logged.
    public var output: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

    deinit { kill() }
}

/// Waiting for something another process does.
public enum Eventually {
    /// Checks `condition` every 0.2 s until it holds or `timeout` seconds pass; returns whether it held.
    public static func holds(within timeout: TimeInterval, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.2)
        }
        return try condition()
    }
}
