import Foundation
import SohoaFiles
import SohoaCrypto

#if canImport(Glibc)
import Glibc
#endif

/// What happened to one document of a batch.
public enum BatchOutcome: Sendable {
    /// Signed into `output`; `warning` says why it should not have been (with `--force`).
    case signed(output: String, file: SignedFile, warning: SignatureOrderProblem?)
    /// Its signed copy already exists (an earlier, interrupted run signed it).
    case skipped(output: String)
    /// Not signed: the role's signature does not belong on it as it is (see `SignatureOrder`).
    case refused(SignatureOrderProblem)
    case failed(reason: String)
}

/// A batch's totals.
public struct BatchSummary: Sendable {
    public var signed = 0
    public var skipped = 0
    public var failed = 0
    /// Documents not signed because the role's signature does not belong on them.
    public var refused = 0
    public var seconds: Double = 0
    /// Documents signed per second.
    public var rate: Double { seconds > 0 ? Double(signed) / seconds : 0 }

    public init() {}

    /// How one item's outcome counts in the totals.
    public enum Tally: Sendable { case signed, skipped, failed, refused }

    /// Counts one item's outcome.
    mutating func count(_ tally: Tally) {
        switch tally {
        case .signed: signed += 1
        case .skipped: skipped += 1
        case .failed: failed += 1
        case .refused: refused += 1
        }
    }

    /// Runs `work` on every item, one per core at a time (Dispatch runs as many iterations at
    /// once as there are cores), counts each outcome as `tally` says, and calls `report` after
    /// each item, one call at a time.
    public static func collect<Item: Sendable, Outcome>(
        _ items: [Item], work: @Sendable (Item) -> Outcome, tally: @Sendable (Outcome) -> Tally,
        report: @Sendable (Int, Item, Outcome) -> Void
    ) -> BatchSummary {
        let start = Date()
        let lock = NSLock()
        nonisolated(unsafe) var summary = BatchSummary()
        DispatchQueue.concurrentPerform(iterations: items.count) { index in
            let outcome = work(items[index])
            lock.lock()
            defer { lock.unlock() }
            summary.count(tally(outcome))
            report(index, items[index], outcome)
        }
        summary.seconds = Date().timeIntervalSince(start)
        return summary
    }

    /// `collect` on `width` threads of its own, each taking the next item when it is done: for
    /// work that waits on the network (a time-stamp authority's answer), more items are in
    /// flight than there are cores, so the cores sign while the answers travel.
    public static func collect<Item: Sendable, Outcome>(
        _ items: [Item], threads width: Int, work: @escaping @Sendable (Item) -> Outcome,
        tally: @escaping @Sendable (Outcome) -> Tally, report: @escaping @Sendable (Int, Item, Outcome) -> Void
    ) -> BatchSummary {
        let start = Date()
        let lock = NSLock()
        nonisolated(unsafe) var summary = BatchSummary()
        nonisolated(unsafe) var next = 0
        let group = DispatchGroup()
        for _ in 0..<max(1, min(width, items.count)) {
            group.enter()
            let thread = Thread {
                while true {
                    let index = lock.withLock {
                        defer { next += 1 }
                        return next
                    }
                    guard index < items.count else { break }
                    let outcome = work(items[index])
                    lock.withLock {
                        summary.count(tally(outcome))
                        report(index, items[index], outcome)
                    }
                }
                group.leave()
            }
            thread.name = "sohoa sign"
            thread.start()
        }
        group.wait()
        var result = lock.withLock { summary }
        result.seconds = Date().timeIntervalSince(start)
        return result
    }

    /// `collect` for work that waits (on a store): at most `width` items at a time, in tasks
    /// that run on `executor` when one is given (signing blocks on the key, the time-stamp
    /// authority and the disk: threads of its own keep that off Swift's shared pool).
    public static func collect<Item: Sendable, Outcome: Sendable>(
        _ items: [Item], width: Int = ProcessInfo.processInfo.activeProcessorCount, on executor: (any TaskExecutor)? = nil,
        work: @escaping @Sendable (Item) async -> Outcome,
        tally: @Sendable (Outcome) -> Tally, report: @Sendable (Int, Item, Outcome) -> Void
    ) async -> BatchSummary {
        let start = Date()
        var summary = BatchSummary()
        await withTaskGroup(of: (Int, Outcome).self) { group in
            var next = 0
            func add() {
                guard next < items.count else { return }
                let index = next
                next += 1
                group.addTask(executorPreference: executor) { (index, await work(items[index])) }
            }
            for _ in 0..<max(1, width) { add() }
            while let (index, outcome) = await group.next() {
                summary.count(tally(outcome))
                report(index, items[index], outcome)
                add()
            }
        }
        summary.seconds = Date().timeIntervalSince(start)
        return summary
    }
}

