import Foundation
import SohoaFiles
import SohoaCrypto

#if canImport(Glibc)
import Glibc
#endif

/// Content-addressed bytes: `DATA/blobs/sha256/<2 hex>/<2 hex>/<full hash>`.
///
/// A blob is written to a temporary file in the data folder, synced, renamed into place, and
/// its folder synced, before any row may point at it; the same content is stored once; a
/// stored blob is read-only. A crash at any moment leaves either no blob or a whole one (at
/// worst an orphan nothing points at: `PendingBlobWrites` removes those of its writes, `fsck`
/// reports any other).
public struct BlobStore: Sendable {
    public let root: String
    /// The data folder it is in (its work and pending-write folders are there too).
    public let data: String

    /// The blob store of the data folder `data` (created when missing).
    public init(data: String) throws {
        self.data = data
        root = (data as NSString).appendingPathComponent("blobs/sha256")
        do {
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        } catch {
            throw StoreError.storage("\(root): the blob folder cannot be made (\(error.localizedDescription))")
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
    ///
    /// The copy is written to an unnamed file in the blob folder (`O_TMPFILE`), synced, and
    /// only then given its name, so a process killed while copying leaves nothing behind.
    /// Where the file system cannot make unnamed files, a `.incoming-` file is used instead,
    /// which `fsck` reports as a leftover if the process dies.
    public func put(fileAt source: String) throws -> (hash: ContentHash, size: Int) {
        let staged = try stage(fileAt: source)
        try staged.place()
        return (staged.hash, staged.size)
    }

    /// Copies the file at `source` into the blob folder, hashing it on the way, and syncs the
    /// copy; the blob is not in place until `StagedBlob.place` (nothing is left behind if it
    /// never is). Nothing is locked meanwhile: an unnamed copy is no blob any cleaning sees.
    func stage(fileAt source: String) throws -> StagedBlob {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw StoreError.storage("\(source): the file cannot be read (\(String(cString: strerror(errno))))") }
        defer { close(input) }
        var temporaryName: String?
        var output = open(root, Self.unnamedFile | O_WRONLY | O_CLOEXEC, 0o444)
        if output < 0 {
            let name = "\(root)/.incoming-\(UUID().uuidString)"
            temporaryName = name
            output = open(name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o644)
        }
        guard output >= 0 else { throw StoreError.storage("\(root): a temporary file cannot be made (\(String(cString: strerror(errno))))") }
        var handedOver = false
        defer {
            if !handedOver {
                close(output)
                if let temporaryName { unlink(temporaryName) }
            }
        }

        var hasher = SHA256Hasher()
        var size = 0
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        let copied: String? = buffer.withUnsafeMutableBytes { block in
            while true {
                let count = read(input, block.baseAddress, block.count)
                if count < 0 { return "\(source): the file cannot be read (\(String(cString: strerror(errno))))" }
                if count == 0 { return nil }
                let bytes = UnsafeRawBufferPointer(rebasing: block[0..<count])
                hasher.update(bytes)
                var written = 0
                while written < count {
                    let step = write(output, bytes.baseAddress! + written, count - written)
                    if step <= 0 { return "\(source): the file cannot be copied into the repository (\(String(cString: strerror(errno))))" }
                    written += step
                }
                size += count
            }
        }
        if let copied { throw StoreError.storage(copied) }
        guard fsync(output) == 0 else {
            throw StoreError.storage("\(source): the copy cannot be synced to disk (\(String(cString: strerror(errno))))")
        }
        handedOver = true
        return StagedBlob(store: self, hash: ContentHash(digest: hasher.finish()), size: size, descriptor: output,
                          temporaryName: temporaryName)
    }

    /// Takes the file at `file`, already synced to disk and hashed by the caller as it wrote it
    /// (`hash`: a signed copy in the data folder's work folder), as a blob: it is made
    /// read-only and linked into place by `StagedBlob.place`, without being copied or read
    /// again. Where it cannot be linked (another file system), it is copied as `stage(fileAt:)`
    /// copies, and hashed again.
    func stage(syncedFileAt file: String, hash: ContentHash) throws -> StagedBlob {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file), let size = attributes[.size] as? Int,
              (attributes[.systemNumber] as? Int) == (try? FileManager.default.attributesOfItem(atPath: root))?[.systemNumber] as? Int
        else {
            return try stage(fileAt: file)
        }
        return StagedBlob(store: self, hash: hash, size: size, linking: file)
    }

    /// Linux's `O_TMPFILE` (a macro Swift does not import): an unnamed file in a folder.
    private static let unnamedFile: Int32 = 0o20000000 | O_DIRECTORY

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
            throw StoreError.storage("\(path(of: hash)): the orphan cannot be removed (\(error.localizedDescription))")
        }
    }
}

/// A blob's bytes on disk, synced and hashed, waiting for its name (`place`): an unnamed copy
/// in the blob folder, a `.incoming-` copy, or a synced file elsewhere in the data folder to
/// be linked. Dropped without being placed, it leaves nothing behind (the linked file is the
/// caller's own).
final class StagedBlob: @unchecked Sendable {
    private let store: BlobStore
    private let descriptor: Int32
    private let temporaryName: String?
    private let linked: String?
    private var placed = false
    let hash: ContentHash
    let size: Int

    fileprivate init(store: BlobStore, hash: ContentHash, size: Int, descriptor: Int32, temporaryName: String?) {
        self.store = store
        self.hash = hash
        self.size = size
        self.descriptor = descriptor
        self.temporaryName = temporaryName
        linked = nil
    }

    fileprivate init(store: BlobStore, hash: ContentHash, size: Int, linking file: String) {
        self.store = store
        self.hash = hash
        self.size = size
        descriptor = -1
        temporaryName = nil
        linked = file
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
        if !placed, let temporaryName { unlink(temporaryName) }
    }

    /// Gives the blob its name, and syncs the folders that now hold it; nothing happens when
    /// that blob is stored already.
    func place() throws {
        let target = store.path(of: hash)
        guard !FileManager.default.fileExists(atPath: target) else { return }
        let folder = (target as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            if let linked {
                chmod(linked, 0o444)
                if link(linked, target) != 0, errno != EEXIST { throw StoreError.storage(String(cString: strerror(errno))) }
            } else if let temporaryName {
                chmod(temporaryName, 0o444)
                guard rename(temporaryName, target) == 0 else { throw StoreError.storage(String(cString: strerror(errno))) }
                placed = true
            } else if linkat(AT_FDCWD, "/proc/self/fd/\(descriptor)", AT_FDCWD, target, AT_SYMLINK_FOLLOW) != 0, errno != EEXIST {
                throw StoreError.storage(String(cString: strerror(errno)))
            }
            try DurableFile.sync(folder)
            try DurableFile.sync((folder as NSString).deletingLastPathComponent)
        } catch {
            throw StoreError.storage("\(target): the blob cannot be stored (\(error))")
        }
    }
}
