import Foundation
import SohoaRepository

/// The SQLite rows of `make bench`: files the metadata of `count` synthetic documents (5 per
/// citizen, in 2 cases each) through the store, then times listing one citizen's documents, and
/// prints the database's size.
enum SQLiteListing {
    static func run(folder: String, count: Int) async throws {
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = (folder as NSString).appendingPathComponent("sohoa.sqlite")
        let store = try SQLiteStore(path: path)

        func dossier(_ index: Int) throws -> DossierCode {
            // A receipt date and sequence per case; 2 cases per citizen.
            try DossierCode(String(format: "000.00.01.H26-2511%02d-%04d", index / 9999 % 28 + 1, index % 9999 + 1))
        }

        let citizens = max(1, count / 5)
        let start = Date()
        for index in 0..<count {
            let owner = index % citizens
            let caseIndex = owner * 2 + index / citizens % 2
            var digest = [UInt8](repeating: 0, count: 32)
            withUnsafeBytes(of: UInt64(index).bigEndian) { digest.replaceSubrange(24..<32, with: $0) }
            _ = try await store.file(NewDocument(owner: try BenchCitizens.citizen(owner), cases: [try dossier(caseIndex)],
                                                 type: "giay-to", title: "Tài liệu \(index)", state: .signed, kind: .imported,
                                                 hash: ContentHash(digest: digest), size: 250_000),
                                     actor: "bench", action: "import")
        }
        let filing = Date().timeIntervalSince(start)

        var times: [Double] = []
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let owner = try BenchCitizens.citizen(Int.random(in: 0..<citizens, using: &generator))
            let began = DispatchTime.now().uptimeNanoseconds
            let found = try await store.documents(owner: owner, dossier: nil, type: nil)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - began) / 1e6)
            precondition(found.count == 5, "each citizen has 5 documents")
        }
        times.sort()
        func size(_ suffix: String) -> Int {
            ((try? FileManager.default.attributesOfItem(atPath: path + suffix))?[.size] as? Int) ?? 0
        }
        let database = size(""), journal = size("-wal")
        print(String(format: "  filed %d documents for %d citizens in %.1f s (%.0f documents/s)", count, citizens, filing,
                     Double(count) / filing))
        print(String(format: "  list one citizen's 5 documents: median %.2f ms, p95 %.2f ms, max %.2f ms (200 queries)",
                     times[times.count / 2], times[times.count * 95 / 100], times.last ?? 0))
        print(String(format: "  database: %.1f MB (%.0f bytes per document, audit log included), write-ahead log %.1f MB",
                     Double(database) / 1e6, Double(database) / Double(count), Double(journal) / 1e6))
    }
}

/// The synthetic citizens every mode shares: citizen `i` is `0010` followed by `i` in 8 digits
/// (scripts/bench_postgres_load.sql makes the same ones).
enum BenchCitizens {
    static func citizen(_ index: Int) throws -> OwnerID { try OwnerID(String(format: "0010%08d", index)) }
}

/// Percentiles of measured times, nearest-rank.
enum Percentile {
    static func of(_ sorted: [Double], _ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return sorted[min(sorted.count - 1, max(0, rank - 1))]
    }
}
