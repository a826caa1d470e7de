import Foundation
import SohoaPipeline
import SohoaRepository

/// `sohoa status` for people: in their language, times in the local zone with the offset.
/// Failure reasons are shown as the pipeline recorded them (in English).
struct StatusText {
    let status: PipelineStatus
    let language: DisplayLanguage

    var text: String {
        var lines: [String] = []
        lines.append(language.pick(vietnamese: "Tình trạng lúc", english: "Status at") + " \(LocalTime.string(status.time))")
        lines.append("")
        let intake = IntakeState.allCases.map { "\(intakeState($0)) \(status.intake[$0.rawValue] ?? 0)" }.joined(separator: ", ")
        lines.append(language.pick(
            vietnamese: "Tài liệu tiếp nhận: \(intake); bị từ chối ngay trong thư mục tiếp nhận (đặt sai chỗ hoặc sai tên): "
                + "\(status.refusedInInbox)",
            english: "Inbox items: \(intake); refused in the inbox (misplaced or misnamed): \(status.refusedInInbox)"))
        lines.append("")
        if status.stages.isEmpty {
            lines.append(language.pick(vietnamese: "(chưa có công việc nào)", english: "(no jobs yet)"))
        } else {
            var table = TextTable(header: language == .vietnamese
                ? ["công đoạn", "đang chờ", "đang chạy", "xong", "lỗi", "mỗi phút", "chờ lâu nhất"]
                : ["stage", "queued", "running", "done", "failed", "per minute", "oldest waiting"])
            for stage in status.stages {
                let oldest = stage.oldestWaitingSeconds.map { "\($0) s" } ?? "-"
                table.append([stage.stage, "\(stage.queued)", "\(stage.running)", "\(stage.done)", "\(stage.failed)",
                              "\(stage.throughputPerMinute)", oldest])
            }
            lines.append(table.text)
        }
        if !status.nodes.isEmpty {
            lines.append("")
            var table = TextTable(header: language == .vietnamese
                ? ["nút", "vai trò", "thư mục tiếp nhận", "bận/số luồng", "nghe lần cuối", "trạng thái"]
                : ["node", "role", "inbox", "busy/workers", "last heard", "state"])
            for node in status.nodes {
                table.append([node.name, node.role, node.inbox, "\(node.busyWorkers)/\(node.workers)",
                              language.pick(vietnamese: "\(node.lastSeenSeconds) giây trước", english: "\(node.lastSeenSeconds) s ago"),
                              nodeState(node.state)])
            }
            lines.append(table.text)
        }
        lines.append("")
        let pending = status.documents["pending"] ?? 0, signed = status.documents["signed"] ?? 0
        let approved = status.documents["approved"] ?? 0
        lines.append(language.pick(
            vietnamese: "Chờ cán bộ ký: \(pending); chờ lãnh đạo duyệt: \(signed); đã duyệt: \(approved)",
            english: "Waiting for an officer's signature: \(pending); waiting for approval: \(signed); approved: \(approved)"))
        if !status.recentFailures.isEmpty {
            lines.append("")
            lines.append(language.pick(vietnamese: "Lỗi gần đây:", english: "Recent failures:"))
            for failure in status.recentFailures {
                let words = language.pick(vietnamese: failure.reasonVietnamese ?? failure.reason, english: failure.reason)
                let reason = words.hasPrefix(failure.subject) ? String(words.dropFirst(failure.subject.count))
                    .trimmingCharacters(in: CharacterSet(charactersIn: ":, ")) : words
                let state = failure.state == "failed" ? language.pick(vietnamese: "đã bỏ", english: "failed")
                    : language.pick(vietnamese: "sẽ thử lại", english: "retrying")
                let attempts = language.pick(vietnamese: "\(failure.attempts) lần thử",
                                             english: "\(failure.attempts) attempt\(failure.attempts == 1 ? "" : "s")")
                lines.append("  \(LocalTime.string(failure.time))  \(failure.stage) \(failure.subject) (\(state), \(attempts)): \(reason)")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// A node's state in words: running, silent (not heard from: killed or cut off), stopped.
    private func nodeState(_ state: String) -> String {
        switch (language, state) {
        case (.vietnamese, "running"): return "đang chạy"
        case (.vietnamese, "silent"): return "mất liên lạc"
        case (.vietnamese, "stopped"): return "đã dừng"
        default: return state
        }
    }

    private func intakeState(_ state: IntakeState) -> String {
        switch language {
        case .english: return state.rawValue
        case .vietnamese:
            switch state {
            case .received: return "đang xử lý"
            case .filed: return "đã lưu"
            case .duplicate: return "trùng lặp"
            case .rejected: return "bị từ chối"
            }
        }
    }
}
