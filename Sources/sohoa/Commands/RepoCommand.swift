import ArgumentParser
import Foundation
import SohoaCrypto
import SohoaPDF
import SohoaPipeline
import SohoaRepository
import SohoaVerification

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

        /// The repository, opened; only filing (`import`) creates a new one, so that a mistyped
        /// folder is reported instead of being an empty repository.
        func open(creating: Bool = false) throws -> Repository {
            if !creating, !FileManager.default.fileExists(atPath: (data as NSString).appendingPathComponent("sohoa.sqlite")) {
                throw CommandFailure(message: "sohoa repo: \(data) is not a Sohoa repository (it has no sohoa.sqlite); "
                                     + "`sohoa repo import` makes one", exitCode: ExitStatus.refused)
            }
            do { return try Repository(data: data) } catch {
                throw CommandFailure(message: "sohoa repo: \(error)", exitCode: ExitStatus.refused)
            }
        }
    }

    /// Who acts: the operating-system user running the command.
    static var actor: String { ProcessInfo.processInfo.environment["USER"] ?? "unknown" }

    /// An identifier checked before it reaches a path or a query; a usage error otherwise.
    static func parse<T>(_ make: () throws(IdentifierError) -> T) throws -> T {
        do { return try make() } catch { throw ValidationError(error.description) }
    }

    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// How a document is listed for scripts (`repo list --json`, SPEC.md's keys and more).
    struct Listed: Encodable {
        let id: String, citizen: String, cases: [String], type: String?, title: String?, state: String, sha256: String
        let created: Date
        init(_ document: Document) {
            id = document.id.rawValue
            citizen = document.owner
            cases = document.cases
            type = document.type
            title = document.title
            state = document.state.rawValue
            sha256 = document.latest.rawValue
            created = document.created
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "File a PDF for a citizen's case; prints the document id.")
        @OptionGroup var repository: DataOption
        @Option(help: ArgumentHelp("Owner: 12-digit personal number or tax code.", valueName: "ID")) var citizen: String
        @Option(name: .customLong("case"), help: ArgumentHelp("The dossier code.", valueName: "CASE")) var caseID: String
        @Option(help: ArgumentHelp("Document type.", valueName: "T")) var type: String?
        @Option(help: ArgumentHelp("Document title.", valueName: "TEXT")) var title: String?
        @Option(help: ArgumentHelp("The procedure the case is for (kept when the case is new).", valueName: "TEXT"))
        var procedure: String?
        @Argument(help: ArgumentHelp("The PDF to file.", valueName: "FILE.pdf")) var file: String

        func validate() throws {
            _ = try RepoCommand.parse { () throws(IdentifierError) in try OwnerID(citizen) }
            _ = try RepoCommand.parse { () throws(IdentifierError) in try DossierCode(caseID) }
        }

        func run() throws {
            let owner = try RepoCommand.parse { () throws(IdentifierError) in try OwnerID(citizen) }
            let dossier = try RepoCommand.parse { () throws(IdentifierError) in try DossierCode(caseID) }
            let repository = try self.repository.open(creating: true)
            // A signed PDF is filed as signed; anything else waits for signature.
            let signed = (try? QPDFDocument(path: file).signatureDictionaries().isEmpty == false) ?? false
            do {
                let filed = try repository.importPDF(at: file, owner: owner, dossier: dossier, procedure: procedure, type: type,
                                                     title: title, state: signed ? .signed : .pending, actor: RepoCommand.actor)
                print(filed.document.id.rawValue)
                if filed.duplicate {
                    Output.error("sohoa repo import: \(file) is already filed for \(owner) as document \(filed.document.id); "
                                 + "it is now linked to \(dossier) too, and nothing was copied")
                }
            } catch {
                throw CommandFailure(message: "sohoa repo import: \(error)", exitCode: ExitStatus.refused)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a citizen's documents.")
        @OptionGroup var repository: DataOption
        @Option(help: ArgumentHelp("Owner: 12-digit personal number or tax code.", valueName: "ID")) var citizen: String
        @Option(name: .customLong("case"), help: ArgumentHelp("Only this case.", valueName: "CASE")) var caseID: String?
        @Option(help: ArgumentHelp("Only this document type.", valueName: "T")) var type: String?
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            _ = try RepoCommand.parse { () throws(IdentifierError) in try OwnerID(citizen) }
            if let caseID { _ = try RepoCommand.parse { () throws(IdentifierError) in try DossierCode(caseID) } }
        }

        func run() throws {
            let owner = try RepoCommand.parse { () throws(IdentifierError) in try OwnerID(citizen) }
            let dossier = try caseID.map { text in try RepoCommand.parse { () throws(IdentifierError) in try DossierCode(text) } }
            let documents: [Document]
            let repository = try self.repository.open()
            do { documents = try repository.store.documents(owner: owner, dossier: dossier, type: type) } catch {
                throw CommandFailure(message: "sohoa repo list: \(error)", exitCode: ExitStatus.refused)
            }
            if json {
                print(try RepoCommand.json(["documents": documents.map(Listed.init)]))
                return
            }
            if documents.isEmpty { print("No documents for \(owner)\(dossier.map { " in \($0)" } ?? "").") }
            for document in documents {
                print("\(document.id)  \(document.state.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0))  "
                      + "\((document.type ?? "-").padding(toLength: 14, withPad: " ", startingAt: 0))  "
                      + "\(document.cases.joined(separator: ","))  \(document.title ?? "")")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a document, its versions and cases.")
        @OptionGroup var repository: DataOption
        @Argument(help: ArgumentHelp("Document id.", valueName: "DOC")) var document: String
        @Flag(help: "Print JSON.") var json = false

        func validate() throws { _ = try RepoCommand.parse { () throws(IdentifierError) in try DocumentID(document) } }

        func run() throws {
            let id = try RepoCommand.parse { () throws(IdentifierError) in try DocumentID(document) }
            let repository = try self.repository.open()
            guard let found = try repository.store.document(id) else {
                throw CommandFailure(message: "sohoa repo show: there is no document \(id)", exitCode: ExitStatus.refused)
            }
            let versions = try repository.store.versions(of: id)
            try repository.store.record(actor: RepoCommand.actor, action: "read", subject: id.rawValue, detail: "shown")
            if json {
                struct Shown: Encodable { let document: Listed; let versions: [DocumentVersion] }
                print(try RepoCommand.json(Shown(document: Listed(found), versions: versions)))
                return
            }
            print("Document \(found.id): \(found.title ?? "(no title)")")
            print("  owner \(found.owner), type \(found.type ?? "-"), state \(found.state.rawValue)")
            print("  cases: \(found.cases.joined(separator: ", "))")
            for version in versions {
                let parent = version.parent.map { ", made from \($0.rawValue.prefix(12))…" } ?? ""
                print("  version \(version.number): \(version.kind.rawValue) \(version.hash) (\(version.size) bytes) by "
                      + "\(version.actor) at \(version.created.formatted(.iso8601))\(parent)")
            }
        }
    }

    struct Get: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a document's (latest or given) version to a file.")
        @OptionGroup var repository: DataOption
        @Argument(help: ArgumentHelp("Document id.", valueName: "DOC")) var document: String
        @Option(help: ArgumentHelp("Version to fetch.", valueName: "V")) var version: String?
        @Option(name: [.short, .customLong("output")], help: ArgumentHelp("File to write.", valueName: "FILE")) var output: String

        func validate() throws {
            _ = try RepoCommand.parse { () throws(IdentifierError) in try DocumentID(document) }
            if let version, Int(version).map({ $0 >= 1 }) != true { throw ValidationError("--version is a number from 1") }
        }

        func run() throws {
            let id = try RepoCommand.parse { () throws(IdentifierError) in try DocumentID(document) }
            let repository = try self.repository.open()
            do {
                let written = try repository.get(id, version: version.flatMap { Int($0) }, to: output, actor: RepoCommand.actor)
                print("Wrote \(output): version \(written.number), \(written.kind.rawValue), sha256 \(written.hash)")
            } catch {
                throw CommandFailure(message: "sohoa repo get: \(error)", exitCode: ExitStatus.refused)
            }
        }
    }

    struct Reuse: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Attach an already-signed document to a new case.")
        @OptionGroup var repository: DataOption
        @Argument(help: ArgumentHelp("Document id.", valueName: "DOC")) var document: String
        @Option(name: .customLong("case"), help: ArgumentHelp("The new case's dossier code.", valueName: "NEWCASE")) var caseID: String
        @Option(help: ArgumentHelp("Trust anchors for verifying the document: PEM or DER files, or folders.",
                                   valueName: "FILE_OR_DIR"))
        var trust: [String] = []
        @Flag(help: "Never fetch revocation data while verifying.") var offline = false

        func validate() throws {
            _ = try RepoCommand.parse { () throws(IdentifierError) in try DocumentID(document) }
            _ = try RepoCommand.parse { () throws(IdentifierError) in try DossierCode(caseID) }
        }

        func run() throws {
            let id = try RepoCommand.parse { () throws(IdentifierError) in try DocumentID(document) }
            let dossier = try RepoCommand.parse { () throws(IdentifierError) in try DossierCode(caseID) }
            let anchors: TrustAnchors
            do { anchors = try TrustAnchors(loading: trust) } catch {
                throw CommandFailure(message: "sohoa repo reuse: \(error)", exitCode: ExitStatus.usage)
            }
            let verifier = DocumentVerifier(policy: VerificationPolicy(anchors: anchors, fetcher: offline ? nil : RevocationFetcher(timeout: 5)),
                                            language: ReportLanguage.fromEnvironment())
            let repository = try self.repository.open()
            do {
                let (reused, _) = try DocumentReuse(repository: repository, verifier: verifier)
                    .reuse(id, in: dossier, actor: RepoCommand.actor)
                print("Document \(id) is attached to \(dossier) (its signatures verified valid); "
                      + "it belongs to \(reused.cases.joined(separator: ", ")).")
            } catch {
                throw CommandFailure(message: "sohoa repo reuse: \(error)", exitCode: ExitStatus.refused)
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Export a case's signed PDFs, manifest and audit entries as a zip.")
        @OptionGroup var repository: DataOption
        @Option(name: .customLong("case"), help: ArgumentHelp("The dossier code.", valueName: "CASE")) var caseID: String
        @Option(name: [.short, .customLong("output")], help: ArgumentHelp("The zip file to write.", valueName: "FILE.zip")) var output: String

        func validate() throws { _ = try RepoCommand.parse { () throws(IdentifierError) in try DossierCode(caseID) } }

        func run() throws {
            let dossier = try RepoCommand.parse { () throws(IdentifierError) in try DossierCode(caseID) }
            let repository = try self.repository.open()
            do {
                let export = try repository.export(case: dossier, to: output, actor: RepoCommand.actor)
                print("Wrote \(output): \(export.documents) document(s), SHA256SUMS, manifest.json and "
                      + "\(export.auditEntries) audit entries")
            } catch {
                throw CommandFailure(message: "sohoa repo export: \(error)", exitCode: ExitStatus.refused)
            }
        }
    }

    struct Fsck: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check every blob, row and the audit chain.")
        @OptionGroup var repository: DataOption
        @Flag(help: "Remove orphan blobs (never data a row points at).") var repair = false
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let report: FsckReport
            let repository = try self.repository.open()
            do { report = try repository.fsck(repair: repair) } catch {
                throw CommandFailure(message: "sohoa repo fsck: \(error)", exitCode: ExitStatus.refused)
            }
            if json {
                print(try RepoCommand.json(report))
            } else {
                for problem in report.problems { print("DAMAGED  \(problem.object): \(problem.problem)") }
                for orphan in report.orphans where !report.removed.contains(orphan) {
                    print("ORPHAN   \(orphan): no row points at it (`--repair` removes it)")
                }
                for removed in report.removed { print("REMOVED  \(removed)") }
                print("\(report.blobsChecked) blobs, \(report.auditEntriesChecked) audit entries and \(report.anchorsChecked) anchors checked: "
                      + "\(report.problems.count) damaged, \(report.orphans.count - report.removed.count) orphans")
            }
            if !report.problems.isEmpty || report.orphans.count > report.removed.count { throw ExitCode(ExitStatus.refused) }
        }
    }

    struct Anchor: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Time-stamp the audit chain's head.")
        @OptionGroup var repository: DataOption
        @Option(help: ArgumentHelp("The time-stamp authority.", valueName: "URL")) var tsa: String

        func validate() throws {
            guard URL(string: tsa)?.scheme?.hasPrefix("http") == true else {
                throw ValidationError("--tsa \(tsa) is not an http:// or https:// address")
            }
        }

        func run() throws {
            let repository = try self.repository.open()
            do {
                let anchor = try repository.anchor(tsa: URL(string: tsa)!, actor: RepoCommand.actor)
                print("Anchored audit entry \(anchor.sequence) (\(anchor.head)) with a time-stamp from \(tsa)")
            } catch {
                throw CommandFailure(message: "sohoa repo anchor: \(error)", exitCode: ExitStatus.refused)
            }
        }
    }
}
