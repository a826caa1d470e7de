import SohoaPipeline

/// What `sohoa watch` tells the person who starts it, in the display language.
enum WatchMessages {
    /// Where refused files and the log go, said once at start-up.
    static func startUp(rejected: String, polling: Bool, stableSeconds: Double) -> OperatorText {
        let seconds = stableSeconds == stableSeconds.rounded() ? String(Int(stableSeconds)) : String(stableSeconds)
        var text = OperatorText(
            vietnamese: "sohoa watch: tệp bị từ chối được chuyển vào \(rejected), mỗi tệp kèm một tệp <tên>.reason.txt "
                + "nêu lý do; nhật ký được ghi ra đầu ra lỗi chuẩn (stderr; journal khi chạy như dịch vụ systemd).",
            english: "sohoa watch: refused files go to \(rejected), each with a <name>.reason.txt saying why; the log goes "
                + "to standard error (the journal when run as a systemd service).")
        if polling {
            text = OperatorText(
                vietnamese: text.vietnamese + " Chế độ quét định kỳ (--poll): tệp được nhận khi không đổi trong \(seconds) giây; "
                    + "thời gian này phải dài hơn lần dừng lâu nhất của máy quét hoặc của việc sao chép.",
                english: text.english + " Polling (--poll): a file is taken once unchanged for \(seconds) s; that must be "
                    + "longer than the longest pause of the scanner or of the copy.")
        }
        return text
    }

    /// An error that stops the watcher from starting, in `language` where it has words for it.
    static func text(of error: any Error, in language: DisplayLanguage) -> String {
        switch error {
        case let failure as WatchLock.Failure: return language.text(failure.text)
        case PipelineFailure.permanent(let text): return language.text(text)
        default: return "\(error)"
        }
    }
}
