import Foundation
import SohoaTestSupport

/// A DER (or BER) element as the mutation tests build and change it.
indirect enum DERElement: Equatable {
    case primitive(tag: [UInt8], content: [UInt8])
    case constructed(tag: [UInt8], children: [DERElement])
    /// Bytes written as they are (an element already encoded).
    case raw([UInt8])

    var tag: [UInt8] {
        switch self {
        case .primitive(let tag, _), .constructed(let tag, _): return tag
        case .raw(let bytes): return Array(bytes.prefix(1))
        }
    }

    /// How a length is written: DER, or one of the ways BER and broken encoders write it.
    enum Length: String, CaseIterable {
        case der, longForm, paddedLongForm, indefinite, oneMore, oneLess, huge, nineBytes, reserved
    }

    func encoded(_ style: Length = .der, at target: [Int]? = nil, path: [Int] = []) -> [UInt8] {
        let mine = target == path ? style : .der
        let body: [UInt8]
        switch self {
        case .raw(let bytes): return bytes
        case .primitive(_, let content): body = content
        case .constructed(_, let children):
            body = children.enumerated().flatMap { $0.element.encoded(style, at: target, path: path + [$0.offset]) }
        }
        if mine == .indefinite, case .constructed = self { return tag + [0x80] + body + [0, 0] }
        return tag + Self.length(body.count, mine) + body
    }

    static func length(_ count: Int, _ style: Length) -> [UInt8] {
        func long(_ value: Int, minimum: Int) -> [UInt8] {
            var bytes: [UInt8] = []
            var rest = value
            repeat {
                bytes.insert(UInt8(rest & 0xFF), at: 0)
                rest >>= 8
            } while rest > 0
            while bytes.count < minimum { bytes.insert(0, at: 0) }
            return [0x80 | UInt8(bytes.count)] + bytes
        }
        switch style {
        case .der, .indefinite: return count < 0x80 ? [UInt8(count)] : long(count, minimum: 1)
        case .longForm: return long(count, minimum: 1)
        case .paddedLongForm: return long(count, minimum: 4)
        case .oneMore: return length(count + 1, .der)
        case .oneLess: return length(max(0, count - 1), .der)
        case .huge: return [0x84, 0xFF, 0xFF, 0xFF, 0xF0]
        case .nineBytes: return [0x89, 0, 0, 0, 0, 0, 0, 0, 0, UInt8(truncatingIfNeeded: count)]
        case .reserved: return [0xFF]
        }
    }

    /// Every path to an element, the root's being [].
    var paths: [[Int]] {
        var all: [[Int]] = [[]]
        if case .constructed(_, let children) = self {
            for (index, child) in children.enumerated() { all += child.paths.map { [index] + $0 } }
        }
        return all
    }

    subscript(path: [Int]) -> DERElement {
        get {
            guard let first = path.first, case .constructed(_, let children) = self, first < children.count else { return self }
            return children[first][Array(path.dropFirst())]
        }
        set {
            guard let first = path.first else { self = newValue; return }
            guard case .constructed(let tag, var children) = self, first < children.count else { return }
            children[first][Array(path.dropFirst())] = newValue
            self = .constructed(tag: tag, children: children)
        }
    }

    /// Parses one element from DER bytes (the seeds are DER); nil when they are not.
    static func parse(_ bytes: [UInt8]) -> DERElement? {
        var index = 0
        guard let element = parse(bytes, &index, bytes.count), index == bytes.count else { return nil }
        return element
    }

    private static func parse(_ b: [UInt8], _ i: inout Int, _ limit: Int) -> DERElement? {
        guard i + 2 <= limit else { return nil }
        let tag = b[i]
        var length = Int(b[i + 1])
        i += 2
        if length >= 0x80 {
            let count = length & 0x7F
            guard (1...4).contains(count), i + count <= limit else { return nil }
            length = b[i..<(i + count)].reduce(0) { $0 << 8 | Int($1) }
            i += count
        }
        guard i + length <= limit else { return nil }
        let end = i + length
        if tag & 0x20 != 0 {
            var children: [DERElement] = []
            while i < end {
                guard let child = parse(b, &i, end) else { return nil }
                children.append(child)
            }
            return .constructed(tag: [tag], children: children)
        }
        defer { i = end }
        return .primitive(tag: [tag], content: Array(b[i..<end]))
    }
}

