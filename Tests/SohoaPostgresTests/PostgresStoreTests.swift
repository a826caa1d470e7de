import Foundation
import SohoaPostgres
import SohoaRepository
import SohoaTestSupport
import Testing

/// The PostgreSQL store, on a real server (`TestPostgres`), passes the same conformance suites
/// as the embedded one, and refuses what it cannot use with a reason.
@Suite struct PostgresStoreTests {
    /// A new database on the test server, and the password to reach it.
    static func freshLocation(_ label: String) throws -> (PostgresLocation, PostgresPassword) {
        let location = try PostgresLocation(url: try TestPostgres.freshDatabase(label))
        return (location, PostgresPassword(value: try TestPostgres.server().password, source: .environment))
    }

    /// A store on a new database of its own.
    static func freshStore(_ label: String) async throws -> PostgresStore {
        let (location, password) = try freshLocation(label)
        return try await PostgresStore.open(location, password: password, opening: .creating(id: UUID().uuidString))
    }

    @Test func passesTheStoreConformanceSuite() async throws {
        try await StoreConformance.all { try await Self.freshStore("store") }
    }

    @Test func passesTheJobQueueConformanceSuite() async throws {
        try await JobQueueConformance.all { try await Self.freshStore("queue") }
    }

    @Test func passesTheSearchConformanceSuite() async throws {
        try await SearchConformance.all { try await Self.freshStore("search") }
    }

    /// The embedded store and this one, given the same documents, find the same documents in
    /// the same order at the same pages for every query of the conformance suite.
    @Test func searchesFindTheSameAsTheEmbeddedStore() async throws {
        let folder = try Fixtures.makeScratch("search-both")
        defer { Fixtures.removeScratch(folder) }
        let embedded = try SQLiteStore(path: folder.appendingPathComponent("store.sqlite").path)
        let central = try await Self.freshStore("search-both")
        try await SearchConformance.fileCorpusInto([embedded, central])
        for (text, owner, dossier) in SearchConformance.queries {
            let here = try await SearchConformance.results(of: text, owner: owner, dossier: dossier, in: central)
            let there = try await SearchConformance.results(of: text, owner: owner, dossier: dossier, in: embedded)
            #expect(here == there, "\(text)")
            #expect(!here.isEmpty || text == "không có", "\(text) finds something")
        }
    }

    /// Several stores on one database, each with its own connection pool (as separate nodes
    /// have): claims, audit appends and lease take-overs at once.
    @Test func passesTheConcurrencyConformanceSuite() async throws {
        try await StoreConcurrencyConformance.all {
            let (location, password) = try Self.freshLocation("concurrent")
            let id = UUID().uuidString
            _ = try await PostgresStore.open(location, password: password, opening: .creating(id: id))
            return { try await PostgresStore.open(location, password: password) }
        }
    }

    @Test func aDatabaseFromANewerSohoaIsRefused() async throws {
        let store = try await Self.freshStore("newer")
        _ = try await store.file(StoreConformance.new("kept"), actor: "intake", action: "file")
        try TestPostgres.psql("INSERT INTO sohoa_schema (version, name, applied) VALUES (999, 'from the future', 0)",
                              database: store.location.database)
        let error = await #expect(throws: StoreError.self) {
            try await PostgresStore.open(store.location, password: PostgresPassword(value: try TestPostgres.server().password,
                                                                                      source: .environment))
        }
        guard case .schemaTooNew(let reason)? = error else { Issue.record("not schemaTooNew: \(String(describing: error))"); return }
        #expect(reason.contains("newer version of Sohoa") && reason.contains("schema 999"), "\(reason)")
        #expect(try TestPostgres.psql("SELECT COUNT(*) FROM documents", database: store.location.database) == "1",
                "nothing was changed")
    }

    /// A row Sohoa never writes (an id that is not an id, put there by hand) is damage: the
    /// read is refused as corrupt, never retried as if the database were away.
    @Test func aRowThatIsNotSohoasIsCorruptNotTransient() async throws {
        let store = try await Self.freshStore("damaged")
        let filed = try await store.file(StoreConformance.new("kept"), actor: "intake", action: "file")
        try TestPostgres.psql("INSERT INTO documents (id, owner, state, created) VALUES ('../../etc', '\(StoreConformance.citizen)', 'pending', 0); "
                              + "INSERT INTO versions (document_id, number, sha256, kind, actor, created, size) "
                              + "VALUES ('../../etc', 1, '\(filed.latest)', 'imported', 'x', 0, 1)",
                              database: store.location.database)
        let error = await #expect(throws: StoreError.self) {
            try await store.documents(owner: StoreConformance.citizen, dossier: nil, type: nil)
        }
        guard case .corrupt? = error else { Issue.record("not corrupt: \(String(describing: error))"); return }
        #expect(error?.isTransient == false)
    }

    @Test func aDatabaseWithoutARepositoryIsRefusedUnlessOneIsMade() async throws {
        let (location, password) = try Self.freshLocation("empty")
        let error = await #expect(throws: StoreError.self) { try await PostgresStore.open(location, password: password) }
        #expect(error?.description.contains("holds no Sohoa repository") == true, "\(String(describing: error))")
        #expect(try TestPostgres.psql("SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'", database: location.database) == "0",
                "nothing was made in it")
        let made = try await PostgresStore.open(location, password: password, opening: .creating(id: "first"))
        #expect(made.repositoryID == "first")
        let other = await #expect(throws: StoreError.self) {
            try await PostgresStore.open(location, password: password, opening: .creating(id: "second"))
        }
        #expect(other?.description.contains("already holds another Sohoa repository") == true, "\(String(describing: other))")
    }

    @Test func aWrongPasswordIsRefusedWithAReason() async throws {
        let (location, _) = try Self.freshLocation("password")
        let error = await #expect(throws: StoreError.self) {
            try await PostgresStore.open(location, password: PostgresPassword(value: "not the password", source: .environment))
        }
        guard case .refused(let reason)? = error else { Issue.record("not refused: \(String(describing: error))"); return }
        #expect(reason.contains("refused the login of user sohoa_admin"), "\(reason)")
        #expect(!reason.contains("not the password"), "the password is never shown")
        #expect(error?.isTransient == false, "a wrong password is not tried again")
    }

    @Test func anUnreachableServerIsUnavailable() async throws {
        let port = try Self.closedPort()
        let location = try PostgresLocation(url: "postgres://sohoa@127.0.0.1:\(port)/sohoa")
        let error = await #expect(throws: StoreError.self) {
            try await PostgresStore.open(location, password: PostgresPassword(value: nil, source: .none))
        }
        guard case .unavailable(let reason)? = error else { Issue.record("not unavailable: \(String(describing: error))"); return }
        #expect(reason.contains("cannot be reached") && reason.contains("127.0.0.1:\(port)"), "\(reason)")
    }

    @Test func aMissingDatabaseIsNamed() async throws {
        let server = try TestPostgres.server()
        let location = try PostgresLocation(url: server.url(database: "no_such_database"))
        let error = await #expect(throws: StoreError.self) {
            try await PostgresStore.open(location, password: PostgresPassword(value: server.password, source: .environment))
        }
        #expect(error?.description.contains("has no database no_such_database") == true, "\(String(describing: error))")
    }

    /// A port on 127.0.0.1 that nothing listens on.
    static func closedPort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Where the database is and where its password comes from.
