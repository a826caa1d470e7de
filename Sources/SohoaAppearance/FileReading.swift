import Foundation

/// Reads input files whole, refusing folders, missing files and files over a size limit
/// before reading them.
enum FileReading {
    /// The bytes of the regular file at `path`, of at most `limit` bytes. `what` ("font",
    /// "seal image") words the size refusal.
    static func read(path: String, limit: Int, what: String) throws(AppearanceError) -> [UInt8] {
        guard !path.isEmpty else { throw AppearanceError("the \(what) path", .invalidInput("it is empty")) }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw AppearanceError(path, .unreadable("no such file"))
        }
        guard !isFolder.boolValue else { throw AppearanceError(path, .unreadable("it is a folder")) }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw AppearanceError(path, .unreadable("permission denied or not a regular file"))
        }
        defer { try? handle.close() }
        do {
            // One byte more than the limit tells a file over the limit without reading all of it.
            let data = try handle.read(upToCount: limit + 1) ?? Data()
            guard data.count <= limit else {
                throw AppearanceError(path, .tooLarge("a \(what) file may be at most \(ByteCount(limit)), this one is larger"))
            }
            return Array(data)
        } catch let error as AppearanceError {
            throw error
        } catch {
            throw AppearanceError(path, .unreadable(error.localizedDescription))
        }
    }
}

/// A byte count in words: "4 MiB", "512 KiB", "300 bytes".
struct ByteCount: CustomStringConvertible {
    let bytes: Int
    init(_ bytes: Int) { self.bytes = bytes }
    var description: String {
        if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }
}
