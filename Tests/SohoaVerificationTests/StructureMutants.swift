import Foundation
import SohoaTestSupport

/// A hand-written incremental update appended to a signed PDF, as an attacker writes it: it
/// makes a change no signature allows (the page's content, a script run on opening, a page
/// redefined or added) and wraps it in syntax hazards (deep nesting, numbers beyond 64 bits,
/// keys and objects given twice, broken cross-reference data and /Prev, object streams,
/// reference cycles, wrong stream lengths, extra %%EOF markers, garbage at the end).
struct StructureMutant {
    let bytes: [UInt8]
    let change: Change
    let form: XrefForm
    /// Each hazard with its variant, e.g. "deepNesting(5000 array in trailer)".
    let hazards: [String]

    var what: String { "\(change.rawValue) via \(form.rawValue) + [\(hazards.joined(separator: ", "))]" }

    enum Change: String, CaseIterable {
        /// The page's /Contents re-pointed at a new stream.
        case replaceContents
        /// The page's content stream object redefined with other data.
        case rewriteContent
        /// A JavaScript /OpenAction added to the catalog.
        case openAction
        /// The signed page object redefined (rotated).
        case redefinePage
        /// A page added to the page tree.
        case addPage
        /// The XMP metadata stream redefined with a statement added, its XML written with hazards.
        case rewriteMetadata
    }

    /// How the XML of a redefined XMP packet is written.
    enum XMPVariant: String, CaseIterable {
        case plain, deepElements, entityExpansion, invalidUTF8InText, invalidUTF8InAttributeValue, nulByte, unterminated,
             doctypeWithExternalEntity
        /// Invalid UTF-8 where Foundation's XMLParser traps (a comment, a processing
        /// instruction's target, an attribute's name): Foundation's parser trapped on these.
        case invalidUTF8InComment, invalidUTF8InProcessingInstruction, invalidUTF8InAttributeName

        static let drawn: [XMPVariant] = [.plain, .plain, .deepElements, .entityExpansion, .invalidUTF8InText,
                                          .invalidUTF8InAttributeValue, .nulByte, .unterminated, .doctypeWithExternalEntity,
                                          .invalidUTF8InComment, .invalidUTF8InProcessingInstruction, .invalidUTF8InAttributeName]
    }

    enum Hazard: String, CaseIterable {
        case deepNesting, hugeNumber, duplicateKey, objectTwice, wrongXrefEntry, brokenXref, prev, objectStream, cycle,
             wrongLength, secondEOF, garbageAfterEOF
    }

    enum XrefForm: String { case table, stream }

    static let hugeNumbers = ["2147483648", "4294967296", "9223372036854775807", "9223372036854775808", "18446744073709551615",
                              "18446744073709551621", "-9223372036854775809", "1e400", "-1e400",
                              String(repeating: "9", count: 400), "340282366920938463463374607431768211457"]
    static let depths = [100, 200, 255, 256, 257, 499, 500, 501, 1000, 2500, 5000]

    /// One mutant of `seed`, every choice drawn from `generator`.
    static func make(_ seed: MutationSeed, using generator: inout SplitMix64) -> StructureMutant {
        var update = Update(seed)
        let change = Change.allCases.randomElement(using: &generator)!
        let variant = XMPVariant.drawn.randomElement(using: &generator)!
        update.apply(change, xmp: variant)
        let count = [1, 1, 2, 2, 3].randomElement(using: &generator)!
        var chosen: [Hazard] = []
        while chosen.count < count {
            let hazard = Hazard.allCases.randomElement(using: &generator)!
            if !chosen.contains(hazard) { chosen.append(hazard) }
        }
        // Object streams need a cross-reference stream; it goes first so later hazards see it.
        if chosen.contains(.objectStream) { chosen.sort { a, _ in a == .objectStream } }
        update.form = chosen.contains(.objectStream) || Bool.random(using: &generator) ? .stream : .table
        let hazards = chosen.map { "\($0.rawValue)(\(update.apply($0, using: &generator)))" }
        let shown = change == .rewriteMetadata ? ["xmp(\(variant.rawValue))"] : []
        return StructureMutant(bytes: update.serialize(), change: change, form: update.form, hazards: shown + hazards)
    }
}

