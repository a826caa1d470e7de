import Foundation
import SohoaPDF

/// How much a finding weighs in a verdict (ETSI EN 319 102-1).
public enum Severity: Int, Sendable, Comparable {
    /// Worth saying; does not change the verdict.
    case note = 0
    /// Validity cannot be shown.
    case indeterminate = 1
    /// The signature is not valid.
    case invalid = 2

    public static func < (a: Severity, b: Severity) -> Bool { a.rawValue < b.rawValue }
}

/// One thing a verification found, with a stable code for scripts and words for people.
public struct Finding: Sendable, Equatable {
    /// Stable identifier, e.g. "digest-mismatch".
    public let code: String
    public let severity: Severity
    public let phrase: Phrase

    init(_ code: String, _ severity: Severity, vi: String, en: String) {
        self.code = code
        self.severity = severity
        phrase = Phrase(vi: vi, en: en)
    }
}

/// The findings verification can make.
extension Finding {
    // Structure
    static func byteRange(_ problem: String) -> Finding {
        Finding("byte-range-malformed", .invalid,
                vi: "Phạm vi ký (/ByteRange) không hợp lệ: \(problem). Chữ ký không chứng minh được phần nào của tệp.",
                en: "The signed range (/ByteRange) is not valid: \(problem). The signature proves nothing about the file.")
    }
    static let gapIsNotContents = Finding("byte-range-gap", .invalid,
        vi: "Khoảng trống trong phạm vi ký không đúng là chuỗi /Contents của chữ ký này: có nội dung nằm ngoài phần được ký.",
        en: "The gap in the signed range is not exactly this signature's /Contents string: content lies outside what was signed.")
    static let contentsMissing = Finding("contents-missing", .invalid,
        vi: "Chữ ký không có /Contents (giá trị chữ ký).", en: "The signature has no /Contents (no signature value).")
    static let notIndirect = Finding("signature-not-indirect", .invalid,
        vi: "Từ điển chữ ký không phải là một đối tượng gián tiếp nên không xác định được nó thuộc phiên bản nào.",
        en: "The signature dictionary is not an indirect object, so the revision it belongs to cannot be told.")
    static let notInSignedRevision = Finding("signature-outside-signed-revision", .invalid,
        vi: "Từ điển chữ ký đang dùng không nằm trong phần được ký: nó đã được thay sau khi ký.",
        en: "The signature dictionary in use is not the one inside the signed bytes: it was replaced after signing.")
    static func subFilter(_ value: String?) -> Finding {
        Finding("sub-filter-unknown", .invalid,
                vi: "Định dạng chữ ký \(value ?? "(không có)") không được hỗ trợ.",
                en: "The signature format \(value ?? "(none)") is not supported.")
    }
    static func legacyFormat(_ value: String) -> Finding {
        Finding("legacy-format", .indeterminate,
                vi: "Định dạng chữ ký cũ \(value) dùng SHA-1, không còn được chấp nhận.",
                en: "The legacy signature format \(value) relies on SHA-1 and is no longer accepted.")
    }
    static func cms(_ problem: String) -> Finding {
        Finding("cms-malformed", .invalid, vi: "Giá trị chữ ký không phải cấu trúc CMS hợp lệ (\(problem)).",
                en: "The signature value is not a valid CMS structure (\(problem)).")
    }
    static let paddingNotZero = Finding("contents-padding", .invalid,
        vi: "Sau cấu trúc chữ ký trong /Contents có dữ liệu lạ (không phải số 0 đệm).",
        en: "/Contents holds unexpected data after the signature structure (not zero padding).")
    static let rangeNotAtRevisionEnd = Finding("range-not-revision", .invalid,
        vi: "Phạm vi ký không kết thúc đúng ở cuối một phiên bản của tệp (%%EOF).",
        en: "The signed range does not end exactly at the end of a revision of the file (%%EOF).")
    static func signedRevisionUnreadable(_ detail: String) -> Finding {
        Finding("signed-revision-unreadable", .invalid, vi: "Không đọc được phiên bản tài liệu đã ký (\(detail)).",
                en: "The signed revision of the document cannot be read (\(detail)).")
    }

