import Foundation
import SohoaPDF

/// One change made after a signature, and whether the signature allows it.
public struct ChangeReport: Sendable, Codable, Equatable {
    public let object: Int
    /// added, changed or removed.
    public let action: String
    /// What kind of change it is (ChangeKind), e.g. "signatureAdded", "validationData", "content".
    public let kind: String
    /// What the object is: "page", "font", "annotation", ...
    public let what: String
    public let page: Int?
    /// The form field, for form filling.
    public let field: String?
    public let allowed: Bool
    /// The change policy's rule that allows it ("validation-data", "form-filling", …), nil
    /// when it is not allowed.
    public let rule: String?
}

/// The verification of one signature: the contract's keys, and a few more.
public struct SignatureReport: Sendable, Codable {
    public let field: String
    /// The signer's certificate subject (nil when the signature names none).
    public let signer: String?
    /// The claimed signing time (/M), ISO 8601, nil when absent or unreadable.
    public let signingTime: String?
    /// The time a valid, trusted signature time-stamp proves, ISO 8601; nil without one.
    public let timestamp: String?
    public let coversWholeDocument: Bool
    /// "intact", "broken" (digest or signature value wrong), "malformed" (structure) or
    /// "unknown" (an algorithm Sohoa cannot check).
    public let integrity: String
    /// "trusted", "untrusted", "incomplete", "expired", "wrong-usage", "failed" or "not-checked".
    public let chain: String
    /// "good", "revoked", "unknown" or "not-checked".
    public let revocation: String
    public let modificationsAfter: [ChangeReport]
    public let verdict: Verdict
    /// A reason for every failure, in the report's language.
    public let reasons: [String]
    /// The findings' stable codes, for scripts.
    public let reasonCodes: [String]
    /// "/ETSI.CAdES.detached", ...
    public let subFilter: String?
    /// DocMDP permissions (1–3) when this signature certifies the document.
    public let certification: Int?
    /// "signature" or "document-timestamp".
    public let type: String
    /// The time-stamp authority's subject, when there is a time-stamp.
    public let timestampAuthority: String?
    /// The certificate it was checked with (the signer's; the authority's for a document time-stamp).
    public let certificate: CertificateUsed?
    /// The revocation data the statuses of that certificate's path were read from.
    public let revocationData: [RevocationDataUsed]
    /// When it is known to have existed, and what proves it; nil when nothing does.
    public let existedAt: ExistenceReport?

    private enum CodingKeys: String, CodingKey {
        case field, signer, signingTime, timestamp, coversWholeDocument, integrity, chain, revocation, modificationsAfter,
             verdict, reasons, reasonCodes, subFilter, certification, type, timestampAuthority, certificate, revocationData, existedAt
    }

    /// Every key of the contract is written, absent values as null.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(field, forKey: .field)
        try container.encode(signer, forKey: .signer)
        try container.encode(signingTime, forKey: .signingTime)
        try container.encode(timestamp, forKey: .timestamp)
        try container.encode(coversWholeDocument, forKey: .coversWholeDocument)
        try container.encode(integrity, forKey: .integrity)
        try container.encode(chain, forKey: .chain)
        try container.encode(revocation, forKey: .revocation)
        try container.encode(modificationsAfter, forKey: .modificationsAfter)
        try container.encode(verdict, forKey: .verdict)
        try container.encode(reasons, forKey: .reasons)
        try container.encode(reasonCodes, forKey: .reasonCodes)
        try container.encode(subFilter, forKey: .subFilter)
        try container.encode(certification, forKey: .certification)
        try container.encode(type, forKey: .type)
        try container.encode(timestampAuthority, forKey: .timestampAuthority)
        try container.encode(certificate, forKey: .certificate)
        try container.encode(revocationData, forKey: .revocationData)
        try container.encode(existedAt, forKey: .existedAt)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        field = try container.decode(String.self, forKey: .field)
        signer = try container.decodeIfPresent(String.self, forKey: .signer)
        signingTime = try container.decodeIfPresent(String.self, forKey: .signingTime)
        timestamp = try container.decodeIfPresent(String.self, forKey: .timestamp)
        coversWholeDocument = try container.decode(Bool.self, forKey: .coversWholeDocument)
        integrity = try container.decode(String.self, forKey: .integrity)
        chain = try container.decode(String.self, forKey: .chain)
        revocation = try container.decode(String.self, forKey: .revocation)
        modificationsAfter = try container.decode([ChangeReport].self, forKey: .modificationsAfter)
        verdict = try container.decode(Verdict.self, forKey: .verdict)
        reasons = try container.decode([String].self, forKey: .reasons)
        reasonCodes = try container.decode([String].self, forKey: .reasonCodes)
        subFilter = try container.decodeIfPresent(String.self, forKey: .subFilter)
        certification = try container.decodeIfPresent(Int.self, forKey: .certification)
        type = try container.decode(String.self, forKey: .type)
        timestampAuthority = try container.decodeIfPresent(String.self, forKey: .timestampAuthority)
        certificate = try container.decodeIfPresent(CertificateUsed.self, forKey: .certificate)
        revocationData = try container.decodeIfPresent([RevocationDataUsed].self, forKey: .revocationData) ?? []
        existedAt = try container.decodeIfPresent(ExistenceReport.self, forKey: .existedAt)
    }

    init(field: String, signer: String?, signingTime: String?, timestamp: String?, coversWholeDocument: Bool, integrity: String,
         chain: String, revocation: String, modificationsAfter: [ChangeReport], verdict: Verdict, reasons: [String],
         reasonCodes: [String], subFilter: String?, certification: Int?, type: String, timestampAuthority: String?,
         certificate: CertificateUsed? = nil, revocationData: [RevocationDataUsed] = [], existedAt: ExistenceReport? = nil) {
        self.field = field
        self.signer = signer
        self.signingTime = signingTime
        self.timestamp = timestamp
        self.coversWholeDocument = coversWholeDocument
        self.integrity = integrity
        self.chain = chain
        self.revocation = revocation
        self.modificationsAfter = modificationsAfter
        self.verdict = verdict
        self.reasons = reasons
        self.reasonCodes = reasonCodes
        self.subFilter = subFilter
        self.certification = certification
        self.type = type
        self.timestampAuthority = timestampAuthority
        self.certificate = certificate
        self.revocationData = revocationData
        self.existedAt = existedAt
    }
}

