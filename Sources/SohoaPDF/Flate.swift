import CZlib

/// zlib (FlateDecode) compression for the streams Sohoa writes: the same input gives the same
/// bytes every time.
public enum Flate {
    /// Why zlib refused.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// The zlib encoding of `bytes` at `level` (zlib's best unless told).
    ///
    /// The window is no larger than the input needs (at least 1 KiB, at most zlib's 32 KiB),
    /// with hash tables to match, so that small streams do not pay for setting up zlib's
    /// largest tables.
    public static func compress(_ bytes: [UInt8], level: Int32 = Z_BEST_COMPRESSION) throws(Failure) -> [UInt8] {
        var windowBits: Int32 = 10
        while windowBits < 15, 1 << windowBits < bytes.count + 262 { windowBits += 1 }
        let memoryLevel = max(1, min(8, windowBits - 7))
        var stream = z_stream()
        let started = deflateInit2_(&stream, level, Z_DEFLATED, windowBits, memoryLevel, Z_DEFAULT_STRATEGY,
                                    zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard started == Z_OK else { throw Failure(description: "zlib deflateInit2 returned \(started)") }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))))
        var input = bytes
        let status = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress
                stream.avail_in = uInt(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = uInt(target.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { throw Failure(description: "zlib deflate returned \(status)") }
        output.removeSubrange(Int(stream.total_out)...)
        return output
    }

    /// zlib data inflated, when it inflates to at most `limit` bytes.
    public static func decompress(_ bytes: [UInt8], limit: Int) throws(Failure) -> [UInt8] {
        var length = uLong(limit)
        var output = [UInt8](repeating: 0, count: max(limit, 1))
        let status = output.withUnsafeMutableBufferPointer { out in
            bytes.withUnsafeBufferPointer { input in
                uncompress(out.baseAddress, &length, input.baseAddress, uLong(input.count))
            }
        }
        guard status == Z_OK else { throw Failure(description: "zlib uncompress returned \(status)") }
        output.removeSubrange(Int(length)...)
        return output
    }
}
