import Foundation
import SohoaFiles
import SohoaCrypto
import SohoaRepository

#if canImport(Glibc)
import Glibc
#endif

/// Where claimed inbox items wait for their jobs: a hidden folder inside the inbox, so that a
/// claim is one atomic rename on the same file system and the inbox scan never sees it.
///
/// Each claim makes an entry `<spool>/<entry>/<owner>/<case>/` and renames the item (and its
/// sidecar) into it under the same names, so an entry always says where its item came from,
/// even when the process died before the store recorded it.
public struct Spool: Sendable {
    /// The spool folder's name inside the inbox (a dot name: the inbox scan skips it).
    public static let folderName = ".sohoa-spool"

    public let inbox: String
    public let root: String

    public init(inbox: String) {
        self.inbox = inbox
        root = (inbox as NSString).appendingPathComponent(Self.folderName)
    }

    /// An item in a spool entry.
    public struct Item: Sendable, Equatable {
        /// The entry's name.
        public let entry: String
        /// `<owner>/<case>/<name>`, as it was in the inbox.
        public let relativePath: String
        /// Where it is now.
        public let path: String
    }

    /// Moves the inbox item at `relativePath` (and its sidecar `<base>.json`, if any) into a new
    /// spool entry. Nil when the item is no longer there (taken by another watcher, or moved
    /// away by the operator).
    public func claim(_ relativePath: String) throws -> Item? {
        let entry = Self.newEntryName()
        let caseFolder = (relativePath as NSString).deletingLastPathComponent
        let name = (relativePath as NSString).lastPathComponent
        let target = "\(root)/\(entry)/\(caseFolder)"
        do {
            try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        } catch {
            throw PipelineFailure.transient("\(root): a spool folder cannot be made (\(error.localizedDescription))")
        }
        let source = "\(inbox)/\(relativePath)"
        guard rename(source, "\(target)/\(name)") == 0 else {
            let reason = errno
            try? FileManager.default.removeItem(atPath: "\(root)/\(entry)")
            if reason == ENOENT { return nil }
            throw PipelineFailure.transient("\(relativePath): it cannot be moved out of the inbox (\(String(cString: strerror(reason))))")
        }
        let item = Item(entry: entry, relativePath: relativePath, path: "\(target)/\(name)")
        adoptSidecars(of: item)
        return item
    }

    /// Gives a claimed item back to the inbox (its sidecar too) and removes its entry: it was
    /// still being written when it was claimed, and waits there again. False, and nothing is
    /// moved, when a new item took its inbox name meanwhile (the claim then stands).
    public func release(_ item: Item) throws -> Bool {
        let source = "\(inbox)/\(item.relativePath)"
        let caseFolder = (source as NSString).deletingLastPathComponent
        let spooled = (item.path as NSString).deletingLastPathComponent
        let sidecars = Self.sidecars(of: (item.path as NSString).lastPathComponent, in: spooled)
        guard !FileManager.default.fileExists(atPath: source),
              !sidecars.contains(where: { FileManager.default.fileExists(atPath: "\(caseFolder)/\($0)") }) else { return false }
        // Sidecars first: an entry never holds a sidecar without its item (a crash in between
        // leaves the item in its entry, and the recovery records it).
        for sidecar in sidecars {
            _ = rename("\(spooled)/\(sidecar)", "\(caseFolder)/\(sidecar)")
        }
        guard rename(item.path, source) == 0 else {
            throw PipelineFailure.transient("\(item.relativePath): it cannot be moved back to the inbox "
                                            + "(\(String(cString: strerror(errno))))")
        }
        try? DurableFile.sync(caseFolder)
        remove(entry: item.entry)
        return true
    }

    /// Moves the item's sidecar from its inbox folder into its entry, if it is still in the
    /// inbox (a claim that stopped between the two renames leaves it there).
    public func adoptSidecars(of item: Item) {
        let caseFolder = (item.relativePath as NSString).deletingLastPathComponent
        let target = (item.path as NSString).deletingLastPathComponent
        for sidecar in Self.sidecars(of: (item.path as NSString).lastPathComponent, in: "\(inbox)/\(caseFolder)") {
            _ = rename("\(inbox)/\(caseFolder)/\(sidecar)", "\(target)/\(sidecar)")
        }
        try? DurableFile.sync(target)
        try? DurableFile.sync("\(inbox)/\(caseFolder)")
    }

