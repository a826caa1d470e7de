import Foundation
@testable import SohoaServer
import SohoaRepository
import SohoaService
import Testing

/// The listing's hand-written JSON is byte for byte what `JSONEncoder` writes for the same
/// documents (the answer of `GET /api/v1/documents` must not depend on which wrote it).
@Suite struct ListingJSONTests {
    func document(_ title: String?, type: String?, created: Double, cases: [String]) throws -> Document {
        Document(id: DocumentID.random(), owner: "001085012345", type: type, title: title, issued: nil, validUntil: nil,
                 state: .approved, created: Date(timeIntervalSince1970: created), cases: cases,
                 latest: ContentHash(digest: Array(repeating: 7, count: 32)), publicCode: PublicCode.random())
    }

    @Test func writesWhatJSONEncoderWrites() throws {
        let documents = [
            try document("Giấy khai sinh (bản sao) của Nguyễn Minh Khang", type: "birth-certificate", created: 1_764_950_130.999,
                         cases: ["000.00.01.H26-251124-0001", "000.00.01.H26-251125-0031"]),
            try document("quotes \" back\\slash / slash\nnew line\ttab\r\u{8}\u{C}\u{1}\u{1F}\u{7F} 🇻🇳", type: nil, created: 0, cases: []),
            try document(nil, type: "đơn", created: 1_764_950_130.0004, cases: ["000.00.01.H26-251124-0002"]),
            try document("", type: "", created: 4_102_444_799.5, cases: ["X-000101-0001"]),
        ]
        let expected = try HTTPAnswer.encoder().encode(["documents": documents.map(ListedDocument.init)])
        var written = ListingJSON.encode(documents)
        let bytes = written.readBytes(length: written.readableBytes) ?? []
        #expect(String(decoding: bytes, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
        var empty = ListingJSON.encode([])
        #expect(empty.readString(length: empty.readableBytes) == String(decoding: try HTTPAnswer.encoder().encode(
            ["documents": [ListedDocument]()]), as: UTF8.self))
    }
}
