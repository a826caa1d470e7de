import Foundation
import SohoaCrypto
import SohoaPDF
import SohoaSigning
import SohoaTestSupport
import SohoaVerification
import Testing

/// Hostile input never crashes or fools the verifier: every changed byte and every cut of a
/// signed document is caught, and files that are not PDFs are refused as unreadable.
@Suite struct HostileInputTests {
    let genuine: GenuineSignatureTests

    init() throws {
        genuine = try GenuineSignatureTests()
    }

    func verifier() -> DocumentVerifier {
        DocumentVerifier(policy: VerificationPolicy(anchors: genuine.anchors, fetcher: nil), language: .en)
    }

    @Test func noChangedByteAndNoCutLeavesTheSignatureValid() throws {
        let signed = try PAdESSigner(signer: try genuine.signer("officer.p12"))
            .sign(try genuine.unsignedPDF(), name: "u.pdf")
        var generator = SeededGenerator(seed: 2026_11_24)
        var checked = 0
        for round in 0..<240 {
            var damaged = signed
            if round % 6 == 5 {
                damaged.removeLast(Int.random(in: 1..<signed.count, using: &generator))
            } else {
                let offset = Int.random(in: 0..<signed.count, using: &generator)
                damaged[offset] = damaged[offset] &+ UInt8.random(in: 1...255, using: &generator)
            }
            let path = try Fixtures.write(damaged, named: "hostile-\(round).pdf", in: genuine.scratch)
            do {
                let report = try verifier().verify(path: path)
                #expect(report.verdict != .valid, "round \(round): a damaged file was called valid")
                checked += 1
            } catch {
                // Refused as unreadable (the header itself was hit): also not valid.
            }
        }
        #expect(checked > 200)
    }

    @Test func filesThatAreNotPDFsAreUnreadable() throws {
        for (name, bytes) in [("empty.pdf", [UInt8]()), ("text.pdf", Array("hello".utf8)),
                              ("zeros.pdf", [UInt8](repeating: 0, count: 4096))] {
            let path = try Fixtures.write(bytes, named: name, in: genuine.scratch)
            #expect(throws: UnreadableInput.self) { try verifier().verify(path: path) }
        }
        let header = try Fixtures.write(Array("%PDF-1.7\n%%EOF\n".utf8), named: "header-only.pdf", in: genuine.scratch)
        let report = try verifier().verify(path: header)
        // Nothing readable and no signature in its bytes: unsigned (exit 2), with the damage named.
        #expect(report.verdict == .unsigned && !report.problems.isEmpty, "a PDF header with nothing readable behind it")
    }
}

extension HostileInputTests {
    @Test func anUnsignedFileWhoseStructureIsDamagedIsUnsignedNotInvalid() throws {
        var bytes = try genuine.unsignedPDF()
        // startxref one byte off, as some producers write it: no signature claims anything.
        let text = String(decoding: bytes.suffix(64), as: UTF8.self)
        let number = try #require(text.firstMatch(of: #/startxref\s+(\d+)/#)).output.1
        let offset = bytes.count - 64 + text.utf8.distance(from: text.startIndex, to: number.startIndex)
        let damaged = String(Int(number)! + 1)
        #expect(damaged.utf8.count == number.utf8.count)
        bytes.replaceSubrange(offset..<(offset + number.utf8.count), with: Array(damaged.utf8))
        let report = try verifier().verify(path: try Fixtures.write(bytes, named: "off-by-one.pdf", in: genuine.scratch))
        #expect(report.verdict == .unsigned && !report.problems.isEmpty, "\(report.verdict) \(report.problems)")
    }

    @Test func anEncryptedFileIsUnreadableNotInvalid() throws {
        let plain = try Fixtures.write(try genuine.unsignedPDF(), named: "plain.pdf", in: genuine.scratch)
        let encrypted = genuine.scratch.appendingPathComponent("encrypted.pdf").path
        let made = try Tools.run("qpdf", ["--encrypt", "secret", "owner", "256", "--", plain, encrypted])
        #expect(made.status == 0, "\(made.stderr)")
        #expect {
            try verifier().verify(path: encrypted)
        } throws: { error in
            (error as? UnreadableInput)?.reason.contains("encrypted") == true
        }
    }
}

/// A small deterministic generator (SplitMix64), so a failure can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
