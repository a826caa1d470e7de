import ArgumentParser
import Foundation

/// `sohoa config`: the settings in force.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Show the settings in force and where each comes from.",
        discussion: """
            Settings are read from /etc/sohoa/sohoa.toml, then ~/.config/sohoa/sohoa.toml \
            ($XDG_CONFIG_HOME/sohoa/sohoa.toml), then the file named by --config FILE (or \
            SOHOA_CONFIG), each later file overriding the keys of the earlier ones; then from \
            SOHOA_* environment variables. An option given on the command line always wins. \
            Relative paths in a file are relative to that file's folder. A key Sohoa does not \
            know, or a file that is not valid TOML, is an error (exit status 3) naming the file, \
            the line and the key. Passwords and PINs are never settings: sign reads them from \
            the environment variables its --password-env and --pin-env name.

            The settings (the key in a file, the environment variable; `sohoa config show` \
            says what each is for, the example sohoa.toml.example in share/doc/sohoa explains each):
            \(ConfigCommand.settingsTable)

            Examples:
              sohoa config show
              sohoa config show --json
              sohoa --config /srv/sohoa/branch.toml config show
              SOHOA_DATA=/srv/sohoa/repository sohoa config show

            Exit status: 0 shown, 3 a configuration file or a SOHOA_* variable is wrong.
            """,
        subcommands: [Show.self],
        defaultSubcommand: Show.self
    )

    /// One line per setting, for the help.
    static var settingsTable: String {
        Setting.all.map { setting in
            "  " + setting.key.padding(toLength: 24, withPad: " ", startingAt: 0) + setting.environment
        }.joined(separator: "\n")
    }

    /// `sohoa config show`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print every setting in force and where its value came from.",
            discussion: """
                For each setting: its value and its source (a file, an environment variable, \
                the command line), or that it is not set and what applies then. The files looked \
                for are listed first. Exit status: 0 shown; 3 a configuration file or a SOHOA_* \
                variable is wrong (the message names it).

                Examples:
                  sohoa config show
                  sohoa config show --json | jq '.settings[] | select(.key == "data")'
                  sohoa --config ./demo.toml --lang vi config show
                """
        )

        @Flag(help: "Print JSON: {\"files\": [{path, role, found}], \"settings\": [{key, value, source, from, environment, summary, options, fallback}]}.")
        var json = false

        func run() throws {
            let settings: ResolvedSettings
            if let current = SettingsInForce.current {
                settings = current
            } else {
                do {
                    settings = try ResolvedSettings(environment: ProcessInfo.processInfo.environment,
                                                    configOption: nil, language: nil)
                } catch {
                    throw CommandFailure(message: "sohoa: \(error)", exitCode: ExitStatus.usage)
                }
            }
            print(json ? try SettingsReport(settings).json() : SettingsReport(settings).text(DisplayLanguage.current))
        }
    }
}

/// What `config show` prints.
struct SettingsReport: Encodable {
    struct File: Encodable {
        let path: String
        let role: String
        let found: Bool
    }

    struct Entry: Encodable {
        let key: String
        let value: SettingValue?
        /// `file`, `environment`, `command-line` or `default`.
        let source: String
        /// The file, the variable or the option; null for a default.
        let from: String?
        let environment: String
        /// What the setting is.
        let summary: String
        /// The options the setting stands for, e.g. `watch --inbox`.
        let options: [String]
        /// What applies when it is not set.
        let fallback: String

        func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(key, forKey: .key)
            if let value { try container.encode(value, forKey: .value) } else { try container.encodeNil(forKey: .value) }
            try container.encode(source, forKey: .source)
            if let from { try container.encode(from, forKey: .from) } else { try container.encodeNil(forKey: .from) }
            try container.encode(environment, forKey: .environment)
            try container.encode(summary, forKey: .summary)
            try container.encode(options, forKey: .options)
            try container.encode(fallback, forKey: .fallback)
        }

        enum CodingKeys: String, CodingKey { case key, value, source, from, environment, summary, options, fallback }
    }

    let files: [File]
    let settings: [Entry]

    init(_ resolved: ResolvedSettings) {
        files = resolved.files.map { File(path: $0.path, role: $0.role, found: $0.found) }
        settings = resolved.entries.map { entry in
            let (source, from): (String, String?) = switch entry.source {
            case .unset: ("default", nil)
            case .file(let path): ("file", path)
            case .environment(let variable): ("environment", variable)
            case .commandLine(let option): ("command-line", option)
            }
            return Entry(key: entry.setting.key, value: entry.value, source: source, from: from,
                         environment: entry.setting.environment, summary: entry.setting.summary, options: entry.setting.targets.filter { PreparedCommandLine.exists($0.command, option: $0.option) }.map(\.label),
                         fallback: entry.setting.fallback)
        }
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    func text(_ language: DisplayLanguage) -> String {
        var lines = [language.pick(vietnamese: "Tệp cấu hình (tệp sau ghi đè khóa của tệp trước):",
                                   english: "Configuration files (each later one overrides the keys of the earlier ones):")]
        let width = (files.map(\.path.count).max() ?? 0) + 2
        for file in files {
            let state = file.found ? language.pick(vietnamese: "đã đọc", english: "read")
                : language.pick(vietnamese: "không có", english: "not present")
            lines.append("  \(file.role.padding(toLength: 13, withPad: " ", startingAt: 0))"
                         + "\(file.path.padding(toLength: width, withPad: " ", startingAt: 0))\(state)")
        }
        lines.append(language.pick(
            vietnamese: "Sau đó là các biến môi trường SOHOA_*; tùy chọn trên dòng lệnh luôn được ưu tiên.",
            english: "Then the SOHOA_* environment variables; an option on the command line always wins."))
        lines.append("")
        for entry in settings {
            let key = entry.key.padding(toLength: 22, withPad: " ", startingAt: 0)
            if let value = entry.value {
                let origin: String = switch entry.source {
                case "environment": language.pick(vietnamese: "biến môi trường ", english: "environment variable ") + (entry.from ?? "")
                case "command-line": language.pick(vietnamese: "dòng lệnh ", english: "command line ") + (entry.from ?? "")
                default: entry.from ?? ""
                }
                lines.append("\(key)= \(value.display)")
                lines.append(String(repeating: " ", count: 24) + language.pick(vietnamese: "từ ", english: "from ") + origin)
            } else {
                lines.append("\(key)  " + language.pick(vietnamese: "chưa đặt; mặc định: ", english: "not set; default: ")
                             + entry.fallback)
            }
        }
        return lines.joined(separator: "\n")
    }
}
