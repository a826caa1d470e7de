import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP exchange, waited for: time-stamp requests, CRL and OCSP fetches happen inside
/// synchronous signing and verification code, which runs several documents at once on its own
/// threads. Every exchange has a timeout and a bound on the answer's size.
public enum BlockingHTTP {
    /// Why an exchange failed, in words (the URL is named by the caller).
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// The body of a successful (200) answer whose Content-Type starts with one of
    /// `acceptedTypes` (any type when empty).
    public static func exchange(_ url: URL, method: String = "GET", body: [UInt8]? = nil, contentType: String? = nil,
                                acceptedTypes: [String] = [], timeout: TimeInterval,
                                maximumBytes: Int = 16 << 20) throws(Failure) -> [UInt8] {
        guard url.scheme == "http" || url.scheme == "https" else {
            throw Failure(description: "only http and https addresses are fetched")
        }
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = method
        if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        if let body { request.httpBody = Data(body) }
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: Result<[UInt8], Failure> = .failure(Failure(description: "no answer"))
        let task = URLSession.shared.dataTask(with: request) { data, response, error in
            defer { done.signal() }
            if let error {
                result = .failure(Failure(description: "cannot be reached (\(error.localizedDescription))"))
                return
            }
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            let type = (response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Content-Type") ?? ""
            guard status == 200 else {
                result = .failure(Failure(description: "answered HTTP \(status)"))
                return
            }
            guard acceptedTypes.isEmpty || acceptedTypes.contains(where: { type.lowercased().hasPrefix($0) }) else {
                result = .failure(Failure(description: "answered with \(type.isEmpty ? "no content type" : type), "
                                          + "not \(acceptedTypes.joined(separator: " or "))"))
                return
            }
            guard let data, data.count <= maximumBytes else {
                result = .failure(Failure(description: "answered with more than \(maximumBytes) bytes"))
                return
            }
            result = .success(Array(data))
        }
        task.resume()
        done.wait()
        return try result.get()
    }
}
