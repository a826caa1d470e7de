import FuzzSupport
import ImageFuzzing
import SohoaImaging

// Fuzzes `PNGFile`: Sohoa's chunk reader (lengths, CRCs, IHDR, PLTE, pHYs, tIME, ...), then
// libpng's decode and the preparation for a PDF. A mutated chunk almost never keeps a valid
// CRC, so an input whose CRCs are wrong is tried twice: as it is (the refusal), and with its
// CRCs made right (what lies behind them). Seeds: tiny PNGs in each colour type and depth,
// interlaced, with transparency, resolution and time chunks.

private let scratch = ScratchFile(suffix: ".png")

/// One input: opened as a PNG, its page taken through the pipeline's calls; again with its
/// chunk CRCs corrected, when that changes anything.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    ImageFuzzing.run(start, count, scratch: scratch) { try PNGFile(path: $0, limits: $1) }
    var bytes = FuzzDriver.bytes(start, count)
    if PNGRepair.correctCRCs(&bytes) {
        bytes.withUnsafeBytes { raw in
            ImageFuzzing.run(raw.baseAddress!, raw.count, scratch: scratch) { try PNGFile(path: $0, limits: $1) }
        }
    }
    return 0
}

/// The process entry point (see `FuzzDriver`).
@_cdecl("fuzz_png_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzz)
}

/// Rewrites the CRC of each whole chunk after the PNG signature.
enum PNGRepair {
    /// CRC-32 (ISO 3309, as PNG uses it), table-driven.
    static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    /// Sets each chunk's CRC to the one its type and data call for; true when one changed.
    /// Stops at the first chunk that runs past the end.
    static func correctCRCs(_ bytes: inout [UInt8]) -> Bool {
        var changed = false
        var position = 8
        while position + 12 <= bytes.count {
            let length = bytes[position..<position + 4].reduce(0) { $0 << 8 | Int($1) }
            let end = position + 8 + length
            guard length <= 0x7FFF_FFFF, end + 4 <= bytes.count else { break }
            var crc: UInt32 = 0xFFFF_FFFF
            for byte in bytes[(position + 4)..<end] {
                crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
            }
            crc ^= 0xFFFF_FFFF
            let encoded = [UInt8(crc >> 24), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)]
            if Array(bytes[end..<end + 4]) != encoded {
                bytes.replaceSubrange(end..<end + 4, with: encoded)
                changed = true
            }
            position = end + 4
        }
        return changed
    }
}
