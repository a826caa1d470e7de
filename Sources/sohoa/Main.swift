import ArgumentParser
import Foundation

/// The entry point. Reads the settings (configuration files, `SOHOA_*` variables, the global
/// `--config` and `--lang`; see `PreparedCommandLine`), parses arguments and maps every outcome
/// to the exit codes of the contract: a usage error is exit 3 (not ArgumentParser's 64), help is
/// exit 0.
@main
enum Main {
    static func main() async {
        let prepared: PreparedCommandLine
        let arguments = Array(CommandLine.arguments.dropFirst())
        do {
            prepared = try PreparedCommandLine(arguments: arguments, environment: ProcessInfo.processInfo.environment)
        } catch {
            if let language = PreparedCommandLine.languageOption(in: arguments) { setenv("SOHOA_LANG", language, 1) }
            Output.error("sohoa: \(error)")
            exit(ExitStatus.usage)
        }
        if let language = prepared.language { setenv("SOHOA_LANG", language, 1) }
        SettingsInForce.current = prepared.settings
        do {
            var command = try Sohoa.parseAsRoot(prepared.arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let failure as CommandFailure {
            Output.error(failure.message)
            exit(failure.exitCode)
        } catch let code as ExitCode {
            exit(code.rawValue)
        } catch {
            let code = Sohoa.exitCode(for: error)
            let message = Sohoa.fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
                exit(0)
            }
            if !message.isEmpty { Output.error(message) }
            if code == .validationFailure, let note = SettingsNote.text(for: prepared.added) { Output.error(note) }
            exit(code == .validationFailure ? ExitStatus.usage : code.rawValue)
        }
    }
}

/// Exit statuses shared by the commands (those of `sohoa verify` are fixed by the contract).
enum ExitStatus {
    static let success: Int32 = 0
    /// Some input was refused; the others were handled.
    static let refused: Int32 = 1
    /// Usage error or unreadable input.
    static let usage: Int32 = 3
}

/// A failure a command reports with its own message and exit status.
struct CommandFailure: Error {
    let message: String
    let exitCode: Int32
}

/// Writing to the terminal, or to the journal when systemd connected standard error to it.
enum Output {
    /// Writes `message` and a newline to standard error (each line with priority `<3>` for the journal).
    static func error(_ message: String) {
        write(message, priority: 3)
    }

    /// Writes a message meant for the operator, not a failure, to standard error (priority `<5>`).
    static func notice(_ message: String) {
        write(message, priority: 5)
    }

    private static let toJournal = JournalLogHandler.standardErrorIsJournal()

    private static func write(_ message: String, priority: Int) {
        let text = toJournal ? JournalLogHandler.prioritized(message, priority: priority) : message
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
