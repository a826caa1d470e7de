import Foundation
import SohoaCrypto
import SohoaRepository
import SohoaVerification

/// What the public check page behind a document's QR code shows to anyone, without a login:
/// the document's title and type, the agency that issued it, its dossier code, its issue time,
/// each signature's signer, time and verdict as verified now, and the SHA-256 of the filed
/// version — and nothing else about the citizen (no identifier, no other case, no name).
public struct PublicCheck: Sendable, Codable, Equatable {
    public struct Signature: Sendable, Codable, Equatable {
        /// The signer's common name (never the rest of the certificate subject, which may hold
        /// personal numbers).
        public let signer: String?
        /// The signer's organisation, when the certificate names one.
        public let organization: String?
        /// `signature` or `document-timestamp`.
        public let type: String
        /// When a time-stamp proves it was signed, else the time it claims (ISO 8601).
        public let time: String?
        /// Whether a trusted time-stamp proves `time`.
        public let timeProven: Bool
        /// `valid`, `invalid` or `indeterminate`, as verified now.
        public let verdict: String
    }

    public let code: String
    public let title: String?
    public let type: String?
    /// The issuing agency: the organisation of the newest signature's certificate.
    public let agency: String?
    /// The case it was filed in (the first; the others are other agencies' business).
    public let dossier: String?
    /// When it was issued: the issue date filed with it, else the time it was filed.
    public let issued: String
    /// `pending`, `signed`, `approved`, `superseded` or `revoked`.
    public let state: String
    /// The signatures' verdict as verified now: `valid`, `invalid`, `indeterminate` or `unsigned`.
    public let verdict: String
    /// Whether it may be relied on: not superseded or revoked, and every signature valid now.
    public let reliable: Bool
    public let sha256: String
    public let signatures: [Signature]
    /// When the signatures were verified (they are verified again at most a minute later).
    public let verifiedAt: Date
}

/// What comparing an uploaded copy with the filed document found.
public struct PublicComparison: Sendable, Codable, Equatable {
    /// The upload is byte for byte the newest filed version.
    public let identical: Bool
    /// The upload is an older version of the document (the number), not the newest.
    public let olderVersion: Int?
    public let uploadedSha256: String
    public let filedSha256: String
}

extension RepositoryService {
    /// The public check of the document with public code `code`: anyone may ask, so nothing of
    /// the citizen is in it. Each look is not audited (it reads nothing personal); a missing
    /// code is `notFound`.
    public func publicCheck(_ code: PublicCode) async throws(ServiceError) -> PublicCheck {
        guard let document = try await serviceErrors({ try await store.document(publicCode: code) }) else {
            throw .notFound("there is no document with the check code \(code)")
        }
        let path = repository.blobs.path(of: document.latest)
        let verifier = self.verifier
        let (report, verifiedAt): (FileReport?, Date) = {
            do {
                let (report, time) = try verifications.report(for: document.latest) { try verifier.verify(path: path) }
                return (report, time)
            } catch {
                return (nil, Date())
            }
        }()
        let signatures = (report?.signatures ?? []).map { signature in
            let name = signature.signer.map(DistinguishedName.init)
            return PublicCheck.Signature(signer: name?.first("CN"), organization: name?.first("O"), type: signature.type,
                                         time: signature.timestamp ?? signature.signingTime, timeProven: signature.timestamp != nil,
                                         verdict: signature.verdict.rawValue)
        }
        let verdict = report?.verdict ?? .indeterminate
        let agency = signatures.last(where: { $0.type == "signature" && $0.organization != nil })?.organization
        let formatter = ISO8601DateFormatter()
        return PublicCheck(code: code.rawValue, title: document.title, type: document.type, agency: agency,
                           dossier: document.cases.first, issued: document.issued ?? formatter.string(from: document.created),
                           state: document.state.rawValue, verdict: verdict.rawValue,
                           reliable: verdict == .valid && document.state != .superseded && document.state != .revoked,
                           sha256: document.latest.rawValue, signatures: signatures, verifiedAt: verifiedAt)
    }

    /// Compares the uploaded file at `path` with the document whose public code is `code`.
    public func compare(upload path: String, with code: PublicCode) async throws(ServiceError) -> PublicComparison {
        guard let document = try await serviceErrors({ try await store.document(publicCode: code) }) else {
            throw .notFound("there is no document with the check code \(code)")
        }
        guard let bytes = FileManager.default.contents(atPath: path) else { throw .unavailable("the upload cannot be read back") }
        let uploaded = ContentHash(digest: SHA256.digest(Array(bytes)))
        let versions = try await serviceErrors { try await store.versions(of: document.id) }
        let older = versions.last { $0.hash == uploaded && $0.hash != document.latest }?.number
        return PublicComparison(identical: uploaded == document.latest, olderVersion: older, uploadedSha256: uploaded.rawValue,
                                filedSha256: document.latest.rawValue)
    }
}
