import ArgumentParser

/// `sohoa repo`: the shared repository of signed documents.
struct RepoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repo",
        abstract: "File, find, reuse and check documents in the repository.",
        discussion: "Blobs live at DATA/blobs/sha256/<2 hex>/<2 hex>/<hash>.",
        subcommands: [Import.self, List.self, Show.self, Get.self, Reuse.self, Export.self, Fsck.self, Anchor.self]
    )

    /// Options every repository command takes.
    struct DataOption: ParsableArguments {
        @Option(help: ArgumentHelp("The repository folder.", valueName: "DIR"))
        var data: String
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "File a PDF for a citizen's case; prints the document id.")
        @OptionGroup var repository: DataOption
        @Option(help: ArgumentHelp("Owner: 12-digit personal number or tax code.", valueName: "ID")) var citizen: String
        @Option(name: .customLong("case"), help: ArgumentHelp("The dossier code.", valueName: "CASE")) var caseID: String
        @Option(help: ArgumentHelp("Document type.", valueName: "T")) var type: String?
        @Option(help: ArgumentHelp("Document title.", valueName: "TEXT")) var title: String?
        @Argument(help: ArgumentHelp("The PDF to file.", valueName: "FILE.pdf")) var file: String
        func run() throws { throw CommandFailure.notBuiltYet("repo import", "filed") }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a citizen's documents.")
        @OptionGroup var repository: DataOption
        @Option(help: ArgumentHelp("Owner: 12-digit personal number or tax code.", valueName: "ID")) var citizen: String
        @Option(name: .customLong("case"), help: ArgumentHelp("Only this case.", valueName: "CASE")) var caseID: String?
        @Option(help: ArgumentHelp("Only this document type.", valueName: "T")) var type: String?
        @Flag(help: "Print JSON.") var json = false
        func run() throws { throw CommandFailure.notBuiltYet("repo list", "listed") }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a document, its versions and cases.")
        @OptionGroup var repository: DataOption
        @Argument(help: ArgumentHelp("Document id.", valueName: "DOC")) var document: String
        func run() throws { throw CommandFailure.notBuiltYet("repo show", "shown") }
    }

    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a document's (latest or given) version to a file.")
        @OptionGroup var repository: DataOption
        @Argument(help: ArgumentHelp("Document id.", valueName: "DOC")) var document: String
        @Option(help: ArgumentHelp("Version to fetch.", valueName: "V")) var version: String?
        @Option(name: [.short, .customLong("output")], help: ArgumentHelp("File to write.", valueName: "FILE")) var output: String
        func run() throws { throw CommandFailure.notBuiltYet("repo get", "written") }
    }

    struct Reuse: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Attach an already-signed document to a new case.")
        @OptionGroup var repository: DataOption
        @Argument(help: ArgumentHelp("Document id.", valueName: "DOC")) var document: String
        @Option(name: .customLong("case"), help: ArgumentHelp("The new case's dossier code.", valueName: "NEWCASE")) var caseID: String
        func run() throws { throw CommandFailure.notBuiltYet("repo reuse", "attached") }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Export a case's signed PDFs, manifest and audit entries as a zip.")
        @OptionGroup var repository: DataOption
        @Option(name: .customLong("case"), help: ArgumentHelp("The dossier code.", valueName: "CASE")) var caseID: String
        @Option(name: [.short, .customLong("output")], help: ArgumentHelp("The zip file to write.", valueName: "FILE.zip")) var output: String
        func run() throws { throw CommandFailure.notBuiltYet("repo export", "exported") }
    }

    struct Fsck: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check every blob, row and the audit chain.")
        @OptionGroup var repository: DataOption
        @Flag(help: "Remove orphan blobs (never data a row points at).") var repair = false
        func run() throws { throw CommandFailure.notBuiltYet("repo fsck", "checked") }
    }

    struct Anchor: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Time-stamp the audit chain's head.")
        @OptionGroup var repository: DataOption
        @Option(help: ArgumentHelp("The time-stamp authority.", valueName: "URL")) var tsa: String
        func run() throws { throw CommandFailure.notBuiltYet("repo anchor", "anchored") }
    }
}
