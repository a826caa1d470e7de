import COpenSSL
import Foundation

/// The digest algorithms a signature may name, and which of them policy accepts.
public enum DigestAlgorithm: String, Sendable, Codable {
    case sha256 = "SHA-256"
    case sha384 = "SHA-384"
    case sha512 = "SHA-512"
    case sha1 = "SHA-1"
    case md5 = "MD5"

    init?(nid: Int32) {
        switch nid {
        case NID_sha256: self = .sha256
        case NID_sha384: self = .sha384
        case NID_sha512: self = .sha512
        case NID_sha1: self = .sha1
        case NID_md5: self = .md5
        default: return nil
        }
    }

    /// Collisions can be made for SHA-1 and MD5: a signature over them proves nothing.
    public var isWeak: Bool { self == .sha1 || self == .md5 }

    /// The implementation, fetched from the provider once per process (an implicit fetch on
    /// every digest costs locks and lookups).
    var evp: OpaquePointer? {
        switch self {
        case .sha256: return Self.fetched.sha256
        case .sha384: return Self.fetched.sha384
        case .sha512: return Self.fetched.sha512
        case .sha1: return Self.fetched.sha1
        case .md5: return Self.fetched.md5
        }
    }

    private nonisolated(unsafe) static let fetched = (
        sha256: EVP_MD_fetch(nil, "SHA2-256", nil), sha384: EVP_MD_fetch(nil, "SHA2-384", nil),
        sha512: EVP_MD_fetch(nil, "SHA2-512", nil), sha1: EVP_MD_fetch(nil, "SHA1", nil), md5: EVP_MD_fetch(nil, "MD5", nil))
}

/// A streaming digest of any accepted algorithm (OpenSSL EVP).
public final class MessageDigest {
    private let context: OpaquePointer

    public init(_ algorithm: DigestAlgorithm) throws {
        guard let context = EVP_MD_CTX_new() else { throw OpenSSLError.drain("starting a digest") }
        ERR_clear_error()
        guard EVP_DigestInit_ex(context, algorithm.evp, nil) == 1 else {
            EVP_MD_CTX_free(context)
            throw OpenSSLError.drain("starting a \(algorithm.rawValue) digest")
        }
        self.context = context
    }

    private init(context: OpaquePointer) {
        self.context = context
    }

    deinit { EVP_MD_CTX_free(context) }

    /// An independent digest in the same state: what has been hashed so far is hashed once,
    /// and each copy continues with its own bytes.
    public func copy() throws -> MessageDigest {
        guard let copy = EVP_MD_CTX_new() else { throw OpenSSLError.drain("copying a digest") }
        guard EVP_MD_CTX_copy_ex(copy, context) == 1 else {
            EVP_MD_CTX_free(copy)
            throw OpenSSLError.drain("copying a digest")
        }
        return MessageDigest(context: copy)
    }

    /// The digest of `bytes` in one call.
    public static func digest(_ bytes: [UInt8], _ algorithm: DigestAlgorithm) throws -> [UInt8] {
        let digest = try MessageDigest(algorithm)
        bytes.withUnsafeBytes { digest.update($0) }
        return digest.finish()
    }

    public func update(_ bytes: UnsafeRawBufferPointer) {
        if let base = bytes.baseAddress, !bytes.isEmpty { EVP_DigestUpdate(context, base, bytes.count) }
    }

    public func finish() -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &output, &length)
        return Array(output.prefix(Int(length)))
    }
}
