import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SohoaService

/// Responses of `sohoa serve`: JSON in the encoding of the command line's `--json`, and errors
/// whose HTTP status follows the error's type (never its words).
enum HTTPAnswer {
    static let jsonType = "application/json; charset=utf-8"

    /// One encoder for every answer (encoding keeps no state between calls).
    static let shared: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static func encoder() -> JSONEncoder { shared }

    /// `value` as JSON with `status`.
    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        do {
            var fields = headers
            fields[.contentType] = jsonType
            return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: try encoder().encode(value))))
        } catch {
            return failure(.damaged("the answer cannot be written as JSON (\(error))"))
        }
    }

    /// The HTTP status for an error of kind `error`.
    static func status(of error: ServiceError) -> HTTPResponse.Status {
        switch error {
        case .unauthenticated: .unauthorized
        case .forbidden: .forbidden
        case .invalidInput: .badRequest
        case .notFound: .notFound
        case .conflict: .conflict
        case .preconditionRequired: .preconditionRequired
        case .preconditionFailed: .preconditionFailed
        case .refused: .unprocessableContent
        case .methodNotAllowed: .methodNotAllowed
        case .timedOut: .requestTimeout
        case .tooLarge: .contentTooLarge
        case .tooManyRequests: .tooManyRequests
        case .unavailable: .serviceUnavailable
        case .damaged: .internalServerError
        }
    }

    /// The stable name of the error's kind, for scripts (`error.code` in the JSON).
    static func code(of error: ServiceError) -> String {
        switch error {
        case .unauthenticated: "unauthenticated"
        case .forbidden: "forbidden"
        case .invalidInput: "invalid-input"
        case .notFound: "not-found"
        case .conflict: "conflict"
        case .preconditionRequired: "precondition-required"
        case .preconditionFailed: "precondition-failed"
        case .refused: "refused"
        case .methodNotAllowed: "method-not-allowed"
        case .timedOut: "timed-out"
        case .tooLarge: "too-large"
        case .tooManyRequests: "too-many-requests"
        case .unavailable: "unavailable"
        case .damaged: "internal"
        }
    }

    /// `{"error": {"code", "message"}}` with the status of its kind.
    static func failure(_ error: ServiceError) -> Response {
        struct Body: Encodable { let error: Detail }
        struct Detail: Encodable { let code: String, message: String }
        var headers: HTTPFields = [.contentType: jsonType]
        switch error {
        case .unauthenticated: headers[.wwwAuthenticate] = "Bearer realm=\"sohoa\""
        case .tooManyRequests: headers[.retryAfter] = "60"
        case .unavailable: headers[.retryAfter] = "5"
        default: break
        }
        let text = (try? encoder().encode(Body(error: Detail(code: code(of: error), message: error.description)))) ?? Data("{}".utf8)
        return Response(status: status(of: error), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: text)))
    }
}
