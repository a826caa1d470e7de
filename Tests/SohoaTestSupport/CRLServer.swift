import Foundation

/// Serves the test PKI's CRLs (DER) at the addresses its certificates name,
/// `http://127.0.0.1:18089/{issuing-ca,root-ca}.crl`, with Python's HTTP server.
///
/// Started once per test process and stopped when the process ends (the server exits when
/// its standard input, held by this process, closes).
public enum CRLServer {
    public static let port = 18089

    /// Makes sure the server runs; throws when it cannot be started.
    public static func ensureRunning() throws {
        if let failure = started { throw failure }
    }

    private static let started: Tools.Missing? = {
        if answers() { return nil }
        do {
            let folder = try Fixtures.makeScratch("sohoa-crls")
            for name in ["issuing-ca", "root-ca"] {
                try FileManager.default.copyItem(at: Fixtures.certs.appendingPathComponent("\(name).crl.der"),
                                                 to: folder.appendingPathComponent("\(name).crl"))
            }
            let script = """
                import functools, http.server, sys, threading
                handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
                handler.func.log_message = lambda *args: None
                server = http.server.ThreadingHTTPServer(("127.0.0.1", \(port)), handler)
                threading.Thread(target=server.serve_forever, daemon=True).start()
                sys.stdin.read()
                """
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            process.arguments = ["-c", script, folder.path]
            let input = Pipe()
            process.standardInput = input
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            keepAlive = input
            let deadline = Date().addingTimeInterval(10)
            while Date() < deadline {
                if answers() { return nil }
                Thread.sleep(forTimeInterval: 0.05)
            }
            return Tools.Missing(description: "the CRL server did not start on port \(port)")
        } catch {
            return Tools.Missing(description: "the CRL server could not be started: \(error)")
        }
    }()

    nonisolated(unsafe) private static var keepAlive: Pipe?

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
