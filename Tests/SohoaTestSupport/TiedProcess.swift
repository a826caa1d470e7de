import Foundation

/// A helper server (CRL server, OCSP responder) that lives exactly as long as the test process:
/// a small Python parent starts it and stops it when its standard input, held here, closes —
/// which happens when the test process ends, however it ends — and the server also stops if
/// that parent is killed.
enum TiedProcess {
    nonisolated(unsafe) private static var pipes: [Pipe] = []
    private static let lock = NSLock()

    /// Starts `command` and waits (up to 10 s) until `ready` says it answers; the reason when
    /// it does not.
    static func start(_ command: [String], name: String, ready: () -> Bool) -> Tools.Missing? {
        if ready() { return nil }  // already served here (another process's, answering the same)
        // The test process's threads block most signals and children inherit that mask, so the
        // child unblocks them, and is tied to its parent with PR_SET_PDEATHSIG (Linux): killed
        // with SIGKILL, which cannot be blocked, if the parent dies any other way.
        let parent = """
            import ctypes, signal, subprocess, sys
            def tie():
                signal.pthread_sigmask(signal.SIG_SETMASK, [])
                ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)
            child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=tie)
            sys.stdin.read()
            child.kill()
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", parent] + command
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch {
            return Tools.Missing(description: "the \(name) could not be started: \(error)")
        }
        lock.withLock { pipes.append(input) }
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if ready() { return nil }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return Tools.Missing(description: "the \(name) did not start")
    }
}
