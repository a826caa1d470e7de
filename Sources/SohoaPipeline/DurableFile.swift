import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// File-system steps that survive a power cut: fsync and an atomic rename.
enum DurableFile {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Flushes a file's (or a folder's) data and metadata to the disk.
    static func sync(path: String) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw Failure(description: "\(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw Failure(description: "\(path): \(String(cString: strerror(errno)))") }
    }

    /// Renames `source` to `target` in one step, replacing `target`.
    static func rename(_ source: String, to target: String) throws {
        guard Glibc.rename(source, target) == 0 else {
            throw Failure(description: "\(target): \(String(cString: strerror(errno)))")
        }
    }
}
