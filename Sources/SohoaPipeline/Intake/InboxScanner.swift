import Foundation
import SohoaImaging
import SohoaRepository

/// Walks an inbox laid out as `<owner-id>/<case-id>/<document>` and lists what it holds,
/// without moving or changing anything.
///
/// Every folder name is validated as an identifier before it is used; links are never
/// followed; names starting with `.` are ignored (files still being written); names that are
/// not UTF-8 are reported, written out with `\xNN`, and nothing below them is read.
public struct InboxScanner: Sendable {
    /// The inbox folder.
    public let root: String

    /// The name of the marker that makes a folder document complete.
    public static let readyMarker = ".ready"

    public init(root: String) {
        self.root = root
    }

    /// Why an inbox cannot be scanned at all.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// Lists the inbox.
    public func scan() throws(Failure) -> InboxListing {
        guard entryType(root) == .typeDirectory else {
            throw Failure(description: "\(root): the inbox is not a readable folder")
        }
        var listing = InboxListing()
        for ownerName in visibleEntries(root, relative: "", into: &listing) {
            let ownerPath = join(root, ownerName)
            guard checkFolder(ownerPath, relative: ownerName, into: &listing) else { continue }
            let owner: OwnerID
            do { owner = try OwnerID(ownerName) } catch {
                listing.problems.append(InboxProblem(relativePath: ownerName, reason: .badOwner(error)))
                continue
            }
            for caseName in visibleEntries(ownerPath, relative: ownerName, into: &listing) {
                let relativeCase = "\(ownerName)/\(caseName)"
                let casePath = join(ownerPath, caseName)
                guard checkFolder(casePath, relative: relativeCase, into: &listing) else { continue }
                let caseID: DossierCode
                do { caseID = try DossierCode(caseName) } catch {
                    listing.problems.append(InboxProblem(relativePath: relativeCase, reason: .badCase(error)))
                    continue
                }
                scanCase(casePath, relative: relativeCase, owner: owner, caseID: caseID, into: &listing)
            }
        }
        listing.documents.sort { $0.relativePath < $1.relativePath }
        listing.problems.sort { $0.relativePath < $1.relativePath }
        listing.waiting.sort()
        return listing
    }

    private func scanCase(_ casePath: String, relative: String, owner: OwnerID, caseID: DossierCode,
                          into listing: inout InboxListing) {
        let entries = visibleEntries(casePath, relative: relative, into: &listing)
        let sidecars = Set(entries.filter { $0.lowercased().hasSuffix(".json") })
        for name in entries where !sidecars.contains(name) {
            let path = join(casePath, name)
            let relativePath = "\(relative)/\(name)"
            let baseName: String
            let imageFiles: [String]
            switch entryType(path) {
            case .typeRegular:
                let ext = (name as NSString).pathExtension
                guard ImageFormat.forExtension(ext) != nil else {
                    listing.problems.append(InboxProblem(relativePath: relativePath,
                                                         reason: .unsupportedFile(extension: ext.lowercased())))
                    continue
                }
                baseName = (name as NSString).deletingPathExtension
                imageFiles = [path]
            case .typeDirectory:
                guard let pages = folderPages(path, relative: relativePath, into: &listing) else { continue }
                baseName = name
                imageFiles = pages
            case .typeSymbolicLink:
                listing.problems.append(InboxProblem(relativePath: relativePath, reason: .link))
                continue
            default:
                listing.problems.append(InboxProblem(relativePath: relativePath, reason: .notRegular))
                continue
            }
            var metadata: DocumentMetadata?
            let sidecarName = sidecars.first { ($0 as NSString).deletingPathExtension == baseName }
            if let sidecarName {
                let sidecarPath = join(casePath, sidecarName)
                guard entryType(sidecarPath) == .typeRegular else {
                    listing.problems.append(InboxProblem(relativePath: "\(relative)/\(sidecarName)", reason: .link))
                    continue
                }
                do { metadata = try DocumentMetadata.load(path: sidecarPath) } catch {
                    listing.problems.append(InboxProblem(relativePath: "\(relative)/\(sidecarName)", reason: error))
                    continue
                }
            }
            listing.documents.append(InboxDocument(
                owner: owner, caseID: caseID, name: name, relativePath: relativePath,
                imageFiles: imageFiles, isFolder: imageFiles.first != path, metadata: metadata))
        }
    }

    /// The page images of a folder document, or `nil` when it is not ready or not usable.
    private func folderPages(_ path: String, relative: String, into listing: inout InboxListing) -> [String]? {
        guard entryType(join(path, Self.readyMarker)) == .typeRegular else {
            listing.waiting.append(relative)
            return nil
        }
        var pages: [String] = []
        let problemsBefore = listing.problems.count
        let names = visibleEntries(path, relative: relative, into: &listing)
        guard listing.problems.count == problemsBefore else { return nil }  // a page whose name is not text
        for name in names {
            let pagePath = join(path, name)
            let relativePage = "\(relative)/\(name)"
            switch entryType(pagePath) {
            case .typeRegular:
                let ext = (name as NSString).pathExtension
                guard ImageFormat.forExtension(ext) != nil else {
                    listing.problems.append(InboxProblem(relativePath: relativePage,
                                                         reason: .unsupportedFile(extension: ext.lowercased())))
                    return nil
                }
                pages.append(pagePath)
            case .typeDirectory:
                listing.problems.append(InboxProblem(relativePath: relativePage, reason: .nestedFolder))
                return nil
            case .typeSymbolicLink:
                listing.problems.append(InboxProblem(relativePath: relativePage, reason: .link))
                return nil
            default:
                listing.problems.append(InboxProblem(relativePath: relativePage, reason: .notRegular))
                return nil
            }
        }
        guard !pages.isEmpty else {
            listing.problems.append(InboxProblem(relativePath: relative, reason: .emptyFolder))
            return nil
        }
        return pages
    }

    /// Checks that an owner or case entry is a real folder; records a problem otherwise.
    private func checkFolder(_ path: String, relative: String, into listing: inout InboxListing) -> Bool {
        switch entryType(path) {
        case .typeDirectory: return true
        case .typeSymbolicLink: listing.problems.append(InboxProblem(relativePath: relative, reason: .link))
        case .typeRegular: listing.problems.append(InboxProblem(relativePath: relative, reason: .notInsideCase))
        default: listing.problems.append(InboxProblem(relativePath: relative, reason: .notRegular))
        }
        return false
    }

    /// Names in `folder` not starting with a dot, sorted. Names that are not UTF-8 are not
    /// returned: each is recorded as a problem at `relative/<name written out>`.
    private func visibleEntries(_ folder: String, relative: String, into listing: inout InboxListing) -> [String] {
        var names: [String] = []
        for raw in FileNames.entries(of: Array(folder.utf8)) ?? [] where raw.first != UInt8(ascii: ".") {
            if let name = FileNames.text(raw) {
                names.append(name)
            } else {
                let prefix = relative.isEmpty ? "" : relative + "/"
                listing.problems.append(InboxProblem(relativePath: prefix + FileNames.escaped(raw),
                                                     reason: .undecodableName(pathBytes: Array(prefix.utf8) + raw)))
            }
        }
        return names.sorted()
    }

    /// The entry's own type; links are reported as links, not followed.
    private func entryType(_ path: String) -> FileAttributeType? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType
    }

    private func join(_ folder: String, _ name: String) -> String {
        folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }
}
