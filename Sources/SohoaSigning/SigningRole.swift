/// Who signs, and so which state a document moves to once signed.
public enum SigningRole: String, Sendable, CaseIterable {
    /// The officer who handles the case: the first signature (`pending` → `signed`).
    case officer
    /// The branch leader who approves: a second signature in a new incremental update,
    /// leaving the officer's intact (`signed` → `approved`).
    case approver

    /// The default reason written into the signature dictionary's `/Reason`.
    public var defaultReason: String {
        switch self {
        case .officer: return "Ký số kết quả giải quyết thủ tục hành chính (officer signature)"
        case .approver: return "Phê duyệt kết quả (approval signature)"
        }
    }
}
