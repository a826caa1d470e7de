/// Just enough DER to walk structures OpenSSL has no type for (definite lengths only).
struct DERReader {
    struct Element {
        /// The identifier octet (class, constructed bit, tag number below 31).
        let tag: UInt8
        /// The whole element, header included.
        let range: Range<Int>
        /// Its contents.
        let contents: Range<Int>
    }

    let bytes: [UInt8]

    /// The elements one after another in `range`; nil when they are not well-formed.
    func elements(in range: Range<Int>) -> [Element]? {
        var elements: [Element] = []
        var position = range.lowerBound
        while position < range.upperBound {
            guard let element = element(at: position, endingBy: range.upperBound) else { return nil }
            elements.append(element)
            position = element.range.upperBound
        }
        return elements
    }

    /// The element that starts at `position` and ends at or before `limit`; nil when it is not
    /// well-formed.
    func element(at position: Int, endingBy limit: Int) -> Element? {
        guard position >= 0, position + 2 <= limit, limit <= bytes.count else { return nil }
        let tag = bytes[position]
        guard tag & 0x1F != 0x1F else { return nil }  // multi-byte tags: not used here
        var length = Int(bytes[position + 1])
        var header = 2
        if length & 0x80 != 0 {
            let count = length & 0x7F
            guard count >= 1, count <= 4, position + 2 + count <= limit else { return nil }
            length = bytes[(position + 2)..<(position + 2 + count)].reduce(0) { $0 << 8 | Int($1) }
            header += count
        }
        let end = position + header + length
        guard end <= limit else { return nil }
        return Element(tag: tag, range: position..<end, contents: (position + header)..<end)
    }
}

/// The extent of one BER element, as CMS allows it: definite lengths, and indefinite lengths
/// (`0x80`, closed by end-of-contents octets) for constructed elements, nested to a bounded
/// depth. Only measures; what the element means is OpenSSL's to parse.
public enum BERElement {
    /// How deep indefinite-length elements may nest before the input is refused as hostile.
    static let maximumDepth = 64

    /// The length of the element at the start of `bytes` (header, contents and any
    /// end-of-contents octets), nil when it is not well-formed or runs past the end.
    public static func length(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { buffer in
            end(of: 0, in: UnsafeRawBufferPointer(buffer), depth: 0)
        }
    }

    /// Where the element starting at `start` ends.
    private static func end(of start: Int, in bytes: UnsafeRawBufferPointer, depth: Int) -> Int? {
        guard depth <= maximumDepth, start < bytes.count else { return nil }
        let identifier = bytes[start]
        var position = start + 1
        if identifier & 0x1F == 0x1F {  // high tag number: base-128 digits, the last below 0x80
            var digits = 0
            repeat {
                guard position < bytes.count, digits < 4 else { return nil }
                digits += 1
                position += 1
            } while bytes[position - 1] & 0x80 != 0
        }
        guard position < bytes.count else { return nil }
        let first = Int(bytes[position])
        position += 1
        if first == 0x80 {
            guard identifier & 0x20 != 0 else { return nil }  // indefinite length: constructed only
            while true {
                guard position + 2 <= bytes.count else { return nil }
                if bytes[position] == 0, bytes[position + 1] == 0 { return position + 2 }
                guard let next = end(of: position, in: bytes, depth: depth + 1) else { return nil }
                position = next
            }
        }
        var length = first
        if first & 0x80 != 0 {
            let count = first & 0x7F
            guard count >= 1, count <= 4, position + count <= bytes.count else { return nil }
            length = 0
            for index in position..<(position + count) { length = length << 8 | Int(bytes[index]) }
            position += count
        }
        guard length <= bytes.count - position else { return nil }
        return position + length
    }
}
