import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One watcher per inbox: `sohoa watch` holds an exclusive `flock` on `INBOX/.sohoa-watch.lock`
/// while it runs. Two watchers on one inbox would each recover and claim from the other's
/// spool, whatever repository each files into, so the lock is the inbox's, not the
/// repository's. The file records the holder's host and process id for the refusal message.
///
/// The kernel releases the lock when its process ends, however it ends: a lock file left by a
/// watcher that was killed never blocks the next one. The file itself is left in place (a dot
/// name, which the inbox scan skips); removing it could let two watchers lock two different
/// files.
public final class WatchLock: Sendable {
    /// The lock file's name inside the inbox.
    public static let fileName = ".sohoa-watch.lock"

    /// The lock file.
    public let path: String
    private let descriptor: Int32

    /// Why the lock was not taken.
    public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        /// Another watcher holds it: on `host` (as it recorded), process `pid` (nil when it had
        /// not yet written them).
        case held(path: String, host: String?, pid: Int32?)
        /// The lock file cannot be made or locked.
        case unusable(path: String, reason: String)

        /// The refusal in the operators' words.
        public var text: OperatorText {
            switch self {
            case .held(let path, let host, let pid):
                let holder = Self.holder(host: host, pid: pid)
                return OperatorText(
                    vietnamese: "một tiến trình sohoa watch khác đang theo dõi thư mục tiếp nhận này (\(holder.vietnamese)); "
                        + "mỗi thư mục tiếp nhận chỉ được một tiến trình theo dõi. Hãy dừng tiến trình kia trước "
                        + "(khóa: \(path))",
                    english: "another sohoa watch is already watching this inbox (\(holder.english)); only one watcher "
                        + "may take from an inbox. Stop that one first (lock: \(path))")
            case .unusable(let path, let reason):
                return OperatorText(vietnamese: "\(path): không tạo hoặc khóa được tệp khóa của thư mục tiếp nhận (\(reason))",
                                    english: "\(path): the inbox's lock file cannot be made or locked (\(reason))")
            }
        }

        public var description: String { text.english }

        private static func holder(host: String?, pid: Int32?) -> OperatorText {
            switch (host, pid) {
            case (let host?, let pid?):
                return OperatorText(vietnamese: "máy \(host), mã tiến trình (PID) \(pid)", english: "host \(host), PID \(pid)")
            case (let host?, nil):
                return OperatorText(vietnamese: "máy \(host)", english: "host \(host)")
            case (nil, let pid?):
                return OperatorText(vietnamese: "mã tiến trình (PID) \(pid)", english: "PID \(pid)")
            case (nil, nil):
                return OperatorText(vietnamese: "không rõ máy và mã tiến trình", english: "host and PID not known")
            }
        }
    }

    /// Takes the inbox's lock, or throws `Failure.held` naming the watcher that has it. With
    /// `shared`, several watchers hold it together (the nodes of one repository whose records
    /// are in a shared database: their claims and recoveries are arbitrated there), and a
    /// watcher that wants it alone (an embedded repository's) is refused while they do, and the
    /// other way round.
    public init(inbox: String, shared: Bool = false) throws(Failure) {
        let path = (inbox as NSString).appendingPathComponent(Self.fileName)
        self.path = path
        let descriptor = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .unusable(path: path, reason: String(cString: strerror(errno))) }
        guard flock(descriptor, (shared ? LOCK_SH : LOCK_EX) | LOCK_NB) == 0 else {
            let reason = errno
            let holder = Self.read(descriptor)
            close(descriptor)
            if reason == EWOULDBLOCK {
                throw .held(path: path, host: holder.host, pid: holder.pid)
            }
            throw .unusable(path: path, reason: String(cString: strerror(reason)))
        }
        guard !shared else {
            // Several hold it: no one holder's name is written (an exclusive watcher that is
            // refused names none, or the last exclusive holder's).
            self.descriptor = descriptor
            return
        }
        let text = "host=\(Self.hostName())\npid=\(getpid())\nstarted=\(ISO8601DateFormatter().string(from: Date()))\n"
        let bytes = Array(text.utf8)
        if ftruncate(descriptor, 0) != 0 || bytes.withUnsafeBytes({ pwrite(descriptor, $0.baseAddress, $0.count, 0) }) != bytes.count {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw .unusable(path: path, reason: reason)
        }
        _ = fsync(descriptor)
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    /// The host and process id a holder wrote into the lock file.
    static func read(_ descriptor: Int32) -> (host: String?, pid: Int32?) {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return (nil, nil) }
        var host: String?, pid: Int32?
        for line in String(decoding: buffer.prefix(count), as: UTF8.self).split(separator: "\n") {
            if line.hasPrefix("host=") { host = String(line.dropFirst(5).prefix(255)) }
            if line.hasPrefix("pid=") { pid = Int32(line.dropFirst(4)) }
        }
        return (host, pid)
    }

    /// This machine's name.
    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
