import Foundation

/// `sohoa tsa serve` with the TEST-ONLY TSA certificate, on a free loopback port.
public struct LocalTSA {
    public let process: Process
    /// `http://127.0.0.1:PORT/`
    public let url: String

    /// Starts the authority and waits until it prints the address it listens on. `certificate`
    /// names its certificate in `Certs/`: `tsa` (valid until 2040) or `tsa-short` (until 2030).
    public static func start(serialFile: String, certificate: String = "tsa") throws -> LocalTSA {
        let certs = Fixtures.certs
        let process = Process()
        process.executableURL = Fixtures.productsDirectory.appendingPathComponent("sohoa")
        process.arguments = ["tsa", "serve", "--cert", certs.appendingPathComponent("\(certificate).pem").path,
                             "--key", certs.appendingPathComponent("\(certificate).key.pem").path,
                             "--chain", certs.appendingPathComponent("\(certificate)-chain.pem").path,
                             "--listen", "127.0.0.1:0", "--serial-file", serialFile]
        process.standardError = FileHandle.nullDevice
        let url = try ListeningProcess.awaitAddress(of: process, matching: #"http://127\.0\.0\.1:\d+/"#, what: "the time-stamp authority")
        return LocalTSA(process: process, url: url)
    }

    /// Stops it with SIGTERM and waits.
    public func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}
