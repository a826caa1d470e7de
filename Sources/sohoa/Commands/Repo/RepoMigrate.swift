import ArgumentParser
import Foundation
import SohoaPostgres
import SohoaRepository

extension RepoCommand {
    /// `sohoa repo migrate`: every record and blob of one repository moved into another.
    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Move every record and blob of a repository into a new one (SQLite to PostgreSQL).",
            discussion: """
                Copies everything the repository in --from holds into the repository in --data, \
                which `sohoa repo init` made (typically with --database, so that its records are \
                in PostgreSQL): every blob (checked against its hash), case, document with its \
                versions, inbox item, job, audit entry and anchor, with their ids, times and \
                hashes, so that `sohoa repo fsck` still checks the audit chain and every anchor. \
                The old repository is only read.

                Stop every `sohoa watch` and `sohoa sign --pending` of the old repository first: \
                a job being worked on is refused. Running it again, or again after it was \
                stopped or killed, copies only what is missing. A target with documents or audit \
                entries of its own is refused. Afterwards point the watchers (--data) at the new \
                repository.

                --json prints {"blobs", "cases", "documents", "texts", "intake", "jobs", "auditEntries", \
                "anchors", "accessGrants"}, each {"copied", "present"} (present: copied by an earlier run).

                Examples:
                  sohoa repo init --data /mnt/sohoa --database postgres://sohoa@db.so.vn/sohoa
                  sohoa repo migrate --from /srv/sohoa --data /mnt/sohoa

                Exit status: 0 copied (or nothing was missing), 1 refused (either repository \
                cannot be opened, jobs are running, the target has a history of its own, a blob is \
                damaged), 3 usage error.
                """)
        static let name = "sohoa repo migrate"

        @Option(help: ArgumentHelp("The repository to copy from (it is only read).", valueName: "OLD_DIR"))
        var from: String

        @OptionGroup var repository: DataOption

        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let source = try await RepoCommand.open(from, passwordFile: nil, for: Self.name)
            let target = try await repository.open(for: Self.name)
            let migration = RepositoryMigration(from: source, to: target)
            let showProgress = !json && isatty(STDERR_FILENO) == 1
            let report: RepositoryMigration.Report
            do {
                report = try await migration.run(actor: RepoCommand.actor) { line in
                    if showProgress { FileHandle.standardError.write(Data("\(Self.name): \(line)\n".utf8)) }
                }
            } catch {
                throw CommandFailure(message: "\(Self.name): \(error)", exitCode: ExitStatus.refused)
            }
            if json {
                print(try RepoCommand.json(report))
                return
            }
            let rows: [(String, String, RepositoryMigration.Report.Count)] = [
                ("blobs", "tệp nội dung", report.blobs), ("cases", "hồ sơ", report.cases),
                ("documents", "tài liệu", report.documents), ("versions' text", "văn bản của phiên bản", report.texts),
                ("inbox items", "mục tiếp nhận", report.intake),
                ("jobs", "công việc", report.jobs), ("audit entries", "mục nhật ký kiểm toán", report.auditEntries),
                ("anchors", "dấu thời gian nhật ký", report.anchors),
                ("access grants", "quyền truy cập", report.accessGrants),
            ]
            let language = RepoWords.language
            print(language.pick(vietnamese: "Đã chép từ \(from) sang \(repository.data):",
                                english: "Copied from \(from) into \(repository.data):"))
            for (english, vietnamese, count) in rows {
                print(language.pick(vietnamese: "  \(vietnamese): \(count.copied) đã chép, \(count.present) đã có từ trước",
                                    english: "  \(english): \(count.copied) copied, \(count.present) already there"))
            }
            if report.copiedNothing {
                print(language.pick(vietnamese: "Không thiếu gì: kho mới đã có đủ.",
                                    english: "Nothing was missing: the new repository already had everything."))
            }
        }
    }
}
