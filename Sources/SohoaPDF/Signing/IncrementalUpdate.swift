import CQPDF
import Foundation

/// Where the PDF to update comes from: bytes in memory, or a file read piece by piece.
public enum PDFSource: Sendable {
    case bytes([UInt8], name: String)
    case file(String)

    var name: String {
        switch self {
        case .bytes(_, let name): return name
        case .file(let path): return path
        }
    }
}

/// A PDF opened for an incremental update: qpdf's view of its objects, its length, and its
/// last cross-reference section. Only the objects an update touches are read.
struct UpdateBase {
    let document: QPDFDocument
    let q: qpdf_data
    let name: String
    let length: Int
    let tail: FileTail
    let endsWithNewline: Bool

    init(_ source: PDFSource) throws {
        name = source.name
        let window: [UInt8]
        switch source {
        case .bytes(let bytes, _):
            document = try QPDFDocument(bytes: bytes, name: name)
            length = bytes.count
            window = Array(bytes.suffix(2048))
            tail = try FileTail(window: window, length: length, name: name) { Array(bytes[$0..<min($0 + 4, bytes.count)]) }
        case .file(let path):
            document = try QPDFDocument(path: path)
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw PDFError(file: name, reason: "the file cannot be read")
            }
            defer { try? handle.close() }
            length = Int(try handle.seekToEnd())
            try handle.seek(toOffset: UInt64(max(0, length - 2048)))
            window = Array(try handle.readToEnd() ?? Data())
            tail = try FileTail(window: window, length: length, name: name) { offset in
                try handle.seek(toOffset: UInt64(offset))
                return Array(try handle.read(upToCount: 4) ?? Data())
            }
        }
        guard let q = document.handle else { throw PDFError(file: name, reason: "qpdf could not read the file") }
        self.q = q
        if qpdf_is_encrypted(q) != 0 {
            throw PDFError(file: name, reason: "the file is encrypted; Sohoa signs unencrypted documents only")
        }
        endsWithNewline = window.last == 0x0A
    }

    /// The catalog.
    var root: qpdf_oh { qpdf_get_root(q) }
}

/// Writes the bytes of one incremental update: objects, then a cross-reference section of the
/// same kind as the file's last one (a table, or a stream when the file uses streams) with
/// `/Prev` pointing back, `startxref` and `%%EOF`. Offsets count from the start of the file.
struct IncrementalUpdateWriter {
    private let base: UpdateBase
    private(set) var output: [UInt8]
    private(set) var offsets: [Int: (offset: Int, generation: Int)] = [:]

    init(after base: UpdateBase) {
        self.base = base
        output = base.endsWithNewline ? [] : Array("\n".utf8)
    }

    /// The offset in the whole file where the next byte goes.
    var position: Int { base.length + output.count }

    /// Starts object `id`: records its offset and writes its header.
    mutating func beginObject(_ id: Int, generation: Int = 0) {
        offsets[id] = (position, generation)
        append("\(id) \(generation) obj\n")
    }

    mutating func append(_ text: String) { output += Array(text.utf8) }
    mutating func append(_ bytes: [UInt8]) { output += bytes }

    /// Writes a whole object whose body is `body`.
    mutating func writeObject(_ id: Int, generation: Int = 0, body: String) {
        beginObject(id, generation: generation)
        append(body + "\nendobj\n")
    }

    /// Writes `object` (an indirect object qpdf holds, possibly changed) as it now is, once.
    mutating func writeCurrent(_ object: qpdf_oh) {
        let id = Int(qpdf_oh_get_object_id(base.q, object))
        guard offsets[id] == nil else { return }
        writeObject(id, generation: Int(qpdf_oh_get_generation(base.q, object)),
                    body: String(cString: qpdf_oh_unparse_resolved(base.q, object)))
    }

    /// A stream object holding `data` unfiltered.
    mutating func writeStream(_ id: Int, data: [UInt8]) {
        beginObject(id)
        append("<< /Length \(data.count) >>\nstream\n")
        append(data)
        append("\nendstream\nendobj\n")
    }

