import SohoaPDF

/// zlib-format compression for stream data (`Flate`), with errors worded for the appearance.
enum Deflate {
    /// The level for streams made anew for each document (content streams): the fastest,
    /// which on a QR code's rectangles (12 KB) takes about 40 µs for 3.4 KB.
    static let perDocumentLevel = Flate.Level.fastest

    /// The zlib (FlateDecode) encoding of `bytes` (`Flate.compress`), at the best compression
    /// by default (for what is made once and cached: font subsets, seal images).
    static func compress(_ bytes: [UInt8], level: Flate.Level = .best, what: String) throws(AppearanceError) -> [UInt8] {
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
