import Foundation

/// An opened image file: one page (PNG, JPEG) or many (TIFF).
///
/// Instances wrap C decoder state and are not shared between threads.
public protocol ImageSource: AnyObject {
    /// The path the file was opened from.
    var path: String { get }
    /// The format, as recognised from the file's first bytes.
    var format: ImageFormat { get }
    /// How many pages the file holds.
    var pageCount: Int { get }
    /// The header of page `index` (counted from 0), without decoding its pixels.
    func describePage(_ index: Int) throws -> PageDescription
    /// Decodes page `index` (counted from 0) into a normalised `Raster`, refusing damaged or
    /// oversized data.
    func decodePage(_ index: Int) throws -> Raster
    /// Prepares page `index` for a PDF: passes the compressed data through when the PDF can
    /// carry it, otherwise re-encodes losslessly; analyses the pixels either way.
    func preparePage(_ index: Int, settings: PreparationSettings) throws -> PreparedPage
}

/// Opens image files of any supported format.
public enum ImageReader {
    /// Opens the image at `path`, recognising its format from its content.
    ///
    /// - Throws: `ImagingError` naming the file and the reason when it cannot be read,
    ///   is not an image, or breaks `limits`.
    public static func open(path: String, limits: DecodeLimits = .standard) throws -> any ImageSource {
        let prefix = try FileBytes.readPrefix(path: path, count: 8)
        switch ImageFormat.sniff(prefix) {
        case .tiff: return try TIFFFile(path: path, limits: limits)
        case .png: return try PNGFile(path: path, limits: limits)
        case .jpeg: return try JPEGFile(path: path, limits: limits)
        case nil: throw ImagingError(file: path, reason: .notAnImage)
        }
    }
}

extension ImageReader {
    /// How many pages the image at `path` holds, reading as little as possible: PNG and JPEG
    /// files hold one page (they are checked in full when the page is read); a TIFF's page
    /// directories are counted.
    public static func pageCount(path: String, limits: DecodeLimits = .standard) throws -> Int {
        let prefix = try FileBytes.readPrefix(path: path, count: 8)
        switch ImageFormat.sniff(prefix) {
        case .tiff: return try TIFFFile(path: path, limits: limits).pageCount
        case .png, .jpeg: return 1
        case nil:
            throw ImagingError(file: path, reason: prefix.count < 8 && !prefix.isEmpty
                               ? .truncated("shorter than any image header") : .notAnImage)
        }
    }
}

/// Bounded reads of whole files, turning OS errors into `ImagingError`.
enum FileBytes {
    static func readPrefix(path: String, count: Int) throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ImagingError(file: path, reason: .unreadable(openFailureReason(path)))
        }
        defer { try? handle.close() }
        do {
            return Array(try handle.read(upToCount: count) ?? Data())
        } catch {
            throw ImagingError(file: path, reason: .unreadable("\(error.localizedDescription)"))
        }
    }

    static func readAll(path: String, limit: Int) throws -> [UInt8] {
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            throw ImagingError(file: path, reason: .unreadable(openFailureReason(path)))
        }
        if let type = attributes[.type] as? FileAttributeType, type != .typeRegular {
            throw ImagingError(file: path, reason: .unreadable("it is not a regular file"))
        }
        if let size = attributes[.size] as? Int, size > limit {
            throw ImagingError(file: path, reason: .fileTooLarge(bytes: size, limitBytes: limit))
        }
        // An empty file has nothing to read (and Foundation's reader leaks a buffer on one).
        if attributes[.size] as? Int == 0 { return [] }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ImagingError(file: path, reason: .unreadable(openFailureReason(path)))
        }
        guard data.count <= limit else {
            throw ImagingError(file: path, reason: .fileTooLarge(bytes: data.count, limitBytes: limit))
        }
        return Array(data)
    }

    static func openFailureReason(_ path: String) -> String {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            return "no such file"
        }
        if isDirectory.boolValue {
            return "it is a folder, not a file"
        }
        if !FileManager.default.isReadableFile(atPath: path) {
            return "permission denied"
        }
        return "the operating system refused to open it"
    }
}
