import Foundation
import SohoaPipeline
import SohoaRepository
import Testing

/// What the QR code on a filed document says: every item the rules ask for, one per line, and
/// a person's identification number never whole.
@Suite struct DocumentQRCodeTests {
    func document(owner: String, title: String?, code: PublicCode?) throws -> Document {
        Document(id: try DocumentID("0123456789abcdef0123456789abcdef"), owner: owner, type: "application-form", title: title,
                 issued: nil, validUntil: nil, state: .pending, created: Date(timeIntervalSince1970: 0),
                 cases: ["000.00.01.H26-251124-0001"], latest: ContentHash(digest: [UInt8](repeating: 7, count: 32)),
                 publicCode: code)
    }

    @Test func everyItemOnItsOwnLineWithThePersonsNumberMasked() throws {
        let code = try PublicCode("a32ac11d7e6103d8c1dbd1cda7f9245c")
        let qr = DocumentQRCode(checkURLBase: URL(string: "https://tracuu.example.vn/"))
        let text = qr.text(for: try document(owner: "001085012345", title: "Giấy khai sinh", code: code),
                           procedure: "1.001193", issuedAt: Date(timeIntervalSince1970: 1_764_900_000))
        #expect(text.components(separatedBy: "\n") == [
            "Mã hồ sơ: 000.00.01.H26-251124-0001",
            "Mã TTHC: 1.001193",
            "Số định danh: 001******345",
            "Tên giấy tờ: Giấy khai sinh",
            "Hệ thống: Sohoa",
            "Thời gian: 2025-12-05T09:00:00+07:00",
            "Tra cứu: https://tracuu.example.vn/v/a32ac11d7e6103d8c1dbd1cda7f9245c",
        ])
        #expect(!text.contains("001085012345"), "the whole number is never printed")
    }

    @Test func anOrganisationsTaxCodeIsShownWholeAndTheLinkNeedsABase() throws {
        let text = DocumentQRCode(checkURLBase: nil).text(for: try document(owner: "0314409058", title: nil, code: nil),
                                                          issuedAt: Date(timeIntervalSince1970: 0))
        #expect(text.contains("Số định danh: 0314409058"))
        #expect(text.contains("Tên giấy tờ: application-form"), "the type names a document without a title")
        #expect(!text.contains("Tra cứu") && !text.contains("Mã TTHC"))
    }
}
