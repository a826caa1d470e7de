import Foundation

/// Serves the test PKI's CRLs (DER) at the addresses its certificates name,
/// `http://127.0.0.1:18089/{issuing-ca,root-ca}.crl`, with Python's HTTP server, started by the
/// test process when nothing answers there.
public enum CRLServer {
    public static let port = 18089

    /// Makes sure the server answers now; throws when it cannot be started. Another process's
    /// server on the port (a second test run on the same machine) serves as well while it
    /// lives; when it is gone, this process starts its own.
    public static func ensureRunning() throws {
        try lock.withLock {
            if answers() { return }
            if let failure = start() { throw failure }
        }
    }

    private static let lock = NSLock()

    private static func start() -> Tools.Missing? {
        do {
            let folder = try Fixtures.makeScratch("sohoa-crls")
            for name in ["issuing-ca", "root-ca"] {
                try FileManager.default.copyItem(at: Fixtures.certs.appendingPathComponent("\(name).crl.der"),
                                                 to: folder.appendingPathComponent("\(name).crl"))
            }
            return TiedProcess.start(["python3", "-m", "http.server", "\(port)", "--bind", "127.0.0.1",
                                      "--directory", folder.path], name: "CRL server on port \(port)", ready: answers)
        } catch {
            return Tools.Missing(description: "the CRL server could not be prepared: \(error)")
        }
    }

    /// Whether something on the port serves the issuing CA's CRL as the test PKI has it.
    private static func answers() -> Bool {
        let check = """
            import sys, urllib.request
            served = urllib.request.urlopen(sys.argv[1], timeout=2).read()
            sys.exit(0 if served == open(sys.argv[2], "rb").read() else 1)
            """
        let result = try? Run.process("/usr/bin/python3", ["-c", check, "http://127.0.0.1:\(port)/issuing-ca.crl",
                                                           Fixtures.certs.appendingPathComponent("issuing-ca.crl.der").path])
        return result?.status == 0
    }
}
