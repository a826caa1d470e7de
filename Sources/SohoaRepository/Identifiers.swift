import Foundation

/// Why an identifier was refused, in plain words. The refused text is quoted, never used.
public struct IdentifierError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What kind of identifier was expected ("citizen or organisation id", "case id").
    public let kind: String
    /// The text as received (shown quoted and cut to 64 characters).
    public let text: String
    /// What is wrong with it.
    public let reason: String
    /// What is wrong with it, in Vietnamese (the same detail as `reason`); nil when only the
    /// English was given.
    public let vietnameseReason: String?

    public init(kind: String, text: String, reason: String, vietnameseReason: String? = nil) {
        self.kind = kind
        self.text = text
        self.reason = reason
        self.vietnameseReason = vietnameseReason
    }

    public var description: String {
        "\"\(shown)\" is not a valid \(kind): \(reason)"
    }

    /// The refusal in Vietnamese, for the operators (the English reason where no Vietnamese
    /// one was given).
    public var vietnameseDescription: String {
        "\"\(shown)\" không phải là \(vietnameseKind) hợp lệ: \(vietnameseReason ?? reason)"
    }

    /// The text as shown: quoted by the callers, cut to 64 characters.
    private var shown: String {
        text.count > 64 ? String(text.prefix(64)) + "…" : text
    }

    /// `kind` in Vietnamese.
    private var vietnameseKind: String {
        switch kind {
        case OwnerID.kind: return "số định danh công dân hoặc mã số thuế tổ chức"
        case DossierCode.kind: return "mã hồ sơ"
        case "document id": return "mã tài liệu"
        case PublicCode.kind: return "mã tra cứu công khai"
        case AccessName.kind: return "tên quyền truy cập"
        default: return kind
        }
    }
}

/// Whether every character is an ASCII digit (Unicode digits of other scripts are refused).
private func isASCIIDigits<S: StringProtocol>(_ text: S) -> Bool {
    !text.isEmpty && text.utf8.allSatisfy { (0x30...0x39).contains($0) }
}

/// The owner of a document: a person (12-digit personal identification number) or an
/// organisation (10-digit tax code with its check digit, optionally a `-NNN` branch).
///
/// Validated strictly before it becomes part of any path or query.
public enum OwnerID: Hashable, Sendable, CustomStringConvertible {
    case person(String)
    case organisation(taxCode: String, branch: String?)

    static let kind = "citizen or organisation id"

    /// Parses `text`, which must be exactly an identifier (no spaces, no separators).
    public init(_ text: String) throws(IdentifierError) {
        func refuse(_ reason: String, _ vietnamese: String) -> IdentifierError {
            IdentifierError(kind: Self.kind, text: text, reason: reason, vietnameseReason: vietnamese)
        }
        let badCheckDigit = ("the last digit of a 10-digit tax code is a check digit, and it does not match",
                             "chữ số cuối của mã số thuế 10 chữ số là chữ số kiểm tra, và chữ số này không khớp")
        guard text.utf8.count <= 14 else {
            throw refuse("it is too long: a personal number has 12 digits, a tax code 10 (or 10-3)",
                         "quá dài: số định danh cá nhân có 12 chữ số, mã số thuế có 10 (hoặc 10-3)")
        }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count == 1, isASCIIDigits(text) {
            switch text.utf8.count {
            case 12:
                self = .person(text)
                return
            case 10:
                guard TaxCode.hasValidCheckDigit(text) else {
                    throw refuse(badCheckDigit.0, badCheckDigit.1)
                }
                self = .organisation(taxCode: text, branch: nil)
                return
            default:
                throw refuse("it has \(text.utf8.count) digits; a personal number has 12, a tax code 10",
                             "có \(text.utf8.count) chữ số; số định danh cá nhân có 12 chữ số, mã số thuế có 10")
            }
        }
        if parts.count == 2, isASCIIDigits(parts[0]), parts[0].utf8.count == 10,
           isASCIIDigits(parts[1]), parts[1].utf8.count == 3 {
            guard TaxCode.hasValidCheckDigit(String(parts[0])) else {
                throw refuse(badCheckDigit.0, badCheckDigit.1)
            }
            guard parts[1] != "000" else {
                throw refuse("branch numbers run from 001 to 999", "số chi nhánh chạy từ 001 đến 999")
            }
            self = .organisation(taxCode: String(parts[0]), branch: String(parts[1]))
            return
        }
        throw refuse("use digits only: 12 for a person, 10 (or 10, a hyphen and 3) for an organisation",
                     "chỉ dùng chữ số: 12 chữ số cho cá nhân, 10 chữ số (hoặc 10 chữ số, dấu gạch ngang và 3 chữ số) cho tổ chức")
    }

