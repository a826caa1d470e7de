import SohoaRepository

/// One document found in an inbox: a single image file, or a folder of page images.
public struct InboxDocument: Equatable, Sendable {
    /// The citizen or organisation it belongs to (the first folder level).
    public let owner: OwnerID
    /// The case it was brought for (the second folder level).
    public let caseID: DossierCode
    /// The document's name: the file name, or the folder's name.
    public let name: String
    /// Its path inside the inbox, `<owner>/<case>/<name>`.
    public let relativePath: String
    /// Absolute paths of its image files, in page order (one file for a single-file document;
    /// a multi-page TIFF is still one file).
    public let imageFiles: [String]
    /// Whether it is a folder of page images.
    public let isFolder: Bool
    /// The sidecar's metadata, when there is a sidecar.
    public let metadata: DocumentMetadata?
}

/// Something in an inbox that cannot be taken, and why.
public struct InboxProblem: Equatable, Sendable, CustomStringConvertible {
    /// Reasons, each explained for the scanning operator.
    public enum Reason: Error, Equatable, Sendable {
        case notInsideCase
        case badOwner(IdentifierError)
        case badCase(IdentifierError)
        case unsupportedFile(extension: String)
        case link
        case notRegular
        case emptyFolder
        case nestedFolder
        case sidecarUnreadable(SidecarProblem)
        /// The entry's name is not UTF-8 text; `pathBytes` is its path inside the inbox as the
        /// file system holds it (the problem's `relativePath` writes it out with `\xNN`).
        case undecodableName(pathBytes: [UInt8])
    }

    /// The path inside the inbox.
    public let relativePath: String
    public let reason: Reason

    /// What was wrong and what the operator should do.
    public var explanation: String {
        switch reason {
        case .notInsideCase:
            return "files must be placed in a folder <citizen-id>/<case-id>/; move it there"
        case .badOwner(let error):
            return "the first folder must be the citizen's 12-digit number or the organisation's tax code: \(error)"
        case .badCase(let error):
            return "the second folder must be the case's dossier code from the receipt: \(error)"
        case .unsupportedFile(let ext):
            let shown = ext.isEmpty ? "a file without extension" : "a .\(ext) file"
            return "\(shown) is not a scan Sohoa takes; save scans as .tif, .tiff, .png, .jpg or .jpeg"
        case .link:
            return "links are not followed; copy the file itself into the inbox"
        case .notRegular:
            return "this is not an ordinary file"
        case .emptyFolder:
            return "the folder is marked .ready but holds no page images"
        case .nestedFolder:
            return "a document folder holds page images only, not further folders"
        case .sidecarUnreadable(let detail):
            return "the metadata file (.json) cannot be used: \(detail.english)"
        case .undecodableName:
            return "its name is not valid text (UTF-8), so Sohoa cannot file it under that name; the bytes that are "
                + "not text are written here as \\xNN; give it a name in ordinary letters (Vietnamese letters are fine) "
                + "and drop it again"
        }
    }

    /// What was wrong and what the operator should do, in Vietnamese.
    public var vietnameseExplanation: String {
        switch reason {
        case .notInsideCase:
            return "tệp phải được đặt trong thư mục <số định danh>/<mã hồ sơ>/; hãy chuyển tệp vào đúng thư mục đó"
        case .badOwner(let error):
            return "thư mục cấp một phải là số định danh cá nhân 12 chữ số của công dân hoặc mã số thuế của tổ chức: "
                + error.vietnameseDescription
        case .badCase(let error):
            return "thư mục cấp hai phải là mã hồ sơ in trên giấy tiếp nhận: \(error.vietnameseDescription)"
        case .unsupportedFile(let ext):
            let shown = ext.isEmpty ? "tệp không có phần mở rộng" : "tệp .\(ext)"
            return "\(shown) không phải bản quét mà Sohoa tiếp nhận; hãy lưu bản quét dưới dạng .tif, .tiff, .png, .jpg hoặc .jpeg"
        case .link:
            return "Sohoa không đi theo liên kết (link); hãy sao chép chính tệp đó vào thư mục tiếp nhận"
        case .notRegular:
            return "đây không phải là một tệp thông thường"
        case .emptyFolder:
            return "thư mục đã được đánh dấu .ready nhưng không chứa ảnh trang nào"
        case .nestedFolder:
            return "thư mục tài liệu chỉ được chứa ảnh các trang, không chứa thư mục con"
        case .sidecarUnreadable(let detail):
            return "không dùng được tệp thông tin kèm theo (.json): \(detail.vietnamese)"
        case .undecodableName:
            return "tên không phải là văn bản hợp lệ (UTF-8) nên Sohoa không thể lưu dưới tên đó; các byte không phải chữ "
                + "được ghi ở đây dưới dạng \\xNN; hãy đặt lại tên bằng chữ thông thường (chữ tiếng Việt vẫn được) rồi thả lại"
        }
    }

    public var description: String { "\(relativePath): \(explanation)" }
}

/// What is wrong with a sidecar `<document>.json`.
public enum SidecarProblem: Equatable, Sendable {
    /// It cannot be read.
    case unreadable
    /// It is bigger than a sidecar ever needs to be.
    case tooLarge(kibibytes: Int)
    /// It is not a JSON object with text fields.
    case notAnObject
    /// Its `issueDate` is not written `YYYY-MM-DD` (the text as found, cut to 32 characters).
    case badIssueDate(String)

    /// The detail in English.
    public var english: String {
        switch self {
        case .unreadable: return "the file cannot be read"
        case .tooLarge(let size): return "it is \(size) KiB; a sidecar holds a few fields and is under 64 KiB"
        case .notAnObject: return "it is not a JSON object with text fields documentType, title and issueDate"
        case .badIssueDate(let date): return "issueDate \"\(date)\" is not a date written YYYY-MM-DD"
        }
    }

    /// The same detail in Vietnamese.
    public var vietnamese: String {
        switch self {
        case .unreadable: return "không đọc được tệp"
        case .tooLarge(let size): return "tệp dung lượng \(size) KiB; tệp thông tin kèm theo chỉ có vài trường và nhỏ hơn 64 KiB"
        case .notAnObject:
            return "nội dung không phải là một đối tượng JSON với các trường văn bản documentType, title và issueDate"
        case .badIssueDate(let date): return "issueDate \"\(date)\" không phải là ngày viết theo dạng YYYY-MM-DD"
        }
    }
}

/// What an inbox holds right now.
public struct InboxListing: Equatable, Sendable {
    /// Complete documents, ordered by path.
    public var documents: [InboxDocument] = []
    /// Entries that cannot be taken, ordered by path.
    public var problems: [InboxProblem] = []
    /// Folder documents still waiting for their `.ready` marker (relative paths).
    public var waiting: [String] = []
}
