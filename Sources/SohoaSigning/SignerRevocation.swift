import Foundation
import SohoaCrypto

/// What is known of the revocation of a signer's certificates, checked before a batch signs
/// anything: a signature made with a revoked key is worthless, and its verifier says so.
public enum SignerRevocationStatus: Sendable, Equatable {
    /// Every certificate of the signer's chain (the root aside) was checked and is not revoked.
    case good
    /// A certificate of the chain is revoked: never sign.
    case revoked(subject: String, date: Date, reason: String)
    /// The status of a certificate could not be had (no answer, no issuer, no service named).
    case unknown(subject: String, why: String)

    /// The status in plain Vietnamese, for the officer (the details as the services gave them).
    public var vietnamese: String {
        switch self {
        case .good:
            return "không chứng thư nào trong chuỗi của người ký bị thu hồi"
        case .revoked(let subject, let date, let reason):
            return "\(subject) đã bị thu hồi ngày \(ISO8601DateFormatter().string(from: date)) (\(reason))"
        case .unknown(let subject, let why):
            return "không kiểm tra được \(subject) có bị thu hồi hay không: \(why)"
        }
    }

    /// The status in plain words, for the officer.
    public var explanation: String {
        switch self {
        case .good:
            return "no certificate of the signer's chain is revoked"
        case .revoked(let subject, let date, let reason):
            return "\(subject) was revoked on \(ISO8601DateFormatter().string(from: date)) (\(reason))"
        case .unknown(let subject, let why):
            return "whether \(subject) is revoked cannot be checked: \(why)"
        }
    }
}

/// Asks the services a signer's certificates name (a CRL distribution point, else an OCSP
/// responder; the same fetching as long-term validation data) whether any is revoked.
public struct SignerRevocationCheck: Sendable {
    public let fetcher: RevocationFetcher

    public init(fetcher: RevocationFetcher = RevocationFetcher()) {
        self.fetcher = fetcher
    }

    /// The status of `signer`'s certificate and of every certificate above it but the root, as
    /// of `date`. A revoked certificate anywhere wins over an unknown one.
    public func status(of signer: any Signer, at date: Date = Date()) -> SignerRevocationStatus {
        let certificates = [signer.certificate] + signer.chain
        var unknown: SignerRevocationStatus?
        for certificate in certificates where !certificate.isSelfSigned {
            let status = self.status(of: certificate, among: certificates, at: date)
            switch status {
            case .good: continue
            case .revoked: return status
            case .unknown: if unknown == nil { unknown = status }
            }
        }
        return unknown ?? .good
    }

    private func status(of certificate: Certificate, among certificates: [Certificate], at date: Date) -> SignerRevocationStatus {
        let subject = certificate.subject
        guard let issuer = certificates.first(where: { certificate.isIssued(by: $0) }) else {
            return .unknown(subject: subject, why: "its issuer's certificate is not at hand (give the whole chain)")
        }
        do {
            if let list = try fetcher.list(for: certificate, issuedBy: issuer) {
                if let revocation = list.revocation(of: certificate) {
                    return .revoked(subject: subject, date: revocation.date, reason: revocation.reason)
                }
                if let nextUpdate = list.nextUpdate, nextUpdate < date {
                    return .unknown(subject: subject, why: "its revocation list is out of date (the next one was due "
                                    + "\(ISO8601DateFormatter().string(from: nextUpdate)))")
                }
                return .good
            }
            guard let answer = try fetcher.response(for: certificate, issuedBy: issuer),
                  let single = answer.status(of: certificate, issuer: issuer) else {
                return .unknown(subject: subject, why: "the certificate names no revocation list and no OCSP responder")
            }
            switch single.status {
            case .revoked(let revoked, let reason):
                return .revoked(subject: subject, date: revoked, reason: reason)
            case .unknown:
                return .unknown(subject: subject, why: "its OCSP responder does not know it")
            case .good:
                if let nextUpdate = single.nextUpdate, nextUpdate < date {
                    return .unknown(subject: subject, why: "its OCSP answer is out of date")
                }
                return .good
            }
        } catch {
            return .unknown(subject: subject, why: error.description)
        }
    }
}
