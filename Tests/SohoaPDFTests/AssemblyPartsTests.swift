import Foundation
import SohoaTestSupport
import Testing

@testable import SohoaPDF

@Suite struct AssemblyPartsTests {
    @Test func srgbProfileIsAWellFormedICCProfile() {
        let bytes = SRGBProfile.bytes
        let size = Int(bytes[0]) << 24 | Int(bytes[1]) << 16 | Int(bytes[2]) << 8 | Int(bytes[3])
        #expect(size == bytes.count)
        #expect(Array(bytes[36..<40]) == Array("acsp".utf8))
        #expect(Array(bytes[12..<20]) == Array("mntrRGB ".utf8))
        #expect(bytes[8] == 2, "a version 2 profile, which every PDF/A level accepts")
        let tagCount = Int(bytes[131])
        #expect(tagCount == 9)
        for tag in 0..<tagCount {
            let entry = 132 + tag * 12
            let offset = Int(bytes[entry + 4]) << 24 | Int(bytes[entry + 5]) << 16 | Int(bytes[entry + 6]) << 8 | Int(bytes[entry + 7])
            let length = Int(bytes[entry + 8]) << 24 | Int(bytes[entry + 9]) << 16 | Int(bytes[entry + 10]) << 8 | Int(bytes[entry + 11])
            #expect(offset % 4 == 0 && offset + length <= bytes.count)
        }
    }

    @Test func srgbProfileOpensInLittleCMS() throws {
        let scratch = try Fixtures.makeScratch("icc")
        defer { Fixtures.removeScratch(scratch) }
        let path = try Fixtures.write(SRGBProfile.bytes, named: "srgb.icc", in: scratch)
        let result = try Run.process(Tools.python, ["-c", """
            from PIL import ImageCms
            p = ImageCms.getOpenProfile(\"\(path)\")
            t = ImageCms.buildTransform(p, ImageCms.createProfile("sRGB"), "RGB", "RGB")
            print(ImageCms.getProfileDescription(p).strip())
            """])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("sRGB IEC61966-2.1"))
    }

    @Test func xmlEscapingKeepsVietnameseAndRemovesWhatXMLForbids() {
        #expect(XMPPacket.escape("Hồ sơ <A&B> \"x\"\u{0001}") == "Hồ sơ &lt;A&amp;B&gt; &quot;x&quot;")
    }

    @Test func numbersArePlainDecimals() {
        #expect(PDFDocumentBuilder.number(595.2756) == "595.2756")
        #expect(PDFDocumentBuilder.number(842) == "842")
        #expect(PDFDocumentBuilder.number(-0.00001) == "0")
        #expect(PDFDocumentBuilder.number(1e-7) == "0")
    }

    @Test func placementMatricesKeepTheImageOnThePage() {
        for placement in [PDFImagePlacement.up, .upMirrored, .down, .downMirrored, .leftMirrored, .right, .rightMirrored, .left] {
            let m = placement.matrix(width: 100, height: 200)
            for (x, y) in [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (1.0, 1.0)] {
                let px = m[0] * x + m[2] * y + m[4], py = m[1] * x + m[3] * y + m[5]
                #expect((0...100).contains(px) && (0...200).contains(py), "\(placement) puts a corner at \(px), \(py)")
            }
        }
    }

    @Test func documentWithoutPagesIsRefused() throws {
        let builder = try PDFDocumentBuilder(name: "empty.pdf")
        #expect(throws: PDFError.self) { try builder.write(to: "/tmp/never-written.pdf", metadata: PDFMetadata(), pdfa: true, identifier: Array(repeating: 1, count: 16)) }
    }
}
