import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A file's bytes as they were when it was read: read once into memory of its own, so that
/// what is checked cannot change underneath the check. (A file mapped into memory instead
/// would end the process with SIGBUS if someone truncated it meanwhile: a scan still being
/// copied, a file replaced while it is verified.) A file that shrinks while it is read is
/// taken as far as it went; one that grows, as far as it was long when opened.
public final class FileSnapshot: @unchecked Sendable {
    public let path: String
    /// The file's bytes; valid as long as this object lives.
    public let bytes: UnsafeRawBufferPointer

    public var count: Int { bytes.count }

    /// Reads the file at `path`; an empty file gives no bytes.
    public init(path: String) throws {
        self.path = path
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw PDFError(file: path, reason: "the file cannot be opened (\(String(cString: strerror(errno))))")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            throw PDFError(file: path, reason: "not a regular file")
        }
        let length = Int(status.st_size)
        guard length > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: length, alignment: 16)
        var filled = 0
        while filled < length {
            let got = read(descriptor, storage.baseAddress! + filled, length - filled)
            if got > 0 {
                filled += got
            } else if got == 0 {
                break  // it was cut short meanwhile
            } else if errno != EINTR {
                let reason = String(cString: strerror(errno))
                storage.deallocate()
                throw PDFError(file: path, reason: "the file cannot be read (\(reason))")
            }
        }
        bytes = UnsafeRawBufferPointer(start: storage.baseAddress, count: filled)
    }

    deinit {
        if let base = bytes.baseAddress { UnsafeMutableRawPointer(mutating: base).deallocate() }
    }

    /// The bytes in `range` (clamped to the file) as an array.
    public func slice(_ range: Range<Int>) -> [UInt8] {
        let lower = max(0, min(range.lowerBound, count)), upper = max(lower, min(range.upperBound, count))
        return Array(bytes[lower..<upper])
    }
}
