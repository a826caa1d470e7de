import Foundation
import SohoaCrypto
import SohoaPDF

/// The newest time-stamp a signed PDF carries — a signature's or a document time-stamp — which
/// is what keeps the document's evidence verifiable until its authority's certificate expires.
public struct NewestTimeStamp: Sendable {
    /// The time it proves.
    public let time: Date
    /// The authority's certificate (nil when the token does not carry it).
    public let authority: Certificate?
    /// Whether it is a document time-stamp (the document is then B-LTA).
    public let isDocumentTimeStamp: Bool
    /// The hash algorithm of its imprint, dotted.
    public let imprintAlgorithmOID: String?

    /// The hash algorithms a time-stamp's imprint may still use: SHA-256, SHA-384, SHA-512.
    static let trustedImprintAlgorithms: Set<String> = ["2.16.840.1.101.3.4.2.1", "2.16.840.1.101.3.4.2.2", "2.16.840.1.101.3.4.2.3"]

    /// When the authority's certificate expires (nil when unknown).
    public var authorityExpires: Date? { authority?.notAfter }

    /// Why the policy no longer trusts its algorithms (a weak imprint hash, a weak authority
    /// key); nil when it does.
    public var weakness: String? {
        if let oid = imprintAlgorithmOID, !Self.trustedImprintAlgorithms.contains(oid) {
            return "its imprint is hashed with \(oid), no longer trusted (SHA-256 or stronger is)"
        }
        if let authority, let problem = SigningCertificatePolicy().keyProblem(authority.publicKey) {
            return "its authority's key is no longer trusted: \(problem)"
        }
        return nil
    }

    /// The newest time-stamp of `document`; nil when it carries none.
    public static func find(in document: QPDFDocument) throws -> NewestTimeStamp? {
        var newest: NewestTimeStamp?
        for signature in try document.signatureDictionaries() {
            guard let token = signature.carried()?.token, let time = token.info.time else { continue }
            let isDocumentTimeStamp = signature.isDocumentTimeStamp
            // A document time-stamp made in the same second as the signature's time-stamp it follows is the newer.
            if let newest, time < newest.time || (time == newest.time && !isDocumentTimeStamp) { continue }
            newest = NewestTimeStamp(time: time, authority: token.signerCertificate,
                                     isDocumentTimeStamp: isDocumentTimeStamp, imprintAlgorithmOID: token.info.imprintAlgorithmOID)
        }
        return newest
    }
}

extension SignatureDictionary {
    /// What the field carries toward its own verification: a signature's CMS certificates and
    /// its time-stamp token (when one can be read), or a document time-stamp's token itself (no
    /// other certificates). Nil when the signature or the document time-stamp cannot be read.
    func carried() -> (certificates: [Certificate], token: TimeStampToken?)? {
        guard let contents else { return nil }
        if isDocumentTimeStamp {
            guard let length = CMSSignatureInspection.derLength(contents), length <= contents.count,
                  let token = try? TimeStampToken(der: Array(contents[..<length])) else { return nil }
            return ([], token)
        }
        guard let cms = try? CMSSignatureInspection(contents: contents) else { return nil }
        return (cms.certificates, cms.timeStampToken.flatMap { try? TimeStampToken(der: $0) })
    }
}

/// Why a signed document's evidence is due for renewal (`sohoa repo refresh`); nil from
/// `ArchiveRenewalDue.reason` when it is not.
public enum ArchiveRenewalDue: Sendable, Equatable, CustomStringConvertible {
    /// It has no document time-stamp yet (not B-LTA).
    case noDocumentTimeStamp
    /// Its newest time-stamp's authority certificate expires on that date, within the window.
    case expiresSoon(Date)
    /// Its newest time-stamp uses an algorithm the policy no longer trusts.
    case weakAlgorithm(String)

    /// Why `newest` (the document's newest time-stamp, nil for none) is due for renewal by
    /// `deadline`; nil when it is not.
    public static func reason(_ newest: NewestTimeStamp?, deadline: Date) -> ArchiveRenewalDue? {
        guard let newest, newest.isDocumentTimeStamp else { return .noDocumentTimeStamp }
        if let weakness = newest.weakness { return .weakAlgorithm(weakness) }
        if let expires = newest.authorityExpires, expires <= deadline { return .expiresSoon(expires) }
        return nil
    }

    public var description: String {
        switch self {
        case .noDocumentTimeStamp: "it has no document time-stamp yet"
        case .expiresSoon(let date): "its newest time-stamp's authority certificate expires on \(date.formatted(.iso8601))"
        case .weakAlgorithm(let why): "its newest time-stamp: \(why)"
        }
    }
}
