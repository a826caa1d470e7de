import Foundation

/// `sohoa tsa serve` with the TEST-ONLY TSA certificate, on a free loopback port.
public struct LocalTSA {
    public let process: Process
    /// `http://127.0.0.1:PORT/`
    public let url: String

    /// Starts the authority and waits until it prints the address it listens on.
    public static func start(serialFile: String) throws -> LocalTSA {
        let certs = Fixtures.certs
        let process = Process()
        process.executableURL = Fixtures.productsDirectory.appendingPathComponent("sohoa")
        process.arguments = ["tsa", "serve", "--cert", certs.appendingPathComponent("tsa.pem").path,
                             "--key", certs.appendingPathComponent("tsa.key.pem").path,
                             "--chain", certs.appendingPathComponent("tsa-chain.pem").path,
                             "--listen", "127.0.0.1:0", "--serial-file", serialFile]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var text = ""
        let deadline = Date().addingTimeInterval(20)
        while !text.contains("listening on http://"), Date() < deadline, process.isRunning {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { Thread.sleep(forTimeInterval: 0.05) }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let range = text.range(of: #"http://127\.0\.0\.1:\d+/"#, options: .regularExpression) else {
            process.terminate()
            throw Tools.Missing(description: "the time-stamp authority did not start: \(text)")
        }
        return LocalTSA(process: process, url: String(text[range]))
    }

    /// Stops it with SIGTERM and waits.
    public func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}
