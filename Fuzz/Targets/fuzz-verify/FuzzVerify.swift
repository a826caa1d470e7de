import Foundation
import FuzzSupport
import SohoaCrypto
import SohoaVerification

// Fuzzes `sohoa verify`'s whole path on one file: the revision layout, qpdf's reading, the
// signature dictionaries, the changes after each signature, CMS, time-stamps, the DSS, the
// chain to the test root and the reports. Revocation is checked from what the file carries
// (no fetching). Seeds: tiny PDFs signed as B-B, B-T and B-LT, by one and two signers, and
// the CMS variants of Tests/Fixtures/cms_variants.py.

/// The verifier as `sohoa verify --trust Certs/root-ca.pem --offline --lang en` sets it up.
private let verifier = DocumentVerifier(
    policy: VerificationPolicy(anchors: TrustAnchors([TestPKI.certificate("root-ca.pem")]), fetcher: nil),
    language: .en)
private let scratch = ScratchFile(suffix: ".pdf")

/// One input: written to the scratch file, verified, and reported as text and as JSON.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    scratch.write(start, count)
    guard let report = try? verifier.verify(path: scratch.path) else { return 0 }
    _ = TextReport.render(report, .en)
    _ = try? JSONEncoder().encode(report)
    return 0
}

/// The process entry point (see `FuzzDriver`).
@_cdecl("fuzz_verify_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    _ = verifier
    return FuzzDriver.run(argc, argv, fuzz)
}
