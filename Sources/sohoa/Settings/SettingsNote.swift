/// The note after a usage error when settings were added to the command line: the error may be
/// about a value the user did not type.
enum SettingsNote {
    /// The note, or nil when no setting was added.
    static func text(for added: [PreparedCommandLine.Added]) -> String? {
        guard !added.isEmpty else { return nil }
        let language = DisplayLanguage.current
        let lines = added.map { "  \($0.words.joined(separator: " "))  (\(origin($0.source, language)))" }
        return language.pick(vietnamese: "Các tùy chọn thêm từ thiết lập (xem `sohoa config show`):",
                             english: "Options added from the settings (see `sohoa config show`):")
            + "\n" + lines.joined(separator: "\n")
    }

    /// Where a value came from, in words.
    static func origin(_ source: SettingSource, _ language: DisplayLanguage) -> String {
        switch source {
        case .unset: language.pick(vietnamese: "mặc định", english: "default")
        case .file(let path): path
        case .environment(let variable): language.pick(vietnamese: "biến môi trường \(variable)",
                                                       english: "environment variable \(variable)")
        case .commandLine(let option): language.pick(vietnamese: "dòng lệnh \(option)", english: "command line \(option)")
        }
    }
}