/// Mutants of DER time-stamp requests: the structure changed (a field's content given a
/// boundary value, a tag changed, elements removed, repeated, swapped, added or wrapped deep,
/// lengths written the ways BER and broken encoders write them, bytes after the end), or the
/// bytes themselves.
enum DERMutants {
    static let sha1: [UInt8] = [0x2B, 0x0E, 0x03, 0x02, 0x1A]
    static let sha256: [UInt8] = [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01]
    static let sha384: [UInt8] = [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02]
    static let sha512: [UInt8] = [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03]
    static let md5: [UInt8] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x02, 0x05]

    static let oids: [[UInt8]] = [sha1, sha256, sha384, sha512, md5, [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x08],
                                  [0x2A, 0x03], [], [0x80, 0x2A], [0x2A, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F],
                                  [0x88, 0x37, 0x98, 0x59, 0x01]]
    static let integers: [[UInt8]] = [[], [0], [1], [2], [0xFF], [0x80], [0x00, 0x01], [0xFF, 0xFF], [0x7F, 0xFF, 0xFF, 0xFF],
                                      [UInt8](repeating: 0x11, count: 20), [UInt8](repeating: 0x7F, count: 200)]
    static let booleans: [[UInt8]] = [[], [0], [1], [0xFF], [0, 0]]

    static func mutate(_ seed: [UInt8], using g: inout SplitMix64) -> (bytes: [UInt8], what: String) {
        guard Int.random(in: 0..<10, using: &g) < 7, var tree = DERElement.parse(seed) else {
            let op = ByteMutation.allCases.randomElement(using: &g)!
            return op.apply(to: seed, at: Int.random(in: 0..<seed.count, using: &g), donor: seed, using: &g)
        }
        let path = tree.paths.randomElement(using: &g)!
        let node = tree[path]
        let place = path.map(String.init).joined(separator: ".")
        let at = place.isEmpty ? "the request" : "element \(place)"
        switch Int.random(in: 0..<11, using: &g) {
        case 0, 1:
            guard case .primitive(let tag, let content) = node else { fallthrough }
            let replacement: [UInt8]
            switch tag.first {
            case 0x02: replacement = integers.randomElement(using: &g)!
            case 0x06: replacement = oids.randomElement(using: &g)!
            case 0x01: replacement = booleans.randomElement(using: &g)!
            case 0x04: replacement = (0..<[0, 1, 20, 31, 33, 47, 48, 49, 63, 64, 65, 1000].randomElement(using: &g)!).map { UInt8(truncatingIfNeeded: $0) }
            case 0x05: replacement = [0]
            default: replacement = content + [0]
            }
            tree[path] = .primitive(tag: tag, content: replacement)
            return (tree.encoded(), "\(at) content \(replacement.count > 12 ? "\(replacement.count) bytes" : "\(replacement)")")
        case 2:
            let tags: [[UInt8]] = [[0x00], [0x01], [0x02], [0x04], [0x05], [0x06], [0x30], [0x31], [0x80], [0xA0], [0xA1],
                                   [0x1F, 0x81, 0x00], [0x3F, 0x7F]]
            let tag = tags.randomElement(using: &g)!
            switch node {
            case .primitive(_, let content): tree[path] = tag.first! & 0x20 != 0 && DERElement.parse(content) != nil
                ? .constructed(tag: tag, children: [DERElement.parse(content)!]) : .primitive(tag: tag, content: content)
            case .constructed(_, let children): tree[path] = tag.first! & 0x20 != 0 ? .constructed(tag: tag, children: children)
                : .primitive(tag: tag, content: children.flatMap { $0.encoded() })
            case .raw: break
            }
            return (tree.encoded(), "\(at) tag \(tag)")
        case 3:
            guard !path.isEmpty else { fallthrough }
            var parent = tree[Array(path.dropLast())]
            guard case .constructed(let tag, var children) = parent else { fallthrough }
            children.remove(at: path.last!)
            parent = .constructed(tag: tag, children: children)
            tree[Array(path.dropLast())] = parent
            return (tree.encoded(), "\(at) removed")
        case 4:
            guard !path.isEmpty, case .constructed(let tag, var children) = tree[Array(path.dropLast())] else { fallthrough }
            children.insert(node, at: path.last!)
            tree[Array(path.dropLast())] = .constructed(tag: tag, children: children)
            return (tree.encoded(), "\(at) repeated")
        case 5:
            guard !path.isEmpty, case .constructed(let tag, var children) = tree[Array(path.dropLast())], children.count > 1 else { fallthrough }
            let other = (path.last! + 1) % children.count
            children.swapAt(path.last!, other)
            tree[Array(path.dropLast())] = .constructed(tag: tag, children: children)
            return (tree.encoded(), "\(at) swapped with its sibling \(other)")
        case 6:
            guard case .constructed(let tag, var children) = node else { fallthrough }
            let extra = pool.randomElement(using: &g)!
            let position = Int.random(in: 0...children.count, using: &g)
            children.insert(extra.element, at: position)
            tree[path] = .constructed(tag: tag, children: children)
            return (tree.encoded(), "\(extra.name) inserted into \(at) at \(position)")
        case 7:
            // Wrapped byte by byte: no recursion as deep as the nesting.
            let depth = [2, 10, 31, 100, 1000, 5000].randomElement(using: &g)!
            var wrapped = node.encoded()
            for _ in 0..<depth { wrapped = [0x30] + DERElement.length(wrapped.count, .der) + wrapped }
            tree[path] = .raw(wrapped)
            return (tree.encoded(), "\(at) wrapped in \(depth) sequences")
        case 8, 9:
            let style = DERElement.Length.allCases.filter { $0 != .der }.randomElement(using: &g)!
            return (tree.encoded(style, at: path), "\(at) length written \(style.rawValue)")
        default:
            let tails: [(String, [UInt8])] = [("two zero bytes", [0, 0]), ("one byte", [0x41]), ("a second request", seed),
                                               ("a NULL", [0x05, 0x00]), ("random bytes", (0..<40).map { _ in UInt8.random(in: 0...255, using: &g) })]
            let tail = tails.randomElement(using: &g)!
            return (tree.encoded() + tail.1, "\(tail.0) after the request")
        }
    }

    /// Elements inserted into a structure.
    static let pool: [(name: String, element: DERElement)] = [
        ("NULL", .primitive(tag: [0x05], content: [])),
        ("INTEGER 1", .primitive(tag: [0x02], content: [1])),
        ("BOOLEAN TRUE", .primitive(tag: [0x01], content: [0xFF])),
        ("the default policy", .primitive(tag: [0x06], content: [0x88, 0x37, 0x98, 0x59, 0x01])),
        ("an empty SEQUENCE", .constructed(tag: [0x30], children: [])),
        ("a critical unknown extension", .constructed(tag: [0xA0], children: [
            .constructed(tag: [0x30], children: [.primitive(tag: [0x06], content: [0x2A, 0x03, 0x04]),
                                                 .primitive(tag: [0x01], content: [0xFF]),
                                                 .primitive(tag: [0x04], content: [0x05, 0x00])]),
        ])),
        ("an empty extension list", .constructed(tag: [0xA0], children: [])),
    ]
}
