import Testing
@testable import SohoaPDF

/// The zlib-format streams Sohoa writes (libdeflate) and the ones it inflates.
@Suite struct FlateTests {
    private let text = Array((0..<400).map { "\($0 % 97) \($0 % 13) 7 1 re\n" }.joined().utf8)

    @Test func zlibReadsWhatEveryLevelWrites() throws {
        for level in [Flate.Level.fastest, .balanced, .best] {
            let compressed = try Flate.compress(text, level: level)
            #expect(compressed.count < text.count / 2)
            // zlib's own inflater, as every PDF reader has it, gives the bytes back.
            #expect(InflatedSize.of(compressed, limit: 1 << 20) == text.count)
            #expect(try Flate.decompress(compressed, limit: text.count) == text)
            // The same input gives the same bytes (a signed document's bytes are reproducible).
            #expect(try Flate.compress(text, level: level) == compressed)
        }
        #expect(try Flate.decompress(Flate.compress([]), limit: 0) == [])
    }

    @Test func moreThanTheLimitOrDamagedDataIsRefused() throws {
        let compressed = try Flate.compress(text, level: .fastest)
        let over = #expect(throws: Flate.Failure.self) { try Flate.decompress(compressed, limit: text.count - 1) }
        #expect(over?.description == "the data inflates to more than \(text.count - 1) bytes")
        var damaged = compressed
        damaged[damaged.count / 2] ^= 0xFF
        let broken = #expect(throws: Flate.Failure.self) { try Flate.decompress(damaged, limit: 1 << 20) }
        #expect(broken?.description == "the data is not valid zlib data")
        #expect(throws: Flate.Failure.self) { try Flate.decompress(Array(compressed.prefix(10)), limit: 1 << 20) }
    }
}
