import ArgumentParser

/// `sohoa assemble`: normalize images and assemble them into one unsigned PDF.
struct AssembleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assemble",
        abstract: "Normalize scans and assemble them into one unsigned PDF.",
        discussion: """
            A folder argument means its images in name order; a multi-page TIFF gives all its \
            pages. Nothing is written when any input is refused.
            """
    )

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("The PDF to write.", valueName: "OUT.pdf"))
    var output: String

    @Flag(help: "Print a JSON report of every page.")
    var json = false

    @Flag(help: "Leave out pages detected as blank.")
    var dropBlank = false

    @Argument(help: ArgumentHelp("TIFF, PNG or JPEG files, or folders of them.", valueName: "IMAGE_OR_DIR"))
    var images: [String]

    func run() throws {
        throw CommandFailure.notBuiltYet("assemble", "assembled")
    }
}
