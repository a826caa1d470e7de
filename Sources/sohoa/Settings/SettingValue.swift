import Foundation

/// A setting's value once checked.
enum SettingValue: Sendable, Equatable {
    case text(String)
    case list([String])
    case integer(Int)
    case number(Double)
    case flag(Bool)

    /// The command-line words that give this value to `option`: `--data DIR`; a list repeats the
    /// option; a flag is the option alone when true and nothing when false.
    func arguments(for option: String) -> [String] {
        switch self {
        case .text(let text): [option, text]
        case .list(let items): items.flatMap { [option, $0] }
        case .integer(let number): [option, String(number)]
        case .number(let number): [option, Self.format(number)]
        case .flag(let on): on ? [option] : []
        }
    }

    /// The value as people read it.
    var display: String {
        switch self {
        case .text(let text): text
        case .list(let items): items.joined(separator: ", ")
        case .integer(let number): String(number)
        case .number(let number): Self.format(number)
        case .flag(let on): on ? "true" : "false"
        }
    }

    /// `2` rather than `2.0`; `1.5` as it is.
    static func format(_ number: Double) -> String {
        number.rounded() == number && abs(number) < 1e15 ? String(Int(number)) : String(number)
    }
}

extension SettingValue: Encodable {
    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let text): try container.encode(text)
        case .list(let items): try container.encode(items)
        case .integer(let number): try container.encode(number)
        case .number(let number): try container.encode(number)
        case .flag(let on): try container.encode(on)
        }
    }
}

/// What a raw value is before checking: what the TOML file or the environment gave.
enum RawSettingValue: Sendable, Equatable {
    case string(String)
    case strings([String])
    case integer(Int)
    case number(Double)
    case boolean(Bool)
    /// Another TOML type (a date, a table, a mixed array …), named.
    case other(String)
}

extension Setting.Kind {
    /// What this kind expects, in words for an error message.
    var expectation: String {
        switch self {
        case .path: "a path in quotes"
        case .paths: "a path or a list of paths, in quotes"
        case .url: "an http:// or https:// address in quotes"
        case .address: "an address HOST:PORT in quotes"
        case .language: "\"vi\" or \"en\""
        case .count(let range): "a whole number from \(range.lowerBound) to \(range.upperBound)"
        case .seconds: "a number of seconds, 0 or more"
        case .flag: "true or false"
        }
    }

    /// Checks `raw`; paths are made absolute against `base` (the file's folder; nil for the
    /// environment, whose relative paths stay relative to the working folder) after `~/` is
    /// expanded with `home`. Nil when the value does not fit.
    func check(_ raw: RawSettingValue, base: String?, home: String?) -> SettingValue? {
        switch (self, raw) {
        case (.path, .string(let path)):
            guard !path.isEmpty else { return nil }
            return .text(Self.resolve(path, base: base, home: home))
        case (.paths, .string(let path)):
            guard !path.isEmpty else { return nil }
            return .list([Self.resolve(path, base: base, home: home)])
        case (.paths, .strings(let paths)):
            guard !paths.contains(where: \.isEmpty) else { return nil }
            return .list(paths.map { Self.resolve($0, base: base, home: home) })
        case (.url, .string(let url)):
            guard let scheme = URL(string: url)?.scheme?.lowercased(), scheme == "http" || scheme == "https",
                  URL(string: url)?.host?.isEmpty == false else { return nil }
            return .text(url)
        case (.address, .string(let address)):
            guard let colon = address.lastIndex(of: ":"), colon != address.startIndex,
                  UInt16(address[address.index(after: colon)...]) != nil else { return nil }
            return .text(address)
        case (.language, .string(let language)):
            return language == "vi" || language == "en" ? .text(language) : nil
        case (.count(let range), .integer(let number)):
            return range.contains(number) ? .integer(number) : nil
        case (.seconds, .integer(let number)):
            return number >= 0 ? .number(Double(number)) : nil
        case (.seconds, .number(let number)):
            return number >= 0 && number.isFinite ? .number(number) : nil
        case (.flag, .boolean(let on)):
            return .flag(on)
        default:
            return nil
        }
    }

    /// Reads an environment variable's text as this kind's raw value.
    func raw(fromEnvironment text: String) -> RawSettingValue {
        switch self {
        case .path, .url, .address: return .string(text)
        case .language:
            // The variable also takes locale names (vi_VN.UTF-8), as the display does.
            return .string(DisplayLanguage(locale: text)?.rawValue ?? text)
        case .paths: return .strings(text.split(separator: ":", omittingEmptySubsequences: true).map(String.init))
        case .count: return Int(text).map(RawSettingValue.integer) ?? .string(text)
        case .seconds: return Double(text).map(RawSettingValue.number) ?? .string(text)
        case .flag:
            switch text.lowercased() {
            case "1", "true", "yes", "on": return .boolean(true)
            case "0", "false", "no", "off": return .boolean(false)
            default: return .string(text)
            }
        }
    }

    /// `~/x` under the home folder; a relative path under `base` when there is one.
    static func resolve(_ path: String, base: String?, home: String?) -> String {
        if path == "~" , let home { return home }
        if path.hasPrefix("~/"), let home { return (home as NSString).appendingPathComponent(String(path.dropFirst(2))) }
        if path.hasPrefix("/") { return path }
        guard let base else { return path }
        return ((base as NSString).appendingPathComponent(path) as NSString).standardizingPath
    }
}
