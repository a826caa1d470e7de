import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Wakes the watcher when something changes in the inbox: inotify on every folder of it
/// (a file closed after writing, moved in, created, removed), or, with polling (network
/// shares send no events), simply a timer. Events are only a hint to look sooner; the
/// watcher's full rescan is what decides.
public final class InboxEvents: @unchecked Sendable {
    private let descriptor: Int32
    private var watched: Set<String> = []

    /// Watches with inotify, or only with the timer when `polling` (or when inotify is not
    /// available).
    public init(polling: Bool) {
        descriptor = polling ? -1 : inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Whether inotify is in use.
    public var usesNotifications: Bool { descriptor >= 0 }

    /// Adds a watch on each of `folders` not yet watched (folders that went away are dropped by
    /// the kernel on their own).
    public func watch(_ folders: [String]) {
        guard descriptor >= 0 else { return }
        let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_ATTRIB)
        for folder in folders where !watched.contains(folder) {
            if inotify_add_watch(descriptor, folder, mask) >= 0 { watched.insert(folder) }
        }
    }

    /// Forgets the folders given (so they are watched again if they come back).
    public func forget(_ folders: Set<String>) {
        watched.subtract(folders)
    }

    /// Waits until something happens in a watched folder or `timeout` passes; returns
    /// whether there was an event.
    @discardableResult
    public func wait(timeout: TimeInterval) -> Bool {
        let milliseconds = Int32(max(0, min(timeout, 3600)) * 1000)
        guard descriptor >= 0 else {
            usleep(useconds_t(milliseconds) * 1000)
            return false
        }
        var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&request, 1, milliseconds) > 0 else { return false }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while read(descriptor, &buffer, buffer.count) > 0 {}
        return true
    }
}

/// Decides when an inbox item is complete: its size and modification time (of every file, for
/// a folder) have not changed for the whole window.
public struct StabilityWindow: Sendable {
    public let window: TimeInterval
    private var seen: [String: (fingerprint: String, since: Date)] = [:]

    public init(window: TimeInterval) {
        self.window = window
    }

    /// Records what `path` looks like now; returns whether it has looked the same for the
    /// whole window. Nil fingerprint (the item is gone) forgets it.
    public mutating func isStable(_ key: String, path: String, now: Date) -> Bool {
        isStable(key, pathBytes: Array(path.utf8), now: now)
    }

    /// `isStable` for a path given as the file system's bytes (a name need not be UTF-8).
    mutating func isStable(_ key: String, pathBytes path: [UInt8], now: Date) -> Bool {
        guard let fingerprint = Self.fingerprint(path) else {
            seen[key] = nil
            return false
        }
        if let previous = seen[key], previous.fingerprint == fingerprint {
            return now.timeIntervalSince(previous.since) >= window
        }
        seen[key] = (fingerprint, now)
        return window <= 0
    }

    /// Whether some item is still being watched for changes.
    public var isWaiting: Bool { !seen.isEmpty }

    /// Forgets items (taken, or no longer in the inbox).
    public mutating func forget(except keys: Set<String>) {
        seen = seen.filter { keys.contains($0.key) }
    }

    public mutating func forget(_ key: String) {
        seen[key] = nil
    }

    /// Size and modification time of a file, or of every entry of a folder (one level: a
    /// document folder holds page files only).
    static func fingerprint(_ path: [UInt8]) -> String? {
        var info = stat()
        guard FileNames.withCPath(path, { lstat($0, &info) }) == 0 else { return nil }
        var text = "\(info.st_size):\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec):\(info.st_mode)"
        if (info.st_mode & S_IFMT) == S_IFDIR {
            for name in (FileNames.entries(of: path) ?? []).sorted(by: { $0.lexicographicallyPrecedes($1) }) {
                var entry = stat()
                guard FileNames.withCPath(path + [UInt8(ascii: "/")] + name, { lstat($0, &entry) }) == 0 else { continue }
                text += "|\(FileNames.escaped(name)):\(entry.st_size):\(entry.st_mtim.tv_sec).\(entry.st_mtim.tv_nsec)"
            }
        }
        return text
    }
}
