/// Words for the scanning area's operators, in Vietnamese and in English: what went wrong with
/// a file, or what to do about it. The reason files beside refused files carry both; logs, the
/// store and `sohoa status` keep the English.
public struct OperatorText: Sendable, Equatable, CustomStringConvertible {
    public let vietnamese: String
    public let english: String

    public init(vietnamese: String, english: String) {
        self.vietnamese = vietnamese
        self.english = english
    }

    /// Text known only in English (a system's own message), with the English in both parts.
    /// Not for anything that ends up in a reason file: its Vietnamese part must be Vietnamese.
    public init(english: String) {
        self.init(vietnamese: english, english: english)
    }

    public var description: String { english }

    /// The text in `language`.
    public func text(in language: OperatorLanguage) -> String {
        language.pick(vietnamese: vietnamese, english: english)
    }

    /// Both texts with the same prefix (a path) before them.
    public func prefixed(_ prefix: String) -> OperatorText {
        OperatorText(vietnamese: "\(prefix): \(vietnamese)", english: "\(prefix): \(english)")
    }
}

/// The language of the operator's words in the log (the reasons for refusals and give-ups);
/// the log's event names and keys stay English so that scripts can filter on them.
public enum OperatorLanguage: String, Sendable, CaseIterable {
    case vietnamese = "vi"
    case english = "en"

    /// The text in this language.
    public func pick(vietnamese: String, english: String) -> String {
        self == .vietnamese ? vietnamese : english
    }
}
