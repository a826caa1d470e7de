/// OpenSSL's `i2d_*` convention, done once: call for the length, then for the bytes.
enum DEREncoding {
    /// The DER bytes an `i2d_*` function writes, or nil when it fails.
    static func encode(_ i2d: (UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>?) -> Int32) -> [UInt8]? {
        let length = i2d(nil)
        guard length > 0 else { return nil }
        var bytes = [UInt8](repeating: 0, count: Int(length))
        let written = bytes.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor = buffer.baseAddress
            return i2d(&cursor)
        }
        return written == length ? bytes : nil
    }
}
