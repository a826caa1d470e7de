import SohoaRepository

extension OperatorText {
    /// The words for a job the repository refused (`StoreError.isTransient` false): trying it
    /// again would give the same answer, so it is given up at once with this reason.
    init(refusal: StoreError) {
        switch refusal {
        case .ownedByAnotherCitizen(let dossier, let owner, let claimant):
            self.init(vietnamese: "hồ sơ \(dossier) thuộc về \(owner), không phải của \(claimant)", english: refusal.description)
        default:
            // The store's own message is in English only: the Vietnamese part points to it.
            self.init(vietnamese: "kho hồ sơ từ chối lưu tài liệu này; lý do là thông báo của hệ thống, chỉ có bằng tiếng Anh "
                          + "(xem phần \"What was wrong\" bên dưới)",
                      english: refusal.description)
        }
    }
}
