import Foundation

/// The report for people: per file and per signature, in plain words, in Vietnamese or English.
public enum TextReport {
    public static func verdictWord(_ verdict: Verdict, _ language: ReportLanguage) -> String {
        switch (verdict, language) {
        case (.valid, .vi): return "HỢP LỆ"
        case (.invalid, .vi): return "KHÔNG HỢP LỆ"
        case (.indeterminate, .vi): return "CHƯA XÁC ĐỊNH ĐƯỢC"
        case (.unsigned, .vi): return "CHƯA KÝ"
        case (.valid, .en): return "VALID"
        case (.invalid, .en): return "INVALID"
        case (.indeterminate, .en): return "INDETERMINATE"
        case (.unsigned, .en): return "UNSIGNED"
        }
    }

    /// The lines for one file.
    public static func render(_ file: FileReport, _ language: ReportLanguage) -> String {
        let vi = language == .vi
        var lines = ["\(file.path): \(verdictWord(file.verdict, language))"]
        for problem in file.problems { lines.append("  - \(problem)") }
        if file.signatures.isEmpty, file.problems.isEmpty {
            lines.append(vi ? "  Tệp không có chữ ký số nào." : "  The file has no digital signature.")
        }
        for (index, signature) in file.signatures.enumerated() {
            let kind = signature.type == "document-timestamp" ? (vi ? "Dấu thời gian tài liệu" : "Document time-stamp")
                : (vi ? "Chữ ký" : "Signature")
            lines.append("  \(kind) \(index + 1) (\(signature.field)): \(verdictWord(signature.verdict, language))")
            if let signer = signature.signer { lines.append("    \(vi ? "Người ký" : "Signer"): \(signer)") }
            if let time = signature.signingTime {
                lines.append("    \(vi ? "Thời điểm ký (tự khai)" : "Signing time (claimed)"): \(time)")
            }
            if let time = signature.timestamp {
                let by = signature.timestampAuthority.map { vi ? ", do \($0) cấp" : ", by \($0)" } ?? ""
                lines.append("    \(vi ? "Dấu thời gian" : "Time-stamp"): \(time)\(by)")
            }
            if let level = signature.certification {
                lines.append("    \(vi ? "Chữ ký chứng nhận tài liệu (DocMDP P=\(level))" : "Certifies the document (DocMDP P=\(level))")")
            }
            let whole = signature.coversWholeDocument ? (vi ? "có" : "yes") : (vi ? "không" : "no")
            lines.append("    \(vi ? "Bao phủ toàn bộ tệp" : "Covers the whole file"): \(whole)")
            lines.append("    \(vi ? "Toàn vẹn" : "Integrity"): \(signature.integrity) · \(vi ? "Chuỗi chứng thư" : "Chain"): "
                         + "\(signature.chain) · \(vi ? "Thu hồi" : "Revocation"): \(signature.revocation)")
            if !signature.modificationsAfter.isEmpty {
                let allowed = signature.modificationsAfter.filter(\.allowed).count
                lines.append(vi ? "    Thay đổi sau khi ký: \(signature.modificationsAfter.count) đối tượng, \(allowed) được phép"
                             : "    Changes after signing: \(signature.modificationsAfter.count) objects, \(allowed) allowed")
            }
            for reason in signature.reasons { lines.append("    - \(reason)") }
        }
        return lines.joined(separator: "\n")
    }

    /// The closing line of a run.
    public static func summary(_ run: VerificationRun, seconds: Double, _ language: ReportLanguage) -> String {
        let count = { (verdict: Verdict) in run.files.filter { $0.verdict == verdict }.count }
        let total = run.files.count + run.errors.count
        if language == .vi {
            return "\(total) tệp: \(count(.valid)) hợp lệ, \(count(.invalid)) không hợp lệ, \(count(.indeterminate)) chưa xác định được, "
                + "\(count(.unsigned)) chưa ký, \(run.errors.count) không đọc được — \(String(format: "%.2f", seconds)) giây"
        }
        return "\(total) files: \(count(.valid)) valid, \(count(.invalid)) invalid, \(count(.indeterminate)) indeterminate, "
            + "\(count(.unsigned)) unsigned, \(run.errors.count) unreadable — \(String(format: "%.2f", seconds)) s"
    }
}