    // Cryptography
    static let digestMismatch = Finding("digest-mismatch", .invalid,
        vi: "Nội dung đã bị thay đổi sau khi ký: mã băm của phần được ký không khớp với chữ ký.",
        en: "The content was changed after signing: the hash of the signed bytes does not match the signature.")
    static let signatureValueWrong = Finding("signature-value-wrong", .invalid,
        vi: "Giá trị chữ ký không khớp với khóa công khai của người ký: chữ ký bị giả mạo hoặc hỏng.",
        en: "The signature value does not verify with the signer's public key: it is forged or damaged.")
    static let contentTypeWrong = Finding("content-type-wrong", .invalid,
        vi: "Kiểu nội dung của chữ ký (eContentType hoặc thuộc tính contentType) không phải id-data.",
        en: "The signature's content type (its eContentType or contentType attribute) is not id-data.")
    static let signerCertificateMissing = Finding("signer-certificate-missing", .indeterminate,
        vi: "Chữ ký không kèm chứng thư số của người ký nên không kiểm tra được.",
        en: "The signer's certificate is not in the signature, so it cannot be checked.")
    static let signingCertificateMismatch = Finding("signing-certificate-mismatch", .invalid,
        vi: "Thuộc tính signing-certificate không chỉ đúng chứng thư số của người ký (có thể đã bị tráo chứng thư).",
        en: "The signing-certificate attribute does not name the signer's certificate (the certificate may have been swapped).")
    static let signingCertificateMissing = Finding("signing-certificate-missing", .indeterminate,
        vi: "Chữ ký PAdES thiếu thuộc tính signing-certificate-v2 bắt buộc.",
        en: "The PAdES signature lacks the required signing-certificate-v2 attribute.")
    static func unsupportedAlgorithm(_ name: String) -> Finding {
        Finding("unsupported-algorithm", .indeterminate,
                vi: "Sohoa không hỗ trợ thuật toán \(name) nên không kiểm tra được chữ ký này (không có nghĩa là chữ ký bị giả mạo).",
                en: "Sohoa does not support the algorithm \(name), so this signature cannot be checked (which does not mean it is forged).")
    }
    static let signedAttributesMissing = Finding("signed-attributes-missing", .invalid,
        vi: "Chữ ký PAdES (ETSI.CAdES.detached) không có thuộc tính được ký (signed attributes) bắt buộc.",
        en: "The PAdES signature (ETSI.CAdES.detached) lacks the signed attributes it must have.")
    static let signatureValueWrongOverContent = Finding("signature-value-wrong", .invalid,
        vi: "Chữ ký không có thuộc tính được ký và giá trị chữ ký không khớp với mã băm của phần được ký: "
            + "nội dung đã bị thay đổi sau khi ký, hoặc chữ ký bị giả mạo hay hỏng.",
        en: "The signature has no signed attributes and its value does not match the hash of the signed bytes: "
            + "the content was changed after signing, or the signature is forged or damaged.")
    static func severalSignerInfos(_ count: Int, _ checked: String?) -> Finding {
        Finding("several-signer-infos", .note,
                vi: "Cấu trúc chữ ký chứa \(count) người ký (SignerInfo); chỉ người ký có chứng thư kèm theo"
                    + " (\(checked ?? "người đầu tiên")) được kiểm tra, những người còn lại không chứng minh gì về tài liệu.",
                en: "The signature container holds \(count) signer infos; only the one whose certificate it carries"
                    + " (\(checked ?? "the first")) is checked, and the others prove nothing about the document.")
    }
    static func weakAlgorithm(_ name: String) -> Finding {
        Finding("weak-algorithm", .indeterminate, vi: "Thuật toán \(name) đã yếu, không được chấp nhận theo chính sách.",
                en: "The algorithm \(name) is weak and not accepted by policy.")
    }
    static func weakKey(_ key: String) -> Finding {
        Finding("weak-key", .indeterminate, vi: "Khóa của người ký (\(key)) yếu hơn mức tối thiểu RSA-2048 hoặc ECDSA P-256.",
                en: "The signer's key (\(key)) is weaker than the minimum, RSA-2048 or ECDSA P-256.")
    }

