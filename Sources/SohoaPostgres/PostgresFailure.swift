import Foundation
import PostgresNIO
import SohoaRepository

/// Turns what PostgresNIO throws into the store's typed errors, with a sentence that says what
/// happened in words (PostgresNIO's own descriptions hide the server's message on purpose).
enum PostgresFailure {
    /// The store error for `error`, met while doing `what` ("the repository database cannot be
    /// read") on the database at `location`. A `StoreError` or `LeaseLost` passes as it is.
    static func classify(_ error: any Error, _ what: String, at location: PostgresLocation) -> any Error {
        switch error {
        case let error as StoreError: return error
        case let error as LeaseLost: return error
        case let error as PostgresTransactionError:
            if let inner = error.closureError ?? error.beginError ?? error.commitError {
                return classify(inner, what, at: location)
            }
            return StoreError.unavailable("\(what) (\(location)): the transaction failed")
        case is CancellationError:
            return StoreError.unavailable("\(what) (\(location)): stopped before it finished")
        case let error as PSQLError:
            return classify(error, what, at: location)
        case let error as IdentifierError:
            return StoreError.corrupt("\(what) (\(location)): a row holds what Sohoa never writes (\(error))")
        case is PostgresDecodingError:
            return StoreError.corrupt("\(what) (\(location)): a row is not what Sohoa wrote (\(String(reflecting: error)))")
        default:
            // The connection pool's own errors: it gave up connecting, or it is shut down.
            if String(describing: error).contains("CircuitBreaker") {
                return StoreError.unavailable("\(what): the database at \(location) cannot be reached")
            }
            return StoreError.unavailable("\(what) (\(location)): \(error)")
        }
    }

    /// The SQLSTATE of a server error, if the error came from the server.
    static func sqlState(_ error: any Error) -> String? {
        if let error = error as? PostgresTransactionError {
            return (error.closureError ?? error.beginError ?? error.commitError).flatMap(sqlState)
        }
        return (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    /// Whether the transaction that failed with `error` may simply be run again: the server
    /// chose it as a deadlock's or a serialization conflict's victim and rolled it back.
    static func isRetryable(_ error: any Error) -> Bool {
        guard let state = sqlState(error) else { return false }
        return state == "40001" || state == "40P01"
    }

    private static func classify(_ error: PSQLError, _ what: String, at location: PostgresLocation) -> StoreError {
        guard let server = error.serverInfo else {
            let underlying = error.underlying.map { ": \(describe($0))" } ?? ""
            switch error.code {
            case .sslUnsupported:
                return .refused("\(location): the database server does not offer TLS, which sslmode=require asks for")
            case .authMechanismRequiresPassword:
                return .refused("\(location): the database asks for a password and none was found "
                                + "(give it in PGPASSWORD, in ~/.pgpass or in the password file of the repository's settings)")
            case .unsupportedAuthMechanism:
                return .refused("\(location): the database asks for a way of logging in that Sohoa does not support")
            default:
                return .unavailable("\(what): the database at \(location) cannot be reached\(underlying)")
            }
        }
        let message = server[.message] ?? "an error"
        let state = server[.sqlState] ?? ""
        switch state {
        case "28P01", "28000":
            return .refused("\(location): the database refused the login of user \(location.user) (\(message)); "
                            + "check the password in PGPASSWORD, ~/.pgpass or the password file")
        case "3D000":
            return .refused("\(location): the database server has no database \(location.database); "
                            + "make it first (createdb -O \(location.user) \(location.database))")
        case "42501":
            return .refused("\(what) (\(location)): the database user \(location.user) is not allowed to (\(message))")
        case _ where state.hasPrefix("23"):
            return .conflict("\(what) (\(location)): \(message)")
        case _ where state.hasPrefix("22"):
            return .refused("\(what) (\(location)): \(message)")
        case _ where state.hasPrefix("42"):
            return .corrupt("\(what) (\(location)): the database is not as Sohoa made it (\(message))")
        case _ where state.hasPrefix("XX"):
            return .corrupt("\(what) (\(location)): \(message)")
        default:
            return .unavailable("\(what) (\(location)): \(message)")
        }
    }

    /// A lower-level network error in words ("connection refused").
    private static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        if text.contains("connectTimeout") || text.contains("timed out") { return "no answer (timed out)" }
        if text.contains("NXDOMAIN") || text.contains("resolve") || text.contains("Resolution") { return "the host name is not known" }
        return text
    }
}
