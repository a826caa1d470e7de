import ArgumentParser

/// The command line made ready for the parser. The commands' own options stay as they are: the
/// global `--config FILE` and `--lang vi|en` are taken out wherever they stand (a command that has
/// its own `--lang`, like `verify`, keeps it), and each setting in force that stands for an option
/// of the command being run, and that the command line does not give, is added as that option
/// (`--data DIR` …). So a flag on the command line always wins, and a command's help, errors and
/// completions are the parser's own.
struct PreparedCommandLine {
    /// A setting given to the command as an option.
    struct Added: Sendable, Equatable {
        let key: String
        let words: [String]
        let source: SettingSource
    }

    /// The arguments for the parser.
    let arguments: [String]
    /// The settings in force; nil for help, version and completion requests, which read none.
    let settings: ResolvedSettings?
    /// The options added from the settings, for the note after a usage error.
    let added: [Added]
    /// The language for `SOHOA_LANG` (vi or en), if one is chosen.
    let language: String?

    /// Options that ask the parser about itself: the arguments go through untouched.
    static let passthrough: Set<String> = ["--generate-completion-script", "--experimental-dump-help"]
    /// Requests for help or the version: settings are not read, so a broken file cannot hide help.
    static let informational: Set<String> = ["-h", "--help", "-help", "--version"]

    init(arguments: [String], environment: [String: String]) throws(SettingsError) {
        let end = arguments.firstIndex(of: "--") ?? arguments.endIndex
        let head = Array(arguments[..<end])
        if head.contains(where: { Self.passthrough.contains($0.split(separator: "=").first.map(String.init) ?? $0)
                                  || $0.hasPrefix("---") }) {
            self.arguments = arguments
            settings = nil
            added = []
            language = nil
            return
        }

        // The global options, taken out; --lang stays in place until the command is known.
        var words: [String] = []
        var configOption: String?
        var languageWords: (index: Int, count: Int, value: String)?
        var index = 0
        while index < head.count {
            let word = head[index]
            if let (value, used) = try Self.value(of: "--config", at: index, in: head, expected: "a file: --config FILE") {
                configOption = value
                index += used
                continue
            }
            if let (value, used) = try Self.value(of: "--lang", at: index, in: head, expected: "vi or en: --lang vi") {
                languageWords = (words.count, used, value)
                words.append(contentsOf: head[index..<(index + used)])
                index += used
                continue
            }
            words.append(word)
            index += 1
        }

        let skipped = languageWords.map { Set($0.index..<($0.index + $0.count)) } ?? []
        let (path, command) = Self.command(in: words, skipping: skipped)
        var chosenLanguage: String?
        if let languageWords {
            let owned = command.map { Self.declares($0, option: "--lang") } ?? false
            let known = languageWords.value == "vi" || languageWords.value == "en"
            if known { chosenLanguage = languageWords.value }
            guard owned || known else { throw .invalidOption(option: "--lang", expected: "vi or en: --lang vi") }
            // Taken out wherever it stood (before the subcommand the parser would refuse it) and,
            // for a command with its own --lang, given back after the subcommand.
            words.removeSubrange(languageWords.index..<(languageWords.index + languageWords.count))
            if owned { words += ["--lang", languageWords.value] }
        }
        let tail = Array(arguments[end...])

        if head.contains(where: Self.informational.contains) || path.first == "help" || command == nil {
            self.arguments = words + tail
            settings = nil
            added = []
            language = chosenLanguage
            return
        }

        let resolved = try ResolvedSettings(environment: environment, configOption: configOption, language: chosenLanguage)
        var additions: [Added] = []
        for entry in resolved.entries {
            guard let value = entry.value, let command else { continue }
            for target in entry.setting.targets where target.matches(path) {
                if let needed = target.onlyWith, !words.contains(needed) { continue }
                if words.contains(target.option) || words.contains(where: { $0.hasPrefix(target.option + "=") }) { continue }
                guard Self.declares(command, option: target.option) else { continue }
                let optionWords = value.arguments(for: target.option)
                if !optionWords.isEmpty { additions.append(Added(key: entry.setting.key, words: optionWords, source: entry.source)) }
            }
        }
        self.arguments = words + additions.flatMap(\.words) + tail
        settings = resolved
        added = additions
        if case .text(let language)? = resolved.entry("lang")?.value { self.language = language } else { language = nil }
    }

    /// The global `--lang vi|en` on the command line, if there is one: for messages about the
    /// settings themselves, written before they are in force.
    static func languageOption(in arguments: [String]) -> String? {
        let end = arguments.firstIndex(of: "--") ?? arguments.endIndex
        for index in arguments[..<end].indices {
            if let (value, _) = try? value(of: "--lang", at: index, in: Array(arguments[..<end]), expected: ""),
               value == "vi" || value == "en" {
                return value
            }
        }
        return nil
    }

    /// `OPTION VALUE` or `OPTION=VALUE` at `index`: the value and the number of words used.
    private static func value(of option: String, at index: Int, in words: [String],
                              expected: String) throws(SettingsError) -> (String, Int)? {
        let word = words[index]
        if word.hasPrefix(option + "=") { return (String(word.dropFirst(option.count + 1)), 1) }
        guard word == option else { return nil }
        guard index + 1 < words.count, !words[index + 1].isEmpty else { throw .invalidOption(option: option, expected: expected) }
        return (words[index + 1], 2)
    }

    /// The subcommand path the words name (`["repo", "list"]`) and its command type; nil when
    /// the words name no subcommand.
    static func command(in words: [String], skipping skipped: Set<Int>) -> ([String], ParsableCommand.Type?) {
        var current: ParsableCommand.Type = Sohoa.self
        var path: [String] = []
        for (index, word) in words.enumerated() where !skipped.contains(index) {
            if word == "help", path.isEmpty { return (["help"], nil) }
            let next = current.configuration.subcommands.first {
                $0._commandName == word || $0.configuration.aliases.contains(word)
            }
            guard let next else { break }
            current = next
            path.append(next._commandName)
        }
        return (path, path.isEmpty ? nil : current)
    }

    /// Whether some command at `path` (`"*"`: any subcommand) has `option`.
    static func exists(_ path: [String], option: String) -> Bool {
        var commands: [ParsableCommand.Type] = [Sohoa.self]
        for name in path {
            commands = commands.flatMap { command in
                command.configuration.subcommands.filter { name == "*" || $0._commandName == name }
            }
        }
        return path.isEmpty ? false : commands.contains { declares($0, option: option) }
    }

    /// Whether `command` has `option`, read from the option list of its help (hidden ones too),
    /// so that a setting is never added to a command that would refuse it.
    static func declares(_ command: ParsableCommand.Type, option: String) -> Bool {
        let help = Sohoa.helpMessage(for: command, includeHidden: true, columns: 10_000)
        for line in help.split(separator: "\n") {
            let trimmed = line.drop { $0 == " " }
            guard trimmed.hasPrefix("-") else { continue }
            let synopsis = trimmed.range(of: "  ").map { trimmed[..<$0.lowerBound] } ?? trimmed
            let names = synopsis.split { $0 == " " || $0 == "," }.map { $0.split(separator: "=").first.map(String.init) ?? "" }
            if names.contains(option) { return true }
        }
        return false
    }
}
