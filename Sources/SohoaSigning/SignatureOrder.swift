import Foundation
import SohoaPDF

/// Why a role's signature does not belong on a document as it is: the officer signs first and
/// once, the approver signs what an officer signed. `--force` signs anyway, with a warning.
public enum SignatureOrderProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// An approval asked for on a document nobody has signed.
    case approvalOfUnsignedDocument
    /// An officer signature asked for on a document that already carries `count` signatures.
    case alreadySigned(count: Int)

    /// A stable code for scripts (`sign --json`).
    public var code: String {
        switch self {
        case .approvalOfUnsignedDocument: return "approval-of-unsigned-document"
        case .alreadySigned: return "already-signed"
        }
    }

    /// The reason in Vietnamese, for the officer.
    public var vietnamese: String {
        switch self {
        case .approvalOfUnsignedDocument:
            return "tài liệu chưa được ký: phê duyệt là ký lên tài liệu cán bộ đã ký (hãy ký với vai trò cán bộ trước)"
        case .alreadySigned(let count):
            return "tài liệu đã có \(count) chữ ký: cán bộ chỉ ký một lần (phê duyệt bằng --role approver)"
        }
    }

    public var description: String {
        switch self {
        case .approvalOfUnsignedDocument:
            return "it is not signed yet: an approval signs what an officer signed (sign it as officer first)"
        case .alreadySigned(let count):
            return "it already carries \(count == 1 ? "a signature" : "\(count) signatures"): "
                + "an officer signs a document once (approve it with --role approver)"
        }
    }
}

/// Checks that a signature by a role fits the signatures a document already carries.
public enum SignatureOrder {
    /// The signatures (not document time-stamps) the PDF at `path` carries.
    public static func signatureCount(ofFileAt path: String) throws -> Int {
        let document = try QPDFDocument(path: path)
        return try document.signatureDictionaries().filter { !$0.isDocumentTimeStamp }.count
    }

    /// What is wrong with signing as `role` a document carrying `existing` signatures, nil when nothing is.
    public static func problem(signingAs role: SigningRole, existing: Int) -> SignatureOrderProblem? {
        switch role {
        case .officer: return existing > 0 ? .alreadySigned(count: existing) : nil
        case .approver: return existing == 0 ? .approvalOfUnsignedDocument : nil
        }
    }
}
