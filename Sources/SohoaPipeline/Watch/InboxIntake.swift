import Foundation
import Logging
import SohoaRepository
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The intake side of `sohoa watch`: finds complete items in the inbox, claims them into the
/// spool and records them with their first job, and moves what cannot be taken to the
/// rejected folder with its reason. After a crash, `recoverSpool` finishes what a claim or a
/// rejection had started, so no item is lost and none is taken twice.
public final class InboxIntake: @unchecked Sendable {
    /// The stage the first job of every item belongs to.
    public static let firstStage = AssembleStage.name

    /// The queue the first job of this inbox's items goes to (`AssembleStage.queue(forInbox:)`;
    /// the bare stage name when the inbox has no identity, as in tests of one inbox).
    public let queue: String

    /// Whether other nodes take from this inbox too. Then the spool is put in order every
    /// `recoveryInterval` seconds (a node that died leaves its part to the others), and an
    /// entry changed within `recoveryGrace` seconds is left alone: a live node may be between
    /// its rename into the spool and its record, or between a rejection and its move.
    public let shared: Bool
    public static let recoveryGrace: TimeInterval = 60
    public static let recoveryInterval: TimeInterval = 30
    private let lastRecovery = Mutex(Date.distantPast)

    public let scanner: InboxScanner
    public let spool: Spool
    public let rejected: RejectedFolder
    private let store: any Store
    private let logger: Logger
    private var stability: StabilityWindow
    /// How long an item must stay unchanged before it is taken (read by the workers too).
    public let stableFor: TimeInterval
    /// Set when a claim moved an item into the spool but could not record it, or a rejection
    /// could not move its file: the next pass puts the spool in order first. (Set from the
    /// workers' threads too, hence the lock.)
    private let spoolNeedsRecovery = Mutex(false)

    /// The language of the reasons the log gives.
    public let language: OperatorLanguage

    public init(inbox: String, rejected: RejectedFolder, store: any Store, stableFor: TimeInterval,
                language: OperatorLanguage = .english, queue: String = InboxIntake.firstStage, shared: Bool = false,
                logger: Logger) {
        self.language = language
        self.queue = queue
        self.shared = shared
        scanner = InboxScanner(root: inbox)
        spool = Spool(inbox: inbox)
        self.rejected = rejected
        self.store = store
        self.logger = logger
        stability = StabilityWindow(window: stableFor)
        self.stableFor = stableFor
    }

    /// What one pass did.
    public struct Pass: Sendable, Equatable {
        public var claimed = 0
        public var duplicates = 0
        public var rejected = 0
        /// Items seen but not yet stable (or folders without `.ready`): look again soon.
        public var waiting = 0
        /// Every folder of the inbox, for the inotify watches.
        public var folders: [String] = []
    }

    /// One look at the inbox: claims each complete, stable document; rejects each stable item
    /// that cannot be taken.
    public func pass(now: Date = Date()) async throws -> Pass {
        var pass = Pass()
        let due = shared && now.timeIntervalSince(lastRecovery.withLock { $0 }) >= Self.recoveryInterval
        if due || spoolNeedsRecovery.withLock({ $0 }) {
            try await recoverSpool(now: now)
            spoolNeedsRecovery.withLock { $0 = false }
        }
        let listing: InboxListing
        do { listing = try scanner.scan() } catch { throw PipelineFailure.transient(error.description) }
        var present: Set<String> = []
        for document in listing.documents {
            present.insert(document.relativePath)
            guard stability.isStable(document.relativePath, path: "\(scanner.root)/\(document.relativePath)", now: now) else {
                pass.waiting += 1
                continue
            }
            // Unchanged for the whole window, but a scanner between pages or a paused copy may
            // still hold it open: it waits (the window is counted again from its next change).
            if OpenWriters.state(of: "\(scanner.root)/\(document.relativePath)") == .openForWriting {
                logStillWritten(document.relativePath)
                pass.waiting += 1
                continue
            }
            stability.forget(document.relativePath)
            switch try await claim(document.relativePath) {
            case .claimed: pass.claimed += 1
            case .duplicate: pass.duplicates += 1
            case .stillWritten: pass.waiting += 1
            case .gone: break
            }
        }
        for target in Self.rejectionTargets(listing.problems, root: scanner.root) {
            present.insert(target.relativePath)
            guard stability.isStable(target.relativePath, pathBytes: source(of: target), now: now) else {
                pass.waiting += 1
                continue
            }
            if OpenWriters.state(of: source(of: target)) == .openForWriting
                || target.sidecar.map({ OpenWriters.state(of: "\(scanner.root)/\($0)") == .openForWriting }) == true {
                logStillWritten(target.relativePath)
                pass.waiting += 1
                continue
            }
            stability.forget(target.relativePath)
            try await rejectFromInbox(target)
            pass.rejected += 1
        }
        // Folders still without `.ready` are not polled for: creating the marker is an event,
        // and the periodic rescan catches it otherwise.
        stability.forget(except: present)
        pass.folders = folders()
        return pass
    }

