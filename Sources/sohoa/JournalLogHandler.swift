import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// Log lines for the systemd journal. Under a service manager that connects standard error to
/// the journal (systemd sets `JOURNAL_STREAM` to that stream's device and inode), each line
/// starts with the syslog priority journald reads, `<3>` for an error … `<7>` for debug, so that
/// `journalctl -p warning` filters by level; the time is left out, the journal keeps its own.
/// The rest is the terminal's format: `label: message key=value …`.
struct JournalLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    init(label: String) { self.label = label }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        FileHandle.standardError.write(Data(Self.line(label: label, level: event.level, message: event.message,
                                                      metadata: metadata.merging(event.metadata ?? [:]) { $1 }).utf8))
    }

    /// One journal line (more than one when the message has line breaks, each with the priority).
    static func line(label: String, level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata) -> String {
        let details = metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let text = "\(label): \(message)" + (details.isEmpty ? "" : " " + details)
        return prioritized(text, priority: priority(level)) + "\n"
    }

    /// `text` with the syslog `priority` before each of its lines, as journald reads them.
    static func prioritized(_ text: String, priority: Int) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "<\(priority)>\($0)" }.joined(separator: "\n")
    }

    /// The syslog priority of a level (sd-daemon(3)).
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    /// Whether standard error is the journal stream `JOURNAL_STREAM` names.
    static func standardErrorIsJournal(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        guard let stream = environment["JOURNAL_STREAM"] else { return false }
        let parts = stream.split(separator: ":")
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var status = stat()
        guard fstat(STDERR_FILENO, &status) == 0 else { return false }
        return UInt64(status.st_dev) == device && UInt64(status.st_ino) == inode
    }
}
