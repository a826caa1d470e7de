import Foundation
import Logging
import SohoaRepository

/// How `sohoa watch` runs.
public struct WatchSettings: Sendable {
    public var inbox: String
    public var data: String
    /// Where refused items go; nil for `rejected/` beside the inbox.
    public var rejected: String?
    /// Assembly workers.
    public var workers = 2
    /// Poll instead of inotify (network shares send no events).
    public var polling = false
    /// How long an item must stay unchanged (size and modification time) before it is taken.
    public var stableFor: TimeInterval = 2
    /// How often the whole inbox is scanned again even without events.
    public var rescanEvery: TimeInterval = 30
    /// How long a job's lease lasts without a heartbeat.
    public var leaseFor: TimeInterval = 30
    public var retry = RetryPolicy()
    public var assembly = AssemblyOptions()
    /// The language of the reasons the log gives (refusals, give-ups).
    public var language = OperatorLanguage.english
    /// Whether other nodes may watch the same inbox (a repository whose records are in a shared
    /// database): the inbox's lock is shared, and the spool is put in order again and again,
    /// leaving alone what a live node is in the middle of (see `InboxIntake.recoveryGrace`).
    public var sharedInbox = false

    public init(inbox: String, data: String) {
        self.inbox = inbox
        self.data = data
    }
}

/// The intake daemon: at start it takes back the jobs of workers that died and finishes
/// what was left in the spool; then it watches the inbox (events, a stability window, and a
/// periodic full rescan) on its own thread while the stage workers file what it claims.
/// It stops when `stop` is set: no new claims, and held jobs are finished.
public struct WatchService: Sendable {
    public let settings: WatchSettings
    public let repository: Repository
    public let intake: InboxIntake
    /// The inbox's lock, held as long as the service exists.
    public let lock: WatchLock
    let logger: Logger

    /// The service for `settings`, filing into `repository` (opened by the caller with whichever
    /// engine keeps its records; its folder is `settings.data`).
    public init(settings: WatchSettings, repository: Repository, logger: Logger) throws {
        let rejected = try Self.checkFolders(settings)
        // Before anything is recovered or claimed: the spool may be another watcher's.
        lock = try WatchLock(inbox: settings.inbox, shared: settings.sharedInbox)
        self.settings = settings
        self.logger = logger
        self.repository = repository
        let identity: InboxIdentity
        do { identity = try InboxIdentity(inbox: settings.inbox) } catch { throw PipelineFailure.permanent(error.text) }
        intake = InboxIntake(inbox: settings.inbox, rejected: rejected, store: repository.store,
                             stableFor: settings.stableFor, language: settings.language, queue: identity.assembleQueue,
                             shared: settings.sharedInbox, logger: logger)
    }