    enum Claim { case claimed, duplicate, gone, stillWritten }

    /// Moves an inbox item into the spool and records it. If the item changed between the look
    /// before the rename and the one after it, or is open for writing after it (a writer that
    /// went on writing into it), it goes back to the inbox to wait: it is not taken half
    /// written.
    func claim(_ relativePath: String) async throws -> Claim {
        let before = ItemSnapshot("\(scanner.root)/\(relativePath)")
        guard let item = try spool.claim(relativePath) else { return .gone }
        if before == nil || ItemSnapshot(item.path) != before || OpenWriters.state(of: item.path) == .openForWriting {
            let released: Bool
            do { released = try spool.release(item) } catch {
                requestSpoolRecovery()
                throw error
            }
            if released {
                logStillWritten(relativePath)
                return .stillWritten
            }
        }
        do { return try await record(item) } catch {
            requestSpoolRecovery()
            throw error
        }
    }

    /// Notes (at debug level: it is said at every look) that an item is left to its writer.
    private func logStillWritten(_ relativePath: String) {
        logger.debug("still being written; waiting", metadata: ["item": "\(relativePath)"])
    }

    /// Asks the next pass to put the spool in order (something was left half done).
    func requestSpoolRecovery() {
        spoolNeedsRecovery.withLock { $0 = true }
    }

    /// Records a spooled item and queues its first job; a duplicate goes to the rejected folder.
    private func record(_ item: Spool.Item) async throws -> Claim {
        let (hash, size) = try Spool.fingerprint(of: item.path)
        let parts = item.relativePath.split(separator: "/").map(String.init)
        let owner: OwnerID, dossier: DossierCode
        do throws(IdentifierError) {
            owner = try OwnerID(parts[0])
            dossier = try DossierCode(parts[1])
        } catch {
            throw PipelineFailure.permanent(OperatorText(vietnamese: error.vietnameseDescription, english: error.description)
                .prefixed(item.relativePath))
        }
        let modified = ((try? FileManager.default.attributesOfItem(atPath: item.path))?[.modificationDate] as? Date) ?? Date()
        let record = IntakeRecord(relativePath: item.relativePath, size: size, modified: modified, sha256: hash, owner: owner,
                                  dossier: dossier, spool: item.entry)
        let job = NewJob(stage: queue, subject: item.relativePath, payload: item.entry)
        let outcome: IntakeOutcome
        do { outcome = try await store.receive(record, job: job, now: Date()) } catch StoreError.conflict(let reason) {
            // Another node recorded this entry first (putting a shared spool in order): it is its.
            guard try await store.intake(spool: item.entry) != nil else { throw StoreError.conflict(reason) }
            logger.notice("recorded by another node", metadata: ["item": "\(item.relativePath)"])
            return .claimed
        }
        switch outcome {
        case .accepted(let entry, let jobID):
            logger.info("claimed", metadata: ["item": "\(item.relativePath)", "sha256": "\(hash)", "intake": "\(entry.id)",
                                              "job": "\(jobID)"])
            return .claimed
        case .duplicate(let entry, let original):
            logger.notice("duplicate", metadata: ["item": "\(item.relativePath)", "sha256": "\(hash)",
                                                  "original": "\(original.record.relativePath)"])
            var filed: Document?
            if let id = original.document { filed = try await store.document(id) }
            let reason = DuplicateReason(original: original, filed: filed)
            try moveToRejected(item, problem: reason.problem, advice: reason.advice)
            _ = entry
            return .duplicate
        }
    }

