import Foundation
import SohoaRepository
import Testing

/// Real processes (`sohoa-test-claimer`) started together on the repository in `data`, each
/// opening it from the folder as every command does, claiming from one queue until it is empty:
/// run against each engine.
public enum QueueClaimers {
    /// Queues `jobs` jobs in `store` (the repository in `data`), lets three claimer processes
    /// (with `environment`) take them, and checks that each job was claimed exactly once, none is
    /// left, and the claimers' audit entries form one chain.
    public static func claimAtOnce(data: URL, store: any Store, environment: [String: String]? = nil, jobs: Int = 300) async throws {
        var queued: Set<JobID> = []
        for index in 0..<jobs {
            queued.insert(try await store.enqueue(NewJob(stage: "claim", subject: "job \(index)", payload: "\(index)"), now: Date()))
        }
        let go = data.appendingPathComponent("go").path
        let workers = (1...3).map { number in
            let process = Process()
            process.executableURL = Fixtures.productsDirectory.appendingPathComponent("sohoa-test-claimer")
            process.arguments = [data.path, go, "claim", "process \(number)"]
            if let environment { process.environment = environment }
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
