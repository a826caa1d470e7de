import ArgumentParser
import Foundation
import SohoaCrypto
import SohoaPipeline
import SohoaRepository
import SohoaService
import SohoaVerification

extension RepoCommand {
    /// `sohoa repo reuse`: "submit once", a filed document attached to a new case.
    struct Reuse: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Attach an already-signed document to a new case.",
            discussion: """
                The document's signatures are verified again first, as `sohoa verify` does; a \
                document that is unsigned, invalid, not shown valid, superseded or revoked is \
                refused with the reasons. The new case must be the same citizen's. --json prints \
                one object: {"id", "case", "attached", "cases", "verdict", "reason"} (reason only \
                when refused, cases only when attached).

                Examples:
                  sohoa repo reuse --data /srv/sohoa 3f9a1c --case 000.00.01.H26-251125-0031 \\
                      --trust /etc/sohoa/root-ca.pem
                  sohoa repo reuse --data /srv/sohoa 3f9a1c --case 000.00.01.H26-251125-0031 \\
                      --trust roots/ --json

                Exit status: 0 attached (or already in the case), 1 refused with the reason, \
                3 usage error or unreadable trust anchors.
                """)
        static let name = "sohoa repo reuse"

        @OptionGroup var repository: DataOption
        @Argument(help: ArgumentHelp("Document id, or its first 6 or more digits.", valueName: "DOC")) var document: String
        @Option(name: .customLong("case"), help: ArgumentHelp("The new case's dossier code.", valueName: "NEWCASE")) var caseID: String
        @Option(help: ArgumentHelp("Trust anchors for verifying the document: PEM or DER files, or folders.",
                                   valueName: "FILE_OR_DIR"))
        var trust: [String] = []
        @Flag(help: "Never fetch revocation data while verifying.") var offline = false
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            _ = try RepoCommand.prefix(document)
            _ = try RepoCommand.parse { () throws(IdentifierError) in try DossierCode(caseID) }
        }

        func run() async throws {
            let dossier = try RepoCommand.parse { () throws(IdentifierError) in try DossierCode(caseID) }
            let anchors: TrustAnchors
            do { anchors = try TrustAnchors(loading: trust) } catch {
                throw CommandFailure(message: "\(Self.name): \(error)", exitCode: ExitStatus.usage)
            }
            let verifier = DocumentVerifier(policy: VerificationPolicy(anchors: anchors, fetcher: offline ? nil : RevocationFetcher(timeout: 5)),
                                            language: json ? .en : RepoWords.reportLanguage)
            let repository = try await self.repository.open(for: Self.name)
            let id = try await RepoCommand.document(document, in: repository, command: Self.name)
            let language = RepoWords.language
            do {
                let (reused, report) = try await RepoCommand.service(repository, verifier: verifier)
                    .reuse(id, into: dossier, as: RepoCommand.principal)
                if json {
                    print(try RepoCommand.json(ReuseOutcome(id: id.rawValue, case: dossier.rawValue, attached: true, cases: reused.cases,
                                                       verdict: report.verdict.rawValue, reason: nil)))
                    return
                }
                let cases = reused.cases.joined(separator: ", ")
                print(language.pick(
                    vietnamese: "Tài liệu \(id) đã được gắn vào hồ sơ \(dossier) (chữ ký đã được kiểm tra lại: hợp lệ); "
                        + "tài liệu thuộc các hồ sơ \(cases).",
                    english: "Document \(id) is attached to \(dossier) (its signatures verified valid); it belongs to \(cases)."))
            } catch {
                let refusal = error as? DocumentReuse.Refusal
                if json {  // for scripts: in English, as the rest of the JSON
                    print(try RepoCommand.json(ReuseOutcome(id: id.rawValue, case: dossier.rawValue, attached: false, cases: nil,
                                                       verdict: refusal?.report?.verdict.rawValue, reason: "\(error)")))
                }
                throw CommandFailure(message: "\(Self.name): \(refusal.map(RepoWords.refusal) ?? "\(error)")",
                                     exitCode: ExitStatus.refused)
            }
        }
    }
}
