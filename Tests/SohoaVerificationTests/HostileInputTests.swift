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
        #expect(report.verdict == .invalid && !report.problems.isEmpty, "a PDF header with nothing readable behind it")
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
