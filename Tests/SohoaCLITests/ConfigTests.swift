import Foundation
import SohoaTestSupport
import Testing

/// Settings: the configuration files, the `SOHOA_*` variables, the global `--config` and `--lang`,
/// and `sohoa config show`. Each test runs `sohoa` in its own scratch folder, with its own
/// system file, user folder and an environment that sets no other setting.
@Suite struct ConfigTests {
    let sohoa = Fixtures.productsDirectory.appendingPathComponent("sohoa").path

    /// A scratch world: `system` is the system-wide file, `user` the user's file.
    struct World {
        let root: URL
        var system: String { root.appendingPathComponent("etc/sohoa.toml").path }
        var user: String { root.appendingPathComponent("xdg/sohoa/sohoa.toml").path }
        func path(_ name: String) -> String { root.appendingPathComponent(name).path }

        func write(_ text: String, to path: String) throws {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
    }

    static let variables = ["SOHOA_CONFIG", "SOHOA_DATA", "SOHOA_LANG", "SOHOA_TSA", "SOHOA_TRUST", "SOHOA_INBOX",
                            "SOHOA_REJECTED", "SOHOA_WORKERS", "SOHOA_STABLE_SECONDS", "SOHOA_POLL", "SOHOA_TSA_CERT",
                            "SOHOA_TSA_KEY", "SOHOA_TSA_CHAIN", "SOHOA_TSA_LISTEN", "SOHOA_TSA_SERIAL_FILE"]

    func withWorld(_ body: (World) throws -> Void) throws {
        try #require(FileManager.default.isExecutableFile(atPath: sohoa), "build sohoa first (make test does)")
        let root = try Fixtures.makeScratch("sohoa-config")
        defer { Fixtures.removeScratch(root) }
        try body(World(root: root))
    }

    func run(_ world: World, _ arguments: [String], environment: [String: String] = [:]) throws -> ProcessResult {
        var base = Dictionary(uniqueKeysWithValues: Self.variables.map { ($0, "") })
        base["SOHOA_SYSTEM_CONFIG"] = world.system
        base["XDG_CONFIG_HOME"] = world.root.appendingPathComponent("xdg").path
        base["HOME"] = world.root.appendingPathComponent("home").path
        base["LANG"] = "C.UTF-8"
        base["LC_ALL"] = ""
        base["LC_MESSAGES"] = ""
        return try Run.process(sohoa, arguments, environment: base.merging(environment) { $1 })
    }

    /// `config show --json`: the setting `key`'s value and where it came from.
    func shown(_ world: World, _ key: String, _ arguments: [String] = [],
               environment: [String: String] = [:]) throws -> (value: Any?, source: String, from: String?) {
        let result = try run(world, arguments + ["config", "show", "--json"], environment: environment)
        try #require(result.status == 0, "config show failed: \(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let settings = try #require(object["settings"] as? [[String: Any]])
        let entry = try #require(settings.first { $0["key"] as? String == key }, "config show has no \(key)")
        let value = entry["value"] is NSNull ? nil : entry["value"]
        return (value, entry["source"] as? String ?? "", entry["from"] as? String)
    }

    @Test func aValueFromTheUserFileIsInForceAndGoesToTheCommand() throws {
        try withWorld { world in
            try world.write("data = \"/nonexistent/from-user-file\"\n", to: world.user)
            let shown = try shown(world, "data")
            #expect(shown.value as? String == "/nonexistent/from-user-file")
            #expect(shown.source == "file")
            #expect(shown.from == world.user)
            // status takes its --data from the file.
            let status = try run(world, ["status"])
            #expect(status.status != 0)
            #expect(status.stderr.contains("/nonexistent/from-user-file"), "\(status.stderr)")
        }
    }

    @Test func theEnvironmentOverridesTheFiles() throws {
        try withWorld { world in
            try world.write("data = \"/nonexistent/from-file\"\nlang = \"en\"\n", to: world.user)
            let environment = ["SOHOA_DATA": "/nonexistent/from-environment", "SOHOA_LANG": "vi"]
            let data = try shown(world, "data", environment: environment)
            #expect(data.value as? String == "/nonexistent/from-environment")
            #expect(data.source == "environment")
            #expect(data.from == "SOHOA_DATA")
            #expect(try shown(world, "lang", environment: environment).value as? String == "vi")
            let status = try run(world, ["status"], environment: environment)
            #expect(status.stderr.contains("/nonexistent/from-environment"), "\(status.stderr)")
            #expect(!status.stderr.contains("/nonexistent/from-file"))
        }
    }