/// Signs many PDFs with one key (one login, one PIN entry), several at a time.
///
/// Each signed copy is written under a temporary name in the output folder, synced and renamed,
/// so a batch killed at any moment leaves whole files only; running it again skips the
/// documents whose signed copy exists and signs the rest. One document's failure does not stop
/// the others.
public struct BatchSigner: Sendable {
    public let signer: PAdESSigner
    /// Where signed copies go; nil signs the inputs in place.
    public let outputFolder: String?
    /// Sign even where the role's signature does not belong (an approval of an unsigned
    /// document, a second officer signature), reporting it as a warning.
    public let force: Bool

    public init(signer: PAdESSigner, outputFolder: String?, force: Bool = false) {
        self.signer = signer
        self.outputFolder = outputFolder
        self.force = force
    }

    /// The PDFs an argument list names: files as given, folders' `.pdf` files in name order.
    public static func expand(_ arguments: [String]) throws -> [String] {
        var files: [String] = []
        for argument in arguments {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isFolder) else {
                throw SigningError("\(argument): no such file or folder")
            }
            if isFolder.boolValue {
                let names = try FileManager.default.contentsOfDirectory(atPath: argument)
                files += names.filter { $0.lowercased().hasSuffix(".pdf") && !$0.hasPrefix(".") }.sorted()
                    .map { (argument as NSString).appendingPathComponent($0) }
            } else {
                files.append(argument)
            }
        }
        return files
    }

    /// Takes the output folder for this batch: one batch at a time writes into a folder, and
    /// what an interrupted batch left half-written (`.*.partial`) is removed.
    ///
    /// - Returns: the lock, held until the returned descriptor is closed.
    public func claimOutputFolder() throws -> Int32? {
        guard let folder = outputFolder else { return nil }
        let descriptor = open((folder as NSString).appendingPathComponent(".sohoa-sign.lock"), O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw SigningError("\(folder): the folder cannot be locked (\(String(cString: strerror(errno))))") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw SigningError("\(folder): another batch is signing into this folder")
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        for name in names where name.hasPrefix(".") && name.hasSuffix(".partial") {
            try? FileManager.default.removeItem(atPath: (folder as NSString).appendingPathComponent(name))
        }
        return descriptor
    }

    /// Documents in flight at once when each waits for a time-stamp: the answers' round trips
    /// overlap, and the cores sign meanwhile.
    static let inFlightWithTimeStamps = 8

    /// How many documents `signer` signs at once: one per core, or `inFlightWithTimeStamps`
    /// when each waits for a time-stamp authority.
    public static func width(for signer: PAdESSigner) -> Int {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        return signer.timeStamper == nil ? cores : max(cores, inFlightWithTimeStamps)
    }

    /// Signs `files`, calling `report` (from any thread, one call at a time) after each: one per
    /// core at a time, or `inFlightWithTimeStamps` when each waits for a time-stamp authority.
    public func run(_ files: [String], report: @escaping @Sendable (Int, String, BatchOutcome) -> Void) -> BatchSummary {
        let batch = self
        return BatchSummary.collect(files, threads: Self.width(for: signer), work: { batch.signOne($0) }, tally: { outcome in
            switch outcome {
            case .signed: .signed
            case .skipped: .skipped
            case .failed: .failed
            case .refused: .refused
            }
        }, report: report)
    }

    private func signOne(_ input: String) -> BatchOutcome {
        let name = (input as NSString).lastPathComponent
        let output = outputFolder.map { ($0 as NSString).appendingPathComponent(name) } ?? input
        if outputFolder != nil, FileManager.default.fileExists(atPath: output) {
            return .skipped(output: output)
        }
        do {
            let problem = SignatureOrder.problem(signingAs: signer.role, existing: try SignatureOrder.signatureCount(ofFileAt: input))
            if let problem, !force { return .refused(problem) }
            // Written beside the output as `.<name>.<random>.partial`, synced and renamed.
            let signed = try DurableFile.replace(output) { temporary in try signer.sign(fileAt: input, writingTo: temporary) }
            return .signed(output: output, file: signed, warning: problem)
        } catch {
            return .failed(reason: "\(error)")
        }
    }
}
