import Foundation
import Logging

/// Structured logs on standard error: `time level label: message key=value ...`; under systemd,
/// lines the journal files with their priority (`JournalLogHandler`).
enum Logs {
    /// Sends every logger to standard error at `info` (or `SOHOA_LOG_LEVEL`: trace, debug,
    /// info, notice, warning, error, critical).
    static func bootstrap() {
        let level = ProcessInfo.processInfo.environment["SOHOA_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        let journal = JournalLogHandler.standardErrorIsJournal()
        LoggingSystem.bootstrap { label in
            if journal {
                var handler = JournalLogHandler(label: label)
                handler.logLevel = level
                return handler
            }
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
