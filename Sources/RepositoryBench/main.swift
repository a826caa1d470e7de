// The repository part of `make bench`. Four modes:
//
//     sohoa-repository-bench DATA_DIR [N]
//         files the metadata of N synthetic documents (5 per citizen, in 2 cases each) into a new
//         SQLite store in DATA_DIR, times listing one citizen's documents, prints the database's size;
//     sohoa-repository-bench list-postgres URL CITIZENS [QUERIES]
//         times `PostgresStore.documents(owner:dossier:type:)` for QUERIES (1000) random citizens
//         of a repository database already loaded by scripts/bench_postgres_load.sql;
//     sohoa-repository-bench claims sqlite|postgresql FOLDER|URL JOBS WORKERS...
//         job claim + complete throughput: JOBS jobs queued, then claimed and completed (effect
//         none) by each count of WORKERS at once, each worker with a store of its own;
//     sohoa-repository-bench search sqlite|postgresql FOLDER|URL N
//         files N documents with two pages of Vietnamese text each, then times searches (SearchTiming);
//         N = 0 searches the SQLite store an earlier run left.
//
// PostgreSQL's password comes from PGPASSWORD (or ~/.pgpass), as for `sohoa`.

import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
let usage = """
    usage: sohoa-repository-bench DATA_DIR [N]
           sohoa-repository-bench list-postgres URL CITIZENS [QUERIES]
           sohoa-repository-bench claims sqlite|postgresql FOLDER|URL JOBS WORKERS...
           sohoa-repository-bench search sqlite|postgresql FOLDER|URL N

    """

func refuse(_ message: String) -> Never {
    FileHandle.standardError.write(Data("sohoa-repository-bench: \(message)\n".utf8))
    exit(3)
}

do {
    switch arguments.first {
    case nil:
        refuse(usage)
    case "list-postgres":
        guard arguments.count >= 3, let citizens = Int(arguments[2]), citizens > 0 else { refuse(usage) }
        let queries = arguments.count > 3 ? Int(arguments[3]) ?? 1000 : 1000
        try await PostgresListing.run(url: arguments[1], citizens: citizens, queries: queries)
    case "claims":
        guard arguments.count >= 5, let engine = ClaimThroughput.Engine(rawValue: arguments[1]), let jobs = Int(arguments[3]),
              jobs > 0 else { refuse(usage) }
        let workers = arguments.dropFirst(4).compactMap { Int($0) }.filter { $0 > 0 }
        guard workers.count == arguments.count - 4 else { refuse(usage) }
        try await ClaimThroughput(engine: engine, target: arguments[2], jobs: jobs).run(workers: workers)
    case "search":
        guard arguments.count == 4, let engine = ClaimThroughput.Engine(rawValue: arguments[1]), let count = Int(arguments[3]),
              count >= 0 else { refuse(usage) }
        try await SearchTiming(engine: engine, target: arguments[2], count: count).run()
    default:
        let count = arguments.count > 1 ? Int(arguments[1]) ?? 100_000 : 100_000
        try await SQLiteListing.run(folder: arguments[0], count: count)
    }
} catch {
    FileHandle.standardError.write(Data("sohoa-repository-bench: \(error)\n".utf8))
    exit(1)
}
