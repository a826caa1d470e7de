import Foundation

/// Verifies many files several at a time, keeping only the reports (each file's snapshot and
/// qpdf state are released when it is done, so memory stays flat with the number of files).
public struct VerificationRunner: Sendable {
    public let verifier: DocumentVerifier

    public init(verifier: DocumentVerifier) {
        self.verifier = verifier
    }

    /// The PDFs the arguments name: files as given; folders searched below for `.pdf` files,
    /// in path order. A path that does not exist is an input error.
    public static func expand(_ arguments: [String]) -> (files: [String], missing: [String]) {
        var files: [String] = [], missing: [String] = []
        for argument in arguments {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isFolder) else {
                missing.append(argument)
                continue
            }
            guard isFolder.boolValue else {
                files.append(argument)
                continue
            }
            let found = FileManager.default.enumerator(atPath: argument)?.compactMap { $0 as? String } ?? []
            files += found.filter { $0.lowercased().hasSuffix(".pdf") && !($0 as NSString).lastPathComponent.hasPrefix(".") }
                .sorted().map { (argument as NSString).appendingPathComponent($0) }
        }
        return (files, missing)
    }

    /// Verifies `files`, one per core at a time; `progress` is called (one call at a time) as
    /// each finishes.
    public func run(_ files: [String], progress: @Sendable (Int, Result<FileReport, UnreadableInput>) -> Void = { _, _ in })
        -> [Result<FileReport, UnreadableInput>] {
        let lock = NSLock()
        nonisolated(unsafe) var results = [Result<FileReport, UnreadableInput>?](repeating: nil, count: files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { index in
            let result = Result { () throws(UnreadableInput) -> FileReport in try verifier.verify(path: files[index]) }
            lock.lock()
            defer { lock.unlock() }
            results[index] = result
            progress(index, result)
        }
        return results.compactMap { $0 }
    }
}