/// The update being written: objects, how the cross-reference data lists them, the trailer.
struct Update {
    struct Object {
        var number: Int
        var generation = "0"
        /// Dictionary entries without `<<` `>>`; ignored when `raw` is set.
        var entries: String
        /// The object's whole text, for objects that are not dictionaries.
        var raw: String? = nil
        var stream: [UInt8]? = nil
        /// The /Length value as written; nil writes the data's length.
        var length: String? = nil
        var inObjectStream = false
        /// Bytes written just before the object's header.
        var before = ""
    }

    enum Entry {
        /// Where the cross-reference data says an object is, instead of its definition.
        case offset(Int), shift(Int), generation(Int), free, otherObject(Int)
    }

    enum Prev { case last, zero, itself, garbage(Int), beyondEnd, negative, huge(String), notANumber, missing, skipRevision }

    enum Broken: String {
        case countTooLarge, shortEntries, misspelled, startxrefIntoTable, startxrefToPrevious, noStartxref,
             startxrefBeyondEnd, noTrailerKeyword, duplicatedEntry, duplicatedEntrySignedFirst
    }

    enum StreamFlaw: String { case none, countTooLarge, firstOffByOne, listedInsideItself, offsetsSwapped }

    static let otherGeneration = "the changed object's entry has generation 1"
    static let freeEntry = "the changed object's entry says free"

    let seed: MutationSeed
    var anatomy: SeedAnatomy { seed.anatomy }
    var objects: [Object] = []
    /// Each listed object number and the index in `objects` of the definition it points at.
    var listed: [Int: Int] = [:]
    var entryOverrides: [Int: Entry] = [:]
    var form: StructureMutant.XrefForm = .table
    var next: Int
    /// The object whose change no signature allows, and the key that makes it.
    var primary = 0
    var key = ""
    var forbidden = ""
    var old = "null"
    var trailerExtra = ""
    var size: String? = nil
    var prev = Prev.last
    var broken: Broken? = nil
    var streamFlaw: StreamFlaw = .none
    var beforeXref = ""
    var afterEOF: [UInt8] = []
    var extraSubsection: (number: String, index: Int)? = nil
    /// Objects written next to another instead of in turn: index -> (the other's index, before it).
    var placement: [Int: (Int, Bool)] = [:]

    init(_ seed: MutationSeed) {
        self.seed = seed
        next = seed.anatomy.size
    }

    var lastStartxref: Int { anatomy.startxrefs.last ?? 0 }

    mutating func add(_ object: Object, listed isListed: Bool = true) -> Int {
        objects.append(object)
        if isListed { listed[object.number] = objects.count - 1 }
        return objects.count - 1
    }

    mutating func newNumber() -> Int {
        defer { next += 1 }
        return next
    }

    /// The entries without `key` and its value (a reference, array, name, number or string).
    static func removing(_ key: String, from entries: String) -> String {
        let value = #"(\d+ \d+ R|\[[^\]]*\]|/[^\s/\[\]<>()]+|[-+.\d]+|\([^)]*\)|true|false|null)"#
        return entries.replacingOccurrences(of: NSRegularExpression.escapedPattern(for: key) + #"\s*"# + value, with: "",
                                            options: .regularExpression)
    }

    static func value(of key: String, in entries: String) -> String? {
        let pattern = NSRegularExpression.escapedPattern(for: key) + #"\s*(\d+ \d+ R|\[[^\]]*\]|[-+.\d]+)"#
        guard let range = entries.range(of: pattern, options: .regularExpression) else { return nil }
        return String(entries[range].dropFirst(key.count)).trimmingCharacters(in: .whitespaces)
    }

