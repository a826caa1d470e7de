/// Why the settings could not be read. Each names the file (or the variable) and the reason;
/// the entry point reports it and exits with the usage status (3).
enum SettingsError: Error, Equatable, CustomStringConvertible {
    /// `--config FILE` (or `SOHOA_CONFIG`) names a file that does not exist.
    case missingFile(path: String, namedBy: String)
    /// The file exists but cannot be read.
    case unreadable(path: String, reason: String)
    /// The file is not valid TOML.
    case malformed(path: String, line: Int?, column: Int?, reason: String)
    /// A key Sohoa does not know (a typo, or a setting of a later version).
    case unknownKey(path: String, line: Int?, key: String, suggestion: String?)
    /// A known key with a value of the wrong type or out of range.
    case invalidValue(path: String, line: Int?, key: String, expected: String)
    /// A `SOHOA_*` variable whose value does not fit its setting.
    case invalidEnvironment(variable: String, value: String, expected: String)
    /// A global option without its value, or with one it does not take.
    case invalidOption(option: String, expected: String)

    var description: String {
        let language = DisplayLanguage.current
        switch self {
        case .missingFile(let path, let namedBy):
            return language.pick(
                vietnamese: "\(path): không có tệp cấu hình này (do \(namedBy) chỉ ra)",
                english: "\(path): no such configuration file (named by \(namedBy))")
        case .unreadable(let path, let reason):
            return language.pick(vietnamese: "\(path): không đọc được tệp cấu hình (\(reason))",
                                 english: "\(path): the configuration file cannot be read (\(reason))")
        case .malformed(let path, let line, let column, let reason):
            let place = Self.place(path, line, column)
            return language.pick(vietnamese: "\(place): tệp cấu hình không phải TOML hợp lệ: \(reason)",
                                 english: "\(place): the configuration file is not valid TOML: \(reason)")
        case .unknownKey(let path, let line, let key, let suggestion):
            let known = Setting.all.map(\.key).joined(separator: ", ")
            let hint = suggestion.map {
                language.pick(vietnamese: " Có phải ý bạn là `\($0)`?", english: " Did you mean `\($0)`?")
            } ?? ""
            return language.pick(
                vietnamese: "\(Self.place(path, line, nil)): Sohoa không biết thiết lập `\(key)`.\(hint) Các thiết lập: \(known).",
                english: "\(Self.place(path, line, nil)): Sohoa has no setting `\(key)`.\(hint) The settings are: \(known).")
        case .invalidValue(let path, let line, let key, let expected):
            return language.pick(vietnamese: "\(Self.place(path, line, nil)): `\(key)` phải là \(expected)",
                                 english: "\(Self.place(path, line, nil)): `\(key)` must be \(expected)")
        case .invalidEnvironment(let variable, let value, let expected):
            return language.pick(vietnamese: "biến môi trường \(variable)=\(value): phải là \(expected)",
                                 english: "environment variable \(variable)=\(value): must be \(expected)")
        case .invalidOption(let option, let expected):
            return language.pick(vietnamese: "\(option) cần \(expected)", english: "\(option) takes \(expected)")
        }
    }

    private static func place(_ path: String, _ line: Int?, _ column: Int?) -> String {
        guard let line else { return path }
        return column.map { "\(path):\(line):\($0)" } ?? "\(path):\(line)"
    }
}
