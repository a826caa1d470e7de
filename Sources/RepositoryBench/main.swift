// The repository part of `make bench`: files the metadata of N synthetic documents (5 per
// citizen, in 2 cases each) into a new SQLite store, then times listing one citizen's
// documents, and prints the database's size.
//
//     sohoa-repository-bench DATA_DIR [N]

import Foundation
import SohoaRepository

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: sohoa-repository-bench DATA_DIR [N]\n".utf8))
    exit(3)
}
let folder = arguments[1]
let count = arguments.count > 2 ? Int(arguments[2]) ?? 100_000 : 100_000
try? FileManager.default.removeItem(atPath: folder)
try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
let path = (folder as NSString).appendingPathComponent("sohoa.sqlite")
let store = try SQLiteStore(path: path)

func citizen(_ index: Int) throws -> OwnerID { try OwnerID(String(format: "0010%08d", index)) }
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
    _ = try await store.file(NewDocument(owner: try citizen(owner), cases: [try dossier(caseIndex)], type: "giay-to",
                                   title: "Tài liệu \(index)", state: .signed, kind: .imported,
                                   hash: ContentHash(digest: digest), size: 250_000),
                       actor: "bench", action: "import")
}
let filing = Date().timeIntervalSince(start)

var times: [Double] = []
var generator = SystemRandomNumberGenerator()
for _ in 0..<200 {
    let owner = try citizen(Int.random(in: 0..<citizens, using: &generator))
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
