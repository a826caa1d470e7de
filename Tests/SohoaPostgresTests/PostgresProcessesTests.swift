import Foundation
import SohoaPostgres
import SohoaRepository
import SohoaTestSupport
import Testing

/// Separate processes, as separate nodes are, on one PostgreSQL repository.
@Suite struct PostgresProcessesTests {
    /// Real processes (`sohoa-test-claimer`), started together on one PostgreSQL repository
    /// (each opens it from the folder, as every command does), claim from one queue: every job
    /// is claimed by exactly one of them, and their audit entries form one chain.
    @Test func processesClaimingAtOnceTakeEachJobOnce() async throws {
        let data = try Fixtures.makeScratch("postgres-processes")
        defer { Fixtures.removeScratch(data) }
        let login = try TestPostgres.server().environment
        let environment = ProcessInfo.processInfo.environment.merging(login) { $1 }
        let database = try PostgresLocation(url: try TestPostgres.freshDatabase("processes"))
        let (repository, made) = try await RepositoryOpening.initialize(data: data.path, database: database, passwordFile: nil,
                                                                        environment: environment)
        #expect(made == .created)
        try await QueueClaimers.claimAtOnce(data: data, store: repository.store, environment: environment)
    }
}