    @Test func aFlagOnTheCommandLineWinsOverTheEnvironment() throws {
        try withWorld { world in
            let environment = ["SOHOA_DATA": "/nonexistent/from-environment", "SOHOA_LANG": "vi"]
            let status = try run(world, ["status", "--data", "/nonexistent/from-flag"], environment: environment)
            #expect(status.stderr.contains("/nonexistent/from-flag"), "\(status.stderr)")
            #expect(!status.stderr.contains("/nonexistent/from-environment"))
            let equals = try run(world, ["status", "--data=/nonexistent/from-flag"], environment: environment)
            #expect(!equals.stderr.contains("/nonexistent/from-environment"), "\(equals.stderr)")
            let lang = try shown(world, "lang", ["--lang", "en"], environment: environment)
            #expect(lang.value as? String == "en")
            #expect(lang.source == "command-line")
        }
    }

    @Test func theConfigFileOverridesTheUserFileWhichOverridesTheSystemFile() throws {
        try withWorld { world in
            try world.write("data = \"/nonexistent/system\"\nlang = \"vi\"\n[watch]\nworkers = 3\n", to: world.system)
            try world.write("data = \"/nonexistent/user\"\n[watch]\nworkers = 4\n", to: world.user)
            let named = world.path("branch.toml")
            try world.write("data = \"/nonexistent/named\"\n", to: named)
            for arguments in [["--config", named], ["--config=\(named)"]] {
                let data = try shown(world, "data", arguments)
                #expect(data.value as? String == "/nonexistent/named")
                #expect(data.from == named)
                #expect(try shown(world, "watch.workers", arguments).value as? Int == 4)
                #expect(try shown(world, "lang", arguments).from == world.system)
            }
            // SOHOA_CONFIG names the same file; --config anywhere on the line wins over it.
            #expect(try shown(world, "data", environment: ["SOHOA_CONFIG": named]).from == named)
            let other = world.path("other.toml")
            try world.write("data = \"/nonexistent/other\"\n", to: other)
            let status = try run(world, ["status", "--config", other], environment: ["SOHOA_CONFIG": named])
            #expect(status.stderr.contains("/nonexistent/other"), "\(status.stderr)")
        }
    }

    @Test func anUnknownKeyIsAnErrorNamingTheFileTheLineAndTheKey() throws {
        try withWorld { world in
            try world.write("data = \"/srv/x\"\n\n[watch]\ninbx = \"/srv/inbox\"\n", to: world.user)
            let result = try run(world, ["config", "show"])
            #expect(result.status == 3)
            #expect(result.stderr.contains("\(world.user):4"), "\(result.stderr)")
            #expect(result.stderr.contains("watch.inbx"))
            #expect(result.stderr.contains("watch.inbox"), "no suggestion: \(result.stderr)")
            // In the language asked for, though the settings are not in force.
            let vietnamese = try run(world, ["--lang", "vi", "config", "show"])
            #expect(vietnamese.stderr.contains("Sohoa không biết thiết lập `watch.inbx`"), "\(vietnamese.stderr)")
            // Every command that reads settings refuses it, not only config show.
            #expect(try run(world, ["status"]).status == 3)
            // An unknown section too.
            try world.write("[wach]\ninbox = \"/srv/inbox\"\n", to: world.user)
            let section = try run(world, ["status"])
            #expect(section.status == 3)
            #expect(section.stderr.contains("\(world.user):1") && section.stderr.contains("wach"), "\(section.stderr)")
        }
    }

    @Test func aMalformedFileIsAnErrorNamingTheFileAndTheReason() throws {
        try withWorld { world in
            try world.write("data = \"/srv/x\"\nlang = \"vi\n", to: world.system)
            let result = try run(world, ["status"])
            #expect(result.status == 3)
            #expect(result.stderr.contains(world.system), "\(result.stderr)")
            #expect(result.stderr.contains("not valid TOML"))
            #expect(result.stderr.contains("\(world.system):2"), "no line: \(result.stderr)")
            // Help still works, so the user can read how to fix it.
            #expect(try run(world, ["status", "--help"]).status == 0)
        }
    }

    @Test(arguments: [
        ("lang = \"fr\"\n", "lang"),
        ("data = 42\n", "data"),
        ("[watch]\nworkers = 0\n", "watch.workers"),
        ("[watch]\nstable-seconds = \"two\"\n", "watch.stable-seconds"),
        ("[sign]\ntsa = \"ftp://example.org/\"\n", "sign.tsa"),
        ("watch = 3\n", "watch"),
    ])
    func aWrongValueIsAnErrorNamingTheKey(text: String, key: String) throws {
        try withWorld { world in
            try world.write(text, to: world.user)
            let result = try run(world, ["config", "show"])
            #expect(result.status == 3)
            #expect(result.stderr.contains(world.user) && result.stderr.contains("`\(key)`"), "\(result.stderr)")
        }
    }

    @Test func wrongVariablesAndOptionsAreUsageErrors() throws {
        try withWorld { world in
            let workers = try run(world, ["config", "show"], environment: ["SOHOA_WORKERS": "100"])
            #expect(workers.status == 3)
            #expect(workers.stderr.contains("SOHOA_WORKERS=100"), "\(workers.stderr)")
            let missing = try run(world, ["--config", world.path("none.toml"), "status"])
            #expect(missing.status == 3)
            #expect(missing.stderr.contains(world.path("none.toml")), "\(missing.stderr)")
            #expect(try run(world, ["status", "--lang", "fr"]).status == 3)
            #expect(try run(world, ["status", "--config"]).status == 3)
        }
    }

