import Foundation
import SohoaCrypto
import SohoaPDF

/// Gathers what PAdES B-LT adds after a signature: every certificate of the signer's and the
/// time-stamp authority's chains, and for each certificate a current CRL from its distribution
/// point, or, when it names only an OCSP responder, that responder's answer (with the
/// responder's certificate), fetched over HTTP once per batch.
///
/// Signing goes no further when the material cannot be had: a chain whose issuer is missing,
/// revocation data that cannot be fetched or is out of date, or a certificate it says is revoked.
public struct ValidationDataCollector: Sendable {
    public let fetcher: RevocationFetcher

    public init(fetcher: RevocationFetcher = RevocationFetcher()) {
        self.fetcher = fetcher
    }

    /// The material for a signature by `signer` whose time-stamp token is `token`, as of `date`.
    public func material(signer: any Signer, timeStampToken token: [UInt8]?, at date: Date = Date()) throws -> ValidationMaterial {
        var tokenCertificates: [Certificate] = []
        if let token {
            do { tokenCertificates = try TimeStampToken(der: token).certificates } catch {
                throw SigningError("the time-stamp token cannot be read: \(error)")
            }
        }
        return try material(chains: [signer.certificate] + signer.chain + tokenCertificates, at: date)
    }

    /// The material for every certificate of `chains` (end entities with their issuers, in any
    /// order and repeated at will), as of `date`.
    public func material(chains: [Certificate], at date: Date = Date()) throws -> ValidationMaterial {
        var certificates: [Certificate] = []
        var seen = Set<[UInt8]>()
        for certificate in chains where seen.insert(certificate.sha256Fingerprint).inserted {
            certificates.append(certificate)
        }
        var lists: [CertificateRevocationList] = []
        var answers: [OCSPResponse] = []
        var listed = Set<[UInt8]>()
        for certificate in certificates where !certificate.isSelfSigned {
            guard let issuer = certificates.first(where: { certificate.isIssued(by: $0) }) else {
                throw SigningError("the issuer of \(certificate.subject) is not among the certificates at hand, "
                                   + "so its revocation status cannot be recorded; give the whole chain")
            }
            let list: CertificateRevocationList?
            do { list = try fetcher.list(for: certificate, issuedBy: issuer) } catch {
                throw SigningError(error.description)
            }
            guard let list else {
                if let answer = try ocspAnswer(for: certificate, issuer: issuer, at: date) {
                    answers.append(answer)
                    for responder in answer.certificates where seen.insert(responder.sha256Fingerprint).inserted {
                        certificates.append(responder)
                    }
                }
                continue  // no revocation service to ask: nothing to record
            }
            if let nextUpdate = list.nextUpdate, nextUpdate < date {
                throw SigningError("the revocation list for \(certificate.subject) is out of date "
                                   + "(its next update was due \(ISO8601DateFormatter().string(from: nextUpdate)))")
            }
            if let revocation = list.revocation(of: certificate) {
                throw SigningError("\(certificate.subject) was revoked on "
                                   + "\(ISO8601DateFormatter().string(from: revocation.date)) (\(revocation.reason))")
            }
            if listed.insert(list.derBytes).inserted { lists.append(list) }
        }
        return ValidationMaterial(certificates: certificates.map(\.derBytes), crls: lists.map(\.derBytes),
                                  ocspResponses: answers.map(\.derBytes))
    }

    /// The responder's current answer about `certificate`, nil when it names no responder.
    private func ocspAnswer(for certificate: Certificate, issuer: Certificate, at date: Date) throws -> OCSPResponse? {
        let answer: OCSPResponse?
        do { answer = try fetcher.response(for: certificate, issuedBy: issuer) } catch {
            throw SigningError(error.description)
        }
        guard let answer, let single = answer.status(of: certificate, issuer: issuer) else { return nil }
        switch single.status {
        case .good:
            if let nextUpdate = single.nextUpdate, nextUpdate < date {
                throw SigningError("the OCSP answer about \(certificate.subject) is out of date")
            }
            return answer
        case .revoked(let revoked, let reason):
            throw SigningError("\(certificate.subject) was revoked on \(ISO8601DateFormatter().string(from: revoked)) (\(reason))")
        case .unknown:
            throw SigningError("the OCSP responder does not know \(certificate.subject)")
        }
    }
}
