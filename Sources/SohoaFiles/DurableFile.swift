import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// File-system steps that survive a power cut: fsync, and a file that appears whole or not at
/// all (written under a temporary name beside it, synced, renamed, its folder synced).
public enum DurableFile {
    /// Why a durable write failed, naming the path and the system's reason.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Flushes a file's (or a folder's) data and metadata to the disk.
    public static func sync(_ path: String) throws(Failure) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw Failure(description: "\(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw Failure(description: "\(path): \(String(cString: strerror(errno)))") }
    }

    /// Makes `output` appear whole or not at all: `write` fills a temporary file beside it,
    /// which is synced and renamed over `output`, and the folder is synced; on any failure the
    /// temporary file is removed and the error rethrown.
    @discardableResult
    public static func replace<Result>(_ output: String, write: (String) throws -> Result) throws -> Result {
        let folder = (output as NSString).deletingLastPathComponent.isEmpty ? "." : (output as NSString).deletingLastPathComponent
        let temporary = (folder as NSString).appendingPathComponent(
            ".\((output as NSString).lastPathComponent).\(UUID().uuidString.prefix(8)).partial")
        do {
            let result = try write(temporary)
            try sync(temporary)
            guard rename(temporary, output) == 0 else {
                throw Failure(description: "\(output): \(String(cString: strerror(errno)))")
            }
            try? sync(folder)
            return result
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
    }
}
