import Foundation
import SohoaCrypto
import SohoaTestSupport
import Testing

/// Everything that logs in to the SoftHSM2 token runs one test at a time: PKCS#11 login state
/// is shared by all sessions of the process, so a parallel test's login would hide a wrong PIN.
@Suite(.serialized) enum TokenSuites {}

extension TokenSuites {
    @Suite struct PKCS11Tests {
        @Test func tokenIsFoundByLabel() throws {
            let module = try PKCS11Module.load(path: try SoftHSMToken.prepared.get())
            let token = try module.token(labelled: SoftHSMToken.label)
            #expect(token.label == SoftHSMToken.label)
            #expect(token.manufacturer.contains("SoftHSM"))
            #expect(token.loginRequired)
        }

        @Test func sameModuleIsSharedNotInitialisedTwice() throws {
            let path = try SoftHSMToken.prepared.get()
            #expect(try PKCS11Module.load(path: path) === PKCS11Module.load(path: path))
        }

        @Test func rightPINLogsIn() throws {
            let module = try PKCS11Module.load(path: try SoftHSMToken.prepared.get())
            let session = try module.openSession(tokenLabel: SoftHSMToken.label)
            try session.login(pin: SoftHSMToken.pin)
            try session.login(pin: SoftHSMToken.pin)  // already logged in counts as success
            try session.logout()
        }

        @Test func wrongPINIsSaidPlainlyAndNeverEchoed() throws {
            let module = try PKCS11Module.load(path: try SoftHSMToken.prepared.get())
            let session = try module.openSession(tokenLabel: SoftHSMToken.label)
            let wrong = "000000"
            let error = #expect(throws: PKCS11Error.self) { try session.login(pin: wrong) }
            #expect(error?.codeName == "CKR_PIN_INCORRECT")
            #expect(error?.description.contains("the PIN is wrong") == true)
            #expect(error?.description.contains(wrong) == false)
        }

        @Test func unknownLabelListsTheTokensPresent() throws {
            let module = try PKCS11Module.load(path: try SoftHSMToken.prepared.get())
            let error = #expect(throws: PKCS11Error.self) { try module.openSession(tokenLabel: "no-such-token") }
            #expect(error?.description.contains("no token labelled \"no-such-token\"") == true)
            #expect(error?.description.contains(SoftHSMToken.label) == true)
        }

        @Test func missingModuleIsNamed() {
            let error = #expect(throws: PKCS11Error.self) { try PKCS11Module.load(path: "/nonexistent/libtoken.so") }
            #expect(error?.description == "/nonexistent/libtoken.so: the PKCS#11 module file does not exist")
        }

        @Test func libraryThatIsNotAPKCS11ModuleIsRefused() throws {
            let library = try #require(Run.firstExisting([
                "/usr/lib/x86_64-linux-gnu/libz.so.1", "/lib/x86_64-linux-gnu/libz.so.1",
                "/usr/lib/aarch64-linux-gnu/libz.so.1",
            ]))
            let error = #expect(throws: PKCS11Error.self) { try PKCS11Module.load(path: library) }
            #expect(error?.description.contains("not a PKCS#11 module") == true)
        }
    }
}
