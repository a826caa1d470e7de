import Foundation
import SohoaRepository

/// Where a repository's records are on a PostgreSQL server: `postgres://USER@HOST:PORT/DATABASE`,
/// optionally with `?sslmode=disable|prefer|require` (`prefer` when not given). The URL never
/// holds the password: it is written into the repository folder and shown in messages, so one
/// given in it is refused (see `PostgresPassword` for where the password comes from).
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    /// How the connection is encrypted: never, when the server offers it, or always (the
    /// server's certificate checked against the system's trusted authorities).
    public enum TLSMode: String, Sendable, CaseIterable {
        case disable, prefer, require
    }

    public let user: String
    public let host: String
    public let port: Int
    public let database: String
    public let tls: TLSMode

    /// Why a URL is not a usable database location, in words for the person who typed it.
    public struct Invalid: Error, Equatable, Sendable, CustomStringConvertible {
        public let url: String
        public let reason: String
        public var description: String { "\(url): not a PostgreSQL location: \(reason)" }
    }

    public init(user: String, host: String, port: Int = 5432, database: String, tls: TLSMode = .prefer) throws(Invalid) {
        let shown = "postgres://\(user)@\(host):\(port)/\(database)"
        guard Self.isName(user) else {
            throw Invalid(url: shown, reason: "the user name may have letters, digits, '_', '-' and '.' only")
        }
        guard Self.isName(database) else {
            throw Invalid(url: shown, reason: "the database name may have letters, digits, '_', '-' and '.' only")
        }
        guard Self.isHost(host) else {
            throw Invalid(url: shown, reason: "the host must be a host name or an IP address")
        }
        guard (1...65535).contains(port) else { throw Invalid(url: shown, reason: "the port must be 1 to 65535") }
        self.user = user
        self.host = host
        self.port = port
        self.database = database
        self.tls = tls
    }

    /// Parses `postgres://USER@HOST[:PORT]/DATABASE[?sslmode=MODE]` (also `postgresql://`).
    public init(url text: String) throws(Invalid) {
        guard let components = URLComponents(string: text),
              components.scheme == "postgres" || components.scheme == "postgresql" else {
            throw Invalid(url: Self.withoutPassword(text), reason: "write it as postgres://USER@HOST:PORT/DATABASE")
        }
        if components.password != nil {
            throw Invalid(url: Self.withoutPassword(text),
                          reason: "the URL must not hold the password (it would be written into the repository folder and "
                              + "shown in process lists); give it in PGPASSWORD, in ~/.pgpass or in a password file")
        }
        guard let user = components.user, !user.isEmpty else {
            throw Invalid(url: text, reason: "name the database user, as in postgres://sohoa@db.example:5432/sohoa")
        }
        guard let host = components.host, !host.isEmpty else { throw Invalid(url: text, reason: "name the database host") }
        let database = String(components.path.dropFirst())
        guard !database.isEmpty else { throw Invalid(url: text, reason: "name the database, as in postgres://sohoa@db.example/sohoa") }
        var tls = TLSMode.prefer
        for item in components.queryItems ?? [] {
            guard item.name == "sslmode", let value = item.value, let mode = TLSMode(rawValue: value) else {
                throw Invalid(url: text, reason: "the only option is sslmode=disable, prefer or require (not \(item.name))")
            }
            tls = mode
        }
        try self.init(user: user, host: host, port: components.port ?? 5432, database: database, tls: tls)
    }

    /// The URL, as written into the repository folder and shown in messages (never a password).
    public var description: String {
        let host = self.host.contains(":") ? "[\(self.host)]" : self.host
        return "postgres://\(user)@\(host):\(port)/\(database)" + (tls == .prefer ? "" : "?sslmode=\(tls.rawValue)")
    }

    /// The same location with another database (tests and `repo init` make databases).
    public func with(database: String) throws(Invalid) -> PostgresLocation {
        try PostgresLocation(user: user, host: host, port: port, database: database, tls: tls)
    }

    static func isName(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 63
            && text.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "_-.".unicodeScalars.contains($0)) }
    }

    static func isHost(_ text: String) -> Bool {
        guard !text.isEmpty, text.utf8.count <= 253 else { return false }
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.:")
        return text.unicodeScalars.allSatisfy(allowed.contains) && !text.hasPrefix("-")
    }

    /// `text` with whatever stands between `//` and `@` cut to the user name: a refused URL is
    /// shown without the password it held.
    static func withoutPassword(_ text: String) -> String {
        guard let start = text.range(of: "://"), let at = text[start.upperBound...].firstIndex(of: "@") else { return text }
        let credentials = text[start.upperBound..<at]
        guard let colon = credentials.firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":***" + String(text[at...])
    }
}
