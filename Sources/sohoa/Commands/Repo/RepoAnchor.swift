import ArgumentParser
import Foundation
import SohoaRepository

extension RepoCommand {
    /// `sohoa repo anchor`: the audit chain's head time-stamped.
    struct Anchor: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time-stamp the audit chain's head.",
            discussion: """
                Asks the RFC 3161 time-stamp authority for a token over the newest audit entry's \
                hash, checks it and keeps it; `sohoa repo fsck` then checks every anchor, so \
                history before it cannot be rewritten unseen. --json prints one object: \
                {"sequence", "head", "tsa", "time"} (time in UTC).

                Examples:
                  sohoa repo anchor --data /srv/sohoa --tsa http://127.0.0.1:3180/
                  sohoa repo anchor --data /srv/sohoa --tsa https://tsa.example.vn/ --json

                Exit status: 0 anchored, 1 the authority cannot be reached or refuses, or the log \
                is empty, 3 usage error.
                """)
        static let name = "sohoa repo anchor"

        @OptionGroup var repository: DataOption
        @Option(help: ArgumentHelp("The time-stamp authority.", valueName: "URL")) var tsa: String
        @Flag(help: "Print JSON.") var json = false

        /// What `--json` prints.
        struct Anchored: Encodable {
            let sequence: Int
            let head: String
            let tsa: String
            let time: Date
        }

        func validate() throws {
            guard URL(string: tsa)?.scheme?.hasPrefix("http") == true else {
                throw ValidationError("--tsa \(tsa) is not an http:// or https:// address")
            }
        }

        func run() async throws {
            let repository = try await self.repository.open(for: Self.name)
            let anchor: SohoaRepository.Anchor
            do { anchor = try await repository.anchor(tsa: URL(string: tsa)!, actor: RepoCommand.actor) } catch {
                throw CommandFailure(message: "\(Self.name): \(error)", exitCode: ExitStatus.refused)
            }
            if json {
                print(try RepoCommand.json(Anchored(sequence: anchor.sequence, head: anchor.head, tsa: tsa, time: anchor.time)))
                return
            }
            print(RepoWords.language.pick(
                vietnamese: "Đã đóng dấu thời gian mục nhật ký kiểm toán \(anchor.sequence) (\(anchor.head)) bằng \(tsa), "
                    + "lúc \(LocalTime.string(anchor.time))",
                english: "Anchored audit entry \(anchor.sequence) (\(anchor.head)) with a time-stamp from \(tsa) "
                    + "at \(LocalTime.string(anchor.time))"))
        }
    }
}
