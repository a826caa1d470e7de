import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `sohoa serve` on a free loopback port, and requests to it as clients make them.
public final class ServedRepository: @unchecked Sendable {
    public let process: Process
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    public let base: String

    /// Starts `sohoa serve --data DATA --listen 127.0.0.1:0` with `arguments` (and `environment`
    /// added) and waits until it prints the address it listens on.
    public init(data: String, arguments: [String] = [], environment: [String: String]? = nil) throws {
        process = Process()
        process.executableURL = Fixtures.productsDirectory.appendingPathComponent("sohoa")
        process.arguments = ["serve", "--data", data, "--listen", "127.0.0.1:0"] + arguments
        if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        process.standardError = FileHandle.nullDevice
        base = String(try ListeningProcess.awaitAddress(of: process, matching: #"http://127\.0\.0\.1:\d+/"#, what: "sohoa serve")
            .dropLast())
    }

    /// What the server answered.
    public struct Answer: Sendable {
        public let status: Int
        public let headers: [String: String]
        public let body: Data

        public var text: String { String(decoding: body, as: UTF8.self) }
        /// The body as a JSON object (nil when it is not one).
        public var json: [String: Any]? { try? JSONSerialization.jsonObject(with: body) as? [String: Any] }
        /// A header, by its name in lower case.
        public func header(_ name: String) -> String? { headers[name.lowercased()] }
    }

    /// Sends `method path` (the path with its query) with the bearer `token`, `body` and
    /// `contentType`.
    public func request(_ path: String, method: String = "GET", token: String? = nil, body: Data? = nil,
                        contentType: String? = nil, headers: [String: String] = [:]) async throws -> Answer {
        var request = URLRequest(url: try requireURL(base + path))
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = body
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as? HTTPURLResponse
        var fields: [String: String] = [:]
        for (name, value) in http?.allHeaderFields ?? [:] {
            if let name = name as? String, let value = value as? String { fields[name.lowercased()] = value }
        }
        return Answer(status: http?.statusCode ?? 0, headers: fields, body: data)
    }

    /// A `multipart/form-data` body of `fields` and one file part named `file`, and its content type.
    public static func form(_ fields: [String: String], file: Data, filename: String = "document.pdf") -> (Data, String) {
        let boundary = "sohoa-test-\(UUID().uuidString)"
        var body = Data()
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\n".utf8))
        body.append(Data("Content-Type: application/pdf\r\n\r\n".utf8))
        body.append(file)
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        return (body, "multipart/form-data; boundary=\(boundary)")
    }

    /// Stops it with SIGTERM; returns its exit status.
    @discardableResult
    public func stop() -> Int32 {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit { if process.isRunning { process.terminate() } }
}

/// The URL `text` spells, or a thrown reason.
func requireURL(_ text: String) throws -> URL {
    guard let url = URL(string: text) else { throw Tools.Missing(description: "\(text) is not a URL") }
    return url
}

/// Starting a server process that prints the address it listens on.
public enum ListeningProcess {
    /// Runs `process` with its standard output read until it prints an address matching
    /// `pattern` (within 30 seconds; the pattern ends where the address does, so that half an
    /// address read so far never matches); returns the address, or stops the process and throws.
    public static func awaitAddress(of process: Process, matching pattern: String, what: String) throws -> String {
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var text = ""
        let deadline = Date().addingTimeInterval(30)
        while text.range(of: pattern, options: .regularExpression) == nil, Date() < deadline, process.isRunning {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { Thread.sleep(forTimeInterval: 0.05) }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let range = text.range(of: pattern, options: .regularExpression) else {
            if process.isRunning { process.terminate() }
            throw Tools.Missing(description: "\(what) did not start: \(text)")
        }
        return String(text[range])
    }
}
