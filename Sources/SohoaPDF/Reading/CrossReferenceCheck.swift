import Foundation

/// The cross-reference section of each revision read from the bytes, and what in it lets two
/// readers resolve the same reference differently: an object listed twice (qpdf takes one
/// entry, another reader the other), an entry whose generation or object number is not the one
/// written at its offset (qpdf falls back to an older definition, a reader that rebuilds the
/// table shows the new one). Incremental updates written by signing and archiving software
/// have none of these.
public enum CrossReferenceCheck {
    /// One entry of a section.
    struct Entry: Equatable {
        enum Kind: Equatable {
            case free
            case inUse(offset: Int)
            case compressed(stream: Int)
        }
        let object: Int
        let generation: Int
        let kind: Kind
    }

    /// The most entries read from one section.
    static let entryLimit = 2_000_000

    /// For each revision (by index in `layout.revisions`) that has any, what makes its
    /// cross-reference section ambiguous, in words.
    public static func ambiguities(in file: FileSnapshot, layout: RevisionLayout) -> [Int: [String]] {
        var found: [Int: [String]] = [:]
        for (index, revision) in layout.revisions.enumerated() {
            guard let offset = revision.crossReference, offset >= 0, offset < file.count else { continue }
            let problems = check(section: offset, of: revision, in: file)
            if !problems.isEmpty { found[index] = problems }
        }
        return found
    }

    static func check(section offset: Int, of revision: Revision, in file: FileSnapshot) -> [String] {
        let entries: [Entry]
        if startsWith("xref", at: offset, in: file.bytes) {
            guard let table = tableEntries(at: offset, in: file.bytes) else { return [] }  // qpdf reports what it cannot read
            entries = table
        } else if let stream = streamEntries(at: offset, revisionEnd: revision.end, in: file) {
            entries = stream
        } else {
            return []
        }
        var problems: [String] = []
        var seen: [Int: Entry] = [:]
        for entry in entries {
            if let first = seen[entry.object] {
                if first != entry { problems.append("object \(entry.object) is listed twice, differently") }
                continue
            }
            seen[entry.object] = entry
            guard case .inUse(let at) = entry.kind else { continue }
            guard let header = objectHeader(at: at, in: file.bytes) else {
                problems.append("the entry for object \(entry.object) points at offset \(at), where no object begins")
                continue
            }
            if header.object != entry.object || header.generation != entry.generation {
                problems.append("the entry for object \(entry.object) \(entry.generation) points at object "
                                + "\(header.object) \(header.generation)")
            }
        }
        return Array(problems.prefix(20))
    }

    // MARK: Tables

    /// The entries of a classic table (`xref`, subsections, `trailer`), nil when it is not one.
    static func tableEntries(at offset: Int, in bytes: UnsafeRawBufferPointer) -> [Entry]? {
        var cursor = offset + 4
        var entries: [Entry] = []
        func skipSpace() { while cursor < bytes.count, PDFBytes.isWhiteSpace(bytes[cursor]) { cursor += 1 } }
        func number() -> Int? {
            let start = cursor
            while cursor < bytes.count, cursor - start < 19, PDFBytes.isDigit(bytes[cursor]) { cursor += 1 }
            return PDFBytes.integer(bytes, start..<cursor)
        }
        while true {
            skipSpace()
            if startsWith("trailer", at: cursor, in: bytes) { return entries }
            guard let first = number() else { return nil }
            skipSpace()
            guard let count = number(), count >= 0, entries.count + count <= entryLimit else { return nil }
            for index in 0..<count {
                skipSpace()
                guard let field = number() else { return nil }
                skipSpace()
                guard let generation = number() else { return nil }
                skipSpace()
                guard cursor < bytes.count else { return nil }
                let type = bytes[cursor]
                cursor += 1
                let (object, overflow) = first.addingReportingOverflow(index)
                guard !overflow else { return nil }
                switch type {
                case UInt8(ascii: "n"): entries.append(Entry(object: object, generation: generation, kind: .inUse(offset: field)))
                case UInt8(ascii: "f"): entries.append(Entry(object: object, generation: generation, kind: .free))
                default: return nil
                }
            }
        }
    }

