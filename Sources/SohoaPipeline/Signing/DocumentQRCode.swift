import Foundation
import SohoaRepository
import SohoaSigning

/// What the QR code on a filed document carries (Circular 01/2023: the dossier code, the
/// procedure code, the holder's identifier, the document's name, the issuing system and the
/// issue time; Sohoa adds the public check link). One line per item, labelled in Vietnamese,
/// so that a phone shows it readably.
///
/// The holder's identifier is masked when it is a person's 12-digit number (the first three
/// and last three digits shown): the code is printed on paper that leaves the office, and the
/// public check page behind the link never shows the identifier either. An organisation's tax
/// code is public and shown whole.
public struct DocumentQRCode: Sendable {
    /// The base of the public check link (`sohoa serve`'s address); the code's `/v/{code}` follows.
    public var checkURLBase: URL?
    /// The issuing system's name.
    public var issuingSystem = "Sohoa"

    public init(checkURLBase: URL?) {
        self.checkURLBase = checkURLBase
    }

    /// The text for `document` (of a case for `procedure`, checked at `publicCode`), issued at `time`.
    public func text(for document: Document, procedure: String? = nil, publicCode: PublicCode? = nil, issuedAt time: Date) -> String {
        var lines: [String] = []
        if let dossier = document.cases.first { lines.append("Mã hồ sơ: \(dossier)") }
        if let procedure { lines.append("Mã TTHC: \(procedure)") }
        lines.append("Số định danh: \(Self.masked(document.owner))")
        lines.append("Tên giấy tờ: \(document.title ?? document.type ?? document.id.rawValue)")
        lines.append("Hệ thống: \(issuingSystem)")
        lines.append("Thời gian: \(VisibleBlock.vietnamTime(time))")
        if let base = checkURLBase, let code = publicCode ?? document.publicCode {
            let root = base.absoluteString.hasSuffix("/") ? String(base.absoluteString.dropLast()) : base.absoluteString
            lines.append("Tra cứu: \(root)/v/\(code)")
        }
        return lines.joined(separator: "\n")
    }

    /// A person's 12-digit number with its middle six digits hidden; anything else as it is.
    static func masked(_ owner: String) -> String {
        guard owner.count == 12, owner.allSatisfy(\.isASCII), owner.allSatisfy(\.isNumber) else { return owner }
        return String(owner.prefix(3)) + "******" + String(owner.suffix(3))
    }
}