    /// Writes an object made outside qpdf (an appearance stream, a font, an image), once.
    mutating func write(_ object: PDFObject) {
        guard offsets[object.id] == nil else { return }
        beginObject(object.id)
        if let data = object.streamData {
            var dictionary = object.dictionary
            if dictionary.hasSuffix(">>") { dictionary.removeLast(2) }
            append(dictionary + " /Length \(data.count) >>\nstream\n")
            append(data)
            append("\nendstream\nendobj\n")
        } else {
            append(object.dictionary + "\nendobj\n")
        }
    }

    /// Ends the update with its cross-reference section and trailer; returns the update's bytes.
    mutating func finish() -> [UInt8] {
        let q = base.q
        let trailer = qpdf_get_trailer(q)
        let oldSize = Int(qpdf_oh_get_int_value(q, qpdf_oh_get_key(q, trailer, "/Size")))
        let newSize = max(oldSize, (offsets.keys.max() ?? 0) + 1)
        var entries = "/Size \(newSize) /Root \(String(cString: qpdf_oh_unparse(q, base.root))) /Prev \(base.tail.lastCrossReference)"
        for key in ["/Info", "/ID"] where qpdf_oh_has_key(q, trailer, key) != 0 {
            entries += " \(key) \(String(cString: qpdf_oh_unparse(q, qpdf_oh_get_key(q, trailer, key))))"
        }
        let crossReference = position
        if base.tail.isStream {
            append(Self.crossReferenceStream(offsets, id: newSize, trailer: entries, at: crossReference))
        } else {
            append(Self.crossReferenceTable(offsets))
            append("trailer\n<< \(entries) >>\n")
        }
        append("startxref\n\(crossReference)\n%%EOF\n")
        return output
    }

    /// Replaces bytes already written (`range` counts from the start of the update).
    mutating func replace(_ range: Range<Int>, with bytes: [UInt8]) {
        output.replaceSubrange(range, with: bytes)
    }

    private static func crossReferenceTable(_ offsets: [Int: (offset: Int, generation: Int)]) -> String {
        var text = "xref\n"
        for run in runs(offsets.keys.sorted()) {
            text += "\(run.first!) \(run.count)\n"
            for id in run {
                let entry = offsets[id]!
                text += "\(PDFNumber.zeroPadded(entry.offset, to: 10)) \(PDFNumber.zeroPadded(entry.generation, to: 5)) n\r\n"
            }
        }
        return text
    }

    /// A cross-reference stream (W = [1 4 2]) that lists itself too.
    private static func crossReferenceStream(_ offsets: [Int: (offset: Int, generation: Int)], id: Int,
                                             trailer: String, at position: Int) -> [UInt8] {
        var all = offsets
        all[id] = (position, 0)
        let ids = all.keys.sorted()
        var data: [UInt8] = []
        for key in ids {
            let entry = all[key]!
            data.append(1)
            data += [UInt8(entry.offset >> 24 & 0xFF), UInt8(entry.offset >> 16 & 0xFF),
                     UInt8(entry.offset >> 8 & 0xFF), UInt8(entry.offset & 0xFF)]
            data += [UInt8(entry.generation >> 8 & 0xFF), UInt8(entry.generation & 0xFF)]
        }
        let index = runs(ids).map { "\($0.first!) \($0.count)" }.joined(separator: " ")
        let sized = trailer.replacingOccurrences(of: #"/Size \d+"#, with: "/Size \(id + 1)", options: .regularExpression)
        let header = "\(id) 0 obj\n<< /Type /XRef \(sized) /Index [\(index)] /W [1 4 2] /Length \(data.count) >>\nstream\n"
        return Array(header.utf8) + data + Array("\nendstream\nendobj\n".utf8)
    }

    private static func runs(_ sorted: [Int]) -> [[Int]] {
        var runs: [[Int]] = []
        for id in sorted {
            if let last = runs.last?.last, last + 1 == id { runs[runs.count - 1].append(id) } else { runs.append([id]) }
        }
        return runs
    }
}
