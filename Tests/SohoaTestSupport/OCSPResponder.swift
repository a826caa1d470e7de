import Foundation

/// OpenSSL's OCSP responder (`openssl ocsp`) for the test PKI's issuing CA, at the address the
/// OCSP-only test certificates name, `http://127.0.0.1:18090/`, answering from the CA's
/// database (`Certs/issuing-ca-index.txt`) and signing with the delegated responder
/// certificate; once per test process.
public enum OCSPResponder {
    public static let port = 18090

    /// Makes sure the responder answers now; throws when it cannot be started. Another
    /// process's responder on the port serves as well while it lives; when it is gone, this
    /// process starts its own.
    public static func ensureRunning() throws {
        try lock.withLock {
            if answers() { return }
            if let failure = start() { throw failure }
        }
    }

    private static let lock = NSLock()

    private static func start() -> Tools.Missing? {
        let certs = Fixtures.certs
        return TiedProcess.start(["openssl", "ocsp", "-index", certs.appendingPathComponent("issuing-ca-index.txt").path,
                                  "-port", "\(port)", "-rsigner", certs.appendingPathComponent("ocsp-responder.pem").path,
                                  "-rkey", certs.appendingPathComponent("ocsp-responder.key.pem").path,
                                  "-CA", certs.appendingPathComponent("issuing-ca.pem").path, "-ndays", "1", "-ignore_err"],
                                 name: "OCSP responder on port \(port)", ready: answers)
    }

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
