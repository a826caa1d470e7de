import ArgumentParser
import Foundation
import SohoaCrypto
import SohoaPipeline
import SohoaRepository
import SohoaSigning
import SohoaVerification

extension RepoCommand {
    /// `sohoa repo refresh`: the archive's time-stamps kept fresh.
    struct Refresh: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Keep every signed document verifiable: file a refreshed version where its evidence is due.",
            usage: "sohoa repo refresh --data DIR --tsa URL [--within DAYS] [--trust FILE_OR_DIR]... [--json]",
            discussion: """
                Looks at the newest version of every signed and approved document. It is due \
                when it has no document time-stamp yet (it is not B-LTA), when its newest \
                time-stamp's authority certificate expires within --within days (365), or when \
                that time-stamp uses an algorithm no longer trusted (an imprint weaker than \
                SHA-256, an authority key below the signing policy). A due document that verifies \
                valid now (with --trust) gets a refreshed version: its bytes unchanged, followed \
                by the validation data of every chain it holds and a document time-stamp from \
                --tsa (see sohoa timestamp), filed with its provenance (kind refreshed) and an \
                audit entry, and only if the document has not moved on meanwhile. One worker per \
                core; a progress bar at a terminal. Run again, nothing is due; killed, it is run \
                again and no document is refreshed twice.

                --json prints {"documents": [{"document", "outcome", "version", "reason", \
                "bytesAdded"}], "totals": {"documents", "refreshed", "fresh", "refused", "failed", \
                "seconds"}}; outcome is refreshed, fresh, refused or failed.

                Examples:
                  sohoa repo refresh --data /srv/sohoa --tsa http://tsa.so.vn/ --trust /etc/sohoa/trust/
                  sohoa repo refresh --data /srv/sohoa --tsa http://127.0.0.1:8318/ --within 730 --json

                Exit status: 0 nothing left due, 1 a document refused or failed, or the authority \
                does not answer (nothing is filed), 3 usage error.
                """)
        static let name = "sohoa repo refresh"

        @OptionGroup var repository: DataOption
        @Option(help: ArgumentHelp("The RFC 3161 time-stamp authority.", valueName: "URL")) var tsa: String
        @Option(help: ArgumentHelp("Refresh what its newest time-stamp's authority certificate leaves fewer days than this.",
                                   valueName: "DAYS"))
        var within = 365
        @Option(help: ArgumentHelp("Trust anchors for the verification first: PEM or DER files, or folders.", valueName: "FILE_OR_DIR"))
        var trust: [String] = []
        @Flag(help: "Print JSON.") var json = false

        struct Shown: ContractJSON {
            let document: String, outcome: String, version: Int?, reason: String?, bytesAdded: Int?

            init(_ outcome: ArchiveRefresh.Outcome) {
                document = outcome.document.rawValue
                switch outcome {
                case .refreshed(_, let number, let because, let added):
                    (self.outcome, version, reason, bytesAdded) = ("refreshed", number, because.description, added)
                case .fresh:
                    (self.outcome, version, reason, bytesAdded) = ("fresh", nil, nil, nil)
                case .refused(_, let why):
                    (self.outcome, version, reason, bytesAdded) = ("refused", nil, why, nil)
                case .failed(_, let why):
                    (self.outcome, version, reason, bytesAdded) = ("failed", nil, why, nil)
                }
            }
        }

        func validate() throws {
            guard URL(string: tsa)?.scheme?.hasPrefix("http") == true else {
                throw ValidationError("--tsa \(tsa) is not an http:// or https:// address")
            }
            guard (0...36500).contains(within) else { throw ValidationError("--within is 0 to 36500 days") }
        }

        func run() async throws {
            let anchors: TrustAnchors
            do { anchors = try TrustAnchors(loading: trust) } catch {
                throw CommandFailure(message: "\(Self.name): \(error)", exitCode: ExitStatus.usage)
            }
            guard let url = URL(string: tsa) else { throw ExitCode(ExitStatus.usage) }
            let authority = HTTPTimeStamper(url: url)
            // The authority answers, with a token Sohoa accepts, before anything is read: and its
            // certificate's expiry says which renewals would help.
            let authorityExpires: Date?
            let stamper: DocumentTimeStamper
            do {
                let (sized, probe) = try DocumentTimeStamper.sized { digest in try authority.token(forSHA256: digest) }
                stamper = sized
                authorityExpires = (try? TimeStampToken(der: probe))?.signerCertificate?.notAfter
            } catch {
                throw CommandFailure(message: "\(Self.name): \(error); nothing was refreshed", exitCode: ExitStatus.refused)
            }
            let repository = try await self.repository.open(for: Self.name)
            let fetcher = RevocationFetcher(timeout: 10)
            let refresh = ArchiveRefresh(
                repository: repository,
                renewal: ArchiveRenewal(validationData: ValidationDataCollector(fetcher: fetcher),
                                        stamper: stamper,
                                        anchors: anchors.certificates),
                verifier: DocumentVerifier(policy: VerificationPolicy(anchors: anchors, fetcher: fetcher), language: .en),
                deadline: Date().addingTimeInterval(Double(within) * 86_400), authorityExpires: authorityExpires,
                actor: RepoCommand.actor)
            let documents: [Document]
            do { documents = try await refresh.documents() } catch {
                throw CommandFailure(message: "\(Self.name): \(error)", exitCode: ExitStatus.refused)
            }
            let started = Date()
            let display = BatchDisplay(total: documents.count, nameWidth: 32, quiet: json)
            let outcomes = await refresh.run(documents, workers: ProcessInfo.processInfo.activeProcessorCount) { outcome in
                let id = outcome.document.rawValue
                switch outcome {
                case .refreshed(_, let version, let because, let added):
                    display.show(id, line: "refreshed \(id) → version \(version) (\(because); \(added) bytes added)")
                case .fresh: display.show(id)
                case .refused(_, let why): display.show(id, refusal: "\(id): \(why)")
                case .failed(_, let why): display.show(id, failure: why)
                }
            }
            display.finish()
            let seconds = Date().timeIntervalSince(started)
            let shown = outcomes.map(Shown.init)
            let count = { (name: String) in shown.filter { $0.outcome == name }.count }
            if json {
                struct Totals: Encodable { let documents, refreshed, fresh, refused, failed: Int; let seconds: Double }
                struct Report: Encodable { let documents: [Shown]; let totals: Totals }
                print(try RepoCommand.json(Report(documents: shown, totals: Totals(
                    documents: outcomes.count, refreshed: count("refreshed"), fresh: count("fresh"), refused: count("refused"),
                    failed: count("failed"), seconds: (seconds * 100).rounded() / 100))))
            } else {
                print(RepoWords.language.pick(
                    vietnamese: "\(count("refreshed")) tài liệu được gia hạn bằng chứng, \(count("fresh")) chưa đến hạn, "
                        + "\(count("refused")) bị từ chối, \(count("failed")) lỗi, trong \(String(format: "%.1f", seconds)) giây",
                    english: "\(count("refreshed")) refreshed, \(count("fresh")) not due, \(count("refused")) refused, "
                        + "\(count("failed")) failed in \(String(format: "%.1f", seconds)) s"))
            }
            if count("refused") + count("failed") > 0 { throw ExitCode(ExitStatus.refused) }
        }
    }
}
