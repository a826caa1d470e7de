import Foundation
import SohoaCrypto

#if canImport(Glibc)
import Glibc
#endif

/// Content-addressed bytes: `DATA/blobs/sha256/<2 hex>/<2 hex>/<full hash>`.
///
/// A blob is written to a temporary file in the data folder, synced, renamed into place, and
/// its folder synced, before any row may point at it; the same content is stored once; a
/// stored blob is read-only. A crash at any moment leaves either no blob or a whole one (at
/// worst an orphan nothing points at, which `fsck` reports).
public struct BlobStore: Sendable {
    public let root: String

    /// The blob store of the data folder `data` (created when missing).
    public init(data: String) throws {
        root = (data as NSString).appendingPathComponent("blobs/sha256")
        do {
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        } catch {
            throw StoreError("\(root): the blob folder cannot be made (\(error.localizedDescription))")
        }
    }

    /// Where the blob with this hash lives (whether or not it exists).
    public func path(of hash: ContentHash) -> String {
        let text = hash.rawValue
        return "\(root)/\(text.prefix(2))/\(text.dropFirst(2).prefix(2))/\(text)"
    }

    public func contains(_ hash: ContentHash) -> Bool {
        FileManager.default.fileExists(atPath: path(of: hash))
    }

    /// Stores the file at `source` (read once, hashed as it is copied); returns its hash and size.
    public func put(fileAt source: String) throws -> (hash: ContentHash, size: Int) {
        guard let input = FileHandle(forReadingAtPath: source) else { throw StoreError("\(source): the file cannot be read") }
        defer { try? input.close() }
        let temporary = "\(root)/.incoming-\(UUID().uuidString)"
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
              let output = FileHandle(forWritingAtPath: temporary) else {
            throw StoreError("\(root): a temporary file cannot be made")
        }
        var hasher = SHA256Hasher()
        var size = 0
        do {
            defer { try? output.close() }
            while let block = try input.read(upToCount: 1 << 20), !block.isEmpty {
                hasher.update(block)
                try output.write(contentsOf: block)
                size += block.count
            }
            try output.synchronize()
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw StoreError("\(source): the file cannot be copied into the repository (\(error.localizedDescription))")
        }
        let hash = ContentHash(digest: hasher.finish())
        try place(temporary, as: hash)
        return (hash, size)
    }

    /// Moves a synced temporary file into its place (or drops it when the content is already stored).
    private func place(_ temporary: String, as hash: ContentHash) throws {
        let target = path(of: hash)
        if FileManager.default.fileExists(atPath: target) {
            try? FileManager.default.removeItem(atPath: temporary)
            return
        }
        let folder = (target as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            chmod(temporary, 0o444)
            guard rename(temporary, target) == 0 else { throw StoreError(String(cString: strerror(errno))) }
            try DurableFile.sync(folder)
            try DurableFile.sync((folder as NSString).deletingLastPathComponent)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw StoreError("\(target): the blob cannot be stored (\(error))")
        }
    }

    /// Re-hashes a stored blob: nil when it is whole, else what is wrong.
    public func problem(with hash: ContentHash) -> String? {
        let file = path(of: hash)
        guard FileManager.default.fileExists(atPath: file) else { return "the blob is missing" }
        guard let digest = try? SHA256.digest(fileAt: file) else { return "the blob cannot be read" }
        let actual = ContentHash(digest: digest)
        return actual == hash ? nil : "the blob's content changed (it now hashes to \(actual))"
    }

    /// Every stored blob's hash, and files in the blob folders that are not blobs (leftovers).
    public func inventory() -> (blobs: [ContentHash], strays: [String]) {
        var blobs: [ContentHash] = [], strays: [String] = []
        let walker = FileManager.default.enumerator(atPath: root)
        while let relative = walker?.nextObject() as? String {
            let full = "\(root)/\(relative)"
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isFolder), !isFolder.boolValue else { continue }
            let name = (relative as NSString).lastPathComponent
            if let hash = try? ContentHash(name), path(of: hash) == full {
                blobs.append(hash)
            } else {
                strays.append(full)
            }
        }
        return (blobs.sorted(), strays.sorted())
    }

    /// Removes a blob (only for orphans: `fsck --repair`).
    public func remove(_ hash: ContentHash) throws {
        do { try FileManager.default.removeItem(atPath: path(of: hash)) } catch {
            throw StoreError("\(path(of: hash)): the orphan cannot be removed (\(error.localizedDescription))")
        }
    }
}
