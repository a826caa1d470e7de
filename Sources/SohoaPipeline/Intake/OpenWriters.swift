import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Whether some process still has an inbox item open for writing, where Linux can tell: a
/// scanner between two pages of an ADF batch, or a copy that paused, keeps the file open, and
/// the kernel refuses a read lease (`F_SETLEASE`, `F_RDLCK`) on a file any process has open
/// for writing. The lease is dropped again at once.
///
/// The kernel grants leases only on files this process owns (or with `CAP_LEASE`), and not
/// at all on most network file systems: there the answer is `unknown`, and the stability
/// window alone decides (`sohoa watch --stable-seconds`).
public enum OpenWriters {
    /// What the kernel says about an item.
    public enum State: Sendable, Equatable {
        /// No process has it (or any of its pages) open for writing.
        case closed
        /// A process has it (or a page of it) open for writing: it is still being written.
        case openForWriting
        /// The system cannot tell (not our file, a network share, leases disabled, gone).
        case unknown
    }

    /// `F_SETLEASE` (Linux-specific, `F_LINUX_SPECIFIC_BASE + 0`), not exported to Swift.
    private static let setLease: Int32 = 1024

    /// A lease's holder is sent SIGIO when another process opens the file for writing while the
    /// lease is held, and SIGIO ends a process by default. The lease lasts only a moment here,
    /// so the signal is of no use: it is ignored (this is done once, before the first lease).
    private static let leaseBreaksIgnored: Bool = {
        signal(SIGIO, SIG_IGN)
        return true
    }()

    /// The state of the file at `path`, or, for a folder, of every file directly in it (a
    /// document folder holds page files only): `openForWriting` as soon as one is.
    public static func state(of path: [UInt8]) -> State {
        var info = stat()
        guard FileNames.withCPath(path, { lstat($0, &info) }) == 0 else { return .unknown }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            return fileState(path)
        case S_IFDIR:
            var answer = State.closed
            for name in FileNames.entries(of: path) ?? [] {
                switch fileState(path + [UInt8(ascii: "/")] + name) {
                case .openForWriting: return .openForWriting
                case .unknown: answer = .unknown
                case .closed: break
                }
            }
            return answer
        default:
            return .unknown
        }
    }

    /// `state(of:)` for a path given as text.
    public static func state(of path: String) -> State {
        state(of: Array(path.utf8))
    }

    /// One regular file's state (anything else, links included, is `unknown`).
    private static func fileState(_ path: [UInt8]) -> State {
        _ = leaseBreaksIgnored
        let descriptor = FileNames.withCPath(path) { open($0, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC) }
        guard descriptor >= 0 else { return .unknown }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return .unknown }
        if fcntl(descriptor, setLease, Int32(F_RDLCK)) == 0 {
            _ = fcntl(descriptor, setLease, Int32(F_UNLCK))
            return .closed
        }
        // EAGAIN: open for writing somewhere. EACCES (not our file), EINVAL (a file system
        // without leases), ENOLCK …: the kernel cannot tell us.
        return errno == EAGAIN ? .openForWriting : .unknown
    }
}

/// What an item looks like from outside: the size and modification time of its file, or of
/// each file of a folder (by name). Taken just before a claim and again just after the rename
/// into the spool: if they differ, something was still writing to it.
struct ItemSnapshot: Equatable {
    private let files: [String]

    /// Nil when the item is gone.
    init?(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        if (info.st_mode & S_IFMT) != S_IFDIR {
            files = [Self.line("", info)]
            return
        }
        var lines: [String] = []
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() {
            var entry = stat()
            guard lstat("\(path)/\(name)", &entry) == 0 else { continue }
            lines.append(Self.line(name, entry))
        }
        files = lines
    }

    private static func line(_ name: String, _ info: stat) -> String {
        "\(name)\u{0}\(info.st_size):\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
    }
}
