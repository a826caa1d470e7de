import SohoaRepository
import Testing

@Suite struct OwnerIDTests {
    @Test(arguments: ["001085012345", "079190004567", "000000000000"])
    func twelveDigitsIsAPerson(text: String) throws {
        #expect(try OwnerID(text) == .person(text))
    }

    @Test(arguments: ["0314409058", "0100109106"])
    func tenDigitsWithTheRightCheckDigitIsAnOrganisation(text: String) throws {
        #expect(try OwnerID(text) == .organisation(taxCode: text, branch: nil))
    }

    @Test func branchSuffixIsKept() throws {
        let owner = try OwnerID("0314409058-002")
        #expect(owner == .organisation(taxCode: "0314409058", branch: "002"))
        #expect(owner.description == "0314409058-002")
        #expect(owner.isOrganisation)
    }

    @Test func wrongCheckDigitIsRefusedWithTheReason() {
        let error = #expect(throws: IdentifierError.self) { try OwnerID("0314409059") }
        #expect(error?.reason.contains("check digit") == true)
        #expect(error?.description.hasPrefix("\"0314409059\" is not a valid citizen or organisation id") == true)
    }

    @Test(arguments: [
        "", "12345", "0010850123456", "00108501234a", " 001085012345", "001085012345 ",
        "../001085012345", "001085012345/..", "..", ".", "/etc/passwd", "001085012345\0",
        "００１０８５０１２３４５",  // full-width digits
        "٠٠١٠٨٥٠١٢٣٤٥",  // Arabic-Indic digits
        "0314409058-", "0314409058-00", "0314409058-000", "0314409058-0021", "0314409058_002",
        "001085012345-001", "1e11", "-001085012345",
        "0314409058-002; DROP TABLE documents",
    ])
    func malformedOwnerIsRefused(text: String) {
        #expect(throws: IdentifierError.self) { try OwnerID(text) }
    }

    @Test func longInputIsCutInTheMessage() {
        let text = String(repeating: "9", count: 500)
        let error = #expect(throws: IdentifierError.self) { try OwnerID(text) }
        #expect((error?.description.count ?? 1000) < 250)
    }

    @Test func checkDigitMatchesTheWeightedSum() {
        // 0·31 + 3·29 + 1·23 + 4·19 + 4·17 + 0·13 + 9·7 + 0·5 + 5·3 = 332; 332 mod 11 = 2; 10 − 2 = 8.
        #expect(TaxCode.hasValidCheckDigit("0314409058"))
        for wrong in 0...9 where wrong != 8 {
            #expect(!TaxCode.hasValidCheckDigit("031440905\(wrong)"))
        }
    }
}

@Suite struct DossierCodeTests {
    @Test func receiptCodeParses() throws {
        let code = try DossierCode("000.00.01.H26-251124-0001")
        #expect(code.agency == "000.00.01.H26")
        #expect(code.year == 2025 && code.month == 11 && code.day == 24)
        #expect(code.sequence == 1)
        #expect(code.description == "000.00.01.H26-251124-0001")
    }

    @Test(arguments: ["H26-240229-9999", "000.00.03.H29-251120-0007", "A.B.C-000101-0010"])
    func validCodes(text: String) throws {
        #expect(try DossierCode(text).rawValue == text)
    }

    @Test(arguments: [
        "", "000.00.01.H26", "000.00.01.H26-251124", "000.00.01.H26-251124-1", "000.00.01.H26-251124-00001",
        "000.00.01.H26-251124-0000", "000.00.01.h26-251124-0001", "000..01.H26-251124-0001",
        ".000.00.01.H26-251124-0001", "000.00.01.H26.-251124-0001", "000.00.01.H26-251324-0001",
        "000.00.01.H26-250230-0001", "000.00.01.H26-230229-0001", "000.00.01.H26-2511240-0001",
        "../000.00.01.H26-251124-0001", "000.00.01.H26-251124-0001/..", "000/00.01.H26-251124-0001",
        "000.00.01.H26-251124-0001 ", "000.00.01.H26 -251124-0001", "000.00.01.H26-251124-0001-0002",
        "000.00.01.Ｈ26-251124-0001",
    ])
    func malformedCodesAreRefused(text: String) {
        #expect(throws: IdentifierError.self) { try DossierCode(text) }
    }

    @Test func refusalSaysWhatAValidCodeLooksLike() {
        let error = #expect(throws: IdentifierError.self) { try DossierCode("hồ-sơ-1") }
        #expect(error?.description.contains("000.00.01.H26-251124-0001") == true)
    }
}

/// The start of a document id, as people type it (issue 14: short ids).
@Suite struct DocumentIDPrefixTests {
    @Test(arguments: ["abcdef", "ABCDEF12", "0123456789abcdef0123456789abcdef"])
    func hexadecimalDigitsFromSixAreAccepted(text: String) throws {
        let prefix = try DocumentIDPrefix(text)
        #expect(prefix.rawValue == text.lowercased())
        #expect((prefix.fullID != nil) == (text.count == 32))
    }

    @Test(arguments: ["abcde", "", "abcdeg", "abcdef' OR 1=1 --", "abc%ef", "0123456789abcdef0123456789abcdef0", "ａｂｃｄｅｆ"])
    func anythingElseIsRefusedBeforeAQuery(text: String) {
        #expect(throws: IdentifierError.self) { try DocumentIDPrefix(text) }
    }
}
