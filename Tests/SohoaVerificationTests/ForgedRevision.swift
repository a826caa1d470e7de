import Foundation
import SohoaTestSupport

/// Hand-written incremental updates appended to a signed PDF, as an attacker writes them: the
/// objects' text as given, a classic cross-reference table, a trailer. What the file already
/// holds is read with the qpdf command line, an independent reader.
struct ForgedRevision {
    let bytes: [UInt8]
    let path: String

    init(_ bytes: [UInt8], scratch: URL) throws {
        self.bytes = bytes
        path = try Fixtures.write(bytes, named: "base-\(UUID().uuidString.prefix(6)).pdf", in: scratch)
    }

    /// An object as qpdf shows it ("1", "trailer").
    func show(_ object: String) throws -> String {
        let result = try Tools.run("qpdf", ["--show-object=\(object)", path])
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The catalog's object number and its dictionary's text.
    func catalog() throws -> (number: Int, text: String) {
        let trailer = try show("trailer")
        let match = try #/\/Root (\d+) 0 R/#.firstMatch(in: trailer).map { Int($0.output.1)! }
        guard let number = match else { throw Tools.Missing(description: "no /Root in \(trailer)") }
        return (number, try show(String(number)))
    }

    /// The catalog's text with `entries` added just before its closing `>>`.
    func catalog(adding entries: String) throws -> (number: Int, text: String) {
        let (number, text) = try catalog()
        return (number, String(text.dropLast(2)) + " " + entries + " >>")
    }

    /// The object numbers of the pages, in order.
    func pages() throws -> [Int] {
        try Tools.run("qpdf", ["--show-pages", path]).stdout.split(separator: "\n").compactMap { line in
            try #/^page \d+: (\d+) 0 R/#.firstMatch(in: String(line)).map { Int($0.output.1)! }
        }
    }

    /// The trailer's /Size.
    func size() throws -> Int {
        let trailer = try show("trailer")
        return try #/\/Size (\d+)/#.firstMatch(in: trailer).map { Int($0.output.1)! } ?? 0
    }

    /// Every object's offset as the file's cross-reference data gives it.
    func offsets() throws -> [Int: Int] {
        var offsets: [Int: Int] = [:]
        for line in try Tools.run("qpdf", ["--show-xref", path]).stdout.split(separator: "\n") {
            if let match = try #/^(\d+)/0: uncompressed; offset = (\d+)/#.firstMatch(in: String(line)) {
                offsets[Int(match.output.1)!] = Int(match.output.2)!
            }
        }
        return offsets
    }

    /// The file with one more revision defining `objects`. With `linked`, its trailer points
    /// back (/Prev) to the last revision; without, its table lists every object of the file
    /// itself and the earlier revisions are cut off.
    func appending(_ objects: [Int: String], linked: Bool = true, keep: [Int: Int] = [:]) throws -> [UInt8] {
        var out = bytes
        if out.last != 0x0A { out += Array("\n".utf8) }
        let previous = try lastStartXref()
        var entries = keep
        for (number, text) in objects.sorted(by: { $0.key < $1.key }) {
            entries[number] = out.count
            out += Array("\(number) 0 obj\n\(text)\nendobj\n".utf8)
        }
        let table = out.count
        var xref = "xref\n0 1\n0000000000 65535 f \n"
        for (number, offset) in entries.sorted(by: { $0.key < $1.key }) {
            xref += "\(number) 1\n" + String(format: "%010d 00000 n \n", offset)
        }
        let size = max(try size(), (entries.keys.max() ?? 0) + 1)
        let root = try catalog().number
        let link = linked ? " /Prev \(previous)" : ""
        out += Array((xref + "trailer\n<< /Size \(size) /Root \(root) 0 R\(link) >>\nstartxref\n\(table)\n%%EOF\n").utf8)
        return out
    }

    private func lastStartXref() throws -> Int {
        let text = String(decoding: bytes.suffix(1024), as: UTF8.self)
        guard let value = text.ranges(of: "startxref").last.map({ text[$0.upperBound...] })?
            .split(whereSeparator: \.isWhitespace).first.flatMap({ Int($0) }) else {
            throw Tools.Missing(description: "no startxref")
        }
        return value
    }
}

extension Array where Element == UInt8 {
    /// The bytes with the only occurrence of `old` replaced by `new` of the same length.
    func replacingOnce(_ old: String, with new: String) -> [UInt8] {
        let needle = Array(old.utf8), replacement = Array(new.utf8)
        precondition(needle.count == replacement.count, "a same-length edit")
        guard let range = firstRange(of: needle) else { return self }
        var copy = self
        copy.replaceSubrange(range, with: replacement)
        return copy
    }
}
