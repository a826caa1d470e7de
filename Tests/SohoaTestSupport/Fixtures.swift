import Foundation

/// Paths and scratch folders shared by the test suites.
public enum Fixtures {
    /// The package's root folder.
    public static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }  // Tests/SohoaTestSupport/Fixtures.swift
        return url
    }()

    /// `Samples/`, the sample inbox.
    public static var samples: URL { packageRoot.appendingPathComponent("Samples") }

    /// `Certs/`, the test PKI.
    public static var certs: URL { packageRoot.appendingPathComponent("Certs") }

    /// The folder holding the built products (the `sohoa` executable among them).
    public static var productsDirectory: URL {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var folder = executable.deletingLastPathComponent()
        // On Linux the test runner is <products>/<package>PackageTests.xctest.
        if folder.pathExtension == "xctest" { folder.deleteLastPathComponent() }
        return folder
    }

    /// A new empty folder, removed by the caller with `removeScratch`.
    public static func makeScratch(_ label: String = "sohoa-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Removes a scratch folder.
    public static func removeScratch(_ url: URL) {
        try? FileManager.default.removeItem(at: url)
    }

    /// Writes `bytes` to `name` inside `folder` and returns the path.
    @discardableResult
    public static func write(_ bytes: [UInt8], named name: String, in folder: URL) throws -> String {
        let url = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// The bytes of a file.
    public static func read(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Every sample image file under `Samples/`, sorted.
    public static func sampleImages() -> [String] {
        let root = samples.path
        let names = FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []
        let extensions: Set<String> = ["tif", "tiff", "png", "jpg", "jpeg"]
        return names.filter { extensions.contains(($0 as NSString).pathExtension.lowercased()) }
            .sorted().map { root + "/" + $0 }
    }
}

/// Runs a program and captures what it prints.
public struct ProcessResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

public enum Run {
    /// Runs `executable` with `arguments`, waits, and returns its exit status and output.
    public static func process(_ executable: String, _ arguments: [String],
                               environment: [String: String]? = nil) throws -> ProcessResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes before waiting, so a chatty child cannot block on a full pipe.
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            outData = out.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        errData = err.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return ProcessResult(status: process.terminationStatus,
                             stdout: String(decoding: outData, as: UTF8.self),
                             stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Starts `executable` and kills it with SIGKILL after a random delay (seconds) drawn
    /// from `delay`, then waits for it: a crash at an arbitrary moment of its work.
    public static func killed(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                              after delay: ClosedRange<Double>) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        var generator = SystemRandomNumberGenerator()
        Thread.sleep(forTimeInterval: Double.random(in: delay, using: &generator))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// The first of `candidates` that exists, for tools installed in different places.
    public static func firstExisting(_ candidates: [String]) -> String? {
        candidates.first { FileManager.default.isExecutableFile(atPath: $0) || FileManager.default.fileExists(atPath: $0) }
    }
}
