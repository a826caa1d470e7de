import CZlib

/// How much Flate data inflates to, found without keeping the output, so that a stream built
/// to inflate to gigabytes (a "zip bomb") is refused before anything decodes it in full.
enum InflatedSize {
    /// The number of bytes `data` inflates to, nil when it is more than `limit` or the data is
    /// not valid zlib data.
    static func of(_ data: [UInt8], limit: Int) -> Int? {
        var stream = z_stream()
        guard inflateInit_(&stream, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        var scratch = [UInt8](repeating: 0, count: 64 << 10)
        var total = 0
        return data.withUnsafeBufferPointer { input -> Int? in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = UInt32(clamping: input.count)
            while true {
                let (status, produced) = scratch.withUnsafeMutableBufferPointer { output -> (Int32, Int) in
                    stream.next_out = output.baseAddress
                    stream.avail_out = UInt32(output.count)
                    let status = inflate(&stream, Z_NO_FLUSH)
                    return (status, output.count - Int(stream.avail_out))
                }
                total += produced
                guard total <= limit else { return nil }
                switch status {
                case Z_STREAM_END: return total
                case Z_OK: continue
                case Z_BUF_ERROR where produced > 0: continue
                // Data that ends without its end marker: what it gave so far (PDF readers accept it).
                case Z_BUF_ERROR: return stream.avail_in == 0 ? total : nil
                default: return nil
                }
            }
        }
    }
}
