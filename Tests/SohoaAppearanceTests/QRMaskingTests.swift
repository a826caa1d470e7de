import CQRencode
import Testing
@testable import SohoaAppearance
import SohoaTestSupport

/// Sohoa chooses the QR code's data mask itself (libqrencode only ever tries all eight); the
/// symbol must be the very one libqrencode makes.
@Suite struct QRMaskingTests {
    /// libqrencode's own symbol for `bytes`, mask chosen by it, row-major, true for dark.
    private func libqrencodeSymbol(_ bytes: [UInt8], _ level: QRSymbol.ErrorCorrection) throws -> [Bool] {
        let encoded = try #require(bytes.withUnsafeBufferPointer {
            QRcode_encodeData(Int32($0.count), $0.baseAddress, 0, level.level)
        })
        defer { QRcode_free(encoded) }
        let width = Int(encoded.pointee.width)
        return (0..<width * width).map { encoded.pointee.data[$0] & 1 == 1 }
    }

    private func modules(_ symbol: QRSymbol) -> [Bool] {
        (0..<symbol.size * symbol.size).map { symbol.isDark(row: $0 / symbol.size, column: $0 % symbol.size) }
    }

    @Test func theSymbolIsLibqrencodesBitForBit() throws {
        var generator = SplitMix64(seed: 0x5040A)
        var masksChosen = Set<Int>()
        let levels: [QRSymbol.ErrorCorrection] = [.low, .medium, .quartile, .high]
        // Every version from 1 to 40 at some level, several payloads each, and the filed
        // documents' own kind of text.
        var payloads: [[UInt8]] = [Array(Blocks.qrPayload().utf8), Array("Trần Thị Bình".utf8), [0x41]]
        for length in stride(from: 1, through: 1270, by: 7) {
            payloads.append((0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) })
        }
        payloads.append([UInt8](repeating: 0x30, count: 900))
        for (index, payload) in payloads.enumerated() {
            let level = levels[index % levels.count]
            let ours = try QRSymbol(bytes: payload, errorCorrection: level)
            let theirs = try libqrencodeSymbol(payload, level)
            #expect(modules(ours) == theirs, "payload \(index), \(payload.count) bytes, level \(level)")
            masksChosen.insert(formatMask(ours))
        }
        // The comparison would say little if one mask always won.
        #expect(masksChosen.count == 8)
    }

    /// ISO/IEC 18004's worked example (7.9.1): level M, mask 101 gives 100000011001110.
    @Test func formatInformationIsTheStandardsExample() {
        #expect(QRMasking.formatInformation(level: .medium, mask: 5) == 0b100_0000_1100_1110)
        // Each of the 32 differs from every other in at least 7 bits (the BCH code's distance).
        let all = [QRSymbol.ErrorCorrection.low, .medium, .quartile, .high].flatMap { level in
            (0..<8).map { QRMasking.formatInformation(level: level, mask: $0) }
        }
        for (index, first) in all.enumerated() {
            for second in all[(index + 1)...] { #expect((first ^ second).nonzeroBitCount >= 7) }
        }
    }

    /// The mask a symbol carries, read back from its first copy of the format information.
    private func formatMask(_ symbol: QRSymbol) -> Int {
        var format = 0
        for (bit, (position, _)) in QRMasking.formatPositions(width: symbol.size).enumerated()
        where symbol.isDark(row: position.0, column: position.1) {
            format |= 1 << bit
        }
        return (format ^ 0b101_0100_0001_0010) >> 10 & 0b111
    }
}
