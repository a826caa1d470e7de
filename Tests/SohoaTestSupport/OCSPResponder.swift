import Foundation

/// OpenSSL's OCSP responder (`openssl ocsp`) for the test PKI's issuing CA, at the address the
/// OCSP-only test certificates name, `http://127.0.0.1:18090/`, answering from the CA's
/// database (`Certs/issuing-ca-index.txt`) and signing with the delegated responder certificate.
///
/// Started once per test process and stopped when the process ends (a small Python parent
/// stops it when its standard input, held by this process, closes).
public enum OCSPResponder {
    public static let port = 18090

    /// Makes sure the responder runs; throws when it cannot be started.
    public static func ensureRunning() throws {
        if let failure = started { throw failure }
    }

    private static let started: Tools.Missing? = {
        if answers() { return nil }
        let certs = Fixtures.certs
        let script = """
            import subprocess, sys
            responder = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            sys.stdin.read()
            responder.terminate()
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script, "openssl", "ocsp", "-index", certs.appendingPathComponent("issuing-ca-index.txt").path,
                             "-port", "\(port)", "-rsigner", certs.appendingPathComponent("ocsp-responder.pem").path,
                             "-rkey", certs.appendingPathComponent("ocsp-responder.key.pem").path,
                             "-CA", certs.appendingPathComponent("issuing-ca.pem").path, "-ndays", "1", "-ignore_err"]
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch {
            return Tools.Missing(description: "the OCSP responder could not be started: \(error)")
        }
        keepAlive = input
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if answers() { return nil }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return Tools.Missing(description: "the OCSP responder did not start on port \(port)")
    }()

    nonisolated(unsafe) private static var keepAlive: Pipe?

    /// Whether a responder on the port says the OCSP test officer's certificate is good.
    private static func answers() -> Bool {
        let certs = Fixtures.certs
        let result = try? Run.process("/usr/bin/openssl", [
            "ocsp", "-issuer", certs.appendingPathComponent("issuing-ca.pem").path,
            "-cert", certs.appendingPathComponent("officer-ocsp.pem").path, "-url", "http://127.0.0.1:\(port)/",
            "-CAfile", certs.appendingPathComponent("root-ca.pem").path, "-timeout", "2"])
        return result?.status == 0 && (result?.stdout.contains(": good") ?? false)
    }
}
