import ArgumentParser
import Dispatch
import Foundation
import Logging
import SohoaPipeline
import SohoaRepository

#if canImport(Glibc)
import Glibc
#endif

/// `sohoa watch`: the intake daemon.
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Take documents dropped into an inbox through the pipeline until stopped.",
        discussion: """
            The inbox holds <citizen-id>/<case-id>/<document> (an image file, or a folder of page \
            images taken once it holds a file named .ready). Each document is assembled into one \
            PDF and filed as pending signature. Refused files move to the rejected folder \
            (default: rejected/ beside the inbox), each with a <name>.reason.txt saying what was \
            wrong. Runs until SIGTERM or SIGINT; jobs in progress are finished first.
            """
    )

    @Option(help: ArgumentHelp("The inbox folder the scanners write to.", valueName: "DIR"))
    var inbox: String

    @Option(help: ArgumentHelp("The repository folder (made when new).", valueName: "DIR"))
    var data: String

    @Option(help: ArgumentHelp("Where refused files go.", valueName: "DIR"))
    var rejected: String?

    @Option(help: ArgumentHelp("Documents assembled at the same time.", valueName: "N"))
    var workers = 2

    @Flag(help: "Look for new files by scanning every second instead of waiting for file-system events (network shares).")
    var poll = false

    @Option(help: ArgumentHelp("Seconds a file must stay unchanged before it is taken.", valueName: "S"))
    var stableSeconds = 2.0

    @Option(help: ArgumentHelp("Seconds between full rescans of the inbox.", valueName: "S"))
    var rescanSeconds = 30.0

    @Option(help: ArgumentHelp("Seconds a job stays with a worker that stopped answering before another takes it.",
                               valueName: "S"))
    var leaseSeconds = 30.0

    func validate() throws {
        guard (1...64).contains(workers) else { throw ValidationError("--workers must be between 1 and 64") }
        guard stableSeconds >= 0, stableSeconds <= 3600 else { throw ValidationError("--stable-seconds must be between 0 and 3600") }
        guard rescanSeconds >= 0.2, rescanSeconds <= 86400 else { throw ValidationError("--rescan-seconds must be between 0.2 and 86400") }
        guard leaseSeconds >= 1, leaseSeconds <= 3600 else { throw ValidationError("--lease-seconds must be between 1 and 3600") }
    }

    func run() async throws {
        Logs.bootstrap()
        var settings = WatchSettings(inbox: inbox, data: data)
        settings.rejected = rejected
        settings.workers = workers
        settings.polling = poll
        settings.stableFor = stableSeconds
        settings.rescanEvery = rescanSeconds
        settings.leaseFor = leaseSeconds
        let service: WatchService
        do { service = try WatchService(settings: settings, logger: Logger(label: "sohoa.watch")) } catch {
            throw CommandFailure(message: "sohoa watch: \(error)", exitCode: ExitStatus.refused)
        }
        let stop = StopSignal()
        let signals = [SIGTERM, SIGINT].map { number -> DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number)
            source.setEventHandler { stop.stop() }
            source.resume()
            return source
        }
        defer { signals.forEach { $0.cancel() } }
        do { try await service.run(until: stop) } catch {
            throw CommandFailure(message: "sohoa watch: \(error)", exitCode: ExitStatus.refused)
        }
    }
}
