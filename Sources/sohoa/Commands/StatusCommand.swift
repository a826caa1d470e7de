import ArgumentParser
import Foundation
import SohoaPipeline
import SohoaRepository

/// `sohoa status`: the pipeline's queues.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each stage's queue, throughput and failures.",
        discussion: """
            What became of the inbox items (received, filed, duplicate, rejected, and those \
            refused in the inbox itself), each stage's jobs queued, running, done and failed, the \
            jobs finished in the last minute, how long the oldest waiting job has waited, the \
            documents waiting for a signature or an approval, and the recent failures. Text is \
            in the operator's language (SOHOA_LANG or the locale), times local with their \
            offset; --json keeps UTC and the keys {"time", "intake", "refusedInInbox", "stages", \
            "documents", "recentFailures"}.

            Examples:
              sohoa status --data /srv/sohoa
              sohoa status --data /srv/sohoa --watch
              sohoa status --data /srv/sohoa --json

            Exit status: 0 shown, 1 DIR is not a repository or cannot be read, 3 usage error.
            """
    )
    static let name = "sohoa status"

    @Option(help: ArgumentHelp("The repository folder.", valueName: "DIR"))
    var data: String

    @Option(help: ArgumentHelp("A file holding the database password (a repository in PostgreSQL).", valueName: "FILE"))
    var databasePasswordFile: String?

    @Flag(help: "Print JSON.")
    var json = false

    @Flag(help: "Show the status again every 2 seconds until interrupted.")
    var watch = false

    func run() async throws {
        let repository = try await RepoCommand.open(data, passwordFile: databasePasswordFile, for: Self.name)
        repeat {
            let status: PipelineStatus
            do { status = try await PipelineStatus.read(from: repository.store) } catch {
                throw CommandFailure(message: "\(Self.name): \(error)", exitCode: ExitStatus.refused)
            }
            let text = json ? try RepoCommand.json(status)
                : (watch ? "\u{1B}[H\u{1B}[2J" : "") + StatusText(status: status, language: .current).text
            FileHandle.standardOutput.write(Data((text + "\n").utf8))
            if watch { try await Task.sleep(nanoseconds: 2_000_000_000) }
        } while watch
    }
}
