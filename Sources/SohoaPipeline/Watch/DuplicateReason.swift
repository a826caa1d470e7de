import Foundation
import SohoaRepository

/// Why a dropped file is a duplicate and what to do about it, in both languages: it names the
/// document the first copy was filed as and where that document is in its life, and says
/// "already being processed" only while the first copy is still in the pipeline.
struct DuplicateReason: Equatable {
    let problem: OperatorText
    let advice: OperatorText

    /// The reason for a duplicate of `original` (the intake item received first), filed as
    /// `filed` when it already is.
    init(original: IntakeEntry, filed: Document?) {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone.current
        let when = formatter.string(from: original.received)
        let path = original.record.relativePath
        let first = OperatorText(vietnamese: "cùng tệp này đã được tiếp nhận cho công dân và hồ sơ này, là \(path) lúc \(when)",
                                 english: "the same file was already received for this citizen and case, as \(path) at \(when)")
        if let filed {
            self = Self.filed(first, filed)
        } else {
            problem = OperatorText(vietnamese: first.vietnamese + "; tài liệu đó vẫn đang được xử lý; tệp không được lưu lần thứ hai",
                                   english: first.english + "; it is still being processed; it is not filed a second time")
            advice = OperatorText(vietnamese: "Không cần làm gì: tài liệu đang được xử lý. Có thể xóa bản sao này.",
                                  english: "Nothing: the document is already being processed. This copy can be deleted.")
        }
    }

    /// The reason for a duplicate whose rejection a crash interrupted (the store no longer
    /// says which item came first): the document of the owner's case holding the same
    /// content, when there is one.
    init(recovering duplicate: IntakeEntry, store: any Store) async throws {
        let dossier = duplicate.record.dossier.rawValue
        let filed = try await store.documents(owner: duplicate.record.owner, containing: duplicate.record.sha256)
            .first { $0.cases.contains(dossier) }
        let first = OperatorText(vietnamese: "cùng tệp này đã được tiếp nhận trước đó cho công dân và hồ sơ này",
                                 english: "the same file was already received for this citizen and case")
        if let filed {
            self = Self.filed(first, filed)
        } else {
            problem = OperatorText(vietnamese: first.vietnamese + "; tệp không được lưu lần thứ hai",
                                   english: first.english + "; it is not filed a second time")
            advice = OperatorText(vietnamese: "Không cần làm gì: tài liệu đã được tiếp nhận. Có thể xóa bản sao này.",
                                  english: "Nothing: the document was already received. This copy can be deleted.")
        }
    }

    private init(problem: OperatorText, advice: OperatorText) {
        self.problem = problem
        self.advice = advice
    }

    private static func filed(_ first: OperatorText, _ document: Document) -> DuplicateReason {
        let id = document.id.rawValue
        let state = Self.state(document.state)
        return DuplicateReason(
            problem: OperatorText(
                vietnamese: first.vietnamese + ", và đã được lưu thành tài liệu \(id) (trạng thái: \(state.vietnamese)); "
                    + "tệp không được lưu lần thứ hai",
                english: first.english + ", and is filed as document \(id) (state: \(state.english)); "
                    + "it is not filed a second time"),
            advice: OperatorText(
                vietnamese: "Không cần làm gì: tài liệu đã được lưu (tài liệu \(id), \(state.vietnamese)); "
                    + "lệnh sohoa repo show \(id) cho xem tài liệu đó. Có thể xóa bản sao này.",
                english: "Nothing: the document is already filed (document \(id), \(state.english)); "
                    + "sohoa repo show \(id) shows it. This copy can be deleted."))
    }

    /// A document's state, as the reason file says it.
    static func state(_ state: DocumentState) -> OperatorText {
        switch state {
        case .pending: return OperatorText(vietnamese: "chờ cán bộ ký", english: "pending, waiting for an officer's signature")
        case .signed: return OperatorText(vietnamese: "đã được cán bộ ký", english: "signed by an officer")
        case .approved: return OperatorText(vietnamese: "đã được lãnh đạo phê duyệt", english: "approved")
        case .superseded: return OperatorText(vietnamese: "đã được thay bằng bản mới hơn", english: "superseded by a newer one")
        case .revoked: return OperatorText(vietnamese: "đã bị thu hồi", english: "revoked")
        }
    }
}
