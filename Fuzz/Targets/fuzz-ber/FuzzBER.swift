import FuzzSupport
import SohoaCrypto

// Fuzzes `BERElement.length`, the measure taken of a signature's /Contents before OpenSSL
// sees it (definite and indefinite lengths, nested), and checks its promise: a length, when
// there is one, lies within the input. Seeds: Fuzz/Corpus/fuzz-ber and the CMS structures of
// Fuzz/Corpus/fuzz-cms.

/// One input: measured both ways the library offers.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = FuzzDriver.bytes(start, count)
    if let length = BERElement.length(bytes) {
        precondition(length >= 2 && length <= bytes.count, "BERElement.length \(length) for \(bytes.count) bytes")
    }
    if let length = CMSSignatureInspection.derLength(bytes) {
        precondition(bytes.first == 0x30 && length >= 2 && length <= bytes.count,
                     "CMSSignatureInspection.derLength \(length) for \(bytes.count) bytes")
    }
    return 0
}

/// The process entry point (see `FuzzDriver`).
@_cdecl("fuzz_ber_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzz)
}
