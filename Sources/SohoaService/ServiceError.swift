import SohoaRepository

/// Why a use case did not do what was asked, typed so that each front end answers by the kind:
/// the command line with its exit status, the service with an HTTP status. The text is the
/// sentence a person reads; nobody parses it.
public enum ServiceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No credentials, or credentials that are not (or no longer) valid.
    case unauthenticated(String)
    /// The principal's roles do not allow it, or it reaches outside the cases it serves.
    case forbidden(String)
    /// The request itself is wrong: a malformed identifier, a missing field, malformed JSON.
    case invalidInput(String)
    /// No such document, version, case or public code.
    case notFound(String)
    /// Someone else changed it first, or it exists already; nothing was changed.
    case conflict(String)
    /// The request names no version it was made from (`If-Match`), and must.
    case preconditionRequired(String)
    /// The version it was made from is no longer the newest: someone else changed it first.
    case preconditionFailed(String)
    /// Understood, and refused by the rules: not a PDF, another citizen's case, a document that
    /// may not be reused.
    case refused(String)
    /// A method the resource does not answer.
    case methodNotAllowed(String)
    /// A body larger than the limit.
    case tooLarge(String)
    /// The client did not send its request in time.
    case timedOut(String)
    /// Too many requests from one client just now.
    case tooManyRequests(String)
    /// The database or the disk is unavailable just now; the same request may work later.
    case unavailable(String)
    /// Damage in the repository (a row or blob that is not what it should be), or a database
    /// made by a newer Sohoa: the service's fault, not the request's.
    case damaged(String)

    public var description: String {
        switch self {
        case .unauthenticated(let text), .forbidden(let text), .invalidInput(let text), .notFound(let text), .conflict(let text),
             .preconditionRequired(let text), .preconditionFailed(let text), .refused(let text), .methodNotAllowed(let text),
             .timedOut(let text), .tooLarge(let text), .tooManyRequests(let text), .unavailable(let text), .damaged(let text):
            return text
        }
    }

    /// The kind of a repository error.
    public init(_ error: StoreError) {
        switch error {
        case .notFound(let text): self = .notFound(text)
        case .conflict(let text): self = .conflict(text)
        case .ownedByAnotherCitizen: self = .refused(error.description)
        case .refused(let text): self = .refused(text)
        case .unavailable(let text), .storage(let text): self = .unavailable(text)
        case .corrupt(let text), .schemaTooNew(let text): self = .damaged(text)
        }
    }

    /// The kind of any error a use case meets: typed ones by their type; anything else is
    /// the service's own fault.
    public init(_ error: any Error) {
        switch error {
        case let error as ServiceError: self = error
        case let error as StoreError: self.init(error)
        case let error as IdentifierError: self = .invalidInput(error.description)
        case let error as DocumentLookupError:
            switch error {
            case .notFound: self = .notFound(error.description)
            case .ambiguous: self = .invalidInput(error.description)
            }
        default: self = .damaged("\(error)")
        }
    }
}

/// Runs `body`, turning whatever it throws into a `ServiceError`.
func serviceErrors<T>(_ body: () async throws -> T) async throws(ServiceError) -> T {
    do { return try await body() } catch { throw ServiceError(error) }
}
