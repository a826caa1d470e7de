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
