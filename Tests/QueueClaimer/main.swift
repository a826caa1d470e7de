// One worker process of the multi-process job-queue test: opens the repository in DATA with
// whichever engine keeps its records (the embedded SQLite, or PostgreSQL with the password in
// PGPASSWORD, as every command opens it), waits for the file GO to appear (so that every worker
// starts together), then claims jobs of STAGE as WORKER until none is left, recording an audit
// entry for each and completing it. Prints the numbers of the jobs it claimed, one a line.
//
//     sohoa-test-claimer DATA GO STAGE WORKER

import Foundation
import SohoaPostgres
import SohoaRepository

let arguments = CommandLine.arguments
guard arguments.count == 5 else {
    FileHandle.standardError.write(Data("usage: sohoa-test-claimer DATA GO STAGE WORKER\n".utf8))
    exit(3)
}
let (data, go, stage, worker) = (arguments[1], arguments[2], arguments[3], arguments[4])
do {
    let store = try await RepositoryOpening.open(data: data).store
    while !FileManager.default.fileExists(atPath: go) { usleep(5_000) }
    var claimed: [JobID] = []
    while let lease = try await store.claimJob(stage: stage, worker: worker, leaseFor: 600, now: Date()) {
        try await store.record(actor: worker, action: "claim", subject: "job \(lease.job.id)", detail: lease.job.subject)
        try await store.complete(lease, effect: .none, now: Date())
        claimed.append(lease.job.id)
    }
    print(claimed.map(String.init).joined(separator: "\n"))
} catch {
    FileHandle.standardError.write(Data("\(worker): \(error)\n".utf8))
    exit(1)
}
