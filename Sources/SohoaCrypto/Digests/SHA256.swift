import COpenSSL
import Foundation

/// SHA-256 through OpenSSL's EVP interface, in one go or streamed.
public struct SHA256Hasher: ~Copyable {
    private let context: OpaquePointer

    /// A fresh hashing context.
    public init() {
        guard let context = EVP_MD_CTX_new(), EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else {
            // Only an out-of-memory condition gets here; nothing sensible can continue.
            fatalError("OpenSSL could not start a SHA-256 context: \(OpenSSLError.drainQueue())")
        }
        self.context = context
    }

    deinit {
        EVP_MD_CTX_free(context)
    }

    /// Adds `bytes` to the hash.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        EVP_DigestUpdate(context, base, bytes.count)
    }

    /// Adds `bytes` to the hash.
    public mutating func update<Bytes: ContiguousBytes>(_ bytes: Bytes) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// A second hasher holding the same state: both continue from what was hashed so far (a
    /// file's prefix hashed once, then each copy finished with what follows it).
    public func copy() -> SHA256Hasher {
        SHA256Hasher(copying: context)
    }

    private init(copying source: OpaquePointer) {
        guard let context = EVP_MD_CTX_new(), EVP_MD_CTX_copy_ex(context, source) == 1 else {
            fatalError("OpenSSL could not copy a SHA-256 context: \(OpenSSLError.drainQueue())")
        }
        self.context = context
    }

    /// The 32-byte digest; the hasher is used up.
    public consuming func finish() -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &digest, &length)
        return Array(digest.prefix(Int(length)))
    }
}

/// SHA-256 digests of bytes and files.
public enum SHA256 {
    /// The digest of `bytes`.
    public static func digest<Bytes: ContiguousBytes>(_ bytes: Bytes) -> [UInt8] {
        var hasher = SHA256Hasher()
        hasher.update(bytes)
        return hasher.finish()
    }

    /// The digest of the file at `path`, read in 1 MiB blocks so memory stays flat.
    ///
    /// - Throws: `POSIXError` from the file system when the file cannot be read.
    public static func digest(fileAt path: String) throws -> [UInt8] {
        // read(2) into one buffer: FileHandle reads a file 4 KiB at a time.
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(descriptor) }
        var hasher = SHA256Hasher()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = read(descriptor, buffer.baseAddress, buffer.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            if count == 0 { break }
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
        return hasher.finish()
    }
}

extension Sequence where Element == UInt8 {
    /// Lower-case hexadecimal, two digits a byte.
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
