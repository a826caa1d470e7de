import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Blobs stored for rows not committed yet, written down so that what a failed or killed
/// write leaves behind can be told from blobs in use, and removed.
///
/// Each write holds a marker file in `DATA/blobs/pending/`, locked with `flock` for as long as
/// its process runs it, and names there every blob it stores before that blob gets its place.
/// Once its rows are committed the marker goes. A marker that no process holds locked is a
/// leftover: its write failed before committing (a full disk), or its process died (the
/// kernel drops the locks of a dead process). The blobs a leftover names are removed, except
/// those a committed row points at and those a write still running names. Markers are made,
/// blobs named and placed, and leftovers removed under a lock on the folder, so a blob is
/// never removed between another write finding it stored already and that write committing.
///
/// Markers are not synced: after a power cut a blob may be left without its marker, an
/// orphan that `sohoa repo fsck` reports and `--repair` removes.
public struct PendingBlobWrites: Sendable {
    /// The folder of the markers.
    public let folder: String
    let blobs: BlobStore

    /// The pending writes of the blob store `blobs` of the data folder `data` (the folder is
    /// made by the first write, so that a repository that is only read may be read-only).
    init(data: String, blobs: BlobStore) {
        folder = (data as NSString).appendingPathComponent("blobs/pending")
        self.blobs = blobs
    }

    /// Starts a write: its marker, locked by this process until the write is finished or
    /// abandoned (or the process ends).
    public func begin() async throws -> PendingBlobWrite {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw StoreError.storage("\(folder): the folder of pending writes cannot be made (\(error.localizedDescription))")
        }
        return try await withAsyncLock {
            let marker = "\(folder)/\(UUID().uuidString).write"
            let descriptor = open(marker, O_CREAT | O_EXCL | O_WRONLY | O_APPEND | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else { throw StoreError.storage("\(marker): the marker cannot be made (\(Self.errorText()))") }
            guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
                let text = Self.errorText()
                close(descriptor)
                unlink(marker)
                throw StoreError.storage("\(marker): the marker cannot be locked (\(text))")
            }
            return PendingBlobWrite(writes: self, marker: marker, descriptor: descriptor)
        }
    }

    /// Removes the blobs that writes left when they failed or their process died before
    /// committing their rows (never a blob a committed row points at, nor one a write still
    /// running names), and those writes' markers. Returns the blobs removed.
    public func removeLeftovers(store: any DocumentStore) async throws -> [ContentHash] {
        guard FileManager.default.fileExists(atPath: folder) else { return [] }  // nothing was ever written
        return try await withAsyncLock {
            var running: Set<ContentHash> = []
            var leftovers: [(marker: String, hashes: [ContentHash])] = []
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            for name in names where name.hasSuffix(".write") {
                let marker = "\(folder)/\(name)"
                let descriptor = open(marker, O_RDONLY | O_CLOEXEC)
                guard descriptor >= 0 else { continue }  // finished meanwhile
                defer { close(descriptor) }
                let text = (try? String(contentsOfFile: marker, encoding: .utf8)) ?? ""
                let hashes = text.split(separator: "\n").compactMap { try? ContentHash(String($0)) }
                if flock(descriptor, LOCK_EX | LOCK_NB) == 0 {
                    leftovers.append((marker, hashes))
                } else {
                    running.formUnion(hashes)
                }
            }
            guard !leftovers.isEmpty else { return [] }
            let candidates = Set(leftovers.flatMap(\.hashes)).subtracting(running)
            let referenced = candidates.isEmpty ? [] : try await store.referencedHashes()
            var removed: [ContentHash] = []
            for hash in candidates.sorted() where !referenced.contains(hash) && blobs.contains(hash) {
                try blobs.remove(hash)
                removed.append(hash)
            }
            for leftover in leftovers { unlink(leftover.marker) }
            return removed
        }
    }

    /// Runs `body` holding the lock on the folder (threads and processes wait their turn). The
    /// lock is taken without blocking a thread (tried again after a short sleep while another
    /// holds it): a holder may be waiting on the store, and need this very thread to go on.
    func withAsyncLock<T>(_ body: () async throws -> T) async throws -> T {
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw StoreError.storage("\(folder): the folder of pending writes cannot be opened (\(Self.errorText()))") }
        defer { close(descriptor) }  // closing releases the lock
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EINTR || errno == EWOULDBLOCK else {
                throw StoreError.storage("\(folder): the folder of pending writes cannot be locked (\(Self.errorText()))")
            }
            if errno == EWOULDBLOCK { try? await Task.sleep(nanoseconds: 2_000_000) }
        }
        return try await body()
    }

    static func errorText() -> String { String(cString: strerror(errno)) }
}

/// One write of blobs for rows not committed yet (see `PendingBlobWrites`). Used by one
/// thread at a time; dropped without `finish`, it is left to be cleaned up as a failed write.
public final class PendingBlobWrite: @unchecked Sendable {
    private let writes: PendingBlobWrites
    private let marker: String
    private var descriptor: Int32

    fileprivate init(writes: PendingBlobWrites, marker: String, descriptor: Int32) {
        self.writes = writes
        self.marker = marker
        self.descriptor = descriptor
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Stores the file at `source` as a blob (`BlobStore.put`): copied and synced first, then
    /// named in the marker and given its place under the folder's lock (so that no cleaning
    /// sees the blob unnamed); the copying holds no lock.
    public func put(fileAt source: String) async throws -> (hash: ContentHash, size: Int) {
        guard descriptor >= 0 else { throw StoreError.storage("\(marker): this write is over") }
        return try await place(writes.blobs.stage(fileAt: source))
    }

    /// Stores a file this process wrote and synced into the data folder, hashing it as it
    /// wrote it (a signed copy in the work folder: `hash`), as a blob, by linking it into place
    /// rather than copying it (`BlobStore.stage(syncedFileAt:hash:)`).
    public func put(syncedFileAt file: String, hash: ContentHash) async throws -> (hash: ContentHash, size: Int) {
        guard descriptor >= 0 else { throw StoreError.storage("\(marker): this write is over") }
        return try await place(writes.blobs.stage(syncedFileAt: file, hash: hash))
    }

    private func place(_ staged: StagedBlob) async throws -> (hash: ContentHash, size: Int) {
        let (descriptor, marker) = (self.descriptor, self.marker)
        return try await writes.withAsyncLock {
            let line = Array("\(staged.hash.rawValue)\n".utf8)
            let written = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard written == line.count else {
                throw StoreError.storage("\(marker): the blob cannot be named in the marker (\(PendingBlobWrites.errorText()))")
            }
            try staged.place()
            return (staged.hash, staged.size)
        }
    }

    /// The rows that point at this write's blobs are committed: the marker goes.
    public func finish() {
        guard descriptor >= 0 else { return }
        unlink(marker)  // while still locked, so that nobody takes it for a leftover
        close(descriptor)
        descriptor = -1
    }

    /// The rows were not committed: the marker is released, and its blobs are removed by
    /// `PendingBlobWrites.removeLeftovers` (at once by `Repository.storingBlobs`).
    public func abandon() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
    }
}
