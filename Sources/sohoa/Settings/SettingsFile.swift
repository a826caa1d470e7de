import Foundation
import TOMLKit

/// One TOML configuration file, read and checked against `Setting.all`: every key known, every
/// value of its setting's kind. Relative paths in it are taken relative to its folder.
struct SettingsFile: Sendable, Equatable {
    /// The file.
    let path: String
    /// The values it sets, by key.
    let values: [String: SettingValue]

    /// Reads the file at `path`; nil when there is none. `home` expands `~/` in paths.
    static func read(_ path: String, home: String?) throws(SettingsError) -> SettingsFile? {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { return nil }
        if isFolder.boolValue { throw .unreadable(path: path, reason: "it is a folder") }
        guard FileManager.default.isReadableFile(atPath: path) else { throw .unreadable(path: path, reason: "permission denied") }
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path: path, reason: "a read error") }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .malformed(path: path, line: nil, column: nil, reason: "it is not UTF-8 text")
        }
        return try parse(text, path: path, home: home)
    }

    /// Checks `text`, the contents of the file at `path`.
    static func parse(_ text: String, path: String, home: String?) throws(SettingsError) -> SettingsFile {
        let table: TOMLTable
        do { table = try TOMLTable(string: text) } catch let error as TOMLParseError {
            throw .malformed(path: path, line: error.source.begin.line, column: error.source.begin.column,
                             reason: error.description)
        } catch {
            throw .malformed(path: path, line: nil, column: nil, reason: "\(error)")
        }
        let lines = KeyLines(text)
        let base = ((path as NSString).deletingLastPathComponent as NSString).standardizingPath
        let folder = base.hasPrefix("/") ? base
            : ((FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(base) as NSString).standardizingPath
        var values: [String: SettingValue] = [:]
        for key in table.keys.sorted() {
            guard let value = table[key] else { continue }
            if Setting.sections.contains(key) {
                guard let section = value.table else {
                    throw .invalidValue(path: path, line: lines.line(of: key, in: nil), key: key,
                                        expected: "a section [\(key)]")
                }
                for inner in section.keys.sorted() {
                    guard let innerValue = section[inner] else { continue }
                    let full = "\(key).\(inner)"
                    values[full] = try check(innerValue, key: full, path: path, line: lines.line(of: inner, in: key),
                                             folder: folder, home: home)
                }
            } else {
                values[key] = try check(value, key: key, path: path, line: lines.line(of: key, in: nil),
                                        folder: folder, home: home)
            }
        }
        return SettingsFile(path: path, values: values)
    }

    private static func check(_ value: TOMLValueConvertible, key: String, path: String, line: Int?,
                              folder: String, home: String?) throws(SettingsError) -> SettingValue {
        guard let setting = Setting.named(key) else {
            throw .unknownKey(path: path, line: line, key: key, suggestion: Suggestion.closest(to: key))
        }
        guard let checked = setting.kind.check(raw(value), base: folder, home: home) else {
            throw .invalidValue(path: path, line: line, key: key, expected: setting.kind.expectation)
        }
        return checked
    }

    /// The TOML value as a raw setting value.
    private static func raw(_ value: TOMLValueConvertible) -> RawSettingValue {
        switch value.type {
        case .string: return value.string.map(RawSettingValue.string) ?? .other("string")
        case .int: return value.int.map(RawSettingValue.integer) ?? .other("integer")
        case .double: return value.double.map(RawSettingValue.number) ?? .other("number")
        case .bool: return value.bool.map(RawSettingValue.boolean) ?? .other("boolean")
        case .array:
            guard let array = value.array else { return .other("array") }
            var strings: [String] = []
            for item in array {
                guard let string = item.string else { return .other("array") }
                strings.append(string)
            }
            return .strings(strings)
        default: return .other(value.type.description)
        }
    }
}

/// Where a key is written in a TOML file, found by reading its lines (the TOML library reports
/// positions of syntax errors only): the line of `key =` under the `[section]` header, or of the
/// header itself for a section.
struct KeyLines {
    private let lines: [Substring]

    init(_ text: String) { lines = text.split(separator: "\n", omittingEmptySubsequences: false) }

    /// The 1-based line of `key` in `section` (nil: top level), if it can be told.
    func line(of key: String, in section: String?) -> Int? {
        var current: String? = nil
        for (index, raw) in lines.enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") {
                let name = line.trimmingCharacters(in: CharacterSet(charactersIn: "[] \t"))
                    .split(separator: "#").first.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "[] \t")) } ?? ""
                if section == nil, name == key || name.hasPrefix(key + ".") { return index + 1 }
                current = name
                continue
            }
            // Under its header the key is written alone; at the top level a section's key is
            // written dotted (`watch.inbox = …`).
            let written: String
            if current == section {
                written = key
            } else if current == nil, let section {
                written = "\(section).\(key)"
            } else {
                continue
            }
            for spelling in [written, "\"\(written)\"", "'\(written)'"] where line.hasPrefix(spelling) {
                let rest = line.dropFirst(spelling.count).drop { $0 == " " || $0 == "\t" }
                if rest.hasPrefix("=") || rest.hasPrefix(".") { return index + 1 }
            }
        }
        return nil
    }
}

/// The known key nearest a mistyped one, when it is near enough to be what was meant.
enum Suggestion {
    static func closest(to key: String) -> String? {
        let candidates = Setting.all.map(\.key) + Setting.all.filter { $0.section != nil }.map(\.name)
        let best = candidates.map { ($0, distance(key, $0)) }.min { $0.1 < $1.1 }
        guard let best, best.1 <= max(1, key.count / 4) else { return nil }
        // A bare name found inside a section is suggested with its section.
        return Setting.all.first { $0.key == best.0 || $0.name == best.0 }?.key
    }

    /// Levenshtein distance.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
