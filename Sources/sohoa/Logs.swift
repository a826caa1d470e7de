import Foundation
import Logging

/// Structured logs on standard error: `time level label: message key=value ...`.
enum Logs {
    /// Sends every logger to standard error at `info` (or `SOHOA_LOG_LEVEL`: trace, debug,
    /// info, notice, warning, error, critical).
    static func bootstrap() {
        let level = ProcessInfo.processInfo.environment["SOHOA_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
