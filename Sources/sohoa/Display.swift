import Foundation
import SohoaPipeline

/// The language an operator reads on the terminal, the same as the pipeline's words for the
/// log: `--lang` (which the entry point turns into `SOHOA_LANG`), `SOHOA_LANG` from the
/// environment or the configuration, then the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`). A
/// Vietnamese locale gives Vietnamese; any other, or none, gives English. JSON output never
/// depends on it.
typealias DisplayLanguage = OperatorLanguage

extension OperatorLanguage {
    /// The language chosen for this process.
    static var current: DisplayLanguage {
        let environment = ProcessInfo.processInfo.environment
        if let chosen = environment["SOHOA_LANG"], let language = DisplayLanguage(locale: chosen) {
            return language
        }
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let value = environment[name], !value.isEmpty {
                return DisplayLanguage(locale: value) ?? .english
            }
        }
        return .english
    }

    /// Reads `vi`, `vi_VN.UTF-8`, `en`, `en_US`, `C`, `POSIX` …; nil for an empty value.
    init?(locale: String) {
        let lowered = locale.lowercased()
        if lowered.isEmpty { return nil }
        if lowered == "vi" || lowered.hasPrefix("vi_") || lowered.hasPrefix("vi-") || lowered.hasPrefix("vi.") {
            self = .vietnamese
        } else if lowered == "en" || lowered.hasPrefix("en_") || lowered.hasPrefix("en-") || lowered.hasPrefix("en.")
                    || lowered == "c" || lowered.hasPrefix("c.") || lowered == "posix" {
            self = .english
        } else {
            return nil
        }
    }

    /// An operator message in this language.
    func text(_ text: OperatorText) -> String {
        text.text(in: self)
    }
}

/// Times as people read them: the local time zone (`TZ`; Asia/Ho_Chi_Minh in the demo) with its
/// offset, e.g. `2026-12-05 16:38:02 +07:00`. JSON keeps UTC.
enum LocalTime {
    /// `date` in the local time zone, to the second, with the offset.
    static func string(_ date: Date, timeZone: TimeZone = .current) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.timeZone = timeZone
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss xxx"
        return formatter.string(from: date)
    }
}