@Suite struct PostgresLocationTests {
    @Test func aURLIsReadAndWrittenWithoutAPassword() throws {
        let location = try PostgresLocation(url: "postgres://sohoa@db.example:5433/sohoa_hanoi?sslmode=require")
        #expect(location.user == "sohoa" && location.host == "db.example" && location.port == 5433 && location.database == "sohoa_hanoi")
        #expect(location.tls == .require)
        #expect(location.description == "postgres://sohoa@db.example:5433/sohoa_hanoi?sslmode=require")
        #expect(try PostgresLocation(url: "postgresql://sohoa@10.0.0.5/sohoa").description == "postgres://sohoa@10.0.0.5:5432/sohoa")
    }

    @Test func aPasswordInTheURLIsRefusedAndNotRepeated() {
        let error = #expect(throws: PostgresLocation.Invalid.self) { try PostgresLocation(url: "postgres://sohoa:hunter2@db/sohoa") }
        #expect(error?.description.contains("must not hold the password") == true)
        #expect(error?.description.contains("hunter2") == false, "\(String(describing: error))")
    }

    @Test(arguments: ["http://sohoa@db/sohoa", "postgres://db/sohoa", "postgres://sohoa@db/", "postgres://so hoa@db/x",
                      "postgres://sohoa@db/sohoa;drop", "postgres://sohoa@db/sohoa?application_name=x", "postgres://sohoa@db:0/sohoa"])
    func malformedURLsAreRefused(_ url: String) {
        #expect(throws: PostgresLocation.Invalid.self) { try PostgresLocation(url: url) }
    }

    @Test func thePasswordComesFromTheEnvironmentThenTheFileThenPgpass() throws {
        let folder = try Fixtures.makeScratch("pgpass")
        defer { Fixtures.removeScratch(folder) }
        let location = try PostgresLocation(url: "postgres://sohoa@db.example:5432/sohoa")
        let pgpass = folder.appendingPathComponent("pgpass").path
        try "# comment\nother:5432:sohoa:sohoa:wrong\ndb.example:5432:*:sohoa:from\\:pgpass\n".write(toFile: pgpass, atomically: true, encoding: .utf8)
        chmod(pgpass, 0o600)
        let file = folder.appendingPathComponent("password").path
        try "from file\n".write(toFile: file, atomically: true, encoding: .utf8)
        chmod(file, 0o600)
        let environment = ["PGPASSFILE": pgpass, "HOME": folder.path]
        #expect(try PostgresPassword.find(for: location, passwordFile: nil, environment: environment).value == "from:pgpass")
        #expect(try PostgresPassword.find(for: location, passwordFile: file, environment: environment).value == "from file")
        let fromEnvironment = try PostgresPassword.find(for: location, passwordFile: file,
                                                        environment: environment.merging(["PGPASSWORD": "from env"]) { $1 })
        #expect(fromEnvironment.value == "from env" && fromEnvironment.source == .environment)
        #expect(try PostgresPassword.find(for: location.with(database: "x"), passwordFile: nil,
                                          environment: ["PGPASSFILE": pgpass]).value == "from:pgpass", "* matches any database")
        #expect(try PostgresPassword.find(for: try PostgresLocation(url: "postgres://sohoa@elsewhere/sohoa"), passwordFile: nil,
                                          environment: ["PGPASSFILE": pgpass, "HOME": folder.path]).value == nil)
    }

    @Test func aPasswordFileOthersMayReadIsRefused() throws {
        let folder = try Fixtures.makeScratch("pgpass-open")
        defer { Fixtures.removeScratch(folder) }
        let file = folder.appendingPathComponent("password").path
        try "secret\n".write(toFile: file, atomically: true, encoding: .utf8)
        chmod(file, 0o644)
        let location = try PostgresLocation(url: "postgres://sohoa@db/sohoa")
        let error = #expect(throws: StoreError.self) { try PostgresPassword.find(for: location, passwordFile: file, environment: [:]) }
        #expect(error?.description.contains("may be read by other users") == true && error?.description.contains("chmod 600") == true)
        #expect(error?.description.contains("secret") == false)
    }
}
