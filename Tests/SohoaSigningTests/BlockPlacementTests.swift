import Foundation
import SohoaPDF
import SohoaSigning
import SohoaTestSupport
import Testing

/// Where a signature block goes: the search skips the places the ink it met still covers, and
/// finds exactly the place that asking about every place in turn finds.
@Suite struct BlockPlacementTests {
    static let sizes: [(width: Double, height: Double)] = [(230, 54), (230, 46), (210, 40), (200, 34)]
    static let square: [(width: Double, height: Double)] = [(138, 138), (117, 117), (98, 98)]

    /// The rule of `SignatureBlockPlacement.place`, asking about every place in turn.
    static func everyPlace(sizes: [(width: Double, height: Double)], corner: SignatureBlockPlacement.Corner,
                           on page: PageInkMap, avoiding placed: [PDFRect]) -> PDFRect? {
        let box = page.pageBox
        for size in sizes {
            let fromTop = corner != .bottomRight
            var distance = 10.0
            while distance + size.height <= box.height / 4 + (fromTop ? 0 : size.height) {
                let y = fromTop ? box.maxY - distance - size.height : box.minY + distance
                var offset = 0.0
                while offset <= box.width - size.width - 20 {
                    let x = corner == .topLeft ? box.minX + 10 + offset : box.maxX - 10 - size.width - offset
                    let rect = PDFRect(x: x, y: y, width: size.width, height: size.height)
                    let around = rect.inset(by: -3)
                    if page.ink(within: around) == nil, !placed.contains(where: { $0.intersects(around) }) { return rect }
                    offset += 4
                }
                distance += 4
            }
        }
        return nil
    }

    /// Pages assembled from the samples (a G4 form, a colour identity card, a PNG certificate, a
    /// JPEG attestation), read from their scans and from their records; every corner and size.
    @Test(arguments: ["don-de-nghi.tif", "can-cuoc-cong-dan.jpg", "giay-khai-sinh.png", "xac-nhan-cu-tru.jpg"])
    func theSearchFindsWhatAskingEveryPlaceFinds(sample: String) throws {
        let scratch = try Fixtures.makeScratch("placement")
        defer { Fixtures.removeScratch(scratch) }
        let found = try FileManager.default.subpathsOfDirectory(atPath: Fixtures.samples.path).first { $0.hasSuffix("/" + sample) }
        let input = Fixtures.samples.appendingPathComponent(try #require(found, "\(sample) is among the samples")).path
        let output = scratch.appendingPathComponent("doc.pdf").path
        let assembled = try Run.process(Fixtures.productsDirectory.appendingPathComponent("sohoa").path, ["assemble", "-o", output, input])
        #expect(assembled.status == 0, "\(assembled.stderr)")
        var compared = 0
        for trusting in [false, true] {
            let page = try PageInkMap(document: try QPDFDocument(path: output), pageIndex: 0, trustingRecordedInk: trusting)
            for (corner, sizes) in [(SignatureBlockPlacement.Corner.topLeft, Self.sizes), (.topRight, Self.sizes),
                                    (.bottomRight, Self.square)] {
                for first in sizes.indices {
                    let tried = Array(sizes[first...])
                    let expected = Self.everyPlace(sizes: tried, corner: corner, on: page, avoiding: [])
                    let placed = try? SignatureBlockPlacement.place(sizes: tried, corner: corner, on: page)
                    #expect(placed?.rect == expected, "\(sample) \(corner) from size \(first), trusting the record: \(trusting)")
                    compared += 1
                    // The second block avoids the first, as the approver's avoids the officer's.
                    if let expected {
                        let other: SignatureBlockPlacement.Corner = corner == .topLeft ? .topRight : .topLeft
                        let beside = Self.everyPlace(sizes: Self.sizes, corner: other, on: page, avoiding: [expected])
                        let placedBeside = try? SignatureBlockPlacement.place(
                            sizes: Self.sizes, corner: other, on: page,
                            avoiding: [SignaturePlacement(pageIndex: 0, rect: expected, rule: "")])
                        #expect(placedBeside?.rect == beside, "\(sample) \(other) beside \(corner)")
                    }
                }
            }
        }
        #expect(compared == 2 * 11)
    }

    /// A page of text runs and drawings (no scan): the same.
    @Test func aPageOfTextAndDrawingsGivesTheSamePlaces() throws {
        var content = "BT /F1 11 Tf\n"
        for line in 0..<60 { content += "1 0 0 1 \(40 + (line % 7) * 9) \(800 - line * 13) Tm (Dong \(line) cua van ban hanh chinh) Tj\n" }
        content += "ET 0 0 0 RG 300 700 m 560 700 l S 420 760 60 40 re f\n"
        let pdf = OnePagePDF.make(content: content,
                                  resources: "<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>")
        let page = try PageInkMap(document: try QPDFDocument(bytes: pdf, name: "text.pdf"), pageIndex: 0)
        for (corner, sizes) in [(SignatureBlockPlacement.Corner.topLeft, Self.sizes), (.topRight, Self.sizes), (.bottomRight, Self.square)] {
            let expected = Self.everyPlace(sizes: sizes, corner: corner, on: page, avoiding: [])
            #expect((try? SignatureBlockPlacement.place(sizes: sizes, corner: corner, on: page))?.rect == expected, "\(corner)")
        }
    }
}
