import Foundation
import Synchronization

/// The real PostgreSQL server the tests run against: the one `make test` started
/// (`scripts/test-postgres.sh run`, which exports `SOHOA_TEST_POSTGRES_URL` and
/// `SOHOA_TEST_POSTGRES_PASSWORD`), or, for a test run started otherwise, one this process
/// starts itself with the same script, stopped by the script's watchdog when the process ends.
/// Each test takes a database of its own (`freshDatabase`).
public enum TestPostgres {
    /// An administrator's view of the server: its URL (without the password) and the password.
    public struct Server: Sendable {
        public let url: String
        public let password: String
        public let host: String
        public let port: Int

        /// The URL of database `name` on this server, as a repository names it.
        public func url(database name: String) -> String { "postgres://sohoa_admin@\(host):\(port)/\(name)" }

        /// The environment a Sohoa process needs to log in (`PGPASSWORD`).
        public var environment: [String: String] { ["PGPASSWORD": password] }
    }

    private static let started = Mutex<Result<Server, TestPostgresError>?>(nil)

    /// The server, started on first use when `make test` did not start one.
    public static func server() throws -> Server {
        try started.withLock { state in
            if let state { return try state.get() }
            let result = Result { () throws(TestPostgresError) in try find() }
            state = result
            return try result.get()
        }
    }

    private static func find() throws(TestPostgresError) -> Server {
        var environment = ProcessInfo.processInfo.environment
        if environment["SOHOA_TEST_POSTGRES_URL"] == nil {
            let script = Fixtures.packageRoot.appendingPathComponent("scripts/test-postgres.sh").path
            let result: ProcessResult
            do { result = try Run.process(script, ["start", "--owner-pid", "\(getpid())"]) } catch {
                throw TestPostgresError(reason: "scripts/test-postgres.sh cannot be run: \(error)")
            }
            guard result.status == 0 else {
                throw TestPostgresError(reason: "scripts/test-postgres.sh start failed: \(result.stderr)")
            }
            for line in result.stdout.split(separator: "\n") {
                let parts = line.split(separator: "=", maxSplits: 1)
                if parts.count == 2 { environment[String(parts[0])] = String(parts[1]) }
            }
        }
        guard let url = environment["SOHOA_TEST_POSTGRES_URL"], let password = environment["SOHOA_TEST_POSTGRES_PASSWORD"],
              let components = URLComponents(string: url), let host = components.host, let port = components.port else {
            throw TestPostgresError(reason: "no test PostgreSQL server (SOHOA_TEST_POSTGRES_URL)")
        }
        return Server(url: url, password: password, host: host, port: port)
    }

    /// Runs SQL on the server as its administrator (`psql`), in database `database`; returns
    /// what it printed (unaligned, tuples only).
    @discardableResult
    public static func psql(_ sql: String, database: String = "postgres") throws -> String {
        let server = try server()
        let result = try Run.process("/usr/bin/psql", ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                                                       server.url(database: database), "-c", sql],
                                     environment: server.environment)
        guard result.status == 0 else { throw TestPostgresError(reason: "psql: \(result.stderr)") }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A new, empty database for one test; returns its URL (without the password).
    public static func freshDatabase(_ label: String) throws -> String {
        let clean = label.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) && $0.isASCII }
        let name = "t_" + String(String.UnicodeScalarView(clean.prefix(30))) + "_" + UUID().uuidString.prefix(8).lowercased()
        try psql("CREATE DATABASE \(name)")
        return try server().url(database: name)
    }
}

/// The test server could not be started or reached.
public struct TestPostgresError: Error, CustomStringConvertible {
    public let reason: String
    public var description: String { reason }
}
