import SohoaRepository
import Testing

/// Every refusal of a citizen folder or a case folder says its detail in Vietnamese too (the
/// reason files quote it in their Vietnamese part), and the English stays as it was.
@Suite struct IdentifierWordsTests {
    static let owners = ["12345", "0314409059", "0314409058-000", "001085-012345", "00108501234567890", "abc"]
    static let cases = ["hososai", "000.00.01.h26-251124-0001", "000.00.01.H26-2511-0001", "000.00.01.H26-259924-0001",
                        "000.00.01.H26-251124-0000", String(repeating: "1", count: 65)]

    func refusal(_ make: () throws(IdentifierError) -> Void) -> IdentifierError? {
        do { try make() } catch { return error }
        return nil
    }

    @Test(arguments: owners)
    func ownerRefusalsSpeakVietnamese(text: String) throws {
        let error = try #require(refusal { () throws(IdentifierError) in _ = try OwnerID(text) })
        let vietnamese = try #require(error.vietnameseReason, "\(error)")
        #expect(!vietnamese.isEmpty && vietnamese != error.reason)
        #expect(error.vietnameseDescription.contains("không phải là số định danh công dân hoặc mã số thuế tổ chức hợp lệ"))
        #expect(error.description.hasPrefix("\"\(text.prefix(64))"), "the English is unchanged: \(error)")
    }

    @Test(arguments: cases)
    func caseRefusalsSpeakVietnamese(text: String) throws {
        let error = try #require(refusal { () throws(IdentifierError) in _ = try DossierCode(text) })
        let vietnamese = try #require(error.vietnameseReason, "\(error)")
        #expect(!vietnamese.isEmpty && vietnamese != error.reason)
        #expect(error.vietnameseDescription.contains("không phải là mã hồ sơ hợp lệ"))
        for english in [" is ", " the ", " must ", " like "] {
            #expect(!vietnamese.contains(english), "\(vietnamese)")
        }
    }

    @Test func theDigitCountIsInBoth() throws {
        let error = try #require(refusal { () throws(IdentifierError) in _ = try OwnerID("12345") })
        #expect(error.reason.contains("it has 5 digits") && error.vietnameseReason?.contains("có 5 chữ số") == true)
    }
}
