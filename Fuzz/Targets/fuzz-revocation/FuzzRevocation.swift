import FuzzSupport
import SohoaCrypto

// Fuzzes the revocation readers: `OCSPResponse(der:name:)` and
// `CertificateRevocationList(pemOrDER:name:)`, then the questions the revocation checker asks
// them about the test PKI's certificates. Seeds: the test CA's CRLs (DER and PEM) and OCSP
// responses from its responder (good, revoked, unknown; signed by the delegated responder).

private let issuer = TestPKI.certificate("issuing-ca.pem")
private let root = TestPKI.certificate("root-ca.pem")
/// Certificates the seed lists and answers speak about (good and revoked).
private let subjects = ["officer-ocsp.pem", "revoked-ocsp-signer.pem", "officer.pem", "revoked-signer.pem", "issuing-ca.pem"]
    .map(TestPKI.certificate)

/// One input: parsed as an OCSP response and as a CRL, and asked about each subject.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = FuzzDriver.bytes(start, count)
    if let answer = try? OCSPResponse(der: bytes, name: "fuzz input") {
        _ = answer.certificates
        _ = answer.isSigned(onBehalfOf: issuer)
        for subject in subjects {
            _ = answer.status(of: subject, issuer: issuer)
        }
    }
    if let list = try? CertificateRevocationList(pemOrDER: bytes, name: "fuzz input") {
        _ = list.thisUpdate
        _ = list.nextUpdate
        _ = list.isIssued(by: issuer)
        _ = list.isIssued(by: root)
        for subject in subjects {
            _ = list.revocation(of: subject)?.reason
        }
    }
    return 0
}

/// The process entry point (see `FuzzDriver`).
@_cdecl("fuzz_revocation_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    _ = subjects
    return FuzzDriver.run(argc, argv, fuzz)
}
