import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A file mapped read-only into memory: read as bytes without loading it, so that a large
/// document costs address space, not resident memory.
public final class MappedFile: @unchecked Sendable {
    public let path: String
    /// The file's bytes; valid as long as this object lives.
    public let bytes: UnsafeRawBufferPointer

    public var count: Int { bytes.count }

    /// Maps the file at `path`; an empty file maps to no bytes.
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
        guard let address = mmap(nil, length, PROT_READ, MAP_PRIVATE | MAP_POPULATE, descriptor, 0), address != MAP_FAILED else {
            throw PDFError(file: path, reason: "the file cannot be mapped (\(String(cString: strerror(errno))))")
        }
        bytes = UnsafeRawBufferPointer(start: address, count: length)
    }

    deinit {
        if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
    }

    /// The bytes in `range` (clamped to the file) as an array.
    public func slice(_ range: Range<Int>) -> [UInt8] {
        let lower = max(0, min(range.lowerBound, count)), upper = max(lower, min(range.upperBound, count))
        return Array(bytes[lower..<upper])
    }
}
