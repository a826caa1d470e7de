import Foundation

/// The independent tools the suite checks Sohoa's output with, and the Python virtual
/// environment `make` creates for test-only tools.
public enum Tools {
    /// The venv's Python (`make venv` creates it).
    public static var python: String { Fixtures.packageRoot.appendingPathComponent(".build/venv/bin/python").path }

    /// Runs a tool from PATH-like standard places; fails the test with a clear message when absent.
    public static func run(_ tool: String, _ arguments: [String]) throws -> ProcessResult {
        let candidates = tool.hasPrefix("/") ? [tool] : ["/usr/bin/\(tool)", "/usr/local/bin/\(tool)", "/bin/\(tool)"]
        guard let path = Run.firstExisting(candidates) else {
            throw Missing(description: "\(tool) is not installed; `make test` installs it (make deps / make venv)")
        }
        return try Run.process(path, arguments)
    }

    public struct Missing: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    /// One row of `pdfimages -list`.
    public struct ImageRow: Equatable, Sendable {
        public let page: Int
        public let width: Int
        public let height: Int
        public let color: String
        public let bitsPerComponent: Int
        public let encoding: String
        public let objectID: Int
    }

    /// `pdfimages -list` parsed.
    public static func pdfImages(_ pdf: String) throws -> [ImageRow] {
        let result = try run("pdfimages", ["-list", pdf])
        guard result.status == 0 else { throw Missing(description: "pdfimages failed: \(result.stderr)") }
        return result.stdout.split(separator: "\n").dropFirst(2).compactMap { line in
            let f = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard f.count >= 11, let page = Int(f[0]), let width = Int(f[3]), let height = Int(f[4]),
                  let bpc = Int(f[7]), let object = Int(f[10]) else { return nil }
            return ImageRow(page: page, width: width, height: height, color: f[5], bitsPerComponent: bpc,
                            encoding: f[8], objectID: object)
        }
    }

    /// Page sizes in points from `pdfinfo`.
    public static func pageSizes(_ pdf: String) throws -> [(width: Double, height: Double)] {
        let result = try run("pdfinfo", ["-f", "1", "-l", "100000", pdf])
        return result.stdout.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("Page"), line.contains(" size: ") else { return nil }
            let numbers = line.split(separator: ":", maxSplits: 1)[1].split(separator: " ").compactMap { Double($0) }
            return numbers.count >= 2 ? (numbers[0], numbers[1]) : nil
        }
    }

    /// The raw (still encoded) data of stream object `id`, through qpdf.
    public static func rawStream(_ pdf: String, object id: Int) throws -> [UInt8] {
        let folder = try Fixtures.makeScratch("raw")
        defer { Fixtures.removeScratch(folder) }
        let target = folder.appendingPathComponent("stream.bin").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/qpdf")
        process.arguments = ["--show-object=\(id)", "--raw-stream-data", pdf]
        _ = FileManager.default.createFile(atPath: target, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: target))
        try process.run()
        process.waitUntilExit()
        return try Fixtures.read(target)
    }

    /// A page rendered to 8-bit gray at `dpi` by poppler's pdftoppm.
    public static func render(_ pdf: String, page: Int, dpi: Int) throws -> (width: Int, height: Int, pixels: [UInt8]) {
        let folder = try Fixtures.makeScratch("render")
        defer { Fixtures.removeScratch(folder) }
        let prefix = folder.appendingPathComponent("page").path
        let result = try run("pdftoppm", ["-r", "\(dpi)", "-gray", "-f", "\(page)", "-l", "\(page)", "-singlefile",
                                          pdf, prefix])
        guard result.status == 0 else { throw Missing(description: "pdftoppm failed: \(result.stderr)") }
        return try PGM.read(prefix + ".pgm")
    }
}

/// Binary PGM (P5, gray) and PPM (P6, RGB), as pdftoppm writes them.
public enum NetPBM {
    /// The image in `bytes`: its size, samples per pixel (1 or 3), and samples row by row;
    /// nil when it is not a binary PGM or PPM with 8-bit samples.
    public static func decode(_ bytes: [UInt8]) -> (width: Int, height: Int, channels: Int, pixels: [UInt8])? {
        guard bytes.count > 2, bytes[0] == 0x50, bytes[1] == 0x35 || bytes[1] == 0x36 else { return nil }
        let channels = bytes[1] == 0x35 ? 1 : 3
        var fields: [Int] = []
        var index = 2
        while fields.count < 3, index < bytes.count {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A { index += 1 }
            var value = 0
            while index < bytes.count, (0x30...0x39).contains(bytes[index]) {
                value = value * 10 + Int(bytes[index] - 0x30)
                index += 1
            }
            fields.append(value)
        }
        index += 1
        let count = fields.count == 3 ? fields[0] * fields[1] * channels : 0
        guard fields.count == 3, fields[2] == 255, bytes.count >= index + count else { return nil }
        return (fields[0], fields[1], channels, Array(bytes[index..<(index + count)]))
    }
}

/// Binary PGM (P5), as pdftoppm writes it.
enum PGM {
    static func read(_ path: String) throws -> (width: Int, height: Int, pixels: [UInt8]) {
        guard let image = NetPBM.decode(try Fixtures.read(path)), image.channels == 1 else {
            throw Tools.Missing(description: "\(path) is not a binary PGM")
        }
        return (image.width, image.height, image.pixels)
    }
}