    /// Finishes, after a crash, what was started on each spool entry: records an item whose
    /// claim was not recorded, completes a rejection whose file was not yet moved, and removes
    /// the entries of items already filed. Returns how many entries it touched.
    @discardableResult
    public func recoverSpool(now: Date = Date()) async throws -> Int {
        lastRecovery.withLock { $0 = now }
        var touched = 0
        for entry in spool.entries() {
            if shared, let changed = spool.lastChange(ofEntry: entry), now.timeIntervalSince(changed) < Self.recoveryGrace {
                continue  // a live node may be in the middle of it
            }
            let known = try await store.intake(spool: entry)
            switch known?.state {
            case nil:
                if let item = spool.item(inEntry: entry) {
                    logger.notice("recovering a claim that was not recorded", metadata: ["item": "\(item.relativePath)"])
                    spool.adoptSidecars(of: item)
                    _ = try await record(item)
                } else {
                    spool.remove(entry: entry)
                }
                touched += 1
            case .received?:
                continue
            case .filed?:
                spool.remove(entry: entry)
                touched += 1
            case .rejected?, .duplicate?:
                if let known, let item = spool.item(inEntry: entry, relativePath: known.record.relativePath) {
                    if known.state == .duplicate {
                        let reason = try await DuplicateReason(recovering: known, store: store)
                        try moveToRejected(item, problem: reason.problem, advice: reason.advice)
                    } else {
                        let problem = spool.savedProblem(inEntry: entry) ?? Self.unsavedProblem(known.note)
                        try moveToRejected(item, problem: problem, advice: AssembleStage.advice(for: problem))
                    }
                } else {
                    spool.remove(entry: entry)
                }
                touched += 1
            }
        }
        return touched
    }

    /// The reason of a rejection whose words were not saved in its spool entry (an entry of an
    /// older version): the store keeps the English only, so the Vietnamese part points to it.
    static func unsavedProblem(_ note: String?) -> OperatorText {
        guard let note else {
            return OperatorText(vietnamese: "Sohoa không dùng được tệp này", english: "it could not be used")
        }
        return OperatorText(vietnamese: "Sohoa không dùng được tệp này; lời giải thích của hệ thống chỉ có bằng tiếng Anh, "
                                + "xem phần \"What was wrong\" bên dưới",
                            english: note)
    }

    /// Moves a spooled item (and its sidecar) to the rejected folder, then drops its entry. An
    /// item another node moved first is left to it.
    func moveToRejected(_ item: Spool.Item, problem: OperatorText, advice: OperatorText) throws {
        do { try moveToRejectedOnce(item, problem: problem, advice: advice) } catch let vanished as RejectedFolder.Vanished {
            spool.remove(entry: item.entry)
            logger.notice("already moved to the rejected folder by another node", metadata: ["item": "\(vanished.relativePath)"])
        }
    }

    private func moveToRejectedOnce(_ item: Spool.Item, problem: OperatorText, advice: OperatorText) throws {
        if let sidecar = spool.sidecar(of: item) {
            let owner = OperatorText(vietnamese: "tệp thông tin này thuộc về \(item.relativePath), tài liệu không được tiếp nhận: "
                                         + problem.vietnamese,
                                     english: "this metadata file belongs to \(item.relativePath), which was not taken: "
                                         + problem.english)
            try rejected.move(sidecar, relativePath: "\((item.relativePath as NSString).deletingLastPathComponent)/\((sidecar as NSString).lastPathComponent)",
                              problem: owner, advice: advice)
        }
        let destination = try rejected.move(item.path, relativePath: item.relativePath, problem: problem, advice: advice)
        spool.remove(entry: item.entry)
        logger.notice("rejected", metadata: ["item": "\(item.relativePath)", "to": "\(destination)", "reason": "\(problem.text(in: language))"])
    }

    /// An inbox entry to move to the rejected folder, with its reason.
    struct RejectionTarget: Equatable {
        let relativePath: String
        let problem: OperatorText
        /// The entry's path inside the inbox as bytes, when its name is not UTF-8 (then
        /// `relativePath` writes it out with `\xNN`, and is where it goes in the rejected folder).
        var pathBytes: [UInt8]? = nil
        /// The sidecar whose problem this document is refused for (`<owner>/<case>/<name>.json`):
        /// while that is still being written, the document waits with it.
        var sidecar: String? = nil
    }

    /// The target's path, as the file system holds it.
    private func source(of target: RejectionTarget) -> [UInt8] {
        Array("\(scanner.root)/".utf8) + (target.pathBytes ?? Array(target.relativePath.utf8))
    }

