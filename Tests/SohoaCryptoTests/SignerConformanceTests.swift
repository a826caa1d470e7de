import Foundation
import SohoaCrypto
import SohoaTestSupport
import Testing

/// One suite for every `Signer`: PKCS#12 keys in memory and keys inside a SoftHSM2 token,
/// RSA and ECDSA, each signature checked by `openssl dgst -verify` against the certificate.
extension TokenSuites {
    @Suite struct SignerConformanceTests {
        enum Kind: String, CaseIterable, Sendable {
            case pkcs12RSA, pkcs12ECDSA, pkcs11RSA, pkcs11ECDSA
        }

        static func signer(_ kind: Kind) throws -> any Signer {
            let certs = Fixtures.certs
            switch kind {
            case .pkcs12RSA:
                return PKCS12Signer(identity: try PKCS12.load(path: certs.appendingPathComponent("officer.p12").path,
                                                              password: "sohoa-test"))
            case .pkcs12ECDSA:
                return PKCS12Signer(identity: try PKCS12.load(path: certs.appendingPathComponent("officer-ecdsa.p12").path,
                                                              password: "sohoa-test"))
            case .pkcs11RSA, .pkcs11ECDSA:
                let module = try PKCS11Module.load(path: try SoftHSMToken.prepared.get())
                return try PKCS11Signer(module: module, tokenLabel: SoftHSMToken.label, pin: SoftHSMToken.pin,
                                        keyLabel: kind == .pkcs11RSA ? "officer" : "officer-ecdsa",
                                        chain: try Certificate.load(fileAt: certs.appendingPathComponent("chain.pem").path))
            }
        }

        static func expectedCertificate(_ kind: Kind) -> String {
            kind == .pkcs12RSA || kind == .pkcs11RSA ? "officer.pem" : "officer-ecdsa.pem"
        }

        @Test(arguments: Kind.allCases)
        func signatureVerifiesWithTheCertificatesKey(kind: Kind) throws {
            let signer = try Self.signer(kind)
            let expected = try #require(try Certificate.load(fileAt: Fixtures.certs.appendingPathComponent(
                Self.expectedCertificate(kind)).path).first)
            #expect(signer.certificate.derBytes == expected.derBytes, "the signer presents its own certificate")
            let scratch = try Fixtures.makeScratch("signer")
            defer { Fixtures.removeScratch(scratch) }
            let message = Array("signed attributes of hồ sơ \(kind)".utf8)
            let dataPath = try Fixtures.write(message, named: "message.bin", in: scratch)
            let signaturePath = try Fixtures.write(try signer.sign(message), named: "signature.bin", in: scratch)
            let publicKey = scratch.appendingPathComponent("public.pem").path
            let extracted = try Tools.run("openssl", ["x509", "-in", Fixtures.certs.appendingPathComponent(
                Self.expectedCertificate(kind)).path, "-pubkey", "-noout", "-out", publicKey])
            #expect(extracted.status == 0)
            let verified = try Tools.run("openssl", ["dgst", "-sha256", "-verify", publicKey, "-signature", signaturePath, dataPath])
            #expect(verified.stdout.contains("Verified OK"), "\(verified.stdout) \(verified.stderr)")
            let tampered = try Fixtures.write(message + [0x20], named: "tampered.bin", in: scratch)
            let refused = try Tools.run("openssl", ["dgst", "-sha256", "-verify", publicKey, "-signature", signaturePath, tampered])
            #expect(!refused.stdout.contains("Verified OK"))
        }

        @Test func tokenSignerTakesOnlyIssuersFromTheTokenAsItsChain() throws {
            let module = try PKCS11Module.load(path: try SoftHSMToken.prepared.get())
            let signer = try PKCS11Signer(module: module, tokenLabel: SoftHSMToken.label, pin: SoftHSMToken.pin,
                                          keyLabel: "officer")
            // The token holds the two officers' certificates, neither of which issued the other.
            #expect(signer.chain.isEmpty)
            let given = try Self.signer(.pkcs11RSA)
            #expect(given.chain.map(\.subject) == (try Certificate.load(fileAt: Fixtures.certs
                .appendingPathComponent("chain.pem").path)).map(\.subject))
        }

        @Test func wrongPINIsRefusedWithoutEchoingIt() throws {
            let module = try PKCS11Module.load(path: try SoftHSMToken.prepared.get())
            let error = #expect(throws: SigningError.self) {
                try PKCS11Signer(module: module, tokenLabel: SoftHSMToken.label, pin: "999999", keyLabel: "officer")
            }
            #expect(error?.description.contains("the PIN is wrong") == true)
            #expect(error?.description.contains("999999") == false)
        }

        @Test func missingKeyIsNamed() throws {
            let module = try PKCS11Module.load(path: try SoftHSMToken.prepared.get())
            let error = #expect(throws: SigningError.self) {
                try PKCS11Signer(module: module, tokenLabel: SoftHSMToken.label, pin: SoftHSMToken.pin, keyLabel: "nobody")
            }
            #expect(error?.description.contains("no private key labelled \"nobody\"") == true)
        }

        @Test func severalKeysWithoutALabelAskForOne() throws {
            let module = try PKCS11Module.load(path: try SoftHSMToken.prepared.get())
            let error = #expect(throws: SigningError.self) {
                try PKCS11Signer(module: module, tokenLabel: SoftHSMToken.label, pin: SoftHSMToken.pin)
            }
            #expect(error?.description.contains("--key-label") == true)
        }
    }

}

@Suite struct SigningCertificatePolicyTests {
    func certificate(_ name: String) throws -> Certificate {
        try #require(try Certificate.load(fileAt: Fixtures.certs.appendingPathComponent(name).path).first)
    }

    @Test(arguments: ["officer.pem", "approver.pem", "officer-ecdsa.pem"])
    func goodSignersPass(name: String) throws {
        #expect(SigningCertificatePolicy().problems(with: try certificate(name)).isEmpty)
    }

    @Test(arguments: [
        ("expired-signer.pem", "expired on 2024-01-01"),
        ("weak-signer.pem", "at least RSA-2048"),
        ("no-signing-usage.pem", "does not allow signing"),
    ])
    func unusableSignersAreRefusedWithTheReason(name: String, reason: String) throws {
        let problems = SigningCertificatePolicy().problems(with: try certificate(name))
        #expect(problems.contains { $0.contains(reason) }, "\(problems)")
    }

    @Test func notYetValidIsRefused() throws {
        let early = Date(timeIntervalSince1970: 1_600_000_000)  // 2020, before the officer's 2025 start
        #expect(SigningCertificatePolicy().problems(with: try certificate("officer.pem"), at: early)
            .contains { $0.contains("not valid before 2025-01-01") })
    }
}
