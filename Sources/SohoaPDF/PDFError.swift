/// Why a PDF could not be read or written, naming the file and qpdf's own words.
public struct PDFError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file (or a description such as "new document") the error concerns.
    public let file: String
    /// What went wrong, in words a person can act on.
    public let reason: String
    /// qpdf's full message, when qpdf reported the error.
    public let detail: String?
    /// What kind of problem it is, as far as qpdf says.
    public let kind: Kind

    /// Kinds of problem a caller decides on.
    public enum Kind: Sendable, Equatable {
        /// The file is encrypted (for a password or for certain recipients' keys) and cannot
        /// be opened.
        case encrypted
        /// Anything else: damaged data, an unsupported feature, an I/O error.
        case other
    }

    public init(file: String, reason: String, detail: String? = nil, kind: Kind = .other) {
        self.file = file
        self.reason = reason
        self.detail = detail
        self.kind = kind
    }

    public var description: String {
        if let detail, !detail.isEmpty {
            return "\(file): \(reason) (qpdf: \(detail))"
        }
        return "\(file): \(reason)"
    }
}
