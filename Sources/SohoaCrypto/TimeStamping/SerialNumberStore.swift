import Foundation
import SohoaFiles

#if canImport(Glibc)
import Glibc
#endif

/// Serial numbers for time-stamp tokens that stay unique across restarts.
///
/// The file holds a number above every serial handed out. Serials are reserved in blocks, so
/// the file is written (synced, renamed into place) once per block, not once per token; after a
/// crash the rest of a block is skipped, never reused. The file is locked while in use, so two
/// authorities cannot share it.
public final class SerialNumberStore: @unchecked Sendable {
    // Sendable: every mutable field is touched only under `lock`.
    public let path: String
    private let blockSize: UInt64
    private var next: UInt64
    private var reservedUpTo: UInt64
    private let lock = NSLock()
    private let lockDescriptor: Int32

    /// Why the store cannot be used.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Opens (or creates) the store at `path`.
    public init(path: String, blockSize: UInt64 = 256) throws(Failure) {
        self.path = path
        self.blockSize = max(1, blockSize)
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        let descriptor = open(path + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw Failure(description: "\(path): the serial-number file cannot be opened (\(String(cString: strerror(errno))))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw Failure(description: "\(path): another time-stamp authority is using this serial-number file")
        }
        lockDescriptor = descriptor
        var start: UInt64 = 1
        if let text = try? String(contentsOfFile: path, encoding: .utf8) {
            guard let stored = UInt64(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                close(descriptor)
                throw Failure(description: "\(path): the serial-number file is damaged; it must hold one number")
            }
            start = stored
        }
        next = start
        reservedUpTo = start
    }

    deinit {
        close(lockDescriptor)
    }

    /// The next serial number.
    public func nextSerial() throws(Failure) -> UInt64 {
        lock.lock()
        defer { lock.unlock() }
        if next >= reservedUpTo {
            let (limit, overflow) = next.addingReportingOverflow(blockSize)
            guard !overflow else { throw Failure(description: "\(path): serial numbers are exhausted") }
            try persist(limit)
            reservedUpTo = limit
        }
        defer { next += 1 }
        return next
    }

    private func persist(_ value: UInt64) throws(Failure) {
        do {
            try DurableFile.replace(path) { temporary in try Data("\(value)\n".utf8).write(to: URL(fileURLWithPath: temporary)) }
        } catch {
            throw Failure(description: "\(path): the serial-number file cannot be written (\(error))")
        }
    }
}
