import CZlib

/// zlib compression for stream data: the same input gives the same bytes every time.
enum Deflate {
    /// The level for streams made anew for each document (content streams): zlib's fastest,
    /// which on a QR code's rectangles (12 KB) takes 64 µs where level 4 took 143 µs, for a
    /// stream 14 % larger (3.3 KB instead of 2.9 KB).
    static let perDocumentLevel: Int32 = 1

    /// The zlib (FlateDecode) encoding of `bytes`, at the best compression by default (for what
    /// is made once and cached: font subsets, seal images).
    ///
    /// The window is no larger than the input needs (at least 1 KiB, at most zlib's 32 KiB),
    /// with hash tables to match, so that small streams do not pay for setting up zlib's
    /// largest tables. The same input gives the same output.
    static func compress(_ bytes: [UInt8], level: Int32 = Z_BEST_COMPRESSION, what: String) throws(AppearanceError) -> [UInt8] {
        var windowBits: Int32 = 10
        while windowBits < 15, 1 << windowBits < bytes.count + 262 { windowBits += 1 }
        let memoryLevel = max(1, min(8, windowBits - 7))
        var stream = z_stream()
        let started = deflateInit2_(&stream, level, Z_DEFLATED, windowBits, memoryLevel, Z_DEFAULT_STRATEGY,
                                    zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard started == Z_OK else {
            throw AppearanceError(what, .libraryFailure("zlib deflateInit2 returned \(started)"))
        }
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
        guard status == Z_STREAM_END else {
            throw AppearanceError(what, .libraryFailure("zlib deflate returned \(status)"))
        }
        output.removeSubrange(Int(stream.total_out)...)
        return output
    }

    /// Decompresses zlib data of at most `limit` bytes (for tests and checks).
    static func decompress(_ bytes: [UInt8], limit: Int, what: String) throws(AppearanceError) -> [UInt8] {
        var length = uLong(limit)
        var output = [UInt8](repeating: 0, count: max(limit, 1))
        let status = output.withUnsafeMutableBufferPointer { out in
            bytes.withUnsafeBufferPointer { input in
                uncompress(out.baseAddress, &length, input.baseAddress, uLong(input.count))
            }
        }
        guard status == Z_OK else {
            throw AppearanceError(what, .libraryFailure("zlib uncompress returned \(status)"))
        }
        output.removeSubrange(Int(length)...)
        return output
    }
}
