import CDeflate
import Synchronization

/// zlib-format (FlateDecode) compression for the streams Sohoa writes, through libdeflate:
/// the same input gives the same bytes every time, and any zlib reader reads them.
///
/// libdeflate works on whole buffers, which is all Sohoa's streams need: on a QR code's
/// rectangles (12 KB) its fastest level takes about 40 µs where zlib's took 60 to 75 µs, for a
/// smaller stream, and it inflates page 1's ink record (17 KB) in 15 µs instead of 55 µs.
public enum Flate {
    /// Why the data could not be compressed or inflated.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    /// The libdeflate levels Sohoa uses (of 1 to 12).
    public enum Level: Int32, Sendable {
        /// 1, for what is made anew for each document and signature.
        case fastest = 1
        /// 6, for what is made once per document as it is assembled.
        case balanced = 6
        /// 9, for what is made once and kept (font subsets, seal images): on a font subset,
        /// within 3 % of level 12's size in a fifth of its time, and smaller than zlib's best.
        case best = 9
    }

    /// The zlib encoding of `bytes` at `level`.
    public static func compress(_ bytes: [UInt8], level: Level = .best) throws(Failure) -> [UInt8] {
        guard let compressor = compressors.take(level) else {
            throw Failure(description: "libdeflate could not allocate a compressor (out of memory)")
        }
        defer { compressors.put(compressor, level) }
        let bound = libdeflate_zlib_compress_bound(compressor, bytes.count)
        let output = [UInt8](unsafeUninitializedCapacity: bound) { buffer, count in
            count = bytes.withUnsafeBytes { source in
                libdeflate_zlib_compress(compressor, source.baseAddress, source.count, buffer.baseAddress, buffer.count)
            }
        }
        // Within the bound, libdeflate never fails.
        guard !output.isEmpty else { throw Failure(description: "libdeflate could not compress \(bytes.count) bytes") }
        return output
    }

    /// zlib data inflated, when it inflates to at most `limit` bytes.
    public static func decompress(_ bytes: [UInt8], limit: Int) throws(Failure) -> [UInt8] {
        guard let decompressor = libdeflate_alloc_decompressor() else {
            throw Failure(description: "libdeflate could not allocate a decompressor (out of memory)")
        }
        defer { libdeflate_free_decompressor(decompressor) }
        var result = LIBDEFLATE_SUCCESS
        let output = [UInt8](unsafeUninitializedCapacity: max(limit, 1)) { buffer, count in
            var inflated = 0
            result = bytes.withUnsafeBytes { source in
                libdeflate_zlib_decompress(decompressor, source.baseAddress, source.count,
                                           buffer.baseAddress, min(limit, buffer.count), &inflated)
            }
            count = result == LIBDEFLATE_SUCCESS ? inflated : 0
        }
        switch result {
        case LIBDEFLATE_SUCCESS: return output
        case LIBDEFLATE_INSUFFICIENT_SPACE: throw Failure(description: "the data inflates to more than \(limit) bytes")
        default: throw Failure(description: "the data is not valid zlib data")
        }
    }

    /// Compressors kept between calls, so that each stream does not allocate and clear
    /// libdeflate's tables anew; at most a few per level (one per thread compressing at once).
    private static let compressors = CompressorPool()

    private final class CompressorPool: Sendable {
        /// Idle compressors by level, as addresses.
        private let idle = Mutex<[Int32: [UInt]]>([:])

        func take(_ level: Level) -> OpaquePointer? {
            if let kept = idle.withLock({ $0[level.rawValue]?.popLast() }) { return OpaquePointer(bitPattern: kept) }
            return libdeflate_alloc_compressor(level.rawValue)
        }

        func put(_ compressor: OpaquePointer, _ level: Level) {
            let address = UInt(bitPattern: Int(bitPattern: UnsafeRawPointer(compressor)))
            let kept = idle.withLock { idle in
                guard idle[level.rawValue, default: []].count < 8 else { return false }
                idle[level.rawValue, default: []].append(address)
                return true
            }
            if !kept { libdeflate_free_compressor(compressor) }
        }
    }
}
