import SohoaVerification
import Testing

@Suite struct VerdictTests {
    @Test func fileWithoutSignaturesIsUnsigned() {
        #expect(Verdict.forFile(signatures: []) == .unsigned)
    }

    @Test func oneInvalidSignatureMakesTheFileInvalid() {
        #expect(Verdict.forFile(signatures: [.valid, .invalid, .indeterminate]) == .invalid)
    }

    @Test func validOnlyWhenEverySignatureIsValid() {
        #expect(Verdict.forFile(signatures: [.valid, .valid]) == .valid)
        #expect(Verdict.forFile(signatures: [.valid, .indeterminate]) == .indeterminate)
    }

    @Test func exitCodesFollowTheContract() {
        #expect(VerifyExitCode.forFiles([.valid, .valid]).rawValue == 0)
        #expect(VerifyExitCode.forFiles([.valid, .invalid, .unsigned]).rawValue == 1)
        #expect(VerifyExitCode.forFiles([.valid, .indeterminate]).rawValue == 2)
        #expect(VerifyExitCode.forFiles([.valid, .unsigned]).rawValue == 2)
        #expect(VerifyExitCode.forFiles([]).rawValue == 2, "nothing verified is not 'all valid'")
        #expect(VerifyExitCode.usageOrUnreadable.rawValue == 3)
    }

    @Test func verdictNamesAreTheContractsJSONValues() {
        #expect(Verdict.allCases.map(\.rawValue) == ["valid", "invalid", "indeterminate", "unsigned"])
    }
}
