import Foundation
import SohoaPipeline
import SohoaRepository
import SohoaVerification

/// The repository's words on the terminal, in the operator's language (`DisplayLanguage`).
/// JSON keeps the English state and kind names of the contract.
enum RepoWords {
    static var language: DisplayLanguage { .current }

    /// `DIR` holds no repository: which command says so, and what to do.
    static func notARepository(_ data: String, command: String) -> String {
        language.pick(
            vietnamese: "\(command): \(data) không phải kho lưu trữ Sohoa (không có tệp repository.json hay sohoa.sqlite). "
                + "Hãy kiểm tra --data; kho mới được tạo khi chạy `sohoa repo init --data \(data)`, `sohoa watch --data \(data)` "
                + "hoặc `sohoa repo import --data \(data)`.",
            english: "\(command): \(data) is not a Sohoa repository (it has no repository.json nor sohoa.sqlite). Check --data; "
                + "a new repository is made by `sohoa repo init --data \(data)`, `sohoa watch --data \(data)` or "
                + "`sohoa repo import --data \(data)`.")
    }

    /// A document id prefix that names no document, or several.
    static func lookup(_ error: DocumentLookupError) -> String {
        switch error {
        case .notFound(let prefix):
            return language.pick(vietnamese: "không có tài liệu nào có mã bắt đầu bằng \(prefix)",
                                 english: "there is no document whose id starts with \(prefix)")
        case .ambiguous(let prefix, let candidates, let more):
            let list = candidates.map(\.rawValue).joined(separator: ", ") + (more ? ", …" : "")
            return language.pick(
                vietnamese: "\(prefix) là phần đầu mã của nhiều tài liệu (\(list)); hãy gõ thêm chữ số",
                english: "\(prefix) is the start of several document ids (\(list)); give more digits")
        }
    }

    /// Why a document was not reused; the verifier's reasons are already in the operator's
    /// language (`reportLanguage`).
    static func refusal(_ refusal: DocumentReuse.Refusal) -> String {
        guard language == .vietnamese else { return refusal.description }
        let id = refusal.document
        switch refusal.reason {
        case .noSuchDocument:
            return "không có tài liệu \(id)"
        case .notReusable(let state):
            return "tài liệu \(id) \(self.state(state)), không được dùng lại"
        case .cannotBeVerified(let why):
            return "không kiểm tra được tài liệu \(id): \(why)"
        case .notValid(let verdict, let reasons):
            let what = switch verdict {
            case .unsigned: "chưa được ký"
            case .invalid: "có chữ ký không hợp lệ"
            default: "có chữ ký chưa xác định được là hợp lệ"
            }
            return "tài liệu \(id) \(what) nên không được dùng lại" + (reasons.isEmpty ? "" : ": " + reasons.joined(separator: " "))
        }
    }

    /// The language of the verifier's reasons: the operator's.
    static var reportLanguage: ReportLanguage { language == .vietnamese ? .vi : .en }

    /// A document state as people read it.
    static func state(_ state: DocumentState) -> String {
        switch language {
        case .english: return state.rawValue
        case .vietnamese:
            switch state {
            case .pending: return "chờ ký"
            case .signed: return "đã ký, chờ duyệt"
            case .approved: return "đã duyệt"
            case .superseded: return "đã thay thế"
            case .revoked: return "đã thu hồi"
            }
        }
    }

    /// A version's kind as people read it.
    static func kind(_ kind: VersionKind) -> String {
        switch language {
        case .english: return kind.rawValue
        case .vietnamese:
            switch kind {
            case .source: return "bản quét"
            case .assembled: return "bản PDF ghép"
            case .signed: return "bản đã ký"
            case .approved: return "bản đã duyệt"
            case .imported: return "bản nhập"
            case .refreshed: return "bản gia hạn bằng chứng"
            }
        }
    }
}
