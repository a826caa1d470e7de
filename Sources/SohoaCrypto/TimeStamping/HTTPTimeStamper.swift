import Foundation

/// Gets time-stamp tokens from an RFC 3161 authority over HTTP (RFC 3161 §3.4): for signatures,
/// and for anchoring the repository's audit chain.
public struct HTTPTimeStamper: Sendable {
    public let url: URL
    public let timeout: TimeInterval

    public init(url: URL, timeout: TimeInterval = 20) {
        self.url = url
        self.timeout = timeout
    }

    /// A token over `signatureValue` (any message), checked before it is accepted (see `TimeStampRequest`).
    public func token(for signatureValue: [UInt8]) throws -> [UInt8] {
        try token(asking: try TimeStampRequest(message: signatureValue))
    }

    /// A token over a SHA-256 digest (a document time-stamp), checked before it is accepted.
    public func token(forSHA256 digest: [UInt8]) throws -> [UInt8] {
        try token(asking: try TimeStampRequest(sha256: digest))
    }

    private func token(asking request: TimeStampRequest) throws -> [UInt8] {
        let answer: [UInt8]
        do {
            answer = try BlockingHTTP.exchange(url, method: "POST", body: request.der,
                                               contentType: "application/timestamp-query",
                                               acceptedTypes: ["application/timestamp-reply"], timeout: timeout)
        } catch {
            throw SigningError("\(url.absoluteString): the time-stamp authority \(error)")
        }
        do {
            return try request.acceptToken(from: answer)
        } catch {
            throw SigningError("\(url.absoluteString): \(error)")
        }
    }
}
