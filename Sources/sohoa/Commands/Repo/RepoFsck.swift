import ArgumentParser
import Foundation
import SohoaRepository

extension RepoCommand {
    /// `sohoa repo fsck`: the repository's check.
    struct Fsck: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every blob, row and the audit chain.",
            discussion: """
                Re-hashes every blob, checks that every version's blob exists, checks the audit \
                chain and each anchor's time-stamp, and lists orphans (blobs no row points at, \
                leftovers of interrupted writes). --repair removes orphans only, never what a row \
                points at. --json prints one object: {"blobsChecked", "auditEntriesChecked", \
                "anchorsChecked", "problems": [{"object", "problem"}], "orphans", "removed"}.

                Examples:
                  sohoa repo fsck --data /srv/sohoa
                  sohoa repo fsck --data /srv/sohoa --repair --json

                Exit status: 0 clean, 1 damage found or orphans left (each named), 3 usage error.
                """)
        static let name = "sohoa repo fsck"

        @OptionGroup var repository: DataOption
        @Flag(help: "Remove orphan blobs (never data a row points at).") var repair = false
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let report: FsckReport
            let repository = try await self.repository.open(for: Self.name)
            do { report = try await repository.fsck(repair: repair) } catch {
                throw CommandFailure(message: "\(Self.name): \(error)", exitCode: ExitStatus.refused)
            }
            if json {
                print(try RepoCommand.json(report))
            } else {
                print(Self.text(report, language: RepoWords.language))
            }
            if !report.problems.isEmpty || report.orphans.count > report.removed.count { throw ExitCode(ExitStatus.refused) }
        }

        /// The report for people; the first word of each finding stays English (DAMAGED,
        /// ORPHAN, REMOVED) for those who search logs for it.
        static func text(_ report: FsckReport, language: DisplayLanguage) -> String {
            var lines: [String] = []
            for problem in report.problems { lines.append("DAMAGED  \(problem.object): \(problem.problem)") }
            for orphan in report.orphans where !report.removed.contains(orphan) {
                lines.append("ORPHAN   \(orphan): " + language.pick(vietnamese: "không bản ghi nào trỏ tới (`--repair` sẽ xoá)",
                                                                   english: "no row points at it (`--repair` removes it)"))
            }
            for removed in report.removed { lines.append("REMOVED  \(removed)") }
            let orphans = report.orphans.count - report.removed.count
            lines.append(language.pick(
                vietnamese: "Đã kiểm tra \(report.blobsChecked) blob, \(report.auditEntriesChecked) mục nhật ký kiểm toán và "
                    + "\(report.anchorsChecked) mốc thời gian: \(report.problems.count) hỏng, \(orphans) mồ côi",
                english: "\(report.blobsChecked) blobs, \(report.auditEntriesChecked) audit entries and \(report.anchorsChecked) "
                    + "anchors checked: \(report.problems.count) damaged, \(orphans) orphans"))
            return lines.joined(separator: "\n")
        }
    }
}
