/// One setting Sohoa reads from its configuration files and the environment: its key in the
/// TOML file, its environment variable, the kind of value it takes, and the command-line options
/// it stands for. A setting is only ever a default for an option a command already has; a flag
/// given on the command line always wins. Passwords and PINs are never settings.
struct Setting: Sendable, Equatable {
    /// The kinds of value a setting takes, and how each is checked.
    enum Kind: Sendable, Equatable {
        /// A file or folder; `~/` is the home folder, a relative path in a file is relative to
        /// that file's folder.
        case path
        /// One path or a list of them (in the environment, separated by `:`).
        case paths
        /// An `http://` or `https://` address.
        case url
        /// An address to listen on, `HOST:PORT`.
        case address
        /// `vi` or `en`.
        case language
        /// A whole number in a range.
        case count(ClosedRange<Int>)
        /// A number of seconds, zero or more.
        case seconds
        /// `true` or `false`; `true` adds the flag.
        case flag
    }

    /// Where a setting goes: an option of one command.
    struct Target: Sendable, Equatable {
        /// The command's path below `sohoa`, e.g. `["watch"]`; `"*"` stands for any subcommand.
        let command: [String]
        /// The option, e.g. `--data`.
        let option: String
        /// A flag that must be on the command line for the setting to apply (`sign --pending`).
        var onlyWith: String? = nil

        /// Whether this target is for the command at `path`.
        func matches(_ path: [String]) -> Bool {
            guard path.count == command.count else { return false }
            return zip(command, path).allSatisfy { $0 == "*" || $0 == $1 }
        }

        /// How the target reads in help and in `config show`, e.g. `sign --data (with --pending)`.
        var label: String {
            let name = command.map { $0 == "*" ? "…" : $0 }.joined(separator: " ")
            return "\(name) \(option)" + (onlyWith.map { " (with \($0))" } ?? "")
        }
    }

    /// The key in the file: `data`, or `section.key` such as `watch.inbox`.
    let key: String
    /// The environment variable, e.g. `SOHOA_DATA`.
    let environment: String
    let kind: Kind
    /// What the setting is, in a few words (English; the example file explains each at length).
    let summary: String
    /// What applies when the setting is not given.
    let fallback: String
    /// The options it stands for.
    let targets: [Target]

    /// The section of the file (`watch` for `watch.inbox`), or nil for a top-level key.
    var section: String? {
        let parts = key.split(separator: ".")
        return parts.count > 1 ? String(parts[0]) : nil
    }

    /// The key inside its section (`inbox` for `watch.inbox`).
    var name: String { String(key.split(separator: ".").last ?? Substring(key)) }
}