    /// Refuses an inbox that is not a folder, and a rejected folder or repository inside the
    /// inbox (they would be taken for misnamed citizen folders and moved into the rejected
    /// folder, again and again); returns the rejected folder. Callers check this before they
    /// open (or make) the repository, so that nothing is made for settings that are refused.
    public static func checkFolders(_ settings: WatchSettings) throws -> RejectedFolder {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: settings.inbox, isDirectory: &isFolder), isFolder.boolValue else {
            throw PipelineFailure.permanent(OperatorText(vietnamese: "\(settings.inbox): thư mục tiếp nhận không phải là một thư mục",
                                                         english: "\(settings.inbox): the inbox is not a folder"))
        }
        let rejected = settings.rejected.map(RejectedFolder.init(root:)) ?? RejectedFolder.beside(inbox: settings.inbox)
        let inboxPath = Self.absolute(settings.inbox)
        for (what, vietnamese, path) in [("the rejected folder", "thư mục tệp bị từ chối", rejected.root),
                                         ("the repository", "kho lưu trữ", settings.data)]
        where Self.absolute(path).hasPrefix(inboxPath + "/") || Self.absolute(path) == inboxPath {
            throw PipelineFailure.permanent(OperatorText(
                vietnamese: "\(path): \(vietnamese) không được nằm trong thư mục tiếp nhận \(settings.inbox); "
                    + "hãy chọn một thư mục bên cạnh",
                english: "\(path): \(what) cannot be inside the inbox \(settings.inbox); choose a folder beside it"))
        }
        return rejected
    }

    /// `path` made absolute, with links resolved where it exists.
    static func absolute(_ path: String) -> String {
        let url = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath()
        let text = url.path
        return text.count > 1 && text.hasSuffix("/") ? String(text.dropLast()) : text
    }

    /// Runs until `stop` is set.
    public func run(until stop: StopSignal) async throws {
        try await takeBackJobsOfDeadWorkers()
        try await adoptJobsQueuedBeforeInboxQueues()
        await removeUnfinishedWrites()
        let recovered = try await intake.recoverSpool()
        let stage = AssembleStage(intake: intake, repository: repository, options: settings.assembly, logger: logger)
        await stage.removeLeftoverWorkFiles()
        logger.info("watching", metadata: ["inbox": "\(settings.inbox)", "data": "\(settings.data)",
                                           "rejected": "\(intake.rejected.root)", "workers": "\(settings.workers)",
                                           "mode": "\(settings.polling ? "polling" : "inotify")",
                                           "spool entries recovered": "\(recovered)"])
        // The inbox loop waits for events by blocking: it runs on a thread of its own (its own
        // executor), never on Swift's shared pool.
        let inboxThread = WorkerThreads(count: 1, name: "sohoa inbox watcher")
        defer { inboxThread.shutdown() }
        let watcher = Task(executorPreference: inboxThread) { [self] in await watchInbox(until: stop) }
        let heartbeat = NodeHeartbeat(registry: repository.store, role: "watch", inbox: Self.absolute(settings.inbox),
                                      workers: settings.workers, logger: logger)
        let beating = Task { await heartbeat.run(until: stop) }
        await StageWorkers(handler: stage, store: repository.store, count: settings.workers, leaseFor: settings.leaseFor,
                           policy: settings.retry, language: settings.language, logger: logger).run(until: stop)
        await watcher.value
        await beating.value
        logger.info("stopped")
    }

    /// Jobs held by workers of a process on this machine that is gone are taken at once
    /// instead of when their leases run out.
    func takeBackJobsOfDeadWorkers() async throws {
        for worker in try await repository.store.leaseHolders() where WorkerName.isGone(worker) {
            try await repository.store.expireLeases(heldBy: worker, now: Date())
            logger.notice("taking back the jobs of a worker that stopped", metadata: ["worker": "\(worker)"])
        }
    }

    /// Jobs queued by an older Sohoa under the bare stage name, for items in this inbox's
    /// spool, move to this inbox's queue (a job of another inbox's item stays where it is).
    func adoptJobsQueuedBeforeInboxQueues() async throws {
        let entries = intake.spool.entries()
        guard !entries.isEmpty, intake.queue != InboxIntake.firstStage else { return }
        let moved = try await repository.store.moveJobs(of: InboxIntake.firstStage, payloads: entries, to: intake.queue)
        if moved > 0 { logger.notice("jobs queued by an earlier version moved to this inbox's queue", metadata: ["count": "\(moved)"]) }
    }

    /// Blobs that filings which failed, or whose process died, stored without committing
    /// their rows are removed (never one a row points at, nor one a running write uses).
    func removeUnfinishedWrites() async {
        do {
            let removed = try await repository.removeUnfinishedWrites()
            if !removed.isEmpty {
                logger.notice("removed the blobs of filings that did not finish", metadata: ["count": "\(removed.count)"])
            }
        } catch {
            logger.error("the blobs of filings that did not finish cannot be removed now", metadata: ["error": "\(error)"])
        }
    }

    private func watchInbox(until stop: StopSignal) async {
        let events = InboxEvents(polling: settings.polling)
        let rescan = settings.polling ? min(settings.rescanEvery, max(0.5, settings.stableFor / 2)) : settings.rescanEvery
        var lastFailure: String?
        while !stop.isStopped {
            var waiting = false
            do {
                let pass = try await intake.pass()
                events.watch(pass.folders)
                waiting = pass.waiting > 0
                lastFailure = nil
            } catch {
                let text = "\(error)"
                if text != lastFailure { logger.error("the inbox cannot be taken in now", metadata: ["error": "\(text)"]) }
                lastFailure = text
                waiting = true
            }
            // Items being written are looked at again within the stability window; otherwise an
            // event or the periodic rescan wakes the loop. Waits are cut into short slices so a
            // stop request is seen at once.
            let deadline = Date().addingTimeInterval(waiting ? max(0.1, min(settings.stableFor / 2, rescan)) : rescan)
            while !stop.isStopped, Date() < deadline {
                if events.wait(timeout: min(0.25, deadline.timeIntervalSinceNow)) {
                    if !waiting { break }
                }
            }
        }
    }
}
