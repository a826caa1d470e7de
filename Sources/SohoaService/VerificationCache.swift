import Foundation
import SohoaRepository
import SohoaVerification

/// Verifications of filed versions kept for a short while, so that a public check page opened
/// by many at once verifies once. A filed version never changes (it is named by its hash); only
/// what is known about its certificates does, so an entry is dropped after `keptFor`. The
/// verifying itself happens outside the lock: checks of different documents run side by side.
final class VerificationCache: @unchecked Sendable {
    private let keptFor: TimeInterval
    private let lock = NSLock()
    /// Guarded by `lock`.
    private var entries: [ContentHash: (report: FileReport, time: Date)] = [:]
    /// Entries kept at most (a page opened for every document of the repository does not fill memory).
    static let capacity = 2_000

    init(keptFor: TimeInterval) {
        self.keptFor = keptFor
    }

    /// The verification of the blob `hash`, made by `verify` unless one recent enough is kept.
    func report(for hash: ContentHash, now: Date = Date(), verify: () throws -> FileReport) rethrows -> (FileReport, verifiedAt: Date) {
        if let kept = lock.withLock({ entries[hash] }), now.timeIntervalSince(kept.time) < keptFor { return (kept.report, kept.time) }
        let report = try verify()
        lock.withLock {
            if entries.count >= Self.capacity {
                entries = entries.filter { now.timeIntervalSince($0.value.time) < keptFor }
                if entries.count >= Self.capacity { entries.removeAll() }
            }
            entries[hash] = (report, now)
        }
        return (report, now)
    }
}
