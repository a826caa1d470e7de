import Foundation
import SohoaImaging

/// The image files an `assemble` run reads, in page order.
public enum AssemblyInputs {
    /// Expands the arguments: a file stays as it is; a folder gives its image files (by
    /// extension) in name order, leaving out names that start with a dot and sub-folders.
    ///
    /// - Throws: `ImagingError` naming the argument when it does not exist or a folder holds no image.
    public static func expand(_ arguments: [String]) throws -> [String] {
        var files: [String] = []
        for argument in arguments {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isFolder) else {
                throw ImagingError(file: argument, reason: .unreadable("no such file or folder"))
            }
            guard isFolder.boolValue else {
                files.append(argument)
                continue
            }
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: argument)
            } catch {
                throw ImagingError(file: argument, reason: .unreadable("the folder cannot be listed"))
            }
            let images = names.filter { name in
                !name.hasPrefix(".") && ImageFormat.forExtension((name as NSString).pathExtension) != nil
            }.sorted().map { (argument as NSString).appendingPathComponent($0) }
                .filter { path in
                    var isSubfolder: ObjCBool = false
                    return FileManager.default.fileExists(atPath: path, isDirectory: &isSubfolder) && !isSubfolder.boolValue
                }
            guard !images.isEmpty else {
                throw ImagingError(file: argument, reason: .unreadable("the folder holds no .tif, .tiff, .png, .jpg or .jpeg file"))
            }
            files += images
        }
        return files
    }
}