    /// The packet with a statement added (dc:source), written as `variant` says.
    static func xmp(_ packet: [UInt8], _ variant: StructureMutant.XMPVariant) -> [UInt8] {
        var inner = "<dc:source>forged</dc:source>"
        var attribute = ""
        var head: [UInt8] = []
        switch variant {
        case .plain, .unterminated, .invalidUTF8InText, .invalidUTF8InAttributeValue, .nulByte,
             .invalidUTF8InComment, .invalidUTF8InProcessingInstruction, .invalidUTF8InAttributeName:
            break
        case .deepElements:
            inner = String(repeating: "<dc:x>", count: 5000) + "deep" + String(repeating: "</dc:x>", count: 5000)
        case .entityExpansion:
            var entities = "<!ENTITY a0 \"lol\">"
            for level in 1...10 {
                entities += "<!ENTITY a\(level) \"" + String(repeating: "&a\(level - 1);", count: 10) + "\">"
            }
            head = Array("<!DOCTYPE x:xmpmeta [\(entities)]>".utf8)
            inner = "<dc:source>&a10;</dc:source>"
        case .doctypeWithExternalEntity:
            head = Array("<!DOCTYPE x:xmpmeta [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>".utf8)
            inner = "<dc:source>&e;</dc:source>"
        }
        let mark: [UInt8] = Array("@MARK@".utf8)
        if variant == .invalidUTF8InAttributeValue { attribute = " dc:note=\"@MARK@\"" }
        if variant == .invalidUTF8InAttributeName { attribute = " dc:n@MARK@=\"1\"" }
        if variant == .invalidUTF8InText { inner = "<dc:source>@MARK@</dc:source>" }
        if variant == .invalidUTF8InComment { inner += "<!-- @MARK@ -->" }
        if variant == .invalidUTF8InProcessingInstruction { inner += "<?p@MARK@ x?>" }
        if variant == .nulByte { inner = "<dc:source>a\u{0}b</dc:source>" }
        let description = Array(("<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\(attribute)>"
                                 + inner + "</rdf:Description>").utf8)
        var out = packet
        if let close = out.firstRange(of: Array("</rdf:RDF>".utf8)) {
            out.insert(contentsOf: description, at: close.lowerBound)
        } else {
            out += description
        }
        if !head.isEmpty, let root = out.firstRange(of: Array("<x:xmpmeta".utf8)) { out.insert(contentsOf: head, at: root.lowerBound) }
        while let range = out.firstRange(of: mark) { out.replaceSubrange(range, with: [0xFF]) }
        if variant == .unterminated { out.removeLast(out.count / 3) }
        return out
    }

    static let paint = Array("q 1 0 0 rg 0 0 612 792 re f Q\nBT /Helv 24 Tf 72 700 Td (Payee: Mallory Trading) Tj ET\n".utf8)

    var primaryIndex: Int { listed[primary] ?? 0 }

    /// Sets the primary object's entries: everything else, then the key with its forbidden value.
    mutating func setPrimary(base: String, number: Int, key: String, forbidden: String, old: String?) {
        primary = number
        self.key = key
        self.forbidden = forbidden
        self.old = old ?? "null"
        _ = add(Object(number: number, entries: "\(base) \(key) \(forbidden)"))
    }

    mutating func apply(_ change: StructureMutant.Change, xmp variant: StructureMutant.XMPVariant = .plain) {
        switch change {
        case .rewriteMetadata:
            guard let metadata = anatomy.metadata, let packet = anatomy.xmp else { return apply(.openAction) }
            primary = metadata
            key = "/Length"
            _ = add(Object(number: metadata, entries: "/Type /Metadata /Subtype /XML", stream: Self.xmp(packet, variant)))
        case .rewriteContent where anatomy.content == nil:
            apply(.replaceContents)
        case .replaceContents:
            let content = add(Object(number: newNumber(), entries: "", stream: Self.paint))
            let old = Self.value(of: "/Contents", in: anatomy.pageEntries)
            setPrimary(base: Self.removing("/Contents", from: anatomy.pageEntries), number: anatomy.page, key: "/Contents",
                       forbidden: "\(objects[content].number) 0 R", old: old)
        case .rewriteContent:
            primary = anatomy.content!
            key = "/Length"
            _ = add(Object(number: primary, entries: "", stream: Self.paint))
        case .openAction:
            let action = add(Object(number: newNumber(), entries: "/S /JavaScript /JS (app.alert\\(1\\))"))
            setPrimary(base: Self.removing("/OpenAction", from: anatomy.catalogEntries), number: anatomy.catalog,
                       key: "/OpenAction", forbidden: "\(objects[action].number) 0 R", old: nil)
        case .redefinePage:
            setPrimary(base: Self.removing("/Rotate", from: anatomy.pageEntries), number: anatomy.page, key: "/Rotate",
                       forbidden: "90", old: Self.value(of: "/Rotate", in: anatomy.pageEntries) ?? "0")
        case .addPage:
            let content = add(Object(number: newNumber(), entries: "", stream: Self.paint))
            let page = add(Object(number: newNumber(),
                                  entries: "/Type /Page /Parent \(anatomy.pagesRoot) 0 R /MediaBox [ 0 0 612 792 ] "
                                      + "/Resources << >> /Contents \(objects[content].number) 0 R"))
            let kids = Self.value(of: "/Kids", in: anatomy.pagesRootEntries) ?? "[ ]"
            let count = Int(Self.value(of: "/Count", in: anatomy.pagesRootEntries) ?? "1") ?? 1
            let base = Self.removing("/Count", from: Self.removing("/Kids", from: anatomy.pagesRootEntries))
            setPrimary(base: base + " /Count \(count + 1)", number: anatomy.pagesRoot, key: "/Kids",
                       forbidden: String(kids.dropLast()) + " \(objects[page].number) 0 R ]", old: kids)
        }
    }

