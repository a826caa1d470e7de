import FuzzSupport
import SohoaCrypto

// Fuzzes the readers of RFC 3161 structures: `TimeStampCheck` on a token (as the verifier
// checks a signature or document time-stamp), and `TimeStampToken` and `TimeStampResponse`
// (as the signer reads what a TSA sent back). Seeds: tokens and responses from the local TSA
// over `value` below, with and without the TSA certificate, and rejections.

/// The value every seed token is over (Fuzz/make-corpus.sh time-stamps the same bytes).
private let value = Array("sohoa fuzz: the value the seed time-stamps are over\n".utf8)
/// The test TSA's certificate, for tokens that do not carry it.
private let authority = TestPKI.certificate("tsa.pem")

/// One input: checked as a token over `value`, then parsed as a token and as a response.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = FuzzDriver.bytes(start, count)
    let check = TimeStampCheck(token: bytes, over: value)
    if check.info != nil {
        let supplied = TimeStampCheck(token: bytes, over: value, extraCertificates: [authority])
        // Never valid when it is not: an intact token over the value verifies and matches.
        for result in [check, supplied] where result.problem == nil {
            precondition(result.signatureVerifies && result.imprintMatches, "a time-stamp passed without verifying")
        }
    }
    _ = try? TimeStampToken(der: bytes)
    _ = try? TimeStampResponse(der: bytes)
    return 0
}

/// The process entry point (see `FuzzDriver`).
@_cdecl("fuzz_timestamp_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    _ = authority
    return FuzzDriver.run(argc, argv, fuzz)
}