/// The verification of one file.
public struct FileReport: Sendable, Codable {
    public let path: String
    public let sha256: String
    public let verdict: Verdict
    public let signatures: [SignatureReport]
    /// Problems of the file as a whole (a damaged structure), in the report's language.
    public let problems: [String]
    /// The problems' stable codes, in the same order, for scripts.
    public let problemCodes: [String]

    /// Why it is not valid: the reasons of every signature that is not, then the file's problems.
    public var reasonsNotValid: [String] {
        signatures.filter { $0.verdict != .valid }.flatMap(\.reasons) + problems
    }

    /// The same report for the file under another name (an upload verified from a temporary
    /// file is reported under the name it was sent with).
    public func named(_ name: String) -> FileReport {
        FileReport(path: name, sha256: sha256, verdict: verdict, signatures: signatures, problems: problems, problemCodes: problemCodes)
    }
}

/// The output of `sohoa verify --json`.
public struct VerificationRun: Sendable, Codable {
    public let files: [FileReport]
    /// Inputs that could not be verified at all (not a PDF, unreadable): exit code 3.
    public let errors: [InputError]

    public struct InputError: Sendable, Codable {
        public let path: String
        public let reason: String
        /// A stable code for the reason: `no-such-file`, `unreadable`, `not-a-pdf`, `encrypted`.
        public let code: String

        public init(path: String, reason: String, code: UnreadableInput.Kind) {
            self.path = path
            self.reason = reason
            self.code = code.rawValue
        }
    }

    public init(files: [FileReport], errors: [InputError]) {
        self.files = files
        self.errors = errors
    }
}

/// Formatting shared by reports.
enum Report {
    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    static func day(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.string(from: date)
    }

    static func roleVi(_ role: String) -> String {
        switch role {
        case "page": return "trang"
        case "page tree": return "cây trang"
        case "catalog": return "danh mục tài liệu"
        case "font": return "phông chữ"
        case "font descriptor": return "mô tả phông chữ"
        case "annotation": return "chú thích"
        case "image": return "hình ảnh"
        case "form XObject": return "đối tượng đồ họa"
        case "signature": return "chữ ký"
        case "document time-stamp": return "dấu thời gian tài liệu"
        case "metadata": return "siêu dữ liệu"
        case "form field": return "trường biểu mẫu"
        case "stream": return "luồng nội dung"
        default: return "đối tượng"
        }
    }

    /// A PDF date (D:YYYYMMDDHHmmSS+HH'mm') as ISO 8601, nil when it is not one.
    static func pdfDate(_ text: String?) -> String? {
        guard var text, text.hasPrefix("D:") else { return nil }
        text.removeFirst(2)
        let digits = text.prefix { $0.isNumber }
        guard digits.count >= 4 else { return nil }
        func part(_ from: Int, _ length: Int, _ fallback: Int) -> Int {
            let start = digits.index(digits.startIndex, offsetBy: min(from, digits.count))
            let end = digits.index(start, offsetBy: min(length, digits.count - min(from, digits.count)))
            return Int(digits[start..<end]) ?? fallback
        }
        var components = DateComponents(year: part(0, 4, 0), month: part(4, 2, 1), day: part(6, 2, 1),
                                         hour: part(8, 2, 0), minute: part(10, 2, 0), second: part(12, 2, 0))
        var offset = 0
        let zone = text.dropFirst(digits.count)
        if let sign = zone.first, sign == "+" || sign == "-" {
            let numbers = zone.dropFirst().filter { $0.isNumber }
            let hours = Int(numbers.prefix(2)) ?? 0, minutes = Int(numbers.dropFirst(2).prefix(2)) ?? 0
            offset = (hours * 3600 + minutes * 60) * (sign == "-" ? -1 : 1)
        }
        components.timeZone = TimeZone(secondsFromGMT: offset)
        guard let date = Calendar(identifier: .gregorian).date(from: components) else { return nil }
        return timestamp(date)
    }
}