    var primaryIsStream: Bool { objects[primaryIndex].stream != nil }

    /// Adds `entry` to the primary object's dictionary.
    mutating func addToPrimary(_ entry: String) {
        objects[primaryIndex].entries += " " + entry
    }

    /// Applies a hazard; returns its variant, in words.
    mutating func apply(_ hazard: StructureMutant.Hazard, using g: inout SplitMix64) -> String {
        switch hazard {
        case .deepNesting:
            let depth = StructureMutant.depths.randomElement(using: &g)!
            let style = ["array", "dictionary", "mixed"].randomElement(using: &g)!
            var open = "", close = ""
            for level in 0..<depth {
                let array = style == "array" || (style == "mixed" && level % 2 == 0)
                open += array ? "[" : "<< /A "
                close = (array ? "]" : " >>") + close
            }
            let nested = open + "0" + close
            switch Int.random(in: 0..<3, using: &g) {
            case 0:
                addToPrimary("/Z " + nested)
                return "\(depth) \(style) in the changed object"
            case 1:
                trailerExtra += " /Z " + nested
                return "\(depth) \(style) in the trailer"
            default:
                let holder = add(Object(number: newNumber(), entries: "/Z " + nested))
                addToPrimary("/Y \(objects[holder].number) 0 R")
                return "\(depth) \(style) in a referenced object"
            }
        case .hugeNumber:
            let value = StructureMutant.hugeNumbers.randomElement(using: &g)!
            let shown = value.count > 40 ? "\(value.prefix(3))…(\(value.count) digits)" : value
            switch Int.random(in: 0..<6, using: &g) {
            case 0:
                addToPrimary("/Z \(value)")
                return "\(shown) as a value in the changed object"
            case 1:
                size = value
                return "\(shown) as the trailer's /Size"
            case 2:
                var extra = Object(number: 0, entries: "/Z 1")
                extra.raw = "<< /Z 1 >>"
                extraSubsection = (value, add(extra, listed: false))
                return "\(shown) as an object number, listed"
            case 3:
                objects[primaryIndex].generation = value
                return "\(shown) as the changed object's generation"
            case 4:
                if !primaryIsStream, key == "/Rotate" || key == "/OpenAction" {
                    addToPrimary("\(key) \(value)")
                    return "\(shown) as the changed key's value, given again"
                }
                addToPrimary("/MediaBox [ 0 0 \(value) \(value) ]")
                return "\(shown) in a /MediaBox"
            default:
                let target = streamIndex(using: &g)
                objects[target].length = value
                return "\(shown) as a stream's /Length"
            }
        case .duplicateKey:
            let oldFirst = Bool.random(using: &g)
            if primaryIsStream {
                let actual = objects[primaryIndex].stream!.count
                objects[primaryIndex].length = oldFirst ? "0 /Length \(actual)" : "\(actual) /Length 0"
                return "/Length given twice, the real one \(oldFirst ? "last" : "first")"
            }
            let base = Self.removing(key, from: objects[primaryIndex].entries)
            objects[primaryIndex].entries = oldFirst ? "\(base) \(key) \(old) \(key) \(forbidden)"
                : "\(base) \(key) \(forbidden) \(key) \(old)"
            return "\(key) given twice, the signed value \(oldFirst ? "first" : "last")"
        case .objectTwice:
            var decoy = objects[primaryIndex]
            if primaryIsStream {
                decoy.stream = Array("% the signed page was here\n".utf8)
                decoy.length = nil
            } else {
                decoy.entries = signedEntries(of: primary)
            }
            decoy.inObjectStream = false
            let decoyFirst = Bool.random(using: &g)
            let index = add(decoy, listed: false)
            placement[index] = (primaryIndex, decoyFirst)
            return "the changed object defined twice, the signed version \(decoyFirst ? "before" : "after") it"
        case .wrongXrefEntry:
            let choice = Int.random(in: 0..<6, using: &g)
            switch choice {
            case 0:
                var other = objects.indices.first { $0 != primaryIndex && objects[$0].raw == nil && placement[$0] == nil }
                if other == nil { other = add(Object(number: newNumber(), entries: "/Filler true")) }
                entryOverrides[primary] = .otherObject(other!)
                return "the changed object's entry points at object \(objects[other!].number)"
            case 1:
                let others = anatomy.offsets.filter { $0.key != primary }.sorted { $0.key < $1.key }
                let target = others.randomElement(using: &g) ?? (key: 0, value: 0)
                entryOverrides[primary] = .offset(target.value)
                return "the changed object's entry points into the signed bytes, at object \(target.key)"
            case 2:
                let shift = [1, 2, -1, 5, -20].randomElement(using: &g)!
                entryOverrides[primary] = .shift(shift)
                return "the changed object's entry is off by \(shift)"
            case 3:
                entryOverrides[primary] = .offset(seed.bytes.count * 3 + 1000)
                return "the changed object's entry points past the end"
            case 4:
                entryOverrides[primary] = .generation(1)
                return Self.otherGeneration
            default:
                entryOverrides[primary] = .free
                return Self.freeEntry
            }
        case .brokenXref:
            let all: [Broken] = [.countTooLarge, .shortEntries, .misspelled, .startxrefIntoTable, .startxrefToPrevious,
                                 .noStartxref, .startxrefBeyondEnd, .noTrailerKeyword, .duplicatedEntry, .duplicatedEntrySignedFirst]
            broken = all.randomElement(using: &g)!
            return broken!.rawValue
        case .prev:
            let choices: [Prev] = [.zero, .itself, .garbage(Int.random(in: 0..<seed.bytes.count, using: &g)), .beyondEnd, .negative,
                                   .huge(StructureMutant.hugeNumbers.randomElement(using: &g)!), .notANumber, .missing,
                                   .skipRevision]
            prev = choices.randomElement(using: &g)!
            return "/Prev \(prev)"
        case .objectStream:
            form = .stream
            var moved = 0
            for index in objects.indices where objects[index].stream == nil && objects[index].raw == nil
                && listed[objects[index].number] == index && objects[index].generation == "0" {
                objects[index].inObjectStream = true
                moved += 1
            }
            streamFlaw = [.none, .none, .countTooLarge, .firstOffByOne, .listedInsideItself, .offsetsSwapped]
                .randomElement(using: &g)!
            return "\(moved) objects compressed, \(streamFlaw.rawValue)"
        case .cycle:
            switch Int.random(in: 0..<5, using: &g) {
            case 0:
                let a = newNumber(), b = newNumber()
                _ = add(Object(number: a, entries: "/S /JavaScript /JS (1) /Next \(b) 0 R"))
                _ = add(Object(number: b, entries: "/S /JavaScript /JS (2) /Next \(a) 0 R"))
                addToPrimary("/AA << /O \(a) 0 R >>")
                return "actions A -> B -> A"
            case 1:
                var tree = listed[anatomy.pagesRoot] ?? -1
                if tree < 0 { tree = add(Object(number: anatomy.pagesRoot, entries: anatomy.pagesRootEntries)) }
                let kids = Self.value(of: "/Kids", in: objects[tree].entries) ?? "[ ]"
                let looped = String(kids.dropLast()) + " \(anatomy.pagesRoot) 0 R ]"
                objects[tree].entries = Self.removing("/Kids", from: objects[tree].entries) + " /Kids " + looped
                return "the page tree lists itself"
            case 2:
                var page = listed[anatomy.page] ?? -1
                if page < 0 { page = add(Object(number: anatomy.page, entries: anatomy.pageEntries)) }
                objects[page].entries = Self.removing("/Parent", from: objects[page].entries)
                    + " /Parent \(anatomy.page) 0 R /Type /Pages /Kids [ \(anatomy.page) 0 R ] /Count 1"
                return "the page is its own parent and child"
            case 3:
                let target = streamIndex(using: &g)
                objects[target].length = "\(objects[target].number) 0 R"
                return "a stream's /Length is the stream itself"
            default:
                addToPrimary("/Z \(primary) 0 R")
                return "the changed object refers to itself"
            }
        case .wrongLength:
            let target = streamIndex(using: &g)
            let actual = objects[target].stream!.count
            switch Int.random(in: 0..<6, using: &g) {
            case 0:
                let delta = Int.random(in: 1...20, using: &g)
                objects[target].length = "\(max(0, actual - delta))"
                return "\(delta) too short"
            case 1:
                let delta = Int.random(in: 1...40, using: &g)
                objects[target].length = "\(actual + delta)"
                return "\(delta) too long"
            case 2:
                objects[target].length = ["0", "-1", "-9223372036854775808"].randomElement(using: &g)!
                return "/Length \(objects[target].length!)"
            case 3:
                objects[target].length = "\(next + 50) 0 R"
                return "/Length refers to a missing object"
            case 4:
                let holder = add(Object(number: newNumber(), entries: ""))
                objects[holder].raw = "\(actual * 7 + 3)"
                objects[target].length = "\(objects[holder].number) 0 R"
                return "/Length refers to an object with a wrong value"
            default:
                objects[target].length = "\(actual * 1000 + 100_000)"
                return "/Length past the end of the file"
            }
        case .secondEOF:
            switch Int.random(in: 0..<5, using: &g) {
            case 0:
                beforeXref += "%%EOF\n"
                return "%%EOF before the cross-reference data"
            case 1:
                afterEOF += Array("%%EOF\n".utf8)
                return "%%EOF twice at the end"
            case 2:
                let target = streamIndex(using: &g)
                objects[target].stream! += Array("\nstartxref\n\(lastStartxref)\n%%EOF\n".utf8)
                objects[target].length = nil
                return "startxref and %%EOF inside a stream"
            case 3:
                addToPrimary("/Z (\nstartxref\n\(lastStartxref)\n%%EOF\n)")
                return "startxref and %%EOF inside a string"
            default:
                if let last = objects.indices.last { objects[last].before += "%%EOF\n" }
                return "%%EOF between the objects"
            }
        case .garbageAfterEOF:
            switch Int.random(in: 0..<3, using: &g) {
            case 0:
                let count = Int.random(in: 1...256, using: &g)
                afterEOF += [UInt8(ascii: "G")] + (1..<count).map { _ in UInt8.random(in: 0...255, using: &g) }
                return "\(count) random bytes"
            case 1:
                afterEOF += Array("\(anatomy.catalog) 0 obj\n<< /Type /Catalog >>\nendobj\n".utf8)
                return "an object after %%EOF"
            default:
                afterEOF += Array("xref\n0 1\n0000000000 65535 f\r\ntrailer\n<< /Size 1 >>\nstartxref\n0\n%%EOF\n".utf8)
                return "an empty revision after %%EOF"
            }
        }
    }

