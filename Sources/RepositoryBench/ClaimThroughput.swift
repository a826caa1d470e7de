import Foundation
import SohoaPostgres
import SohoaRepository

/// Job claim + complete throughput: `jobs` jobs are queued, then 1, 2, 4 … workers at once each
/// claim and complete (effect none) until the queue is empty. Each worker has a store of its own
/// (its own SQLite connection, or its own PostgreSQL connection), as a separate node would.
struct ClaimThroughput {
    enum Engine: String {
        case sqlite, postgresql
    }

    let engine: Engine
    /// The folder for SQLite (a new database per run), the database URL for PostgreSQL.
    let target: String
    let jobs: Int

    func run(workers counts: [Int]) async throws {
        var results: [(workers: Int, rate: Double)] = []
        for count in counts {
            // A queue of its own per run: a new SQLite file, or a new stage name in the one database.
            let run = "bench-\(count)-workers-\(UInt32.random(in: 0...UInt32.max))"
            let stores = try await (0..<count).asyncMap { _ in try await store(run: run) }
            for index in 0..<jobs {
                try await stores[0].enqueue(NewJob(stage: run, subject: "job \(index)", payload: "\(index)"), now: Date())
            }
            let began = DispatchTime.now().uptimeNanoseconds
            let claimed = try await withThrowingTaskGroup(of: Int.self) { group in
                for (index, store) in stores.enumerated() {
                    group.addTask {
                        var done = 0
                        while let lease = try await store.claimJob(stage: run, worker: "worker-\(index)", leaseFor: 600, now: Date()) {
                            try await store.complete(lease, effect: .none, now: Date())
                            done += 1
                        }
                        return done
                    }
                }
                return try await group.reduce(0, +)
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9
            guard claimed == jobs else { throw BenchFailure("\(claimed) jobs were claimed and completed, not \(jobs)") }
            results.append((count, Double(jobs) / seconds))
        }
        let name = engine == .sqlite ? "SQLite" : "PostgreSQL"
        let figures = results.map { "\($0.workers) worker\($0.workers == 1 ? "" : "s") " + String(format: "%.0f claims/s", $0.rate) }
        print("  \(name) (\(jobs) jobs per run): " + figures.joined(separator: ", "))
    }

    private func store(run: String) async throws -> any Store {
        switch engine {
        case .sqlite:
            try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
            return try SQLiteStore(path: (target as NSString).appendingPathComponent("\(run).sqlite"))
        case .postgresql:
            let location = try PostgresLocation(url: target)
            let password = try PostgresPassword.find(for: location, passwordFile: nil)
            return try await PostgresStore.open(location, password: password, opening: .creating(id: "sohoa-bench-claims"),
                                                connections: 1)
        }
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