    // MARK: Streams

    /// The entries of a cross-reference stream (the object at `offset`), read with qpdf from
    /// the file as it stands at the end of its revision; nil when it is not one.
    static func streamEntries(at offset: Int, revisionEnd: Int, in file: FileSnapshot) -> [Entry]? {
        guard let header = objectHeader(at: offset, in: file.bytes),
              let document = try? QPDFDocument(snapshot: file, length: revisionEnd, recovery: false),
              let access = try? ObjectAccess(document) else { return nil }
        let stream = access.object(id: header.object, generation: header.generation)
        guard access.isStream(stream), access.name(access.value(stream, "/Type")) == "/XRef",
              let data = access.streamContents(stream) else { return nil }
        let widths = access.items(access.value(stream, "/W")).compactMap { access.integer($0) }
        guard widths.count == 3, widths.allSatisfy({ (0...8).contains($0) }) else { return nil }
        let width = widths.reduce(0, +)
        guard width > 0 else { return nil }
        var index = access.items(access.value(stream, "/Index")).compactMap { access.integer($0) }
        if index.isEmpty { index = [0, access.integer(access.value(stream, "/Size")) ?? 0] }
        guard index.count % 2 == 0 else { return nil }
        var entries: [Entry] = []
        var position = 0
        for pair in stride(from: 0, to: index.count, by: 2) {
            let (first, count) = (index[pair], index[pair + 1])
            guard first >= 0, count >= 0, entries.count + count <= entryLimit else { return nil }
            for item in 0..<count {
                guard position + width <= data.count else { return nil }
                var fields = [0, 0, 0]
                var at = position
                for field in 0..<3 {
                    for _ in 0..<widths[field] {
                        fields[field] = fields[field] << 8 | Int(data[at])
                        at += 1
                    }
                }
                if widths[0] == 0 { fields[0] = 1 }  // the type defaults to 1
                position += width
                let object = first + item
                switch fields[0] {
                case 0: entries.append(Entry(object: object, generation: fields[2], kind: .free))
                case 1: entries.append(Entry(object: object, generation: fields[2], kind: .inUse(offset: fields[1])))
                case 2: entries.append(Entry(object: object, generation: 0, kind: .compressed(stream: fields[1])))
                default: continue  // reserved types are ignored, as the standard says
                }
            }
        }
        return entries
    }

    // MARK: Bytes

    /// `N G obj` at `offset` (after at most two white-space bytes), nil when none is there.
    static func objectHeader(at offset: Int, in bytes: UnsafeRawBufferPointer) -> (object: Int, generation: Int)? {
        guard offset >= 0, offset < bytes.count else { return nil }
        var cursor = offset
        while cursor < min(bytes.count, offset + 2), PDFBytes.isWhiteSpace(bytes[cursor]) { cursor += 1 }
        func number() -> Int? {
            let start = cursor
            while cursor < bytes.count, cursor - start < 10, PDFBytes.isDigit(bytes[cursor]) { cursor += 1 }
            return PDFBytes.integer(bytes, start..<cursor)
        }
        guard let object = number() else { return nil }
        guard cursor < bytes.count, PDFBytes.isWhiteSpace(bytes[cursor]) else { return nil }
        while cursor < bytes.count, PDFBytes.isWhiteSpace(bytes[cursor]) { cursor += 1 }
        guard let generation = number() else { return nil }
        while cursor < bytes.count, PDFBytes.isWhiteSpace(bytes[cursor]) { cursor += 1 }
        guard startsWith("obj", at: cursor, in: bytes) else { return nil }
        return (object, generation)
    }

    static func startsWith(_ keyword: String, at offset: Int, in bytes: UnsafeRawBufferPointer) -> Bool {
        let needle = Array(keyword.utf8)
        guard offset >= 0, offset + needle.count <= bytes.count else { return false }
        return needle.indices.allSatisfy { bytes[offset + $0] == needle[$0] }
    }
}
