import Foundation
import FuzzSupport
import SohoaCrypto

// Fuzzes the time-stamp authority's request handling, `TimeStampAuthority.respond(to:)`, the
// bytes `sohoa tsa serve` passes on from any client, and checks its promise: every request,
// however malformed, gets a TimeStampResp (granted or rejected), never nothing. Seeds:
// requests from `openssl ts -query` (SHA-256/384/512 and SHA-1, with and without nonce,
// certificate request and policy).

/// The test TSA, with its serial numbers in a scratch file.
private let authority: TimeStampAuthority = {
    let serials = ScratchFile(suffix: ".serial")
    do {
        return try TimeStampAuthority(.init(certificatePath: TestPKI.path("tsa.pem"), keyPath: TestPKI.path("tsa.key.pem"),
                                            chainPath: TestPKI.path("tsa-chain.pem"), serialFile: serials.path))
    } catch {
        fatalError("the test time-stamp authority cannot start: \(error)")
    }
}()

/// One input: answered as a request, and the answer read back as the requester would.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let answer = authority.respond(to: FuzzDriver.bytes(start, count))
    precondition(!answer.isEmpty, "the authority sent an empty answer")
    precondition((try? TimeStampResponse(der: answer)) != nil, "the authority's answer is not a TimeStampResp")
    return 0
}

/// The process entry point (see `FuzzDriver`).
@_cdecl("fuzz_tsa_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    _ = authority
    return FuzzDriver.run(argc, argv, fuzz)
}
