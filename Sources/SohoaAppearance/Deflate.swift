import CZlib
import SohoaPDF

/// zlib compression for stream data: the same input gives the same bytes every time.
enum Deflate {
    /// The level for streams made anew for each document (content streams): zlib's fastest,
    /// which on a QR code's rectangles (12 KB) takes 64 µs where level 4 took 143 µs, for a
    /// stream 14 % larger (3.3 KB instead of 2.9 KB).
    static let perDocumentLevel: Int32 = 1

    /// The zlib (FlateDecode) encoding of `bytes` (`Flate.compress`), at the best compression
    /// by default (for what is made once and cached: font subsets, seal images).
    static func compress(_ bytes: [UInt8], level: Int32 = Z_BEST_COMPRESSION, what: String) throws(AppearanceError) -> [UInt8] {
        do { return try Flate.compress(bytes, level: level) } catch {
            throw AppearanceError(what, .libraryFailure(error.description))
        }
    }

    /// Decompresses zlib data of at most `limit` bytes (for tests and checks).
    static func decompress(_ bytes: [UInt8], limit: Int, what: String) throws(AppearanceError) -> [UInt8] {
        do { return try Flate.decompress(bytes, limit: limit) } catch {
            throw AppearanceError(what, .libraryFailure(error.description))
        }
    }
}