    // Changes after signing
    static func changesNotAllowed(_ changes: [ObjectChange]) -> Finding {
        let list = changes.prefix(5).map { describe($0) }
        let more = changes.count > 5 ? " (+\(changes.count - 5))" : ""
        return Finding("modified-after-signing", .invalid,
                       vi: "Tài liệu đã bị sửa sau khi ký theo cách chữ ký không cho phép: "
                           + list.map(\.vi).joined(separator: "; ") + more + ".",
                       en: "The document was changed after signing in a way the signature does not allow: "
                           + list.map(\.en).joined(separator: "; ") + more + ".")
    }
    static func laterRevisionBroken(_ problem: String) -> Finding {
        Finding("later-revision-broken", .invalid,
                vi: "Phần được thêm vào sau khi ký không phải là một bản cập nhật hợp lệ (\(problem)).",
                en: "What was added after signing is not a proper update (\(problem)).")
    }
    static func laterRevisionMisread(_ warnings: [String]) -> Finding {
        let shown = warnings.prefix(3).map { $0.count > 300 ? String($0.prefix(300)) + "…" : $0 }.joined(separator: "; ")
        let more = warnings.count > 3 ? " (+\(warnings.count - 3))" : ""
        return Finding("later-revision-unreadable", .invalid,
                       vi: "Phần được thêm vào sau khi ký không đọc được một cách rõ ràng (\(shown)\(more)); "
                           + "một chương trình đọc PDF khác có thể hiển thị điều mà việc so sánh không thấy.",
                       en: "What was added after signing cannot be read unambiguously (\(shown)\(more)); "
                           + "another PDF reader may show what the comparison cannot see.")
    }
    static func unaccountedSignature(offset: Int, object: Int?) -> Finding {
        let which = object.map { "object \($0), " } ?? ""
        let whichVi = object.map { "đối tượng \($0), " } ?? ""
        return Finding("signature-not-in-document", .invalid,
                       vi: "Tệp chứa một từ điển chữ ký (\(whichVi)byte \(offset)) mà tài liệu không cho thấy hoặc không đọc được: "
                           + "một chữ ký bị che, bị thay, hoặc hỏng. Không thể coi tệp là hợp lệ.",
                       en: "The file holds a signature dictionary (\(which)byte \(offset)) that the document does not show or that "
                           + "cannot be read: a signature hidden, replaced or damaged. The file cannot be called valid.")
    }
    static let trailingBytes = Finding("unexplained-bytes", .invalid,
        vi: "Có dữ liệu được nối vào cuối tệp sau phiên bản cuối cùng: một thay đổi không thể giải thích.",
        en: "Data was appended after the file's last revision: an unexplained modification.")
    static func damaged(_ detail: String) -> Finding {
        Finding("structure-damaged", .invalid, vi: "Cấu trúc tệp PDF bị hỏng (\(detail)).", en: "The PDF file's structure is damaged (\(detail)).")
    }
    static func formFilled(_ fields: [String]) -> Finding {
        let names = fields.map { "“\($0)”" }.joined(separator: ", ")
        return Finding("form-filled", .note,
                       vi: "Sau khi ký, trường biểu mẫu \(names) đã được điền hoặc sửa giá trị; chữ ký cho phép việc này. "
                           + "Nội dung hiển thị ở các trường này có thể khác lúc ký.",
                       en: "After signing, the form field \(names) was filled in or changed; the signature permits this. "
                           + "What these fields show may differ from what was signed.")
    }
    static let partialCoverage = Finding("partial-coverage", .note,
        vi: "Chữ ký không bao phủ toàn bộ tệp; các thay đổi sau đó đều được phép.",
        en: "The signature does not cover the whole file; every later change is an allowed one.")

    // Trust
    static func untrustedRoot(_ subject: String) -> Finding {
        Finding("untrusted-root", .indeterminate,
                vi: "Chuỗi chứng thư dẫn đến \(subject), không phải một gốc tin cậy (--trust).",
                en: "The certificate chain leads to \(subject), which is not a trusted root (--trust).")
    }
    static func incompleteChain(_ subject: String) -> Finding {
        Finding("chain-incomplete", .indeterminate,
                vi: "Không tìm được tổ chức cấp chứng thư cho \(subject): chuỗi chứng thư không đầy đủ hoặc không dẫn tới gốc tin cậy.",
                en: "No issuer could be found for \(subject): the chain is incomplete or does not lead to a trusted root.")
    }
    static func outsideValidity(_ subject: String, _ notAfter: Date?, _ time: Date) -> Finding {
        let end = notAfter.map { Report.day($0) } ?? "?"
        return Finding("certificate-expired", .indeterminate,
                       vi: "Chứng thư \(subject) không còn hiệu lực vào thời điểm kiểm tra \(Report.timestamp(time)) (hết hạn \(end)) "
                           + "và không có dấu thời gian chứng minh chữ ký có trước đó.",
                       en: "The certificate \(subject) was not valid at the validation time \(Report.timestamp(time)) (it expires \(end)), "
                           + "and no time-stamp proves the signature existed before.")
    }
    static func wrongUsage(_ detail: String) -> Finding {
        Finding("wrong-key-usage", .indeterminate, vi: "Chứng thư không được phép dùng để ký: \(detail).",
                en: "The certificate may not be used for this: \(detail).")
    }
    static func chainFailed(_ detail: String) -> Finding {
        Finding("chain-failed", .indeterminate, vi: "Chuỗi chứng thư không hợp lệ: \(detail).", en: "The certificate chain is not valid: \(detail).")
    }

