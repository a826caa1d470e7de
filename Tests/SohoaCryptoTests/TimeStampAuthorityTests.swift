import Foundation
@testable import SohoaCrypto
import SohoaTestSupport
import Testing

/// The time-stamp authority, checked against OpenSSL's own `ts` command.
@Suite final class TimeStampAuthorityTests {
    let scratch: URL
    func cert(_ name: String) -> String { Fixtures.certs.appendingPathComponent(name).path }

    init() throws {
        scratch = try Fixtures.makeScratch("tsa")
    }

    deinit { Fixtures.removeScratch(scratch) }

    func configuration(serialFile: String? = nil) -> TimeStampAuthority.Configuration {
        TimeStampAuthority.Configuration(certificatePath: cert("tsa.pem"), keyPath: cert("tsa.key.pem"),
                                         chainPath: cert("tsa-chain.pem"),
                                         serialFile: serialFile ?? scratch.appendingPathComponent("serial").path)
    }

    /// A TimeStampReq made by `openssl ts -query` over `data`.
    func query(_ data: String, options: [String] = ["-sha256", "-cert"]) throws -> (request: [UInt8], dataPath: String) {
        let dataPath = try Fixtures.write(Array(data.utf8), named: "data-\(UUID().uuidString.prefix(6)).txt", in: scratch)
        let queryPath = dataPath + ".tsq"
        let made = try Tools.run("openssl", ["ts", "-query", "-data", dataPath] + options + ["-out", queryPath])
        #expect(made.status == 0, "\(made.stderr)")
        return (try Fixtures.read(queryPath), dataPath)
    }

    @Test func opensslVerifiesTheToken() throws {
        let authority = try TimeStampAuthority(configuration())
        let (request, dataPath) = try query("Hồ sơ 000.00.01.H26-251124-0001")
        let replyPath = try Fixtures.write(authority.respond(to: request), named: "reply.tsr", in: scratch)
        let verified = try Tools.run("openssl", ["ts", "-verify", "-data", dataPath, "-in", replyPath,
                                                 "-CAfile", cert("root-ca.pem"), "-untrusted", cert("issuing-ca.pem")])
        #expect(verified.stdout.contains("Verification: OK"), "\(verified.stdout) \(verified.stderr)")
        let response = try TimeStampResponse(der: try Fixtures.read(replyPath))
        #expect(response.isGranted)
        #expect(response.policyOID == TimeStampAuthority.Configuration.defaultPolicyOID)
        #expect(abs((response.time ?? .distantPast).timeIntervalSinceNow) < 60)
        let digest = SHA256.digest(Data("Hồ sơ 000.00.01.H26-251124-0001".utf8))
        #expect(response.messageImprint == digest)
    }

