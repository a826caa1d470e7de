import ArgumentParser
import Foundation

/// A day typed on the command line (`YYYY-MM-DD`), read in the local time zone: the operator's
/// day, from its first instant to the next day's.
enum LocalDay {
    /// The first instant of `text`'s day; a usage error naming `option` when it is not a date.
    static func start(of text: String, option: String, timeZone: TimeZone = .current) throws -> Date {
        try day(text, option: option, timeZone: timeZone)
    }

    /// The first instant of the day after `text`'s: everything before it is on or before that day.
    static func end(of text: String, option: String, timeZone: TimeZone = .current) throws -> Date {
        let start = try day(text, option: option, timeZone: timeZone)
        return calendar(timeZone).date(byAdding: .day, value: 1, to: start) ?? start.addingTimeInterval(86_400)
    }

    private static func calendar(_ timeZone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    private static func day(_ text: String, option: String, timeZone: TimeZone) throws -> Date {
        let refusal = ValidationError("\(option) \(text) is not a date; write it as YYYY-MM-DD, e.g. 2026-12-05")
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].utf8.count == 4, parts[1].utf8.count == 2, parts[2].utf8.count == 2,
              parts.allSatisfy({ $0.utf8.allSatisfy { (0x30...0x39).contains($0) } }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), year >= 1970 else {
            throw refusal
        }
        let calendar = calendar(timeZone)
        let components = DateComponents(year: year, month: month, day: day)
        guard let date = calendar.date(from: components),
              calendar.dateComponents([.year, .month, .day], from: date) == components else {
            throw refusal  // 2026-02-30 and the like
        }
        return date
    }
}