    /// Moves an item straight from the inbox to the rejected folder, and records that in the
    /// audit log (it never reached the spool).
    private func rejectFromInbox(_ target: RejectionTarget) async throws {
        let source = source(of: target)
        var info = stat()
        guard FileNames.withCPath(source, { lstat($0, &info) }) == 0 else { return }  // gone (links count: they are moved too)
        let advice = OperatorText(vietnamese: "Hãy sửa như hướng dẫn ở trên rồi thả lại vào thư mục tiếp nhận.",
                                  english: "Correct it as explained above and drop it into the inbox again.")
        let destination = try rejected.move(pathBytes: source, relativePath: target.relativePath, problem: target.problem,
                                            advice: advice)
        try await store.record(actor: "intake", action: "reject", subject: target.relativePath, detail: target.problem.english)
        logger.notice("rejected", metadata: ["item": "\(target.relativePath)", "to": "\(destination)",
                                             "reason": "\(target.problem.text(in: language))"])
    }

    /// What to move for each problem: the entry itself, or, for a page inside a document
    /// folder, the whole document folder; a broken sidecar takes its document with it.
    static func rejectionTargets(_ problems: [InboxProblem], root: String) -> [RejectionTarget] {
        var targets: [RejectionTarget] = []
        var seen: Set<String> = []
        func add(_ path: String, _ problem: OperatorText, pathBytes: [UInt8]? = nil, sidecar: String? = nil) {
            guard seen.insert(path).inserted else { return }
            targets.append(RejectionTarget(relativePath: path, problem: problem, pathBytes: pathBytes, sidecar: sidecar))
        }
        for problem in problems {
            let parts = problem.relativePath.split(separator: "/").map(String.init)
            let text = OperatorText(vietnamese: problem.vietnameseExplanation, english: problem.explanation)
            if parts.count >= 4 {
                add(parts.prefix(3).joined(separator: "/"), text.prefixed(problem.relativePath))
                continue
            }
            if case .undecodableName(let pathBytes) = problem.reason {
                add(problem.relativePath, text, pathBytes: pathBytes)
                continue
            }
            add(problem.relativePath, text)
            if parts.count == 3, parts[2].lowercased().hasSuffix(".json") {
                let caseFolder = "\(root)/\(parts[0])/\(parts[1])"
                // The detail alone: "its metadata file … cannot be used" says the rest.
                var detail = text
                if case .sidecarUnreadable(let sidecar) = problem.reason {
                    detail = OperatorText(vietnamese: sidecar.vietnamese, english: sidecar.english)
                }
                let base = (parts[2] as NSString).deletingPathExtension
                for name in ((try? FileManager.default.contentsOfDirectory(atPath: caseFolder)) ?? []).sorted()
                where name != parts[2] && !name.hasPrefix(".") && ((name as NSString).deletingPathExtension == base || name == base) {
                    add("\(parts[0])/\(parts[1])/\(name)",
                        OperatorText(vietnamese: "không dùng được tệp thông tin kèm theo \(parts[2]): \(detail.vietnamese)",
                                     english: "its metadata file \(parts[2]) cannot be used: \(detail.english)"),
                    sidecar: problem.relativePath)
                }
            }
        }
        return targets
    }

    /// Every folder of the inbox down to document folders, empty ones included (a file dropped
    /// into an empty case folder must wake the watcher too), so walked apart from the listing.
    private func folders() -> [String] {
        var folders: Set<String> = [scanner.root]
        let manager = FileManager.default
        for owner in ((try? manager.contentsOfDirectory(atPath: scanner.root)) ?? []) where !owner.hasPrefix(".") {
            let ownerPath = "\(scanner.root)/\(owner)"
            folders.insert(ownerPath)
            for dossier in ((try? manager.contentsOfDirectory(atPath: ownerPath)) ?? []) where !dossier.hasPrefix(".") {
                let casePath = "\(ownerPath)/\(dossier)"
                folders.insert(casePath)
                for name in ((try? manager.contentsOfDirectory(atPath: casePath)) ?? []) {
                    var isFolder: ObjCBool = false
                    if manager.fileExists(atPath: "\(casePath)/\(name)", isDirectory: &isFolder), isFolder.boolValue {
                        folders.insert("\(casePath)/\(name)")
                    }
                }
            }
        }
        return folders.sorted()
    }
}
