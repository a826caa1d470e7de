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
        let destination = freeName(for: "\(root)/\(relativePath)")
        let folder = (destination as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let text = Self.reasonText(relativePath: relativePath, problem: problem, advice: advice, time: time)
            try DurableFile.replace("\(destination).reason.txt") { temporary in
                try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
            }
            if rename(source, destination) != 0 {
                guard errno == EXDEV else {
                    throw PipelineFailure.transient("\(relativePath): it cannot be moved to \(root) (\(String(cString: strerror(errno))))")
                }
                // Another file system: copy, sync, then remove the original.
                try FileManager.default.copyItem(atPath: source, toPath: destination)
                try? DurableFile.sync(destination)
                try FileManager.default.removeItem(atPath: source)
            }
            try? DurableFile.sync(folder)
        } catch let failure as PipelineFailure {
            throw failure
        } catch {
            throw PipelineFailure.transient("\(relativePath): it cannot be moved to \(root) (\(error.localizedDescription))")
        }
        return destination
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
