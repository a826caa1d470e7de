import Foundation
import SohoaCrypto
import SohoaPDF

/// Adds a document time-stamp to a PDF: a `/DocTimeStamp` field whose RFC 3161 token covers
/// the whole file as it is (PAdES B-LTA, after the validation data; later, the renewal that
/// keeps an archive verifiable). It is an incremental update, so every earlier signature stays
/// intact, and the file is read once, in blocks.
public struct DocumentTimeStamper: Sendable {
    /// Gets a token over a SHA-256 digest from a time-stamp authority.
    public let stamp: @Sendable ([UInt8]) throws -> [UInt8]
    /// Bytes reserved for the token (its certificates included), with room to spare.
    public let capacity: Int

    public init(capacity: Int = 16 * 1024, stamp: @escaping @Sendable ([UInt8]) throws -> [UInt8]) {
        self.capacity = capacity
        self.stamp = stamp
    }

    /// A stamper whose reserved space fits the authority's tokens: one token is asked for first
    /// (which also proves the authority answers), and its size with 2 KiB to spare is reserved
    /// (tokens of one authority differ by a few bytes). Returns the probe token too.
    public static func sized(stamp: @escaping @Sendable ([UInt8]) throws -> [UInt8]) throws -> (DocumentTimeStamper, probe: [UInt8]) {
        let probe = try stamp(SHA256.digest(Array("sohoa document time-stamp probe".utf8)))
        return (DocumentTimeStamper(capacity: max(4096, probe.count + 2048), stamp: stamp), probe)
    }

    /// What a document time-stamp added.
    public struct Stamped: Sendable {
        /// The bytes to append to the file.
        public let update: [UInt8]
        /// The RFC 3161 token written into it.
        public let token: [UInt8]
    }

    /// The update that time-stamps `document` (all of it).
    public func update(for document: [UInt8], name: String) throws -> Stamped {
        let prepared = try prepare(.bytes(document, name: name))
        var hasher = SHA256Hasher()
        hasher.update(document)
        return try finish(prepared, hashing: hasher)
    }

    /// The update that time-stamps the file at `path` as it is now (all of it).
    public func update(forFileAt path: String) throws -> Stamped {
        let prepared = try prepare(.file(path))
        guard let reader = FileHandle(forReadingAtPath: path) else { throw SigningError("\(path): the file cannot be read") }
        defer { try? reader.close() }
        var hasher = SHA256Hasher()
        var read = 0
        while read < prepared.originalLength,
              let block = try reader.read(upToCount: min(1 << 20, prepared.originalLength - read)), !block.isEmpty {
            hasher.update(block)
            read += block.count
        }
        guard read == prepared.originalLength else { throw SigningError("\(path): the file changed while it was time-stamped") }
        return try finish(prepared, hashing: hasher)
    }

    private func prepare(_ source: PDFSource) throws -> PreparedSignature {
        try SignaturePreparer.prepare(source, request: SignatureRequest(kind: .documentTimeStamp, signingTime: Date(),
                                                                       capacity: capacity))
    }

    private func finish(_ prepared: PreparedSignature, hashing hasher: consuming SHA256Hasher) throws -> Stamped {
        for part in prepared.signedUpdateParts { part.withUnsafeBytes { hasher.update($0) } }
        let token = try stamp(hasher.finish())
        return Stamped(update: try prepared.filledUpdate(with: token), token: token)
    }
}
