/// Why an image was refused, in words a scanning-area operator can act on.
///
/// Every refusal names the file and, where it applies, the page (1-based), so that the
/// operator knows which sheet of paper to scan again.
public struct ImagingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What was wrong with the file.
    public enum Reason: Equatable, Sendable {
        /// The file could not be opened or read (missing, no permission, a directory, ...).
        case unreadable(String)
        /// The file is not a TIFF, PNG or JPEG image.
        case notAnImage
        /// The image data is damaged; the detail is the decoder's own message.
        case damaged(String)
        /// The file ends before the image does.
        case truncated(String)
        /// The compressed image data goes on after the image its header declares is complete
        /// (`declaredBytes`: the size of that image's data once inflated); decoding stops there
        /// instead of inflating the rest, which can be gigabytes made to exhaust the machine.
        case excessImageData(declaredBytes: Int)
        /// Decoding the image would need more memory than the configured limit allows.
        case tooLarge(width: Int, height: Int, limit: String)
        /// The file is bigger than the configured limit for one input file.
        case fileTooLarge(bytes: Int, limitBytes: Int)
        /// A valid image of a kind Sohoa does not read (yet).
        case unsupported(String)
        /// A page number outside the file.
        case noSuchPage(count: Int)
    }

    /// The path of the file, as it was given.
    public let file: String
    /// The page, counted from 1, or `nil` when the problem concerns the whole file.
    public let page: Int?
    /// What was wrong.
    public let reason: Reason

    /// Creates an error about `file` (and `page`, counted from 1).
    public init(file: String, page: Int? = nil, reason: Reason) {
        self.file = file
        self.page = page
        self.reason = reason
    }

    /// The reason alone, as a sentence.
    public var explanation: String {
        switch reason {
        case .unreadable(let detail):
            return "the file cannot be read (\(detail))"
        case .notAnImage:
            return "this is not a TIFF, PNG or JPEG image; scan the document again as TIFF, PNG or JPEG"
        case .damaged(let detail):
            return "the image data is damaged and cannot be decoded (\(detail)); scan the page again"
        case .truncated(let detail):
            return "the file is incomplete: it ends before the image does (\(detail)); copy or scan it again"
        case .excessImageData(let declared):
            return "the image data is damaged: it goes on after the \(declared) bytes the image's size calls for; "
                + "decoding stopped there; scan the page again"
        case .tooLarge(let width, let height, let limit):
            return "the image claims \(width) × \(height) pixels, more than the limit of \(limit); "
                + "scan at 200–300 dpi instead"
        case .fileTooLarge(let bytes, let limitBytes):
            return "the file is \(bytes >> 20) MiB, more than the limit of \(limitBytes >> 20) MiB for one scan"
        case .unsupported(let detail):
            return "this kind of image is not supported: \(detail)"
        case .noSuchPage(let count):
            return "the file has only \(count) page\(count == 1 ? "" : "s")"
        }
    }

    /// The reason alone, in Vietnamese, for the scanning area's operators.
    public var vietnameseExplanation: String {
        switch reason {
        case .unreadable(let detail):
            return "không đọc được tệp (\(detail))"
        case .notAnImage:
            return "đây không phải ảnh TIFF, PNG hoặc JPEG; hãy quét lại tài liệu dưới dạng TIFF, PNG hoặc JPEG"
        case .damaged(let detail):
            return "dữ liệu ảnh bị hỏng, không giải mã được (\(detail)); hãy quét lại trang này"
        case .truncated(let detail):
            return "tệp không đầy đủ: tệp kết thúc trước khi hết ảnh (\(detail)); hãy sao chép hoặc quét lại"
        case .excessImageData(let declared):
            return "dữ liệu ảnh bị hỏng: dữ liệu còn tiếp sau \(declared) byte mà kích thước ảnh cần; "
                + "việc giải mã đã dừng tại đó; hãy quét lại trang này"
        case .tooLarge(let width, let height, let limit):
            return "ảnh khai báo \(width) × \(height) điểm ảnh, vượt giới hạn \(limit); hãy quét ở 200–300 dpi"
        case .fileTooLarge(let bytes, let limitBytes):
            return "tệp dung lượng \(bytes >> 20) MiB, vượt giới hạn \(limitBytes >> 20) MiB cho một bản quét"
        case .unsupported(let detail):
            return "loại ảnh này chưa được hỗ trợ: \(detail)"
        case .noSuchPage(let count):
            return "tệp chỉ có \(count) trang"
        }
    }

    public var description: String {
        if let page {
            return "\(file), page \(page): \(explanation)"
        }
        return "\(file): \(explanation)"
    }

    /// The whole refusal in Vietnamese: the file, the page, the reason.
    public var vietnameseDescription: String {
        if let page {
            return "\(file), trang \(page): \(vietnameseExplanation)"
        }
        return "\(file): \(vietnameseExplanation)"
    }
}
