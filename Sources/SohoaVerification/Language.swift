import Foundation

/// The language of a report for people.
public enum ReportLanguage: String, Sendable, CaseIterable {
    case vi
    case en

    /// From the environment's locale (LC_ALL, LC_MESSAGES, LANG): Vietnamese when it says
    /// `vi`, English otherwise.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> ReportLanguage {
        for key in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let value = environment[key], !value.isEmpty { return value.lowercased().hasPrefix("vi") ? .vi : .en }
        }
        return .en
    }
}

/// A text in both report languages.
public struct Phrase: Sendable, Equatable {
    public let vi: String
    public let en: String

    public init(vi: String, en: String) {
        self.vi = vi
        self.en = en
    }

    public func text(_ language: ReportLanguage) -> String { language == .vi ? vi : en }
}
