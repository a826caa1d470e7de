import ArgumentParser
import Dispatch
import Foundation
import Logging
import SohoaOCR
import SohoaPipeline
import SohoaPostgres
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
            PDF and filed as pending signature. Its pages' text is read (OCR, Vietnamese and \
            English unless --lang says otherwise), set under each page image, and kept with the \
            document for `sohoa repo search`; a page read with low confidence is filed all the \
            same and named in the log (and in `repo show`) for someone to check. --no-ocr \
            turns the reading off. Refused files move to the rejected folder \
            (default: rejected/ beside the inbox), each with a <name>.reason.txt saying what was \
            wrong, in Vietnamese and English. The log goes to standard error (the journal, when \
            run as a systemd service). Runs until SIGTERM or SIGINT; jobs in progress are \
            finished first.

            A file is taken once it has stayed unchanged for --stable-seconds and, on a local \
            disk, once no program still has it open for writing (a scanner between pages, a \
            copy that paused). Network shares (--poll) give no such sign: there --stable-seconds \
            alone decides, so set it longer than the longest pause of the scanner or of the \
            copy (between pages of a feeder, a slow link), e.g. 30 or 60. Writers that write \
            under a dot name and rename the file into place when done are safe with any value.

            Only one watcher may take from an inbox: a second one on the same inbox is refused \
            with the host and process id of the one running (the lock is the file \
            .sohoa-watch.lock in the inbox; it is released when that process ends, however it \
            ends).

            Examples:
              sohoa watch --inbox /srv/scan/inbox --data /srv/sohoa
              sohoa watch --inbox /srv/scan/inbox --data /srv/sohoa \\
                --rejected /srv/scan/rejected --workers 4
              sohoa watch --inbox /mnt/share/inbox --data /srv/sohoa \\
                --poll --stable-seconds 30
              SOHOA_LOG_LEVEL=debug sohoa watch --inbox inbox --data data

            Exit status: 0 stopped by SIGTERM or SIGINT after finishing its jobs; 1 it cannot \
            run (the inbox is not a folder, another watcher holds the inbox, the rejected folder \
            or the repository is inside the inbox, the repository cannot be opened); 3 usage \
            error.
            """
    )

    @Option(help: ArgumentHelp("The inbox folder the scanners write to.", valueName: "DIR"))
    var inbox: String

    @Option(help: ArgumentHelp("The repository folder (made when new).", valueName: "DIR"))
    var data: String

    @Option(help: ArgumentHelp("A file holding the database password, for a repository whose records are in PostgreSQL.",
                               valueName: "FILE"))
    var databasePasswordFile: String?

    @Option(help: ArgumentHelp("Where refused files go.", valueName: "DIR"))
    var rejected: String?

    @Option(help: ArgumentHelp("Documents assembled at the same time.", valueName: "N"))
    var workers = 2

    @Flag(help: ArgumentHelp("Look for new files by scanning every second instead of waiting for file-system events "
                             + "(network shares; set --stable-seconds longer than the writers' longest pause)."))
    var poll = false

    @Option(help: ArgumentHelp("Seconds a file must stay unchanged before it is taken (with --poll: longer than the "
                               + "longest pause of the scanner or copy).", valueName: "S"))
    var stableSeconds = 2.0

    @Option(help: ArgumentHelp("Seconds between full rescans of the inbox.", valueName: "S"))
    var rescanSeconds = 30.0

    @Option(help: ArgumentHelp("Seconds a job stays with a worker that stopped answering before another takes it.",
                               valueName: "S"))
    var leaseSeconds = 30.0

    @Flag(help: "Do not read the pages' text (OCR is on by default).")
    var noOcr = false

    @Option(help: ArgumentHelp("OCR languages, Tesseract's codes joined by + (default vie+eng); vi or en is the language "
                               + "of messages, as everywhere.", valueName: "LANGS"))
    var lang: String?

    func validate() throws {
        if OCRLanguageOption.codes(lang) != nil, noOcr { throw ValidationError("--lang goes without --no-ocr") }
        guard (1...64).contains(workers) else { throw ValidationError("--workers must be between 1 and 64") }
        guard stableSeconds >= 0, stableSeconds <= 3600 else { throw ValidationError("--stable-seconds must be between 0 and 3600") }
        guard rescanSeconds >= 0.2, rescanSeconds <= 86400 else { throw ValidationError("--rescan-seconds must be between 0.2 and 86400") }
        guard leaseSeconds >= 1, leaseSeconds <= 3600 else { throw ValidationError("--lease-seconds must be between 1 and 3600") }
    }

    func run() async throws {
        Logs.bootstrap()
        // First of all: a SIGTERM while the repository opens (a service stopped as it starts)
        // asks for a clean stop, as it does later, instead of ending the process there.
        let stop = StopSignal()
        let signals = [SIGTERM, SIGINT].map { number -> DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number)
            source.setEventHandler { stop.stop() }
            source.resume()
            return source
        }
        defer { signals.forEach { $0.cancel() } }
        var settings = WatchSettings(inbox: inbox, data: data)
        settings.rejected = rejected
        settings.workers = workers
        settings.polling = poll
        settings.stableFor = stableSeconds
        settings.rescanEvery = rescanSeconds
        settings.leaseFor = leaseSeconds
        if !noOcr {
            do throws(OCRError) {
                settings.assembly.ocr = try OCREnginePool(languages: try OCRLanguages(OCRLanguageOption.codes(lang) ?? OCRLanguages.standard))
            } catch {
                throw CommandFailure(message: "sohoa watch: \(error) (or run with --no-ocr)",
                                     exitCode: error.isBadList ? ExitStatus.usage : ExitStatus.refused)
            }
        }
        let language = DisplayLanguage.current
        settings.language = language
        let service: WatchService
        do {
            _ = try WatchService.checkFolders(settings)
            let repository = try await RepoCommand.open(data, passwordFile: databasePasswordFile, for: "sohoa watch", creating: true)
            // Every node writes blobs into the folder: one that cannot is told now, not at the first scan.
            try WritableFolder.check(data)
            // Records in a shared database: other nodes may take from this inbox too.
            settings.sharedInbox = repository.store is PostgresStore
            service = try WatchService(settings: settings, repository: repository, logger: Logger(label: "sohoa.watch"))
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure(message: "sohoa watch: \(WatchMessages.text(of: error, in: language))",
                                 exitCode: ExitStatus.refused)
        }
        Output.notice(language.text(WatchMessages.startUp(rejected: service.intake.rejected.root, polling: poll,
                                                         stableSeconds: stableSeconds)))
        do { try await service.run(until: stop) } catch {
            throw CommandFailure(message: "sohoa watch: \(error)", exitCode: ExitStatus.refused)
        }
    }
}
