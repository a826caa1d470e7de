import ArgumentParser

/// `sohoa watch`: the intake daemon.
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Take documents dropped into an inbox through the pipeline until stopped.",
        discussion: """
            Refused files move to the rejected folder (default: rejected/ beside the inbox), each \
            with a <name>.reason.txt saying what was wrong.
            """
    )

    @Option(help: ArgumentHelp("The inbox folder the scanners write to.", valueName: "DIR"))
    var inbox: String

    @Option(help: ArgumentHelp("The repository folder.", valueName: "DIR"))
    var data: String

    @Option(help: ArgumentHelp("Where refused files go.", valueName: "DIR"))
    var rejected: String?

    func run() throws {
        throw CommandFailure.notBuiltYet("watch", "taken in")
    }
}

/// `sohoa status`: the pipeline's queues.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each stage's queue, throughput and failures."
    )

    @Option(help: ArgumentHelp("The repository folder.", valueName: "DIR"))
    var data: String

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        throw CommandFailure.notBuiltYet("status", "shown")
    }
}
