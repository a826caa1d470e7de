import Foundation
import Logging
import SohoaImaging
import SohoaRepository

/// The stage that turns a spooled inbox item into a filed document: normalize and assemble
/// its pages into one PDF, put the scans and the PDF into the blob store, and file the
/// document as `pending` with its sources, committed together with the job's completion.
public struct AssembleStage: StageHandler {
    public static let name = "assemble"
    /// The queue this stage takes its jobs from: its inbox's (`assemble@<inbox id>`), so that a
    /// node takes only the items of an inbox it watches.
    public var stage: String { intake.queue }

    /// The queue of the items of the inbox `id`.
    public static func queue(forInbox id: String) -> String { "\(name)@\(id)" }

    /// The stage a queue belongs to (`assemble` for `assemble@inbox-3fa2c1d9`).
    public static func stage(ofQueue queue: String) -> String {
        queue.split(separator: "@", maxSplits: 1).first.map(String.init) ?? queue
    }

    /// What an operator should do with an item that was refused: scan a damaged one again;
    /// for one Sohoa gave up on (its own trouble, not the file's), drop it again later.
    static func advice(for problem: OperatorText) -> OperatorText {
        if problem.english.hasPrefix(StageWorkers.gaveUpPrefix) {
            return OperatorText(
                vietnamese: "Bản thân tệp có thể không có lỗi: hãy thả lại tệp vào đúng thư mục <công dân>/<hồ sơ> của thư mục "
                    + "tiếp nhận sau khi sự cố trên được khắc phục. Nếu vẫn lỗi, hãy báo quản trị hệ thống.",
                english: "The file itself may be fine: drop it into the same <citizen>/<case> folder of the inbox again once "
                    + "the problem above is solved. If it happens again, tell the system administrator.")
        }
        return OperatorText(
            vietnamese: "Hãy quét lại tài liệu (hoặc lưu lại từ máy quét) và thả tệp mới vào đúng thư mục <công dân>/<hồ sơ> "
                + "của thư mục tiếp nhận.",
            english: "Scan the document again (or save it again from the scanner) and drop the new file into the same "
                + "<citizen>/<case> folder of the inbox.")
    }

    static func notInSpool(_ relativePath: String) -> PipelineFailure {
        .permanent(OperatorText(vietnamese: "tài liệu không còn trong hàng chờ xử lý", english: "the item is no longer in the spool")
            .prefixed(relativePath))
    }

    let intake: InboxIntake
    let repository: Repository
    let options: AssemblyOptions
    let logger: Logger

    public init(intake: InboxIntake, repository: Repository, options: AssemblyOptions = AssemblyOptions(), logger: Logger) {
        self.intake = intake
        self.repository = repository
        self.options = options
        self.logger = logger
    }