    @Test func relativePathsInAFileAreRelativeToItsFolder() throws {
        try withWorld { world in
            let named = world.path("demo/sohoa.toml")
            try world.write("data = \"repository\"\n[verify]\ntrust = [\"../certs/a.pem\", \"/abs/b.pem\"]\n", to: named)
            let data = try shown(world, "data", ["--config", named])
            #expect(data.value as? String == world.path("demo/repository"))
            let trust = try shown(world, "verify.trust", ["--config", named])
            #expect(trust.value as? [String] == [world.path("certs/a.pem"), "/abs/b.pem"])
        }
    }

    @Test func trustAnchorsFromTheSettingsReachVerify() throws {
        try withWorld { world in
            let anchors = world.path("no-such-root.pem")
            try world.write("[verify]\ntrust = [\"\(anchors)\"]\n", to: world.user)
            let pdf = world.path("unsigned.pdf")
            try world.write("%PDF-1.4\n", to: pdf)
            let result = try run(world, ["verify", pdf])
            #expect(result.status == 3)
            #expect(result.stderr.contains(anchors), "verify did not get --trust from the settings: \(result.stderr)")
            // Given on the command line, the setting is not added.
            let own = try run(world, ["verify", "--trust", Fixtures.certs.appendingPathComponent("root-ca.pem").path, pdf])
            #expect(!own.stderr.contains(anchors), "\(own.stderr)")
        }
    }

    @Test func theGlobalLanguageOptionStandsAnywhere() throws {
        try withWorld { world in
            let missing = world.path("missing.pdf")
            // verify has its own --lang: the global one before the subcommand reaches it.
            let vietnamese = try run(world, ["--lang", "vi", "verify", missing])
            #expect(vietnamese.stderr.contains("không có tệp"), "\(vietnamese.stderr)")
            let english = try run(world, ["verify", missing, "--lang", "en"], environment: ["SOHOA_LANG": "vi"])
            #expect(english.stderr.contains("no such file"), "\(english.stderr)")
            // From the file, verify is given --lang too.
            try world.write("lang = \"vi\"\n", to: world.user)
            #expect(try run(world, ["verify", missing]).stderr.contains("không có tệp"))
            // Elsewhere it is taken out before the parser sees it.
            let status = try run(world, ["status", "--lang", "en", "--data", world.path("none")])
            #expect(!status.stderr.contains("Unknown option"), "\(status.stderr)")
        }
    }

    @Test func configShowSaysWhereEachValueCameFrom() throws {
        try withWorld { world in
            try world.write("data = \"/srv/sohoa/repository\"\n[watch]\ninbox = \"/srv/sohoa/inbox\"\n", to: world.system)
            let result = try run(world, ["config", "show"], environment: ["SOHOA_TSA": "http://127.0.0.1:3180/"])
            #expect(result.status == 0, "\(result.stderr)")
            let text = result.stdout
            #expect(text.contains(world.system) && text.contains(world.user))
            #expect(text.contains("data") && text.contains("= /srv/sohoa/repository"))
            #expect(text.contains("from \(world.system)"))
            #expect(text.contains("sign.tsa") && text.contains("from environment variable SOHOA_TSA"))
            #expect(text.contains("watch.rejected") && text.contains("not set; default: rejected/ beside the inbox"))
            // `sohoa config` alone is `config show`.
            #expect(try run(world, ["config"], environment: ["SOHOA_TSA": "http://127.0.0.1:3180/"]).stdout == text)
        }
    }

    /// The table of settings against the commands: a renamed option would otherwise stop its
    /// setting silently.
    @Test func everySettingStandsForAnOptionACommandHas() throws {
        try withWorld { world in
            let result = try run(world, ["config", "show", "--json"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            let settings = try #require(object["settings"] as? [[String: Any]])
            #expect(settings.count >= 14)
            for entry in settings {
                let options = entry["options"] as? [String] ?? []
                #expect(!options.isEmpty, "\(entry["key"] ?? "?") stands for no option of any command")
            }
        }
    }

    @Test func theHelpGivesExamplesAndTheExitCodes() throws {
        try withWorld { world in
            let root = try run(world, ["--help"]).stdout
            #expect(root.contains("Examples:") && root.contains("Exit status: 0 success"))
            #expect(root.contains("--config <FILE>") && root.contains("--lang vi|en"))
            #expect(root.contains("config"))
            for command in [["assemble"], ["config"], ["config", "show"]] {
                #expect(try run(world, command + ["--help"]).stdout.contains("Examples:"), "\(command)")
            }
        }
    }
}
