import Foundation
import SohoaCrypto
import SohoaTestSupport
import Testing

extension TokenSuites {
    /// CMS SignedData for PAdES, made with every kind of signer, checked by `openssl cms` and `openssl ts`.
    @Suite struct DetachedSignatureTests {
        typealias Kind = SignerConformanceTests.Kind
        func cert(_ name: String) -> String { Fixtures.certs.appendingPathComponent(name).path }

        @Test(arguments: Kind.allCases)
        func opensslVerifiesTheDetachedSignature(kind: Kind) throws {
            let scratch = try Fixtures.makeScratch("cms")
            defer { Fixtures.removeScratch(scratch) }
            let content = Array("%PDF-1.7 … the signed byte ranges of a document …".utf8)
            let contentPath = try Fixtures.write(content, named: "content.bin", in: scratch)
            let signer = try SignerConformanceTests.signer(kind)
            let der = try DetachedSignature.make(contentDigest: SHA256.digest(content), signer: signer)
            let signaturePath = try Fixtures.write(der, named: "signature.p7s", in: scratch)

            let verified = try Tools.run("openssl", ["cms", "-verify", "-binary", "-inform", "DER", "-in", signaturePath,
                                                     "-content", contentPath, "-CAfile", cert("root-ca.pem"),
                                                     "-purpose", "any", "-out", "/dev/null"])
            #expect(verified.status == 0 && verified.stderr.contains("Verification successful"), "\(verified.stderr)")
            let tampered = try Fixtures.write(content + [0x0A], named: "tampered.bin", in: scratch)
            let refused = try Tools.run("openssl", ["cms", "-verify", "-binary", "-inform", "DER", "-in", signaturePath,
                                                    "-content", tampered, "-CAfile", cert("root-ca.pem"),
                                                    "-purpose", "any", "-out", "/dev/null"])
            #expect(refused.status != 0, "a changed byte breaks the signature")

            let printed = try Tools.run("openssl", ["cms", "-cmsout", "-print", "-inform", "DER", "-in", signaturePath]).stdout
            #expect(printed.contains("id-smime-aa-signingCertificateV2"))
            #expect(printed.contains("pkcs9-messageDigest") || printed.contains("messageDigest"))
            #expect(!printed.contains("signingTime"), "PAdES baseline has no signingTime attribute")
            #expect(printed.contains("TEST ONLY Sohoa Issuing CA"), "the chain is included")
            #expect(printed.contains("eContent: <ABSENT>"), "detached")
        }

        @Test func timeStampTokenCoversTheSignatureValue() throws {
            let scratch = try Fixtures.makeScratch("cms-tst")
            defer { Fixtures.removeScratch(scratch) }
            let authority = try TimeStampAuthority(.init(certificatePath: cert("tsa.pem"), keyPath: cert("tsa.key.pem"),
                                                         chainPath: cert("tsa-chain.pem"),
                                                         serialFile: scratch.appendingPathComponent("serial").path))
            let signer = try SignerConformanceTests.signer(.pkcs12RSA)
            var signatureValue: [UInt8] = []
            var token: [UInt8] = []
            let der = try DetachedSignature.make(contentDigest: SHA256.digest(Array("content".utf8)), signer: signer) { value in
                signatureValue = value
                let valuePath = try Fixtures.write(value, named: "value.bin", in: scratch)
                let queryPath = valuePath + ".tsq"
                _ = try Tools.run("openssl", ["ts", "-query", "-data", valuePath, "-sha256", "-cert", "-out", queryPath])
                token = try #require(try TimeStampResponse(der: authority.respond(to: try Fixtures.read(queryPath))).tokenDER)
                return token
            }
            let signaturePath = try Fixtures.write(der, named: "signature.p7s", in: scratch)
            let printed = try Tools.run("openssl", ["cms", "-cmsout", "-print", "-inform", "DER", "-in", signaturePath]).stdout
            #expect(printed.contains("id-smime-aa-timeStampToken"))
            let tokenPath = try Fixtures.write(token, named: "token.der", in: scratch)
            let valuePath = try Fixtures.write(signatureValue, named: "value2.bin", in: scratch)
            let verified = try Tools.run("openssl", ["ts", "-verify", "-data", valuePath, "-in", tokenPath, "-token_in",
                                                     "-CAfile", cert("root-ca.pem"), "-untrusted", cert("issuing-ca.pem")])
            #expect(verified.stdout.contains("Verification: OK"), "\(verified.stdout) \(verified.stderr)")
            #expect(der.contains(subsequence: token), "the token is carried as it came")
        }

        @Test func digestOfTheWrongSizeIsRefused() throws {
            let signer = try SignerConformanceTests.signer(.pkcs12RSA)
            #expect(throws: SigningError.self) { try DetachedSignature.make(contentDigest: [1, 2, 3], signer: signer) }
        }
    }
}