    /// The identifier as written, e.g. `001085012345` or `0314409058-002`.
    public var description: String {
        switch self {
        case .person(let number): return number
        case .organisation(let code, let branch): return branch.map { "\(code)-\($0)" } ?? code
        }
    }

    /// Whether this owner is an organisation.
    public var isOrganisation: Bool {
        if case .organisation = self { return true }
        return false
    }
}

/// The Vietnamese tax code's check digit.
public enum TaxCode {
    private static let weights = [31, 29, 23, 19, 17, 13, 7, 5, 3]

    /// Whether the 10th digit of a 10-digit code matches the first nine.
    public static func hasValidCheckDigit(_ code: String) -> Bool {
        let digits = code.utf8.map { Int($0) - 0x30 }
        guard digits.count == 10, digits.allSatisfy({ (0...9).contains($0) }) else { return false }
        let sum = zip(weights, digits).reduce(0) { $0 + $1.0 * $1.1 }
        let check = 10 - sum % 11
        return check <= 9 && check == digits[9]
    }
}

/// A case id: the dossier code printed on the citizen's receipt, e.g. `000.00.01.H26-251124-0001`
/// — the receiving agency's code (dotted groups of capital letters and digits), the receipt
/// date as `YYMMDD`, and the day's 4-digit sequence number.
public struct DossierCode: Hashable, Sendable, CustomStringConvertible, Comparable {
    /// The code as written.
    public let rawValue: String
    /// The receiving agency's code, e.g. `000.00.01.H26`.
    public let agency: String
    /// The receipt date.
    public let year: Int, month: Int, day: Int
    /// The sequence number within that day.
    public let sequence: Int

    static let kind = "case id (dossier code)"

    /// Parses `text`, which must be exactly a dossier code.
    public init(_ text: String) throws(IdentifierError) {
        func refuse(_ reason: String, _ vietnamese: String) -> IdentifierError {
            IdentifierError(kind: Self.kind, text: text, reason: reason, vietnameseReason: vietnamese)
        }
        let example = "like 000.00.01.H26-251124-0001"
        let vietnameseExample = "ví dụ 000.00.01.H26-251124-0001"
        guard text.utf8.count <= 64 else {
            throw refuse("it is too long; a dossier code looks \(example)", "quá dài; mã hồ sơ có dạng \(vietnameseExample)")
        }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            throw refuse("a dossier code has three parts separated by hyphens, \(example)",
                         "mã hồ sơ gồm ba phần cách nhau bởi dấu gạch ngang, \(vietnameseExample)")
        }
        let agency = parts[0]
        let groups = agency.split(separator: ".", omittingEmptySubsequences: false)
        let isAgencyCharacter: (UInt8) -> Bool = { (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) }
        guard !groups.isEmpty, groups.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy(isAgencyCharacter) }) else {
            throw refuse("the agency code must be groups of capital letters and digits separated by dots, \(example)",
                         "mã cơ quan phải gồm các nhóm chữ in hoa và chữ số cách nhau bởi dấu chấm, \(vietnameseExample)")
        }
        let date = parts[1]
        guard date.utf8.count == 6, isASCIIDigits(date) else {
            throw refuse("the middle part must be the receipt date as YYMMDD, \(example)",
                         "phần giữa phải là ngày tiếp nhận dạng YYMMDD (năm, tháng, ngày), \(vietnameseExample)")
        }
        let digits = date.utf8.map { Int($0) - 0x30 }
        let year = 2000 + digits[0] * 10 + digits[1]
        let month = digits[2] * 10 + digits[3]
        let day = digits[4] * 10 + digits[5]
        guard Self.isCalendarDate(year: year, month: month, day: day) else {
            throw refuse("\(date) is not a date (YYMMDD)", "\(date) không phải là một ngày có thật (YYMMDD)")
        }
        let sequence = parts[2]
        guard sequence.utf8.count == 4, isASCIIDigits(sequence), sequence != "0000" else {
            throw refuse("the last part must be the day's sequence number, 4 digits from 0001, \(example)",
                         "phần cuối phải là số thứ tự trong ngày, 4 chữ số từ 0001, \(vietnameseExample)")
        }
        self.rawValue = text
        self.agency = String(agency)
        self.year = year
        self.month = month
        self.day = day
        self.sequence = Int(sequence)!
    }

    public var description: String { rawValue }

    public static func < (lhs: DossierCode, rhs: DossierCode) -> Bool { lhs.rawValue < rhs.rawValue }

    private static func isCalendarDate(year: Int, month: Int, day: Int) -> Bool {
        guard (1...12).contains(month), day >= 1 else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= lengths[month - 1]
    }
}
