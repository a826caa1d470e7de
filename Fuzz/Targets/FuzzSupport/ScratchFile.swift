import Foundation

/// A file the fuzz input is written to, for the APIs that read from a path.
///
/// It lives in `SOHOA_FUZZ_SCRATCH` when set (scripts/fuzz.sh points it at a folder under
/// `.build/fuzz/` and removes it afterwards), otherwise in the temporary folder; its name
/// carries the process id, so parallel runs do not collide. It is rewritten for every input.
public final class ScratchFile: @unchecked Sendable {
    // Sendable: libFuzzer calls a target from one thread at a time.
    /// The file's path.
    public let path: String

    /// A scratch file whose name ends with `suffix` (an extension may matter to the code under test).
    public init(suffix: String) {
        let environment = ProcessInfo.processInfo.environment["SOHOA_FUZZ_SCRATCH"] ?? ""
        let folder = environment.isEmpty ? NSTemporaryDirectory() : environment
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        path = (folder as NSString).appendingPathComponent("sohoa-fuzz-\(getpid())\(suffix)")
    }

    /// Replaces the file's content with `count` bytes at `start`.
    public func write(_ start: UnsafeRawPointer, _ count: Int) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else { fatalError("cannot write the scratch file \(path): errno \(errno)") }
        defer { close(descriptor) }
        var written = 0
        while written < count {
            let result = Foundation.write(descriptor, start + written, count - written)
            guard result > 0 else { fatalError("cannot write the scratch file \(path): errno \(errno)") }
            written += result
        }
    }
}
