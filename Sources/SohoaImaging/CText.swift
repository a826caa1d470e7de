extension Array where Element == CChar {
    /// The text of a NUL-terminated C buffer filled by a C call.
    var nulTerminatedString: String {
        String(decoding: prefix { $0 != 0 }.map(UInt8.init(bitPattern:)), as: UTF8.self)
    }
}
