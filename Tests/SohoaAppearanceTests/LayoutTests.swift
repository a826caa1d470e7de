import Foundation
import Testing
import SohoaTestSupport
@testable import SohoaAppearance

/// Text that wraps, shrinks, and is refused rather than spilling out of the block.
@Suite final class LayoutTests {
    let scratch: URL

    init() throws { scratch = try Fixtures.makeScratch("appearance-layout") }
    deinit { Fixtures.removeScratch(scratch) }

    static let longName = "Công Tôn Nữ Nguyễn Thị Lấp Lánh Ánh Hoàng Phương Thảo Nguyên Bảo Ngọc Trâm Anh"

    /// Every drawn line inside the text area, and the text area inside the block.
    private func expectInside(_ layout: SignatureLayout, sourceLocation: SourceLocation = #_sourceLocation) {
        let block = BlockRect(x: 0, y: 0, width: layout.width, height: layout.height)
        #expect(block.contains(layout.textArea), sourceLocation: sourceLocation)
        for line in layout.lines {
            #expect(layout.textArea.contains(line.bounds), "\(line.text): \(line.bounds) not in \(layout.textArea)",
                    sourceLocation: sourceLocation)
            #expect(abs(line.bounds.width - line.width) < 0.0001 && line.x == layout.textArea.x, sourceLocation: sourceLocation)
        }
        for (upper, lower) in zip(layout.lines, layout.lines.dropFirst()) {
            #expect(lower.bounds.maxY <= upper.bounds.y + 0.5, "lines overlap", sourceLocation: sourceLocation)
        }
    }

    @Test func typicalBlockIsSetAtTenPoints() throws {
        let layout = try Blocks.block().layout()
        #expect(layout.fontSize == 10)
        #expect(layout.lines.first?.text == "Ký bởi: \(Blocks.signer)" && layout.lines.first?.bold == true)
        expectInside(layout)
    }

    @Test func longNameWrapsAtSpacesWithinTheTextArea() throws {
        var lines = Blocks.lines()
        lines[0] = .init("Ký bởi: \(LayoutTests.longName)", bold: true)
        let block = SignatureBlock(width: 280, height: 110, lines: lines, style: try Blocks.style())
        let layout = try block.layout()
        let nameLines = layout.lines.filter { $0.sourceLine == 0 }
        #expect(nameLines.count >= 2)
        #expect(layout.fontSize == 10)
        // Wrapped at spaces: the parts put back together with spaces are the line again.
        #expect(nameLines.map(\.text).joined(separator: " ") == "Ký bởi: \(LayoutTests.longName)")
        expectInside(layout)
    }

    @Test func textThatIsTooTallShrinksAndStillFits() throws {
        var lines = Blocks.lines()
        lines[0] = .init("Ký bởi: \(LayoutTests.longName)", bold: true)
        let block = SignatureBlock(width: 240, height: 70, lines: lines, style: try Blocks.style())
        let layout = try block.layout()
        #expect(layout.fontSize < 10 && layout.fontSize >= 6, "\(layout.fontSize)")
        expectInside(layout)
        // Drawn, nothing lands outside the block.
        let placed = try PlacedBlock(block, in: scratch)
        let prefix = scratch.appendingPathComponent("page").path
        _ = try Run.process("/usr/bin/pdftoppm", ["-r", "144", "-singlefile", "-aa", "no", "-aaVector", "no", placed.path, prefix])
        let image = try #require(PPMImage(Array(try Data(contentsOf: URL(fileURLWithPath: prefix + ".ppm")))))
        let scale = 2.0
        let left = Int(placed.x * scale), right = Int((placed.x + block.width) * scale)
        let top = Int((TestPDF.pageHeight - placed.y - block.height) * scale), bottom = Int((TestPDF.pageHeight - placed.y) * scale)
        let outside = image.count(x: 0..<image.width, y: 0..<bottom + 120) { _ in true }
            - image.count(x: left..<right + 1, y: top..<bottom + 1) { _ in true }
        let inkOutside = image.count(x: 0..<image.width, y: 0..<bottom + 120) { $0 != (255, 255, 255) }
            - image.count(x: left..<right + 1, y: top..<bottom + 1) { $0 != (255, 255, 255) }
        #expect(outside > 0 && inkOutside == 0, "ink outside the block: \(inkOutside) pixels")
        // Every word is there to read, in order.
        let words = try placed.text().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        #expect(Array(words.utf8).firstRange(of: Array("Ký bởi: \(LayoutTests.longName)".utf8)) != nil, "\(words)")
    }

    @Test func textThatCannotFitIsRefusedNamingTheLine() throws {
        var lines = Blocks.lines()
        lines.append(.init("Ghi chú: \(String(repeating: LayoutTests.longName + " ", count: 6))"))
        let block = SignatureBlock(width: 240, height: 70, lines: lines, style: try Blocks.style())
        let error = #expect(throws: AppearanceError.self) { try block.layout() }
        guard case .textDoesNotFit(let detail)? = error?.kind else {
            Issue.record("expected a text-does-not-fit refusal, got \(String(describing: error))")
            return
        }
        #expect(error?.subject.hasPrefix("line 5 (\"Ghi chú: Công Tôn Nữ") == true, "\(error?.subject ?? "")")
        #expect(detail.hasPrefix("at 6 pt the lines need "), "\(detail)")
        #expect(throws: AppearanceError.self) { try block.makeObjects { 1 } }
    }

    @Test func wordWiderThanTheBlockIsRefusedNamingTheWord() throws {
        let lines: [SignatureBlock.Line] = [.init("Chức vụ: Cán bộ"), .init("Ký bởi: \(LayoutTests.longName.replacingOccurrences(of: " ", with: ""))")]
        let block = SignatureBlock(width: 120, height: 60, lines: lines, style: try Blocks.style())
        let error = #expect(throws: AppearanceError.self) { try block.layout() }
        #expect(error?.subject.hasPrefix("line 2 (\"Ký bởi: CôngTônNữ") == true, "\(error?.subject ?? "")")
        #expect(error?.description.contains("at 6 pt the word \"CôngTônNữ") == true, "\(String(describing: error))")
    }

    @Test func qrCodeTooBigForTheBlockIsRefused() throws {
        let block = try Blocks.block(qr: try QRSymbol(text: Blocks.qrPayload()), height: 60)
        let error = #expect(throws: AppearanceError.self) { try block.layout() }
        guard case .doesNotFit(let detail)? = error?.kind else {
            Issue.record("expected a does-not-fit refusal, got \(String(describing: error))")
            return
        }
        #expect(error?.subject == "the QR code" && detail.contains("1.42 pt per module"))
    }

    @Test func qrCodeSitsAtTheRightWithTheTextBesideIt() throws {
        let layout = try Blocks.block(qr: try QRSymbol(text: Blocks.qrPayload()), width: 320, height: 100).layout()
        let qr = try #require(layout.qrCode)
        #expect(abs(qr.maxX - (320 - 4)) < 0.001 && qr.y >= 4 && qr.maxY <= 96)
        #expect(layout.textArea.maxX <= qr.x + 0.001)
        expectInside(layout)
    }

    @Test func hostileSizesAndStylesAreRefused() throws {
        let style = try Blocks.style()
        for (width, height) in [(Double.nan, 80.0), (280, -1), (1e9, 80), (10, 10)] {
            #expect(throws: AppearanceError.self) {
                try SignatureBlock(width: width, height: height, lines: Blocks.lines(), style: style).layout()
            }
        }
        var tiny = style
        tiny.minimumFontSize = 12
        #expect(throws: AppearanceError.self) { try SignatureBlock(width: 280, height: 80, lines: [], style: tiny).layout() }
        var badColour = style
        badColour.colour = RGBColour(red: 2, green: 0, blue: 0)
        #expect(throws: AppearanceError.self) { try SignatureBlock(width: 280, height: 80, lines: [], style: badColour).layout() }
        let many = [SignatureBlock.Line](repeating: .init("x"), count: SignatureBlock.maximumLines + 1)
        #expect(throws: AppearanceError.self) { try SignatureBlock(width: 280, height: 80, lines: many, style: style).layout() }
    }

    @Test func objectNumbersGivenTwiceAreRefused() throws {
        let error = #expect(throws: AppearanceError.self) { try Blocks.block().makeObjects { 5 } }
        #expect(error?.description == "the object number allocator is not valid: it gave 5 twice")
    }
}