    /// The time a signer reports is read from the token's DER without OpenSSL's full parse: it
    /// is the time OpenSSL reads, and anything not shaped as a token gives no time.
    @Test func theTokensTimeReadFromItsDERIsOpenSSLs() throws {
        let authority = try TimeStampAuthority(configuration())
        for text in ["một", "hai", "ba"] {
            let response = try TimeStampResponse(der: authority.respond(to: try query(text).request))
            let token = try #require(response.tokenDER)
            let time = try #require(TimeStampToken.generationTime(der: token))
            #expect(time == (try TimeStampToken(der: token)).info.time)
            #expect(abs(time.timeIntervalSinceNow) < 60)
            for cut in [0, 1, token.count / 2, token.count - 1] {
                #expect(TimeStampToken.generationTime(der: Array(token.prefix(cut))) == nil)
            }
        }
        #expect(TimeStampToken.generationTime(der: [0x30, 0x03, 0x02, 0x01, 0x01]) == nil)
        #expect(TimeStampToken.generalizedTime(Array("20261206010203Z".utf8))
                == Date(timeIntervalSince1970: 1_796_518_923))
        #expect(TimeStampToken.generalizedTime(Array("20261206010203.25Z".utf8))
                == Date(timeIntervalSince1970: 1_796_518_923), "to the second")
        for bad in ["2026120601020Z", "20261306010203Z", "20261206010203", "2026120601020AZ", "20261206010203.Z"] {
            #expect(TimeStampToken.generalizedTime(Array(bad.utf8)) == nil, "\(bad)")
        }
    }

    /// A hasher's copy goes on from the same state: a file's prefix hashed once serves two digests.
    @Test func aHashersCopyGoesOnFromTheSameState() {
        var first = SHA256Hasher()
        first.update(Data("Giấy khai sinh ".utf8))
        var second = first.copy()
        first.update(Data("bản chính".utf8))
        second.update(Data("bản sao".utf8))
        #expect(first.finish() == SHA256.digest(Data("Giấy khai sinh bản chính".utf8)))
        #expect(second.finish() == SHA256.digest(Data("Giấy khai sinh bản sao".utf8)))
    }

    @Test func nonceIsEchoedAndTheCertificateIncludedOnlyWhenAsked() throws {
        let authority = try TimeStampAuthority(configuration())
        let (withCert, _) = try query("a", options: ["-sha256", "-cert"])
        let (withoutCert, _) = try query("b", options: ["-sha256"])
        let queryText = try Tools.run("openssl", ["ts", "-query", "-in",
                                                  try Fixtures.write(withCert, named: "q.tsq", in: scratch), "-text"]).stdout
        let nonce = queryText.split(separator: "\n").first { $0.hasPrefix("Nonce:") }?
            .replacingOccurrences(of: "Nonce: 0x", with: "")
        let response = try TimeStampResponse(der: authority.respond(to: withCert))
        #expect(response.nonceHex != nil && response.nonceHex == nonce)
        let tsaDER = try #require(try Certificate.load(fileAt: cert("tsa.pem")).first).derBytes
        #expect(authority.respond(to: withCert).contains(subsequence: tsaDER))
        #expect(!authority.respond(to: withoutCert).contains(subsequence: tsaDER))
    }

    @Test func serialNumbersAreUniqueAndSurviveARestart() throws {
        let serialFile = scratch.appendingPathComponent("restart").path
        var seen = Set<String>()
        var last: UInt64 = 0
        do {
            let authority = try TimeStampAuthority(configuration(serialFile: serialFile))
            let (request, _) = try query("x")
            for _ in 0..<300 {
                let serial = try #require(try TimeStampResponse(der: authority.respond(to: request)).serialNumberHex)
                #expect(seen.insert(serial).inserted, "serial \(serial) issued twice")
                last = max(last, UInt64(serial, radix: 16) ?? 0)
            }
        }
        let restarted = try TimeStampAuthority(configuration(serialFile: serialFile))
        let (request, _) = try query("y")
        let serial = try #require(try TimeStampResponse(der: restarted.respond(to: request)).serialNumberHex)
        #expect((UInt64(serial, radix: 16) ?? 0) > last, "after a restart serials continue above \(last)")
    }

    @Test func twoAuthoritiesCannotShareASerialFile() throws {
        let serialFile = scratch.appendingPathComponent("shared").path
        let first = try TimeStampAuthority(configuration(serialFile: serialFile))
        let error = #expect(throws: TimeStampAuthority.SetupError.self) {
            try TimeStampAuthority(configuration(serialFile: serialFile))
        }
        #expect(error?.description.contains("another time-stamp authority") == true)
        _ = first
    }

    @Test(arguments: [[UInt8](), Array("not a request".utf8), [0x30, 0x03, 0x02, 0x01, 0x01], [UInt8](repeating: 0x30, count: 5000)])
    func malformedRequestsAreRejectedNotCrashed(request: [UInt8]) throws {
        let authority = try TimeStampAuthority(configuration())
        let response = try TimeStampResponse(der: authority.respond(to: request))
        #expect(response.status == 2, "rejection")
        #expect(response.serialNumberHex == nil)
    }

    /// RFC 3161 requests are DER: one TimeStampReq and nothing after it. A valid request with
    /// bytes after its end is rejected as badDataFormat, as OpenSSL rejects any malformed
    /// request, instead of being time-stamped.
    @Test func requestWithBytesAfterItsEndIsRejected() throws {
        let authority = try TimeStampAuthority(configuration())
        let (request, _) = try query("Hồ sơ 000.00.01.H26-251124-0001")
        #expect(try TimeStampResponse(der: authority.respond(to: request)).isGranted, "the request alone is granted")
        let malformed = try TimeStampResponse(der: authority.respond(to: [0x30, 0x03, 0x02, 0x01, 0x01]))  // OpenSSL's answer
        #expect(malformed.status == 2 && malformed.failureInfo == .badDataFormat)
        for trailer in [[0x00], Array("junk".utf8), [0x30, 0x00], request] as [[UInt8]] {
            let response = try TimeStampResponse(der: authority.respond(to: request + trailer))
            #expect(response.status == 2, "rejection with \(trailer.count) byte(s) after the request")
            #expect(response.failureInfo == malformed.failureInfo)
            #expect(response.tokenDER == nil && response.serialNumberHex == nil)
        }
    }

    @Test func unsupportedDigestIsRejected() throws {
        let authority = try TimeStampAuthority(configuration())
        let (request, _) = try query("md5", options: ["-md5"])
        #expect(try TimeStampResponse(der: authority.respond(to: request)).status == 2)
    }

    @Test func certificateWithoutTimeStampingUsageIsRefused() {
        var setup = configuration()
        setup.certificatePath = cert("officer.pem")
        setup.keyPath = cert("officer.key.pem")
        let error = #expect(throws: TimeStampAuthority.SetupError.self) { try TimeStampAuthority(setup) }
        #expect(error?.description.contains("timeStamping") == true)
    }

    @Test func keyThatDoesNotMatchTheCertificateIsRefused() {
        var setup = configuration()
        setup.keyPath = cert("officer.key.pem")
        let error = #expect(throws: TimeStampAuthority.SetupError.self) { try TimeStampAuthority(setup) }
        #expect(error?.description.contains("does not belong to the certificate") == true)
    }

    @Test func badPolicyIsRefused() {
        var setup = configuration()
        setup.policyOID = "not an oid"
        #expect(throws: TimeStampAuthority.SetupError.self) { try TimeStampAuthority(setup) }
    }
}

extension Array where Element == UInt8 {
    func contains(subsequence: [UInt8]) -> Bool {
        guard !subsequence.isEmpty, subsequence.count <= count else { return false }
        return (0...(count - subsequence.count)).contains { self[$0..<($0 + subsequence.count)].elementsEqual(subsequence) }
    }
}
