/// Why a PDF could not be read or written, naming the file and qpdf's own words.
public struct PDFError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file (or a description such as "new document") the error concerns.
    public let file: String
    /// What went wrong, in words a person can act on.
    public let reason: String
    /// qpdf's full message, when qpdf reported the error.
    public let detail: String?

    public init(file: String, reason: String, detail: String? = nil) {
        self.file = file
        self.reason = reason
        self.detail = detail
    }

    public var description: String {
        if let detail, !detail.isEmpty {
            return "\(file): \(reason) (qpdf: \(detail))"
        }
        return "\(file): \(reason)"
    }
}
