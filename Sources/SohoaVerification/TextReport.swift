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
            lines.append("    \(vi ? "Toàn vẹn" : "Integrity"): \(word(signature.integrity, language)) · "
                         + "\(vi ? "Chuỗi chứng thư" : "Chain"): \(word(signature.chain, language)) · "
                         + "\(vi ? "Thu hồi" : "Revocation"): \(word(signature.revocation, language))")
            if !signature.modificationsAfter.isEmpty {
                let allowed = signature.modificationsAfter.filter(\.allowed).count
                lines.append(vi ? "    Thay đổi sau khi ký: \(signature.modificationsAfter.count) đối tượng, \(allowed) được phép"
                             : "    Changes after signing: \(signature.modificationsAfter.count) objects, \(allowed) allowed")
            }
            if let certificate = signature.certificate {
                let until = certificate.notAfter.map { vi ? ", hiệu lực đến \($0)" : ", valid until \($0)" } ?? ""
                lines.append("    \(vi ? "Chứng thư đã dùng" : "Certificate used"): \(certificate.subject) "
                             + "(\(vi ? "số sê-ri" : "serial") \(certificate.serialNumber)\(until))")
            }
            for data in signature.revocationData {
                let kind = data.kind == "crl" ? (vi ? "CRL" : "CRL") : (vi ? "trả lời OCSP" : "OCSP answer")
                let source = data.source == "document" ? (vi ? "có trong tài liệu" : "from the document")
                    : (vi ? "tải về khi kiểm tra" : "fetched while verifying")
                lines.append("    \(vi ? "Dữ liệu thu hồi" : "Revocation data"): \(kind) \(vi ? "phát hành" : "issued") \(data.issued), "
                             + "\(source), \(vi ? "cho" : "for") \(data.certificate)")
            }
            if let existed = signature.existedAt {
                let proof = switch existed.provenBy {
                case "signature-timestamp": vi ? "dấu thời gian của chữ ký" : "the signature's time-stamp"
                case "document-timestamp": (vi ? "dấu thời gian tài liệu " : "the document time-stamp ") + (existed.field ?? "")
                default: vi ? "chính dấu thời gian này" : "this time-stamp itself"
                }
                lines.append("    \(vi ? "Đã tồn tại lúc" : "Known to exist at"): \(existed.time) (\(vi ? "chứng minh bởi" : "proved by") \(proof))")
            }
            for reason in signature.reasons { lines.append("    - \(reason)") }
        }
        return lines.joined(separator: "\n")
    }

    /// A status word of the JSON report, said in the report's language.
    static func word(_ value: String, _ language: ReportLanguage) -> String {
        guard language == .vi else { return value }
        let vietnamese = [
            "intact": "nguyên vẹn", "broken": "bị phá vỡ", "malformed": "sai cấu trúc",
            "trusted": "tin cậy", "untrusted": "không tin cậy", "incomplete": "không đầy đủ", "expired": "hết hiệu lực",
            "wrong-usage": "sai mục đích sử dụng", "failed": "không hợp lệ", "not-checked": "chưa kiểm tra",
            "good": "chưa bị thu hồi", "revoked": "đã bị thu hồi", "unknown": "không xác định",
        ]
        return vietnamese[value] ?? value
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
