/// The bytes of a content stream (or a CMap), built by appending.
struct ContentStream {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

    mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }

    mutating func append(bytes more: [UInt8]) { bytes.append(contentsOf: more) }

    mutating func append(_ number: Double) { append(PDFSyntax.number(number)) }

    /// An integer in decimal.
    mutating func append(_ value: Int) {
        if value < 0 { bytes.append(0x2D) }
        var magnitude = value.magnitude
        var divisor: UInt = 1
        while divisor <= magnitude / 10 { divisor *= 10 }
        repeat {
            bytes.append(UInt8(0x30 + magnitude / divisor))
            magnitude %= divisor
            divisor /= 10
        } while divisor > 0
    }

    /// A space, then an integer.
    mutating func append(space value: Int) {
        bytes.append(0x20)
        append(value)
    }

    /// Four hexadecimal digits.
    mutating func appendHex16(_ value: UInt16) {
        for shift in [12, 8, 4, 0] { bytes.append(ContentStream.digits[Int(value >> UInt16(shift) & 0xF)]) }
    }

    private static let digits = Array("0123456789ABCDEF".utf8)
}

/// Object numbers from the caller's allocator, checked: each positive and given once.
struct ObjectNumbers {
    private var given = Set<Int>()

    /// `number` (what the allocator gave), once checked.
    mutating func take(_ number: Int) throws(AppearanceError) -> Int {
        guard number > 0, number < 8_388_608 else {
            throw AppearanceError("the object number allocator", .invalidInput("it gave \(number), not between 1 and 8388607"))
        }
        guard given.insert(number).inserted else {
            throw AppearanceError("the object number allocator", .invalidInput("it gave \(number) twice"))
        }
        return number
    }
}