    public func run(_ lease: JobLease) async throws {
        let store = repository.store
        let entry = lease.job.payload
        guard let record = try await store.intake(spool: entry), record.state == .received else {
            // Already settled by an earlier run of this job: nothing left to do.
            try await store.complete(lease, effect: .none, now: Date())
            return
        }
        guard let item = intake.spool.item(inEntry: entry, relativePath: record.record.relativePath) else {
            throw Self.notInSpool(record.record.relativePath)
        }
        let pages = try pageFiles(item)
        var options = self.options
        options.owner = record.record.owner
        options.caseID = record.record.dossier
        var metadata: DocumentMetadata?
        if let sidecar = intake.spool.sidecar(of: item) {
            do { metadata = try DocumentMetadata.load(path: sidecar) } catch {
                let problem = InboxProblem(relativePath: record.record.relativePath, reason: error)
                throw PipelineFailure.permanent(OperatorText(vietnamese: problem.vietnameseExplanation, english: problem.explanation))
            }
        }
        options.title = metadata?.title ?? (item.relativePath as NSString).lastPathComponent
        options.documentType = metadata?.documentType

        let work = (repository.data as NSString).appendingPathComponent("work")
        do { try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true) } catch {
            throw PipelineFailure.transient("\(work): the work folder cannot be made (\(error.localizedDescription))")
        }
        let output = "\(work)/\(entry).pdf"
        // This job holds the entry: what an earlier, killed run of it left is removed first.
        for name in (try? FileManager.default.contentsOfDirectory(atPath: work)) ?? []
        where name.hasPrefix(".\(entry).pdf.") && name.hasSuffix(".partial") {
            try? FileManager.default.removeItem(atPath: "\(work)/\(name)")
        }
        defer { try? FileManager.default.removeItem(atPath: output) }
        let report: AssemblyReport
        do {
            report = try await DocumentAssembler(options: options).assemble(inputs: pages, output: output)
        } catch {
            switch error {
            case .input(let refusal):
                if Self.mayBeUnfinished(refusal),
                   Self.isStillBeingWritten(item, as: record.record, quietFor: max(30, 4 * intake.stableFor)) {
                    // A writer that reopened the file after its claim: not damaged, unfinished.
                    // The job is tried again later; the file is never rejected for this.
                    throw PipelineFailure.transient("\(item.relativePath): it was still being written after it was taken; "
                                                    + "it is looked at again later")
                }
                throw PipelineFailure.permanent(OperatorText(vietnamese: readable(refusal.vietnameseDescription, item),
                                                             english: readable(refusal.description, item)))
            case .everyPageBlank(let count):
                throw PipelineFailure.permanent(OperatorText(vietnamese: "cả \(count) trang đều trắng",
                                                             english: readable(error.description, item)))
            case .output: throw PipelineFailure.transient(readable(error.description, item))
            }
        }
        do {
            // Blobs first, then the row; the blobs go again if the row is not committed.
            try await repository.storingBlobs { write in
                var sources: [SourceFile] = []
                for page in pages {
                    let (hash, size) = try await write.put(fileAt: page)
                    sources.append(SourceFile(hash: hash, size: size))
                }
                let (hash, size) = try await write.put(fileAt: output)
                let document = NewDocument(owner: record.record.owner, cases: [record.record.dossier], type: metadata?.documentType,
                                           title: options.title, issued: metadata?.issueDate, state: .pending, kind: .assembled,
                                           hash: hash, size: size, sources: sources, pages: Self.pageTexts(of: report))
                let filed = try await store.complete(lease, effect: .file(document, actor: "intake", action: "file", intake: record.id),
                                               now: Date())
                logger.info("filed", metadata: ["item": "\(item.relativePath)", "document": "\(filed?.id.rawValue ?? "-")",
                                                "pages": "\(report.pages.filter { !$0.dropped }.count)", "sha256": "\(hash)"])
                for (number, page) in report.pages.filter({ !$0.dropped }).enumerated() {
                    guard let flag = page.text?.flag else { continue }
                    logger.warning("page to check", metadata: ["item": "\(item.relativePath)", "document": "\(filed?.id.rawValue ?? "-")",
                                                              "page": "\(number + 1)", "reason": "\(flag)"])
                }
            }
        } catch let lost as LeaseLost {
            throw lost
        } catch let error as StoreError {
            // The database or the disk unavailable for a while is tried again; a refusal never is.
            throw error.isTransient ? PipelineFailure.transient(error.description)
                                    : PipelineFailure.permanent(OperatorText(refusal: error))
        }
        intake.spool.remove(entry: entry)
    }

    /// The text read on each page of the PDF (page 1 first), to be kept with the document;
    /// empty when the pages were not read (OCR off). A page that was not read (a blank one) is
    /// kept with no text and no confidence.
    static func pageTexts(of report: AssemblyReport) -> [PageTextRecord] {
        let kept = report.pages.filter { !$0.dropped }
        guard kept.contains(where: { $0.text != nil }) else { return [] }
        return kept.enumerated().map { index, page in
            PageTextRecord(page: index + 1, text: page.text?.text ?? "", confidence: page.text?.confidence, flag: page.text?.flag)
        }
    }

    public func reject(_ lease: JobLease, problem: OperatorText) async throws {
        let store = repository.store
        guard let record = try await store.intake(spool: lease.job.payload) else {
            try await store.fail(lease, reason: problem.english, vietnamese: problem.vietnamese, retryAt: nil, now: Date())
            return
        }
        // The store says "rejected" first; moving the file follows, and a crash between the
        // two is finished by the spool recovery at the next start, with the words kept here.
        intake.spool.saveProblem(problem, inEntry: lease.job.payload)
        try await store.reject(lease, intake: record.id, reason: problem.english, vietnamese: problem.vietnamese, now: Date())
        if let item = intake.spool.item(inEntry: lease.job.payload, relativePath: record.record.relativePath) {
            do { try intake.moveToRejected(item, problem: problem, advice: Self.advice(for: problem)) } catch {
                // The store already says rejected: the spool recovery moves the file later.
                intake.requestSpoolRecovery()
                throw error
            }
        } else {
            intake.spool.remove(entry: lease.job.payload)
        }
    }

    /// Whether a refusal is what a file still being written looks like (it ends too early, or
    /// its last bytes are not yet the image's).
    static func mayBeUnfinished(_ refusal: ImagingError) -> Bool {
        switch refusal.reason {
        case .truncated, .damaged, .notAnImage: return true
        default: return false
        }
    }

    /// Whether the spooled item is open for writing, or changed since its claim (its size, or
    /// for a file its modification time) less than `quietFor` seconds ago: someone still writes
    /// to it. One that changed but has been quiet since is judged on what it holds, so a
    /// damaged scan is still rejected once its writer is done.
    static func isStillBeingWritten(_ item: Spool.Item, as claimed: IntakeRecord, quietFor: TimeInterval,
                                    now: Date = Date()) -> Bool {
        if OpenWriters.state(of: item.path) == .openForWriting { return true }
        let manager = FileManager.default
        var isFolder: ObjCBool = false
        guard manager.fileExists(atPath: item.path, isDirectory: &isFolder) else { return false }
        let files = isFolder.boolValue
            ? ((try? manager.contentsOfDirectory(atPath: item.path)) ?? []).filter { !$0.hasPrefix(".") }.map { "\(item.path)/\($0)" }
            : [item.path]
        var size = 0
        var newest = Date.distantPast
        for file in files {
            guard let attributes = try? manager.attributesOfItem(atPath: file) else { continue }
            size += (attributes[.size] as? Int) ?? 0
            newest = max(newest, (attributes[.modificationDate] as? Date) ?? .distantPast)
        }
        let changed = size != claimed.size || (!isFolder.boolValue && abs(newest.timeIntervalSince(claimed.modified)) > 0.002)
        return changed && now.timeIntervalSince(newest) < quietFor
    }

    /// Removes the work files (PDFs being assembled) that a process killed mid-way left, except
    /// those of items still in the pipeline (their jobs write them again anyway).
    public func removeLeftoverWorkFiles() async {
        let work = (repository.data as NSString).appendingPathComponent("work")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: work)) ?? [] {
            let trimmed = name.hasPrefix(".") ? String(name.dropFirst()) : name
            let entry = String(trimmed.prefix { $0 != "." })
            // Only this stage's files (`<entry>.pdf` and the assembler's `.<entry>.pdf.….partial`).
            guard Spool.isEntryName(entry), trimmed.hasPrefix("\(entry).pdf") else { continue }
            if (try? await repository.store.intake(spool: entry))??.state == .received { continue }
            try? FileManager.default.removeItem(atPath: "\(work)/\(name)")
        }
    }

    /// The image files of an item: the file itself, or a folder's page images in name order.
    private func pageFiles(_ item: Spool.Item) throws -> [String] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: item.path, isDirectory: &isFolder) else {
            throw Self.notInSpool(item.relativePath)
        }
        guard isFolder.boolValue else { return [item.path] }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: item.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
        guard !names.isEmpty else {
            throw PipelineFailure.permanent(OperatorText(vietnamese: "thư mục không chứa ảnh trang nào",
                                                         english: "the folder holds no page images").prefixed(item.relativePath))
        }
        return names.map { "\(item.path)/\($0)" }
    }

    /// An error's words with spool paths turned back into inbox paths.
    private func readable(_ text: String, _ item: Spool.Item) -> String {
        text.replacingOccurrences(of: "\(intake.spool.root)/\(item.entry)/", with: "")
    }
}
