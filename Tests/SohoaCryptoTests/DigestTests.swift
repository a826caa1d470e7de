import Foundation
import SohoaCrypto
import SohoaTestSupport
import Testing

@Suite struct DigestTests {
    @Test func knownVectors() {
        #expect(SHA256.digest(Data()).hexString == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.digest(Data("abc".utf8)).hexString
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func streamingAFileGivesTheSameDigestAsOneBuffer() throws {
        let scratch = try Fixtures.makeScratch("digest")
        defer { Fixtures.removeScratch(scratch) }
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<(3 << 20) + 12_345).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let path = try Fixtures.write(bytes, named: "blob.bin", in: scratch)
        #expect(try SHA256.digest(fileAt: path) == SHA256.digest(bytes))
    }

    @Test func missingFileThrows() {
        #expect(throws: (any Error).self) { try SHA256.digest(fileAt: "/nonexistent/sohoa/file") }
    }
}
