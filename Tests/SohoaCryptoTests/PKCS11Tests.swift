import Foundation
import SohoaCrypto
import SohoaTestSupport
import Testing

/// A SoftHSM2 token made for this test run, in its own folder with its own configuration.
enum SoftHSMToken {
    static let label = "sohoa-test-token"
    static let pin = "246810"
    static let securityOfficerPIN = "13579246"

    static let module = Run.firstExisting([
        "/usr/lib/softhsm/libsofthsm2.so",
        "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
        "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
    ])

    /// Creates the token once per process (SoftHSM2 reads SOFTHSM2_CONF when the module starts).
    static let prepared: Result<String, any Error> = Result {
        guard let module else { throw SetupError("SoftHSM2 is not installed (make deps installs softhsm2)") }
        let folder = try Fixtures.makeScratch("softhsm")
        let tokens = folder.appendingPathComponent("tokens")
        try FileManager.default.createDirectory(at: tokens, withIntermediateDirectories: true)
        let config = folder.appendingPathComponent("softhsm2.conf")
        try "directories.tokendir = \(tokens.path)\nobjectstore.backend = file\nlog.level = ERROR\n"
            .write(to: config, atomically: true, encoding: .utf8)
        setenv("SOFTHSM2_CONF", config.path, 1)
        let tool = try Run.firstExisting(["/usr/bin/softhsm2-util"]).orThrow("softhsm2-util is missing")
        let result = try Run.process(tool, ["--init-token", "--free", "--label", label,
                                            "--pin", pin, "--so-pin", securityOfficerPIN],
                                     environment: ["SOFTHSM2_CONF": config.path])
        guard result.status == 0 else { throw SetupError("softhsm2-util failed: \(result.stderr)") }
        // The officer's RSA key and the ECDSA officer's key, each with its certificate (same CKA_ID).
        let certs = Fixtures.certs
        for (label, id) in [("officer", "01"), ("officer-ecdsa", "02")] {
            let environment = ["SOFTHSM2_CONF": config.path]
            let key = try Run.process(tool, ["--import", certs.appendingPathComponent("\(label).key.pem").path,
                                             "--token", Self.label, "--label", label, "--id", id, "--pin", pin],
                                      environment: environment)
            guard key.status == 0 else { throw SetupError("importing the \(label) key failed: \(key.stderr)") }
            let der = folder.appendingPathComponent("\(label).der").path
            let converted = try Run.process("/usr/bin/openssl", ["x509", "-in", certs.appendingPathComponent("\(label).pem").path,
                                                                 "-outform", "DER", "-out", der])
            guard converted.status == 0 else { throw SetupError("openssl x509 failed: \(converted.stderr)") }
            let pkcs11Tool = try Run.firstExisting(["/usr/bin/pkcs11-tool"]).orThrow("pkcs11-tool (opensc) is missing")
            let written = try Run.process(pkcs11Tool, ["--module", module, "--token-label", Self.label, "--login",
                                                       "--pin", pin, "--write-object", der, "--type", "cert",
                                                       "--id", id, "--label", label], environment: environment)
            guard written.status == 0 else { throw SetupError("pkcs11-tool failed: \(written.stderr)") }
        }
        return module
    }

    struct SetupError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}

extension Optional {
    func orThrow(_ message: String) throws -> Wrapped {
        guard let self else { throw SoftHSMToken.SetupError(message) }
        return self
    }
}

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
