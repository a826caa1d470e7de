import SohoaPDF
import Foundation
import Testing
import SohoaTestSupport
@testable import SohoaAppearance

/// The same input gives the same bytes; the output stays small; a batch costs little.
@Suite final class OutputTests {
    let scratch: URL

    init() throws { scratch = try Fixtures.makeScratch("appearance-output") }
    deinit { Fixtures.removeScratch(scratch) }

    private func build(_ block: SignatureBlock, from first: Int = 20) throws -> (appearance: Int, objects: [PDFObject]) {
        var next = first
        return try block.makeObjects { defer { next += 1 }; return next }
    }

    private func seal() throws -> SealImage {
        try SealImage(path: try Fixtures.write(try TestImages.sealPNG(), named: "seal.png", in: scratch))
    }

    @Test func twoBuildsGiveIdenticalBytes() throws {
        let block = try Blocks.block(seal: try seal(), qr: try QRSymbol(text: Blocks.qrPayload()), width: 360, height: 100)
        let first = try build(block)
        let second = try build(block)
        #expect(first.appearance == second.appearance && first.objects == second.objects)
        // Fonts loaded afresh (no cached subset) and the seal read again: still the same bytes.
        var style = SignatureStyle(regularFont: try EmbeddedFont(path: EmbeddedFont.liberationSerifPath),
                                   boldFont: try EmbeddedFont(path: EmbeddedFont.liberationSerifBoldPath))
        style.preferredQRModuleSize = block.style.preferredQRModuleSize
        var fresh = block
        fresh.style = style
        fresh.seal = try seal()
        #expect(try build(fresh).objects == first.objects)
        // The written files are the same too.
        let a = try PlacedBlock(block, in: scratch, name: "a.pdf"), b = try PlacedBlock(fresh, in: scratch, name: "b.pdf")
        #expect(a.bytes == b.bytes)
    }

    @Test func blocksBuiltOnSeveralThreadsAtOnceAreTheSame() async throws {
        // Fresh fonts, so that the threads race to fill the same subset cache.
        let style = SignatureStyle(regularFont: try EmbeddedFont(path: EmbeddedFont.liberationSerifPath),
                                   boldFont: try EmbeddedFont(path: EmbeddedFont.liberationSerifBoldPath))
        let seal = try seal()
        let blocks = try (0..<16).map { index in
            let time = "2026-12-05T14:\(10 + index % 4):00+07:00"
            return SignatureBlock(width: 380, height: 100, lines: Blocks.lines(time: time), seal: seal,
                                  qrCode: try QRSymbol(text: Blocks.qrPayload(time: time)), style: style)
        }
        let results = try await withThrowingTaskGroup(of: (Int, [PDFObject]).self) { group in
            for (index, block) in blocks.enumerated() {
                group.addTask {
                    var next = 20
                    return (index, try block.makeObjects { defer { next += 1 }; return next }.objects)
                }
            }
            var results: [Int: [PDFObject]] = [:]
            for try await (index, objects) in group { results[index] = objects }
            return results
        }
        // Then one after the other, from the subsets the threads left in the cache.
        let expected = try blocks.map { try build($0).objects }
        for index in blocks.indices { #expect(results[index] == expected[index]) }
    }

    @Test func consecutiveDocumentsShareTheFontSubset() throws {
        let one = try build(try Blocks.block(time: "2026-12-05T14:03:00+07:00"))
        let two = try build(try Blocks.block(time: "2026-12-06T09:41:27+07:00"))
        let fontFiles = { (objects: [PDFObject]) in objects.filter { $0.dictionary.contains("/Length1") }.map(\.streamData) }
        #expect(fontFiles(one.objects) == fontFiles(two.objects))
        #expect(one.objects[0].streamData != two.objects[0].streamData)
    }

    @Test func appearanceStaysUnderThirtyKilobytes() throws {
        let plain = try build(try Blocks.block())
        let withQR = try build(try Blocks.block(qr: try QRSymbol(text: Blocks.qrPayload()), width: 320, height: 100))
        let withAll = try build(try Blocks.block(seal: try seal(), qr: try QRSymbol(text: Blocks.qrPayload()), width: 380, height: 100))
        let qrOnly = try QRAppearance(symbol: try QRSymbol(text: Blocks.qrPayload())).makeObjects { 1 }
        func size(_ objects: [PDFObject]) -> Int { objects.reduce(0) { $0 + $1.serializedSize } }
        print("appearance bytes: text only \(size(plain.objects)), text + QR \(size(withQR.objects)), "
            + "text + seal + QR \(size(withAll.objects)), standalone QR \(size(qrOnly.objects))")
        for (name, objects) in [("text", plain.objects), ("text + QR", withQR.objects), ("text + seal + QR", withAll.objects)] {
            for object in objects {
                print("  \(name): object \(object.id) \(object.serializedSize) bytes \(object.dictionary.prefix(60))")
            }
        }
        #expect(size(plain.objects) < 30_000)
        #expect(size(withQR.objects) < 30_000)
        #expect(size(withAll.objects) < 30_000)
    }

    @Test func batchOfTwoHundredDocumentsCostsLittlePerDocument() throws {
        // The same signer, the same seal, a new time and QR payload per document.
        let seal = try seal()
        let style = try Blocks.style()
        for withSealAndQR in [true, false] {
            var times: [Double] = []
            var objects = 0
            for index in 0..<200 {
                let time = String(format: "2026-12-05T%02d:%02d:%02d+07:00", 8 + index / 60 % 10, index % 60, (index * 7) % 60)
                let started = cpuTime()
                let block = SignatureBlock(width: 380, height: 100, lines: Blocks.lines(time: time),
                                           seal: withSealAndQR ? seal : nil,
                                           qrCode: withSealAndQR ? try QRSymbol(text: Blocks.qrPayload(time: time)) : nil,
                                           style: style)
                objects += try build(block).objects.count
                times.append(cpuTime() - started)
            }
            let warm = times.dropFirst().sorted()
            let mean = warm.reduce(0, +) / Double(warm.count)
            print(String(format: "per-document appearance CPU time over 200 documents (%@): first %.3f ms, "
                            + "then mean %.3f ms, median %.3f ms, max %.3f ms",
                         withSealAndQR ? "text, seal and QR code" : "text only", times[0] * 1000, mean * 1000,
                         warm[warm.count / 2] * 1000, (warm.last ?? 0) * 1000))
            // The form and two fonts of five objects each, and the seal and its mask.
            #expect(objects == 200 * (withSealAndQR ? 13 : 11))
        }
    }

    /// CPU time of this thread, in seconds.
    private func cpuTime() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