    // Revocation
    static func revoked(_ subject: String, _ date: Date, _ reason: String) -> Finding {
        Finding("revoked", .invalid,
                vi: "Chứng thư \(subject) đã bị thu hồi ngày \(Report.timestamp(date)) (\(reason)), trước thời điểm ký.",
                en: "The certificate \(subject) was revoked on \(Report.timestamp(date)) (\(reason)), before the signing time.")
    }
    static func revokedLater(_ subject: String, _ date: Date) -> Finding {
        Finding("revoked-after-signing", .note,
                vi: "Chứng thư \(subject) bị thu hồi ngày \(Report.timestamp(date)), sau thời điểm ký đã được dấu thời gian chứng minh.",
                en: "The certificate \(subject) was revoked on \(Report.timestamp(date)), after the time-stamped signing time.")
    }
    static func revocationUnknown(_ subject: String, _ why: String) -> Finding {
        Finding("revocation-unknown", .indeterminate,
                vi: "Không xác định được tình trạng thu hồi của \(subject): \(why).",
                en: "The revocation status of \(subject) is unknown: \(why).")
    }

    // Time-stamps
    /// What a later document time-stamp proved existed.
    enum ProvenItem {
        case signature, signatureTimeStamp, documentTimeStamp
    }
    static func existenceProven(_ field: String, _ time: Date, of item: ProvenItem) -> Finding {
        let (vi, en) = switch item {
        case .signature: ("chữ ký này", "this signature")
        case .signatureTimeStamp: ("dấu thời gian của chữ ký", "the signature's time-stamp")
        case .documentTimeStamp: ("dấu thời gian tài liệu này", "this document time-stamp")
        }
        return Finding("existence-proven", .note,
                       vi: "Dấu thời gian tài liệu \(field) chứng minh \(vi) đã tồn tại lúc \(Report.timestamp(time)); "
                           + "các chứng thư được kiểm tra tại thời điểm đó.",
                       en: "The document time-stamp \(field) proves \(en) existed at \(Report.timestamp(time)); "
                           + "the certificates are checked at that time.")
    }
    static func timeStampBroken(_ detail: String) -> Finding {
        Finding("timestamp-broken", .indeterminate, vi: "Dấu thời gian của chữ ký không hợp lệ: \(detail).",
                en: "The signature's time-stamp is not valid: \(detail).")
    }
    static func timeStampUntrusted(_ why: Finding) -> Finding {
        Finding("timestamp-untrusted", .note,
                vi: "Không tin cậy được dấu thời gian (\(why.phrase.vi)); chữ ký được kiểm tra tại thời điểm hiện tại.",
                en: "The time-stamp cannot be trusted (\(why.phrase.en)); the signature is checked at the present time.")
    }

    private static func describe(_ change: ObjectChange) -> Phrase {
        let what: Phrase
        if change.kind == .formFilled, let field = change.field {
            return Phrase(vi: "điền trường biểu mẫu “\(field)” đã bị khóa hoặc không được phép điền",
                          en: "form field “\(field)” filled although it is locked or filling is not permitted")
        }
        let shown = change.field.map { Phrase(vi: "chữ ký “\($0)”", en: "signature “\($0)”") }
            ?? Phrase(vi: "chú thích (đối tượng \(change.objectID))", en: "annotation (object \(change.objectID))")
        let onPage = change.page.map { Phrase(vi: " trên trang \($0)", en: " on page \($0)") } ?? Phrase(vi: "", en: "")
        switch change.kind {
        case .appearanceCoversSignedContent:
            return Phrase(vi: "hình hiển thị của \(shown.vi)\(onPage.vi) che lên nội dung đã ký",
                          en: "the appearance of \(shown.en)\(onPage.en) covers content that was signed")
        case .appearanceReusesSignedObjects:
            return Phrase(vi: "hình hiển thị của \(shown.vi)\(onPage.vi) dùng lại đối tượng của bản đã ký",
                          en: "the appearance of \(shown.en)\(onPage.en) reuses objects of the signed revision")
        default:
            break
        }
        if let page = change.page {
            what = Phrase(vi: "trang \(page)", en: "page \(page)")
        } else {
            what = Phrase(vi: "\(Report.roleVi(change.role)) (đối tượng \(change.objectID))",
                          en: "\(change.role) (object \(change.objectID))")
        }
        switch change.action {
        case .added: return Phrase(vi: "thêm \(what.vi)", en: "\(what.en) added")
        case .changed: return Phrase(vi: "sửa \(what.vi)", en: "\(what.en) changed")
        case .removed: return Phrase(vi: "xóa \(what.vi)", en: "\(what.en) removed")
        }
    }
}
