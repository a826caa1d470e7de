import Foundation

/// Where a setting's value came from.
enum SettingSource: Sendable, Equatable {
    /// Nothing set it: the command's own default applies.
    case unset
    /// A configuration file.
    case file(String)
    /// A `SOHOA_*` environment variable.
    case environment(String)
    /// A global option on the command line (`--lang`).
    case commandLine(String)
}

/// The configuration files, in the order they are read (each later one overrides the keys of
/// the earlier ones).
struct SettingsFiles: Sendable, Equatable {
    /// The system-wide file, `/etc/sohoa/sohoa.toml` (`SOHOA_SYSTEM_CONFIG` names another, for
    /// packagers and tests).
    let system: String
    /// The user's file, `$XDG_CONFIG_HOME/sohoa/sohoa.toml` (`~/.config/sohoa/sohoa.toml`).
    let user: String?
    /// `--config FILE`, or else `SOHOA_CONFIG`: must exist when named.
    let named: String?
    /// What named it: `--config` or `SOHOA_CONFIG`.
    let namedBy: String?

    init(environment: [String: String], configOption: String?) {
        system = environment["SOHOA_SYSTEM_CONFIG"].flatMap { $0.isEmpty ? nil : $0 } ?? "/etc/sohoa/sohoa.toml"
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") {
            user = "\(xdg)/sohoa/sohoa.toml"
        } else if let home = environment["HOME"], !home.isEmpty {
            user = "\(home)/.config/sohoa/sohoa.toml"
        } else {
            user = nil
        }
        if let configOption {
            named = configOption
            namedBy = "--config"
        } else if let variable = environment["SOHOA_CONFIG"], !variable.isEmpty {
            named = variable
            namedBy = "SOHOA_CONFIG"
        } else {
            named = nil
            namedBy = nil
        }
    }
}

/// The settings in force for one run of `sohoa`: each setting's value and where it came from.
/// Built once by the entry point, before the command line is parsed.
struct ResolvedSettings: Sendable, Equatable {
    /// One setting's value in force.
    struct Entry: Sendable, Equatable {
        let setting: Setting
        let value: SettingValue?
        let source: SettingSource
    }

    /// A configuration file that was looked for.
    struct FileRead: Sendable, Equatable {
        let path: String
        /// `system`, `user`, `--config` or `SOHOA_CONFIG`.
        let role: String
        let found: Bool
    }

    let entries: [Entry]
    let files: [FileRead]

    /// The entry for `key`.
    func entry(_ key: String) -> Entry? { entries.first { $0.setting.key == key } }

    /// Reads the files and the environment; `language` is the global `--lang` if given.
    init(environment: [String: String], configOption: String?, language: String?) throws(SettingsError) {
        let paths = SettingsFiles(environment: environment, configOption: configOption)
        let home = environment["HOME"]
        var values: [String: (SettingValue, SettingSource)] = [:]
        var files: [FileRead] = []
        var layers: [(path: String, role: String, required: Bool)] = [(paths.system, "system", false)]
        if let user = paths.user { layers.append((user, "user", false)) }
        if let named = paths.named, let namedBy = paths.namedBy { layers.append((named, namedBy, true)) }
        for layer in layers {
            let file = try SettingsFile.read(layer.path, home: home)
            if file == nil, layer.required { throw .missingFile(path: layer.path, namedBy: layer.role) }
            files.append(FileRead(path: layer.path, role: layer.role, found: file != nil))
            for (key, value) in file?.values ?? [:] { values[key] = (value, .file(layer.path)) }
        }
        for setting in Setting.all {
            guard let text = environment[setting.environment], !text.isEmpty else { continue }
            guard let value = setting.kind.check(setting.kind.raw(fromEnvironment: text), base: nil, home: home) else {
                throw .invalidEnvironment(variable: setting.environment, value: text, expected: setting.kind.expectation)
            }
            values[setting.key] = (value, .environment(setting.environment))
        }
        if let language { values["lang"] = (.text(language), .commandLine("--lang")) }
        entries = Setting.all.map { setting in
            let found = values[setting.key]
            return Entry(setting: setting, value: found?.0, source: found?.1 ?? .unset)
        }
        self.files = files
    }
}

/// The settings of this run, kept for `sohoa config show`. Written once by the entry point
/// before any command runs, read afterwards.
enum SettingsInForce {
    nonisolated(unsafe) static var current: ResolvedSettings?
}
