import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// An inbox's own name in the job queue, kept in `INBOX/.sohoa-inbox-id`: the jobs of items
/// claimed from an inbox are queued for that inbox, and only watchers of that inbox take them
/// (a node watching another branch's inbox cannot reach its spool). Every node that mounts a
/// shared inbox reads the same file, whatever path it mounts it at. The first watcher makes it
/// (`<folder name>-<8 hex digits>`); when two make it at once, one file wins and both use it.
public struct InboxIdentity: Sendable, Equatable {
    /// The file's name inside the inbox (a dot name: the inbox scan skips it).
    public static let fileName = ".sohoa-inbox-id"

    public let id: String

    /// Why an inbox's identity cannot be read or made.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let text: OperatorText
        public var description: String { text.english }
    }

    /// The identity of `inbox`, made when it has none.
    public init(inbox: String) throws(Failure) {
        let path = (inbox as NSString).appendingPathComponent(Self.fileName)
        if let existing = try Self.read(path) {
            id = existing
            return
        }
        let base = (URL(fileURLWithPath: inbox).standardizedFileURL.lastPathComponent.unicodeScalars
            .filter { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_") }
            .prefix(40)).map(String.init).joined()
        var generator = SystemRandomNumberGenerator()
        let made = (base.isEmpty ? "inbox" : base) + "-" + String(format: "%08x", UInt32.random(in: 0...UInt32.max, using: &generator))
        let temporary = path + ".\(getpid()).new"
        guard FileManager.default.createFile(atPath: temporary, contents: Data((made + "\n").utf8)) else {
            throw Failure(text: OperatorText(vietnamese: "\(path): không ghi được tệp định danh của thư mục tiếp nhận",
                                             english: "\(path): the inbox's identity file cannot be written"))
        }
        defer { unlink(temporary) }
        // link() never replaces: a watcher that made it first keeps its name, and this one reads it.
        if link(temporary, path) == 0 {
            id = made
        } else if errno == EEXIST, let winner = try Self.read(path) {
            id = winner
        } else {
            throw Failure(text: OperatorText(vietnamese: "\(path): không tạo được tệp định danh của thư mục tiếp nhận "
                                                 + "(\(String(cString: strerror(errno))))",
                                             english: "\(path): the inbox's identity file cannot be made (\(String(cString: strerror(errno))))"))
        }
    }

    /// The id in the file at `path`, nil when there is no file; one that is not an id is refused.
    static func read(_ path: String) throws(Failure) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard isID(text) else {
            throw Failure(text: OperatorText(
                vietnamese: "\(path): tệp định danh của thư mục tiếp nhận bị hỏng; hãy xóa tệp khi không có tiến trình sohoa watch nào chạy",
                english: "\(path): the inbox's identity file is damaged; remove it while no sohoa watch runs on this inbox"))
        }
        return text
    }

    /// 1 to 60 letters, digits, `-` and `_`.
    static func isID(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 60
            && text.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_") }
    }

    /// The queue of the first stage for this inbox's items.
    public var assembleQueue: String { AssembleStage.queue(forInbox: id) }
}
