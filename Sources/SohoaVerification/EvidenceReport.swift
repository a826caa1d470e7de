import Foundation
import SohoaCrypto

/// The certificate a signature or time-stamp was checked with, as the report records it.
public struct CertificateUsed: Sendable, Codable, Equatable {
    public let subject: String
    public let issuer: String
    public let serialNumber: String
    /// SHA-256 of the certificate (DER), hexadecimal.
    public let sha256: String
    public let notBefore: String?
    public let notAfter: String?

    init(_ certificate: Certificate) {
        subject = certificate.subject
        issuer = certificate.issuer
        serialNumber = certificate.serialNumberHex
        sha256 = Hex.string(certificate.sha256Fingerprint)
        notBefore = certificate.notBefore.map(Report.timestamp)
        notAfter = certificate.notAfter.map(Report.timestamp)
    }
}

/// One revocation list or OCSP answer a certificate's status was read from.
public struct RevocationDataUsed: Sendable, Codable, Equatable {
    /// The certificate whose status it gave.
    public let certificate: String
    /// "crl" or "ocsp".
    public let kind: String
    /// When it was issued (ISO 8601).
    public let issued: String
    public let nextUpdate: String?
    /// "document" (carried by the signature or the DSS) or "fetched" (during the verification).
    public let source: String

    init(_ evidence: RevocationEvidence) {
        certificate = evidence.certificate
        kind = evidence.kind.rawValue
        issued = Report.timestamp(evidence.issued)
        nextUpdate = evidence.nextUpdate.map(Report.timestamp)
        source = evidence.source.rawValue
    }
}

/// When the signature (or time-stamp) is known to have existed, and what proves it.
public struct ExistenceReport: Sendable, Codable, Equatable {
    public let time: String
    /// "signature-timestamp" (its own time-stamp), "document-timestamp" (a later one, named by
    /// `field`) or "itself" (a document time-stamp's own time).
    public let provenBy: String
    public let field: String?

    init(_ time: Date, provenBy: String, field: String? = nil) {
        self.time = Report.timestamp(time)
        self.provenBy = provenBy
        self.field = field
    }
}
