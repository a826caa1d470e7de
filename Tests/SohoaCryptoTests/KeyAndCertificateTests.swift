import Foundation
import SohoaCrypto
import SohoaTestSupport
import Testing

@Suite struct KeyAndCertificateTests {
    let password = "sohoa-test"

    func cert(_ name: String) -> String { Fixtures.certs.appendingPathComponent(name).path }

    @Test func officerPKCS12Opens() throws {
        let identity = try PKCS12.load(path: cert("officer.p12"), password: password)
        #expect(identity.certificate.subject.contains("TEST ONLY"))
        #expect(identity.certificate.subject.contains("officer"))
        #expect(identity.certificate.subject.contains("Nguyễn"), "UTF-8 names print as UTF-8")
        #expect(identity.privateKey.keyDescription == KeyDescription(algorithm: .rsa, bits: 2048))
        #expect(identity.privateKey.matches(identity.certificate))
        #expect(identity.chain.count == 2)
        #expect(identity.chain.contains { $0.subject.contains("Root CA") })
    }

    @Test func ecdsaPKCS12Opens() throws {
        let identity = try PKCS12.load(path: cert("officer-ecdsa.p12"), password: password)
        #expect(identity.privateKey.keyDescription.description == "ECDSA P-256")
    }

    @Test func wrongPasswordIsSaidPlainlyAndNeverEchoed() {
        let secret = "Mật-khẩu-sai-123"
        let error = #expect(throws: KeyLoadingError.self) { try PKCS12.load(path: cert("officer.p12"), password: secret) }
        #expect(error == .wrongPassword(file: cert("officer.p12")))
        #expect(error?.description.contains("the password is wrong") == true)
        #expect(error?.description.contains(secret) == false)
    }

    @Test func garbageIsNotAPKCS12File() {
        let error = #expect(throws: KeyLoadingError.self) {
            try PKCS12.load(bytes: Array("not a key".utf8), name: "junk.p12", password: password)
        }
        guard case .malformed(let file, let underlying)? = error else {
            Issue.record("expected malformed, got \(String(describing: error))")
            return
        }
        #expect(file == "junk.p12")
        #expect(!underlying.reasons.isEmpty, "OpenSSL's reasons are drained into the error")
    }

    @Test func missingKeyFileIsUnreadable() {
        let error = #expect(throws: KeyLoadingError.self) { try PKCS12.load(path: "/nonexistent/key.p12", password: password) }
        #expect(error == .unreadable(file: "/nonexistent/key.p12", reason: "no such file"))
    }

    @Test func privateKeyNeverPrintsItsMaterial() throws {
        let identity = try PKCS12.load(path: cert("officer.p12"), password: password)
        #expect(identity.privateKey.description == "private key (RSA-2048, not shown)")
    }

    @Test func chainFileHoldsIssuingCAThenRoot() throws {
        let chain = try Certificate.load(fileAt: cert("chain.pem"))
        #expect(chain.count == 2)
        #expect(chain[0].subject.contains("Issuing CA"))
        #expect(chain[1].subject == chain[1].issuer, "the root is self-issued")
        #expect(chain[0].issuer == chain[1].subject)
    }

    @Test func validityDatesAreRead() throws {
        let expired = try #require(try Certificate.load(fileAt: cert("expired-signer.pem")).first)
        let notAfter = try #require(expired.notAfter)
        #expect(notAfter < Date())
        let officer = try #require(try Certificate.load(fileAt: cert("officer.pem")).first)
        #expect(try #require(officer.notAfter) > Date())
        #expect(!officer.serialNumberHex.isEmpty)
    }

    @Test func derCertificateLoads() throws {
        let pem = try #require(try Certificate.load(fileAt: cert("officer.pem")).first)
        let der = try #require(try Certificate.load(pemOrDER: pem.derBytes, name: "officer.der").first)
        #expect(der.subject == pem.subject)
    }

    @Test func garbageCertificateDrainsOpenSSLsReasons() {
        let error = #expect(throws: OpenSSLError.self) { try Certificate(der: [0x30, 0x03, 0x01, 0x02], name: "broken.der") }
        #expect(error?.operation == "reading the certificate broken.der")
        #expect(error?.reasons.isEmpty == false)
    }

    @Test func pemWithoutCertificatesIsRefused() {
        let text = Array("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n".utf8)
        #expect(throws: OpenSSLError.self) { try Certificate.load(pemOrDER: text, name: "bad.pem") }
    }
}
