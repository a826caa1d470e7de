import Foundation
import SohoaCrypto

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Gets signature time-stamps from an RFC 3161 authority over HTTP (RFC 3161 §3.4).
public struct HTTPTimeStamper: Sendable {
    public let url: URL
    public let timeout: TimeInterval

    public init(url: URL, timeout: TimeInterval = 20) {
        self.url = url
        self.timeout = timeout
    }

    /// A token over `signatureValue`, checked before it is accepted (see `TimeStampRequest`).
    public func token(for signatureValue: [UInt8]) throws -> [UInt8] {
        let request = try TimeStampRequest(message: signatureValue)
        let answer = try post(request.der)
        do {
            return try request.acceptToken(from: answer)
        } catch {
            throw SigningError("\(url.absoluteString): \(error)")
        }
    }

    /// Posts and waits (signing is synchronous; batches sign several documents at once).
    private func post(_ body: [UInt8]) throws -> [UInt8] {
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.setValue("application/timestamp-query", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(body)
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: Result<[UInt8], SigningError> = .failure(SigningError("no answer"))
        let task = URLSession.shared.dataTask(with: request) { data, response, error in
            defer { done.signal() }
            if let error {
                result = .failure(SigningError("\(self.url.absoluteString): the time-stamp authority cannot be reached (\(error.localizedDescription))"))
                return
            }
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            let type = (response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Content-Type") ?? ""
            guard status == 200, type.lowercased().hasPrefix("application/timestamp-reply"), let data else {
                result = .failure(SigningError("\(self.url.absoluteString): the time-stamp authority answered HTTP \(status) \(type)"))
                return
            }
            result = .success(Array(data))
        }
        task.resume()
        done.wait()
        return try result.get()
    }
}
