import Foundation
import SohoaPostgres
import SohoaRepository

/// The in-process half of the PostgreSQL listing row: `PostgresStore.documents(owner:dossier:type:)`
/// for random citizens of a repository database that scripts/bench_postgres_load.sql filled
/// (5 documents per citizen), timed one query at a time on the store's own connection pool.
enum PostgresListing {
    static func run(url: String, citizens: Int, queries: Int) async throws {
        let location = try PostgresLocation(url: url)
        let store = try await PostgresStore.open(location, password: try PostgresPassword.find(for: location, passwordFile: nil))
        var generator = SystemRandomNumberGenerator()
        // The pool's first connection is made by the first query: a few queries before timing.
        for _ in 0..<20 {
            _ = try await store.documents(owner: try BenchCitizens.citizen(Int.random(in: 0..<citizens, using: &generator)),
                                          dossier: nil, type: nil)
        }
        var times: [Double] = []
        times.reserveCapacity(queries)
        for _ in 0..<queries {
            let owner = try BenchCitizens.citizen(Int.random(in: 0..<citizens, using: &generator))
            let began = DispatchTime.now().uptimeNanoseconds
            let found = try await store.documents(owner: owner, dossier: nil, type: nil)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - began) / 1e6)
            guard found.count == 5 else {
                throw BenchFailure("citizen \(owner) has \(found.count) documents, not 5: the database was not loaded as expected")
            }
        }
        times.sort()
        // The floor under it: one round trip of a trivial indexed query on the same pool (a job
        // looked up by its id in an empty queue), timed the same way.
        var trivial: [Double] = []
        for _ in 0..<queries {
            let began = DispatchTime.now().uptimeNanoseconds
            _ = try await store.job(0)
            trivial.append(Double(DispatchTime.now().uptimeNanoseconds - began) / 1e6)
        }
        trivial.sort()
        let p99 = Percentile.of(times, 0.99)
        let figures = String(format: "p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms", Percentile.of(times, 0.5),
                             Percentile.of(times, 0.95), p99, times.last ?? 0)
        print("  the query in process (PostgresStore.documents, \(queries) random citizens, 5 documents each): \(figures)"
              + " — target p99 < 5 ms: " + (p99 < 5 ? "met" : "MISSED"))
        print(String(format: "  beside it, a trivial query's round trip on the same pool (store.job(id), %d times): p50 %.2f ms, "
                     + "p99 %.2f ms", queries, Percentile.of(trivial, 0.5), Percentile.of(trivial, 0.99))
              + "; load average \(loadAverage()) (2 cores)")
    }
}

/// The machine's 1-minute load average (`/proc/loadavg`), to read the tail of the times with.
func loadAverage() -> String {
    (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first.map(String.init) ?? "unknown"
}

/// A benchmark that cannot measure what it should.
struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
