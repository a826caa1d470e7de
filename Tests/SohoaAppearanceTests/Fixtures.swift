import Foundation
import SohoaAppearance
import SohoaTestSupport

/// The signature blocks the tests draw.
enum Blocks {
    static let signer = "Nguyễn Thị Lấp Lánh Ánh"
    static let digitizer = "Trần Thị Bình"
    static let time = "2026-12-05T14:03:00+07:00"

    /// The lines of a digitization signature, as the signer would give them.
    static func lines(time: String = Blocks.time) -> [SignatureBlock.Line] {
        [
            .init("Ký bởi: \(signer)", bold: true),
            .init("Chức vụ: Cán bộ số hóa"),
            .init("Thời gian: \(time)"),
            .init("Số hóa từ bản giấy bởi \(digitizer) lúc \(time)"),
        ]
    }

    /// What the QR code of a converted document carries (Circular 01/2023's fields).
    static func qrPayload(time: String = Blocks.time) -> String {
        "Mã hồ sơ: 000.00.01.H26-251124-0001; Thủ tục: 1.001234; CCCD: 079123456789; "
            + "Tài liệu: Giấy khai sinh; Hệ thống: Sohoa; Thời gian: \(time)"
    }

    static func style() throws -> SignatureStyle { try SignatureStyle.liberationSerif() }

    static func block(seal: SealImage? = nil, qr: QRSymbol? = nil, time: String = Blocks.time,
                      width: Double = 280, height: Double = 84) throws -> SignatureBlock {
        SignatureBlock(width: width, height: height, lines: lines(time: time), seal: seal, qrCode: qr, style: try style())
    }
}

/// Writes a test PDF with `block` at the top left of the page and runs tools on it.
struct PlacedBlock {
    let path: String
    let x: Double
    let y: Double
    let bytes: [UInt8]

    init(_ block: SignatureBlock, in folder: URL, name: String = "block.pdf") throws {
        x = 36
        y = TestPDF.pageHeight - 36 - block.height
        bytes = try TestPDF.bytes(x: x, y: y) { allocate in try block.makeObjects(allocate: allocate) }
        path = try Fixtures.write(bytes, named: name, in: folder)
    }

    /// pdftotext's output, UTF-8.
    func text() throws -> String {
        try Run.process("/usr/bin/pdftotext", ["-enc", "UTF-8", path, "-"]).stdout
    }
}

extension String {
    /// The string's Unicode scalars, for comparisons that must not treat NFC and NFD as equal
    /// (Swift's `==` does).
    var scalarValues: [UInt32] { unicodeScalars.map(\.value) }
}