extension Setting {
    /// Every setting (a target whose command this version lacks, such as `serve`, is skipped
    /// until the command exists; see `PreparedCommandLine.declares`), in the order `config show` and the example file list them.
    static let all: [Setting] = [
        Setting(key: "data", environment: "SOHOA_DATA", kind: .path,
                summary: "The repository folder.", fallback: "none (give --data)",
                targets: [.init(command: ["watch"], option: "--data"),
                          .init(command: ["status"], option: "--data"),
                          .init(command: ["repo", "*"], option: "--data"),
                          .init(command: ["sign"], option: "--data", onlyWith: "--pending"),
                          .init(command: ["serve"], option: "--data"),
                          .init(command: ["access", "*"], option: "--data")]),
        Setting(key: "database.password-file", environment: "SOHOA_DATABASE_PASSWORD_FILE", kind: .path,
                summary: "A file holding the PostgreSQL password (a repository whose records are in PostgreSQL).",
                fallback: "the one `repo init` recorded, else PGPASSWORD or ~/.pgpass",
                targets: [.init(command: ["watch"], option: "--database-password-file"),
                          .init(command: ["status"], option: "--database-password-file"),
                          .init(command: ["repo", "*"], option: "--database-password-file"),
                          .init(command: ["sign"], option: "--database-password-file", onlyWith: "--pending"),
                          .init(command: ["serve"], option: "--database-password-file"),
                          .init(command: ["access", "*"], option: "--database-password-file")]),
        Setting(key: "lang", environment: "SOHOA_LANG", kind: .language,
                summary: "The language of messages and reports: vi or en.",
                fallback: "from the locale (LC_ALL, LC_MESSAGES, LANG)",
                targets: [.init(command: ["verify"], option: "--lang")]),
        Setting(key: "sign.tsa", environment: "SOHOA_TSA", kind: .url,
                summary: "The RFC 3161 time-stamp authority signatures and anchors are time-stamped by.",
                fallback: "none (signatures without a time-stamp)",
                targets: [.init(command: ["sign"], option: "--tsa"),
                          .init(command: ["timestamp"], option: "--tsa"),
                          .init(command: ["repo", "anchor"], option: "--tsa"),
                          .init(command: ["repo", "refresh"], option: "--tsa")]),
        Setting(key: "verify.trust", environment: "SOHOA_TRUST", kind: .paths,
                summary: "Trust anchors: certificate files or folders of them.",
                fallback: "none (no chain is trusted)",
                targets: [.init(command: ["verify"], option: "--trust"),
                          .init(command: ["repo", "reuse"], option: "--trust"),
                          .init(command: ["serve"], option: "--trust"),
                          .init(command: ["timestamp"], option: "--trust"),
                          .init(command: ["repo", "refresh"], option: "--trust")]),
        Setting(key: "serve.listen", environment: "SOHOA_LISTEN", kind: .address,
                summary: "serve: the address the repository's HTTP service listens on, HOST:PORT.",
                fallback: "127.0.0.1:8320",
                targets: [.init(command: ["serve"], option: "--listen")]),
        Setting(key: "watch.inbox", environment: "SOHOA_INBOX", kind: .path,
                summary: "The inbox folder the scanners write to.", fallback: "none (give --inbox)",
                targets: [.init(command: ["watch"], option: "--inbox")]),
        Setting(key: "watch.rejected", environment: "SOHOA_REJECTED", kind: .path,
                summary: "Where refused files go, each with its reason.", fallback: "rejected/ beside the inbox",
                targets: [.init(command: ["watch"], option: "--rejected")]),
        Setting(key: "watch.workers", environment: "SOHOA_WORKERS", kind: .count(1...64),
                summary: "Documents assembled at the same time.", fallback: "2",
                targets: [.init(command: ["watch"], option: "--workers")]),
        Setting(key: "watch.stable-seconds", environment: "SOHOA_STABLE_SECONDS", kind: .seconds,
                summary: "Seconds a file must stay unchanged before it is taken.", fallback: "2",
                targets: [.init(command: ["watch"], option: "--stable-seconds")]),
        Setting(key: "watch.poll", environment: "SOHOA_POLL", kind: .flag,
                summary: "Scan the inbox every second instead of waiting for events (network shares).",
                fallback: "false",
                targets: [.init(command: ["watch"], option: "--poll")]),
        Setting(key: "tsa.cert", environment: "SOHOA_TSA_CERT", kind: .path,
                summary: "tsa serve: the time-stamp authority's certificate (PEM).", fallback: "none (give --cert)",
                targets: [.init(command: ["tsa", "serve"], option: "--cert")]),
        Setting(key: "tsa.key", environment: "SOHOA_TSA_KEY", kind: .path,
                summary: "tsa serve: its private key (PEM).", fallback: "none (give --key)",
                targets: [.init(command: ["tsa", "serve"], option: "--key")]),
        Setting(key: "tsa.chain", environment: "SOHOA_TSA_CHAIN", kind: .path,
                summary: "tsa serve: the certificates above it (PEM).", fallback: "none",
                targets: [.init(command: ["tsa", "serve"], option: "--chain")]),
        Setting(key: "tsa.listen", environment: "SOHOA_TSA_LISTEN", kind: .address,
                summary: "tsa serve: the address to listen on, HOST:PORT.", fallback: "none (give --listen)",
                targets: [.init(command: ["tsa", "serve"], option: "--listen")]),
        Setting(key: "tsa.serial-file", environment: "SOHOA_TSA_SERIAL_FILE", kind: .path,
                summary: "tsa serve: where serial numbers are kept.",
                fallback: "$XDG_STATE_HOME/sohoa/tsa-serial (~/.local/state/sohoa/tsa-serial)",
                targets: [.init(command: ["tsa", "serve"], option: "--serial-file")]),
    ]

    /// The sections a file may have.
    static var sections: [String] {
        var seen: [String] = []
        for section in all.compactMap(\.section) where !seen.contains(section) { seen.append(section) }
        return seen
    }

    /// The setting with `key`, if there is one.
    static func named(_ key: String) -> Setting? { all.first { $0.key == key } }
}