    /// The index of a stream object of the update: the primary when it is one, else a new one
    /// referenced from it.
    mutating func streamIndex(using g: inout SplitMix64) -> Int {
        if primaryIsStream { return primaryIndex }
        if let existing = objects.indices.filter({ objects[$0].stream != nil }).randomElement(using: &g) { return existing }
        let index = add(Object(number: newNumber(), entries: "", stream: Self.paint))
        addToPrimary("/PieceInfo \(objects[index].number) 0 R")
        return index
    }

    /// The primary object's dictionary as the signed document has it.
    func signedEntries(of number: Int) -> String {
        if number == anatomy.catalog { return anatomy.catalogEntries }
        if number == anatomy.pagesRoot { return anatomy.pagesRootEntries }
        return anatomy.pageEntries
    }

    // MARK: Writing

    static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    func body(of object: Object) -> [UInt8] {
        if let raw = object.raw { return Array(raw.utf8) }
        guard let data = object.stream else { return Array("<< \(object.entries) >>".utf8) }
        let length = object.length ?? "\(data.count)"
        return Array("<< \(object.entries) /Length \(length) >>\nstream\n".utf8) + data + Array("\nendstream".utf8)
    }

    func serialize() -> [UInt8] {
        var out = seed.bytes
        if out.last != 0x0A { out += [0x0A] }
        var offsets: [Int: Int] = [:]
        func emit(_ index: Int) {
            let object = objects[index]
            out += Array(object.before.utf8)
            offsets[index] = out.count
            let header = index == extraSubsection?.index ? "\(extraSubsection!.number) 0 obj\n"
                : "\(object.number) \(object.generation) obj\n"
            out += Array(header.utf8) + body(of: object) + Array("\nendobj\n".utf8)
        }
        for index in objects.indices where placement[index] == nil {
            let around = placement.filter { $0.value.0 == index }.sorted { $0.key < $1.key }
            for (decoy, place) in around where place.1 { emit(decoy) }
            if !objects[index].inObjectStream { emit(index) }
            for (decoy, place) in around where !place.1 { emit(decoy) }
        }
        // Compressed objects, in one object stream.
        var compressed: [Int: (stream: Int, index: Int)] = [:]
        var objectStreamNumber: Int?
        let packed = objects.indices.filter { objects[$0].inObjectStream }
        var counter = next
        if !packed.isEmpty {
            let number = counter
            counter += 1
            objectStreamNumber = number
            var header = "", data = ""
            var pairs: [(Int, Int)] = []
            for (position, index) in packed.enumerated() {
                pairs.append((objects[index].number, data.utf8.count))
                data += String(decoding: body(of: objects[index]), as: UTF8.self) + "\n"
                compressed[objects[index].number] = (number, position)
            }
            if streamFlaw == .offsetsSwapped, pairs.count > 1 { (pairs[0].1, pairs[1].1) = (pairs[1].1, pairs[0].1) }
            header = pairs.map { "\($0.0) \($0.1)" }.joined(separator: " ") + "\n"
            let first = header.utf8.count + (streamFlaw == .firstOffByOne ? 1 : 0)
            let n = packed.count + (streamFlaw == .countTooLarge ? 3 : 0)
            let stream = Array((header + data).utf8)
            offsets[-1] = out.count
            out += Array("\(number) 0 obj\n<< /Type /ObjStm /N \(n) /First \(first) /Length \(stream.count) >>\nstream\n".utf8)
                + stream + Array("\nendstream\nendobj\n".utf8)
        }
        out += Array(beforeXref.utf8)

        // What the cross-reference data lists: (number, type, field 2, generation).
        var rows: [(number: Int, type: Int, field: Int, generation: Int)] = []
        for (number, index) in listed.sorted(by: { $0.key < $1.key }) {
            if let override = entryOverrides[number] {
                let own = offsets[index] ?? offsets[-1] ?? 0
                switch override {
                case .offset(let offset): rows.append((number, 1, offset, 0))
                case .shift(let shift): rows.append((number, 1, max(0, own + shift), 0))
                case .generation(let generation): rows.append((number, 1, own, generation))
                case .free: rows.append((number, 0, 0, 1))
                case .otherObject(let other): rows.append((number, 1, offsets[other] ?? own, 0))
                }
            } else if let place = compressed[number] {
                rows.append((number, 2, place.stream, place.index))
            } else {
                rows.append((number, 1, offsets[index] ?? 0, 0))
            }
        }
        if let objectStreamNumber {
            rows.append(streamFlaw == .listedInsideItself ? (objectStreamNumber, 2, objectStreamNumber, 0)
                        : (objectStreamNumber, 1, offsets[-1]!, 0))
        }
        if broken == .duplicatedEntry || broken == .duplicatedEntrySignedFirst,
           let position = rows.firstIndex(where: { $0.number == primary }) {
            // The changed object listed again, at its offset in the signed revision.
            let signed = (primary, 1, anatomy.offsets[primary] ?? 0, 0)
            rows.insert(signed, at: broken == .duplicatedEntry ? position + 1 : position)
        }
        let xrefOffset = out.count
        let prevValue: String?
        switch prev {
        case .last: prevValue = "\(lastStartxref)"
        case .zero: prevValue = "0"
        case .itself: prevValue = "\(xrefOffset)"
        case .garbage(let offset): prevValue = "\(offset)"
        case .beyondEnd: prevValue = "\(xrefOffset * 4 + 1000)"
        case .negative: prevValue = "-\(lastStartxref)"
        case .huge(let value): prevValue = value
        case .notANumber: prevValue = "(\(lastStartxref))"
        case .missing: prevValue = nil
        case .skipRevision: prevValue = "\(anatomy.startxrefs.first ?? 0)"
        }
        // The cross-reference stream, when there is one, takes the next number.
        let highest = max(rows.map(\.number).max() ?? 0, form == .stream ? counter : 0)
        let sizeValue = size ?? "\(max(anatomy.size, highest + 1))"
        var dictionary = "/Size \(sizeValue) /Root \(anatomy.catalog) 0 R"
        if let info = anatomy.info { dictionary += " " + info }
        if let id = anatomy.id { dictionary += " " + id }
        if let prevValue { dictionary += " /Prev \(prevValue)" }
        dictionary += trailerExtra

        switch form {
        case .table:
            var text = broken == .misspelled ? "xerf\n" : "xref\n"
            func line(_ field: Int, _ generation: Int, _ kind: String) -> String {
                Self.padded(field, 10) + " " + Self.padded(generation, 5) + " " + kind + (broken == .shortEntries ? "\n" : "\r\n")
            }
            for row in rows {
                let count = broken == .countTooLarge ? 3 : 1
                text += "\(row.number) \(count)\n" + line(row.field, row.generation, row.type == 0 ? "f" : "n")
            }
            if let extra = extraSubsection, let offset = offsets[extra.index] {
                text += "\(extra.number) 1\n" + line(offset, 0, "n")
            }
            text += broken == .noTrailerKeyword ? "" : "trailer\n"
            text += "<< \(dictionary) >>\n"
            out += Array(text.utf8)
        case .stream:
            let number = counter
            var all = rows
            all.append((number, 1, xrefOffset, 0))
            all.sort { $0.number < $1.number }
            var index: [String] = []
            var data: [UInt8] = []
            let offsetWidth = broken == .shortEntries ? 4 : 8
            for row in all {
                index.append("\(row.number) \(broken == .countTooLarge ? 3 : 1)")
                data.append(UInt8(row.type))
                for shift in stride(from: 56, through: 0, by: -8) { data.append(UInt8(truncatingIfNeeded: row.field >> shift)) }
                data += [UInt8(truncatingIfNeeded: row.generation >> 8), UInt8(truncatingIfNeeded: row.generation)]
            }
            if let extra = extraSubsection, let offset = offsets[extra.index] {
                index.append("\(extra.number) 1")
                data.append(1)
                for shift in stride(from: 56, through: 0, by: -8) { data.append(UInt8(truncatingIfNeeded: offset >> shift)) }
                data += [0, 0]
            }
            let type = broken == .misspelled ? "/XRefs" : "/XRef"
            let head = "\(number) 0 obj\n<< /Type \(type) \(dictionary) /W [ 1 \(offsetWidth) 2 ] /Index [ \(index.joined(separator: " ")) ] "
                + "/Length \(data.count) >>\nstream\n"
            out += Array(head.utf8) + data + Array("\nendstream\nendobj\n".utf8)
        }
        switch broken {
        case .noStartxref: break
        case .startxrefIntoTable: out += Array("startxref\n\(xrefOffset + 5)\n".utf8)
        case .startxrefToPrevious: out += Array("startxref\n\(lastStartxref)\n".utf8)
        case .startxrefBeyondEnd: out += Array("startxref\n\(out.count + 5000)\n".utf8)
        default: out += Array("startxref\n\(xrefOffset)\n".utf8)
        }
        out += Array("%%EOF\n".utf8) + afterEOF
        return out
    }
}