    /// Every spool entry's name.
    public func entries() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).filter(Self.isEntryName).sorted()
    }

    /// When the entry's folder last changed (an item renamed into it or out of it), nil when
    /// it is gone.
    public func lastChange(ofEntry entry: String) -> Date? {
        guard Self.isEntryName(entry) else { return nil }
        return (try? FileManager.default.attributesOfItem(atPath: "\(root)/\(entry)"))?[.modificationDate] as? Date
    }

    /// Whether `name` is a spool entry's name (16 lower-case hexadecimal digits): names read
    /// back from the store are checked before they become part of a path.
    public static func isEntryName(_ name: String) -> Bool {
        name.utf8.count == 16 && name.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// Whether `relativePath` is `<owner>/<case>/<name>` with valid identifiers and a plain
    /// name (no `/`, not `.` or `..`).
    public static func isItemPath(_ relativePath: String) -> Bool {
        let parts = relativePath.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, (try? OwnerID(parts[0])) != nil, (try? DossierCode(parts[1])) != nil else { return false }
        return !parts[2].isEmpty && parts[2] != "." && parts[2] != ".."
    }

    /// The item of an entry, found from the folders inside it; nil when the entry holds none
    /// (a claim that stopped before its rename).
    public func item(inEntry entry: String, relativePath known: String? = nil) -> Item? {
        guard Self.isEntryName(entry) else { return nil }
        if let known {
            guard Self.isItemPath(known) else { return nil }
            let path = "\(root)/\(entry)/\(known)"
            return FileManager.default.fileExists(atPath: path) ? Item(entry: entry, relativePath: known, path: path) : nil
        }
        let base = "\(root)/\(entry)"
        for owner in visible(base) {
            for dossier in visible("\(base)/\(owner)") {
                let names = visible("\(base)/\(owner)/\(dossier)")
                let items = names.filter { !$0.lowercased().hasSuffix(".json") }
                if let name = items.first ?? names.first {
                    let relative = "\(owner)/\(dossier)/\(name)"
                    return Item(entry: entry, relativePath: relative, path: "\(base)/\(relative)")
                }
            }
        }
        return nil
    }

    /// The sidecar beside an item in its spool entry, if there is one.
    public func sidecar(of item: Item) -> String? {
        let folder = (item.path as NSString).deletingLastPathComponent
        return Self.sidecars(of: (item.path as NSString).lastPathComponent, in: folder).first.map { "\(folder)/\($0)" }
    }

    /// The file in an entry that keeps why its item is refused, in both languages, until the
    /// item is in the rejected folder (the store keeps the English only). A dot name: never
    /// taken for the item.
    static let problemFileName = ".reason.json"

    /// Keeps `problem` in the entry, synced, before the store hears of the rejection: a crash
    /// before the item is moved leaves the words for the recovery's reason file.
    public func saveProblem(_ problem: OperatorText, inEntry entry: String) {
        guard Self.isEntryName(entry),
              let data = try? JSONEncoder().encode(["vietnamese": problem.vietnamese, "english": problem.english]) else { return }
        try? DurableFile.replace("\(root)/\(entry)/\(Self.problemFileName)") { temporary in
            try data.write(to: URL(fileURLWithPath: temporary))
        }
    }

    /// The problem kept in the entry, if any.
    public func savedProblem(inEntry entry: String) -> OperatorText? {
        guard Self.isEntryName(entry),
              let data = FileManager.default.contents(atPath: "\(root)/\(entry)/\(Self.problemFileName)"),
              let words = try? JSONDecoder().decode([String: String].self, from: data),
              let vietnamese = words["vietnamese"], let english = words["english"] else { return nil }
        return OperatorText(vietnamese: vietnamese, english: english)
    }

    /// Removes an entry and everything left in it.
    public func remove(entry: String) {
        guard Self.isEntryName(entry) else { return }
        try? FileManager.default.removeItem(atPath: "\(root)/\(entry)")
    }

    /// The SHA-256 and size of an item: of the file, or, for a folder, of its pages' names and
    /// hashes in name order (the `.ready` marker excluded).
    public static func fingerprint(of path: String) throws -> (hash: ContentHash, size: Int) {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw PipelineFailure.permanent(OperatorText(vietnamese: "tệp đã biến mất khỏi hàng chờ xử lý",
                                                         english: "the file vanished from the spool"))
        }
        do {
            if !isFolder.boolValue {
                let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
                return (ContentHash(digest: try SHA256.digest(fileAt: path)), size)
            }
            var listing = ""
            var size = 0
            for name in try FileManager.default.contentsOfDirectory(atPath: path).sorted() where !name.hasPrefix(".") {
                let page = "\(path)/\(name)"
                size += (try FileManager.default.attributesOfItem(atPath: page)[.size] as? Int) ?? 0
                listing += "\(name)\u{0}\(ContentHash(digest: try SHA256.digest(fileAt: page)))\n"
            }
            return (ContentHash(digest: SHA256.digest(Array(listing.utf8))), size)
        } catch {
            throw PipelineFailure.transient("\(path): it cannot be read (\(error.localizedDescription))")
        }
    }

    private static func sidecars(of name: String, in folder: String) -> [String] {
        let base = name.lowercased().hasSuffix(".json") ? name : (name as NSString).deletingPathExtension
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0 != name && $0.lowercased().hasSuffix(".json") && ($0 as NSString).deletingPathExtension == base }
    }

    private func visible(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    private static func newEntryName() -> String { Hex.random(bytes: 8) }
}

/// How a pipeline step failed: `transient` is worth retrying later (a full disk, a busy
/// file, a locked database); `permanent` will fail the same way every time (a damaged scan),
/// said in the operators' words.
public enum PipelineFailure: Error, Equatable, Sendable, CustomStringConvertible {
    case transient(String)
    case permanent(OperatorText)

    public var description: String {
        switch self {
        case .transient(let reason): return reason
        case .permanent(let reason): return reason.english
        }
    }
}
