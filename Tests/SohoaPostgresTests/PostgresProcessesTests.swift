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
        let store = repository.store
        let jobs = 300
        var queued: Set<JobID> = []
        for index in 0..<jobs {
            queued.insert(try await store.enqueue(NewJob(stage: "claim", subject: "job \(index)", payload: "\(index)"), now: Date()))
        }
        let go = data.appendingPathComponent("go").path
        let workers = (1...3).map { number in
            let process = Process()
            process.executableURL = Fixtures.productsDirectory.appendingPathComponent("sohoa-test-claimer")
            process.arguments = [data.path, go, "claim", "process \(number)"]
            process.environment = environment
            let output = Pipe(), errors = Pipe()
            process.standardOutput = output
            process.standardError = errors
            return (process, output, errors)
        }
        for (process, _, _) in workers { try process.run() }
        #expect(FileManager.default.createFile(atPath: go, contents: nil))
        var claimed: [JobID] = []
        var perProcess: [Int] = []
        for (process, output, errors) in workers {
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let problems = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "\(problems)")
            let mine = text.split(separator: "\n").compactMap { JobID($0) }
            perProcess.append(mine.count)
            claimed += mine
        }
        #expect(claimed.count == jobs && Set(claimed) == queued,
                "each job claimed once: \(claimed.count) claims of \(jobs) jobs (per process: \(perProcess))")
        #expect(try await store.claimJob(stage: "claim", worker: "test", leaseFor: 60, now: Date()) == nil, "none left")
        let log = try await store.auditLog()
        #expect(log.filter { $0.action == "claim" }.count == jobs)
        #expect(AuditChain.problems(in: log).isEmpty, "\(AuditChain.problems(in: log))")
    }
}
