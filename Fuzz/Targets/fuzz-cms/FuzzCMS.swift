import FuzzSupport
import SohoaCrypto

// Fuzzes what the verifier does with a signature's /Contents: `CMSSignatureInspection` (the
// SignedData, its signer infos, signed attributes, the signing-certificate reference, the
// Adobe revocation-information archive walked with Sohoa's DER reader), the signature value
// check, and the embedded time-stamp token. Seeds: CMS structures cut from signed PDFs
// (RSA and ECDSA, B-B, B-T, with a revocation archive, BER and other variants).

/// A content digest for `verifyValue` (no input signs it; the point is the code path).
private let contentDigest = [UInt8](repeating: 0x5A, count: 32)

/// One input: inspected as a PDF signature's /Contents, then its parts used as the verifier uses them.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = FuzzDriver.bytes(start, count)
    guard let inspection = try? CMSSignatureInspection(contents: bytes) else { return 0 }
    _ = inspection.verifyValue(contentDigest: contentDigest)
    _ = inspection.signerCertificate?.description
    for list in inspection.crls {
        _ = list.thisUpdate
        _ = list.nextUpdate
    }
    for answer in inspection.ocspResponses {
        _ = answer.certificates
    }
    if let token = inspection.timeStampToken {
        _ = TimeStampCheck(token: token, over: inspection.signatureValue, extraCertificates: inspection.certificates)
    }
    return 0
}

/// The process entry point (see `FuzzDriver`).
@_cdecl("fuzz_cms_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzz)
}
