import Testing
@testable import SohoaAppearance

/// Encoding QR codes and drawing them.
@Suite struct QRSymbolTests {
    @Test func versionGrowsWithThePayloadAndTheLevel() throws {
        let short = try QRSymbol(text: "Sohoa")
        #expect(short.version == 1 && short.size == 21)
        let long = try QRSymbol(text: Blocks.qrPayload())
        #expect(long.version > short.version && long.size == 17 + 4 * long.version)
        #expect(try QRSymbol(text: Blocks.qrPayload(), errorCorrection: .high).version > long.version)
        #expect(long.errorCorrection == .medium)
        #expect(long.payload == Array(Blocks.qrPayload().precomposedStringWithCanonicalMapping.utf8))
    }

    @Test func finderPatternIsInTheCorners() throws {
        let symbol = try QRSymbol(text: "Trần Thị Bình")
        for (row, column) in [(0, 0), (0, symbol.size - 1), (symbol.size - 1, 0), (3, 3)] {
            #expect(symbol.isDark(row: row, column: column))
        }
        #expect(!symbol.isDark(row: 1, column: 1) && !symbol.isDark(row: 7, column: 7))
        #expect(!symbol.isDark(row: -1, column: 0) && !symbol.isDark(row: 0, column: symbol.size))
    }

    @Test func payloadTooLongIsRefusedWithItsSize() {
        let text = String(repeating: "Ủy ban nhân dân phường Bến Thành. ", count: 60)
        let error = #expect(throws: AppearanceError.self) { try QRSymbol(text: text, errorCorrection: .medium) }
        #expect(error?.kind == .payloadTooLong(bytes: Array(text.utf8).count))
        #expect(error?.description.hasPrefix("the QR payload is too long for a QR code") == true)
        // At the limit for its level, it still encodes; one byte more, it does not.
        #expect(throws: Never.self) { try QRSymbol(bytes: [UInt8](repeating: 0x41, count: 2331), errorCorrection: .medium) }
        #expect(throws: AppearanceError.self) { try QRSymbol(bytes: [UInt8](repeating: 0x41, count: 2332), errorCorrection: .medium) }
    }

    @Test func emptyPayloadIsRefused() {
        #expect(throws: AppearanceError("the QR payload", .emptyPayload)) { try QRSymbol(text: "") }
    }

    @Test func darkRunsBecomeOneRectangleEach() throws {
        let symbol = try QRSymbol(text: "Sohoa")
        var stream = ContentStream()
        symbol.draw(x: 10, y: 20, moduleSize: 2, into: &stream)
        let operators = String(decoding: stream.bytes, as: UTF8.self)
        var runs = 0
        for row in 0..<symbol.size {
            for column in 0..<symbol.size where symbol.isDark(row: row, column: column)
                && !symbol.isDark(row: row, column: column - 1) { runs += 1 }
        }
        let rectangles = operators.split(separator: "\n").filter { $0.hasSuffix(" 1 re") }
        #expect(rectangles.count == runs)
        // The top row of the symbol: the finder pattern's 7 modules, after the 4-module quiet zone.
        #expect(rectangles.first == "4 \(symbol.size + 3) 7 1 re")
        #expect(operators.hasPrefix("q 2 0 0 2 10 20 cm\n1 g 0 0 \(symbol.size + 8) \(symbol.size + 8) re f\n0 g\n"))
    }

    @Test func moduleSizeBelowHalfAMillimetreIsRefused() throws {
        let symbol = try QRSymbol(text: "Sohoa")
        #expect(throws: AppearanceError.self) { try QRAppearance(symbol: symbol, moduleSize: 1) }
        let appearance = try QRAppearance(symbol: symbol, moduleSize: 1.5)
        #expect(abs(appearance.side - 29 * 1.5) < 0.0001)
        var next = 7
        let made = try appearance.makeObjects { defer { next += 1 }; return next }
        #expect(made.appearance == 7 && made.objects.count == 1)
        #expect(made.objects[0].dictionary.contains("/BBox [0 0 43.5 43.5]"))
    }
}
