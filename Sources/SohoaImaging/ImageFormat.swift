/// The image formats Sohoa reads, recognised by their first bytes, never by the file name.
public enum ImageFormat: String, Sendable, Equatable, CaseIterable {
    case tiff
    case png
    case jpeg

    /// The format whose signature `prefix` starts with, or `nil`.
    public static func sniff<Bytes: Collection>(_ prefix: Bytes) -> ImageFormat? where Bytes.Element == UInt8 {
        let head = Array(prefix.prefix(8))
        if head.starts(with: [0x49, 0x49, 0x2A, 0x00]) || head.starts(with: [0x4D, 0x4D, 0x00, 0x2A])
            || head.starts(with: [0x49, 0x49, 0x2B, 0x00]) || head.starts(with: [0x4D, 0x4D, 0x00, 0x2B]) {
            return .tiff
        }
        if head == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] {
            return .png
        }
        if head.starts(with: [0xFF, 0xD8, 0xFF]) {
            return .jpeg
        }
        return nil
    }

    /// File-name extensions an inbox accepts for this format (lower case).
    public var fileExtensions: [String] {
        switch self {
        case .tiff: return ["tif", "tiff"]
        case .png: return ["png"]
        case .jpeg: return ["jpg", "jpeg"]
        }
    }

    /// The format an inbox file name's extension promises, or `nil` when it is not an image name.
    public static func forExtension(_ ext: String) -> ImageFormat? {
        let lower = ext.lowercased()
        return allCases.first { $0.fileExtensions.contains(lower) }
    }
}
