import Foundation
import SohoaFiles
import SohoaRepository

#if canImport(Glibc)
import Glibc
#endif

/// The folder bad inbox items go to (by default `rejected/` beside the inbox), each under its
/// inbox path, with `<name>.reason.txt` beside it: what was wrong and what to do, in plain
/// words. Nothing that is moved here is ever deleted.
public struct RejectedFolder: Sendable {
    public let root: String

    public init(root: String) {
        self.root = root
    }

    /// The default place: `rejected/` beside the inbox.
    public static func beside(inbox: String) -> RejectedFolder {
        let trimmed = inbox.hasSuffix("/") && inbox.count > 1 ? String(inbox.dropLast()) : inbox
        return RejectedFolder(root: ((trimmed as NSString).deletingLastPathComponent as NSString).appendingPathComponent("rejected"))
    }

    /// Moves `source` (a file or a folder) to `<root>/<relativePath>`, or to a free name beside
    /// it (`name (2).tif`) when one is there already, after writing its reason file. Returns
    /// where it went. The reason file is written first, so the item never sits in the
    /// rejected folder without its reason.
    @discardableResult
    public func move(_ source: String, relativePath: String, problem: OperatorText, advice: OperatorText,
                     at time: Date = Date()) throws -> String {
        try move(pathBytes: Array(source.utf8), relativePath: relativePath, problem: problem, advice: advice, at: time)
    }

    /// `move`, for a source whose path is given as the file system's bytes: its name need not be
    /// UTF-8 (`relativePath`, where it goes, is text: such a name written out with `\xNN`).
    @discardableResult
    func move(pathBytes source: [UInt8], relativePath: String, problem: OperatorText, advice: OperatorText,
              at time: Date = Date()) throws -> String {
        let destination = freeName(for: "\(root)/\(relativePath)")
        let folder = (destination as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let text = Self.reasonText(relativePath: relativePath, problem: problem, advice: advice, time: time)
            try DurableFile.replace("\(destination).reason.txt") { temporary in
                try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
            }
            if FileNames.withCPath(source, { rename($0, destination) }) != 0 {
                if errno == ENOENT {
                    // Someone else moved it first (another node putting a shared spool in order).
                    try? FileManager.default.removeItem(atPath: "\(destination).reason.txt")
                    throw Vanished(relativePath: relativePath)
                }
                guard errno == EXDEV else {
                    throw PipelineFailure.transient("\(relativePath): it cannot be moved to \(root) (\(String(cString: strerror(errno))))")
                }
                // Another file system: copy, sync, then remove the original.
                if let text = FileNames.text(source) {
                    try FileManager.default.copyItem(atPath: text, toPath: destination)
                    try? DurableFile.sync(destination)
                    try FileManager.default.removeItem(atPath: text)
                } else {
                    try Self.copyFile(source, to: destination, relativePath: relativePath)
                    _ = FileNames.withCPath(source) { unlink($0) }
                }
            }
            try? DurableFile.sync(folder)
        } catch let failure as PipelineFailure {
            throw failure
        } catch let vanished as Vanished {
            throw vanished
        } catch {
            throw PipelineFailure.transient("\(relativePath): it cannot be moved to \(root) (\(error.localizedDescription))")
        }
        return destination
    }

    /// Copies the regular file at `source` (a path Foundation cannot name) to `destination`,
    /// synced; anything else cannot be moved across file systems this way and is left in place.
    private static func copyFile(_ source: [UInt8], to destination: String, relativePath: String) throws {
        func failure(_ what: String) -> PipelineFailure {
            .transient("\(relativePath): it cannot be copied to \(destination) (\(what))")
        }
        let input = FileNames.withCPath(source) { open($0, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) }
        guard input >= 0 else { throw failure(String(cString: strerror(errno))) }
        defer { close(input) }
        var info = stat()
        guard fstat(input, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw failure("only a file, not a folder, whose name is not text can be moved to another file system")
        }
        let output = open(destination, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard output >= 0 else { throw failure(String(cString: strerror(errno))) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var problem: String?
        copying: while true {
            let count = read(input, &buffer, buffer.count)
            if count == 0 { break }
            if count < 0 { problem = String(cString: strerror(errno)); break }
            var written = 0
            while written < count {
                let step = buffer.withUnsafeBytes { write(output, $0.baseAddress! + written, count - written) }
                if step <= 0 { problem = String(cString: strerror(errno)); break copying }
                written += step
            }
        }
        if problem == nil, fsync(output) != 0 { problem = String(cString: strerror(errno)) }
        close(output)
        if let problem {
            unlink(destination)
            throw failure(problem)
        }
    }

    /// The reason file's words, in Vietnamese and English.
    static func reasonText(relativePath: String, problem: OperatorText, advice: OperatorText, time: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone.current
        // The file is named above: "<path>: reason" and "<path>, page 2: reason" lose the path.
        func withoutPath(_ text: String) -> String {
            for separator in [": ", ", "] where text.hasPrefix(relativePath + separator) {
                return String(text.dropFirst(relativePath.count + separator.count))
            }
            return text
        }
        return """
            Sohoa không thể tiếp nhận tệp này / Sohoa could not take this file.

            Tệp / File: \(relativePath)
            Thời điểm / When: \(formatter.string(from: time))

            Vấn đề:
            \(withoutPath(problem.vietnamese))
            What was wrong:
            \(withoutPath(problem.english))

            Cần làm gì:
            \(advice.vietnamese)
            What to do:
            \(advice.english)

            """
    }

    private func freeName(for path: String) -> String {
        guard FileManager.default.fileExists(atPath: path) || FileManager.default.fileExists(atPath: "\(path).reason.txt") else {
            return path
        }
        let folder = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let ext = (name as NSString).pathExtension
        let base = (name as NSString).deletingPathExtension
        for number in 2... {
            let candidate = "\(folder)/\(base) (\(number))" + (ext.isEmpty ? "" : ".\(ext)")
            if !FileManager.default.fileExists(atPath: candidate) && !FileManager.default.fileExists(atPath: "\(candidate).reason.txt") {
                return candidate
            }
        }
        return path
    }
}

extension RejectedFolder {
    /// The file to move was no longer there: another process moved it first. Nothing was left
    /// in the rejected folder for it.
    public struct Vanished: Error, Equatable, Sendable {
        public let relativePath: String
    }
}
