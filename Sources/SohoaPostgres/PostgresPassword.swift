import Foundation
import SohoaRepository

/// The database password, from the places PostgreSQL's own tools look, never from the command
/// line nor from the repository folder: `PGPASSWORD`, then the password file the repository's
/// settings name, then `PGPASSFILE` or `~/.pgpass` (lines `host:port:database:user:password`,
/// `*` for any). A file that others than its owner may read is refused, as `psql` ignores such
/// a `.pgpass`. No password at all is allowed (a server that trusts this user).
public struct PostgresPassword: Sendable {
    /// Where the password came from, for messages (never the password itself).
    public enum Source: Sendable, Equatable, CustomStringConvertible {
        case environment
        case passwordFile(String)
        case pgpass(String)
        case none

        public var description: String {
            switch self {
            case .environment: return "PGPASSWORD"
            case .passwordFile(let path): return "the password file \(path)"
            case .pgpass(let path): return path
            case .none: return "no password (none was found in PGPASSWORD, a password file or ~/.pgpass)"
            }
        }
    }

    public let value: String?
    public let source: Source

    /// A password found elsewhere (a caller that has one in hand, such as a test).
    public init(value: String?, source: Source) {
        self.value = value
        self.source = source
    }

    /// The password for `location`: `PGPASSWORD` in `environment`, else `passwordFile`, else
    /// the matching line of `PGPASSFILE` or `~/.pgpass`.
    public static func find(for location: PostgresLocation, passwordFile: String?,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws(StoreError) -> PostgresPassword {
        if let value = environment["PGPASSWORD"], !value.isEmpty { return PostgresPassword(value: value, source: .environment) }
        if let passwordFile {
            let text = try privateFile(passwordFile, what: "the database password file")
            let firstLine = text.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let value = firstLine.hasSuffix("\r") ? String(firstLine.dropLast()) : firstLine
            guard !value.isEmpty else { throw .refused("\(passwordFile): the database password file is empty") }
            return PostgresPassword(value: value, source: .passwordFile(passwordFile))
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        let pgpass = environment["PGPASSFILE"] ?? (home as NSString).appendingPathComponent(".pgpass")
        if FileManager.default.fileExists(atPath: pgpass) {
            let text = try privateFile(pgpass, what: "the PostgreSQL password file")
            if let value = match(in: text, location) { return PostgresPassword(value: value, source: .pgpass(pgpass)) }
        }
        return PostgresPassword(value: nil, source: .none)
    }

    /// The text of a file only its owner may read; refused otherwise, naming the file and what to do.
    static func privateFile(_ path: String, what: String) throws(StoreError) -> String {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw .refused("\(path): \(what) cannot be read (\(String(cString: strerror(errno))))")
        }
        guard status.st_mode & S_IFMT == S_IFREG else { throw .refused("\(path): \(what) is not a regular file") }
        guard status.st_mode & 0o077 == 0 else {
            throw .refused("\(path): \(what) may be read by other users; allow its owner only (chmod 600 \(path))")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .refused("\(path): \(what) cannot be read")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// The password of the first line of a `.pgpass` text that matches `location`.
    static func match(in text: String, _ location: PostgresLocation) -> String? {
        let wanted = [location.host, String(location.port), location.database, location.user]
        for line in text.split(separator: "\n") {
            let line = line.hasSuffix("\r") ? line.dropLast() : line
            if line.hasPrefix("#") { continue }
            let fields = split(String(line))
            guard fields.count == 5 else { continue }
            if zip(fields.prefix(4), wanted).allSatisfy({ field, value in field == "*" || field == value }) {
                return fields[4]
            }
        }
        return nil
    }

    /// A `.pgpass` line's fields: split at `:`, with `\:` and `\\` standing for themselves.
    static func split(_ line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ":" && fields.count < 4 {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }
}
