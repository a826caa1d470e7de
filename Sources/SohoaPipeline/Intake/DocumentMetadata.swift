import Foundation

/// What a scanning operator may say about a document in its sidecar `<document>.json`.
public struct DocumentMetadata: Codable, Equatable, Sendable {
    /// The kind of document, e.g. "Giấy khai sinh".
    public var documentType: String?
    /// The document's title as printed on it.
    public var title: String?
    /// The date the document was issued, `YYYY-MM-DD`.
    public var issueDate: String?

    public init(documentType: String? = nil, title: String? = nil, issueDate: String? = nil) {
        self.documentType = documentType
        self.title = title
        self.issueDate = issueDate
    }

    /// The largest sidecar read.
    static let maxBytes = 64 * 1024

    /// Reads and checks the sidecar at `path`.
    ///
    /// - Throws: what is wrong, for the operator.
    static func load(path: String) throws(InboxProblem.Reason) -> DocumentMetadata {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .sidecarUnreadable(.unreadable)
        }
        guard data.count <= maxBytes else {
            throw .sidecarUnreadable(.tooLarge(kibibytes: data.count / 1024))
        }
        let metadata: DocumentMetadata
        do {
            metadata = try JSONDecoder().decode(DocumentMetadata.self, from: data)
        } catch {
            throw .sidecarUnreadable(.notAnObject)
        }
        if let date = metadata.issueDate, !isISODate(date) {
            throw .sidecarUnreadable(.badIssueDate(String(date.prefix(32))))
        }
        return metadata
    }

    private static func isISODate(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.utf8.allSatisfy { (0x30...0x39).contains($0) } }),
              let month = Int(parts[1]), let day = Int(parts[2]) else { return false }
        return (1...12).contains(month) && (1...31).contains(day)
    }
}
