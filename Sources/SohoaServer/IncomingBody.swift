import Foundation
import Hummingbird
import NIOCore
import SohoaService

/// Reading request bodies within their limits, and keeping an uploaded file in a private
/// temporary file for as long as a use case needs it.
enum IncomingBody {
    /// The whole body, refused (`tooLarge`) past `limit` bytes: a body that says it is larger is
    /// refused before it is read. A client that has not sent it all within `seconds` (one that
    /// trickles a byte now and then to hold the connection) is refused (`timedOut`).
    static func collect(_ request: Request, limit: Int, within seconds: Double = 120) async throws(ServiceError) -> ByteBuffer {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw .tooLarge("the body is \(length) bytes; at most \(limit) are accepted")
        }
        let body = request.body
        do {
            return try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
                group.addTask { try await body.collect(upTo: limit) }
                group.addTask {
                    try await Task.sleep(nanoseconds: UInt64(seconds * 1_000_000_000))
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let collected = first else {
                    throw ServiceError.timedOut("the body did not arrive within \(Int(seconds)) seconds")
                }
                return collected
            }
        } catch let error as ServiceError {
            throw error
        } catch {
            throw .tooLarge("the body is larger than \(limit) bytes, the most accepted")
        }
    }

    /// Runs `body` with `bytes` in a new temporary file readable by this user only, removed
    /// afterwards whatever happens.
    static func withTemporaryFile<T>(_ bytes: some Collection<UInt8>, _ body: (String) async throws -> T) async throws -> T {
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("sohoa-upload-\(UUID().uuidString).pdf")
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) else {
            throw ServiceError.unavailable("the upload cannot be kept for checking (the temporary folder cannot be written)")
        }
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try await body(path)
    }

    /// The media type of the request, lower case, without its parameters.
    static func mediaType(_ request: Request) -> String {
        (request.headers[.contentType] ?? "").split(separator: ";").first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        } ?? ""
    }
}

/// A `multipart/form-data` body (RFC 7578) read into its parts: fields by name, and files.
struct MultipartForm {
    struct Part {
        let name: String
        let filename: String?
        let bytes: [UInt8]
    }

    let parts: [Part]

    /// Reads `body` sent with `contentType`; nil when it is not a well-formed form.
    init?(contentType: String, body: [UInt8]) {
        guard let boundaryParameter = contentType.split(separator: ";").dropFirst()
            .map({ $0.trimmingCharacters(in: .whitespaces) })
            .first(where: { $0.lowercased().hasPrefix("boundary=") }) else { return nil }
        var boundary = String(boundaryParameter.dropFirst("boundary=".count))
        if boundary.hasPrefix("\""), boundary.hasSuffix("\""), boundary.count >= 2 { boundary = String(boundary.dropFirst().dropLast()) }
        guard (1...70).contains(boundary.utf8.count) else { return nil }
        let delimiter = Array("--\(boundary)".utf8)
        var parts: [Part] = []
        var sections: [ArraySlice<UInt8>] = []
        var rest = body[...]
        guard let first = rest.firstRange(of: delimiter) else { return nil }
        rest = rest[first.upperBound...]
        while true {
            if rest.starts(with: Array("--".utf8)) { break }  // the closing delimiter
            guard rest.starts(with: [13, 10]) else { return nil }
            rest = rest.dropFirst(2)
            guard let next = rest.firstRange(of: [13, 10] + delimiter) else { return nil }
            sections.append(rest[..<next.lowerBound])
            rest = rest[next.upperBound...]
        }
        for section in sections {
            guard let split = section.firstRange(of: [13, 10, 13, 10]) else { return nil }
            let head = String(decoding: section[..<split.lowerBound], as: UTF8.self)
            var name: String?, filename: String?
            for line in head.components(separatedBy: "\r\n") where line.lowercased().hasPrefix("content-disposition:") {
                for parameter in line.split(separator: ";").dropFirst() {
                    let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                    guard pair.count == 2 else { continue }
                    let value = pair[1].hasPrefix("\"") && pair[1].hasSuffix("\"") && pair[1].count >= 2
                        ? String(pair[1].dropFirst().dropLast()) : pair[1]
                    switch pair[0].lowercased() {
                    case "name": name = value
                    case "filename": filename = value
                    default: break
                    }
                }
            }
            guard let name else { return nil }
            parts.append(Part(name: name, filename: filename, bytes: Array(section[split.upperBound...])))
        }
        self.parts = parts
    }

    /// The text of the field `name`, nil when absent.
    func field(_ name: String) -> String? {
        parts.first { $0.name == name && $0.filename == nil }.map { String(decoding: $0.bytes, as: UTF8.self) }
    }

    /// The first file sent (a part with a file name), or the part named `name`.
    func file(_ name: String) -> Part? {
        parts.first { $0.name == name } ?? parts.first { $0.filename != nil }
    }
}
