import Foundation

/// Whether a certificate was revoked at a given time, as far as the evidence shows.
public enum RevocationStatus: Sendable, Equatable {
    /// A CRL from the issuer, current for the time, does not list it.
    case good
    /// A CRL lists it as revoked on `date` (which may be after the time asked about: whether
    /// that matters is the caller's question).
    case revoked(subject: String, date: Date, reason: String)
    /// No current CRL could be had.
    case unknown(subject: String, why: String)
}

/// Checks every certificate of a path (all but the anchor) against CRLs: those the document
/// carries first, then, unless offline, those fetched from the distribution points.
public struct RevocationChecker: Sendable {
    /// CRLs from the signature and the document's DSS.
    public let lists: [CertificateRevocationList]
    /// Fetches more; nil when fetching is forbidden (`--offline`).
    public let fetcher: CRLFetcher?

    public init(lists: [CertificateRevocationList], fetcher: CRLFetcher?) {
        self.lists = lists
        self.fetcher = fetcher
    }

    /// The worst status along `path` (a revocation beats an unknown, an unknown beats good).
    public func status(of path: [Certificate], at time: Date) -> RevocationStatus {
        var worst = RevocationStatus.good
        for (index, certificate) in path.enumerated() where index + 1 < path.count {
            let status = self.status(of: certificate, issuer: path[index + 1], at: time)
            switch (status, worst) {
            case (.revoked, _): return status
            case (.unknown, .good): worst = status
            default: break
            }
        }
        return worst
    }

    func status(of certificate: Certificate, issuer: Certificate, at time: Date) -> RevocationStatus {
        var candidates = lists.filter { $0.isIssued(by: issuer) }
        if !candidates.contains(where: { covers($0, time) }), let fetcher {
            do {
                if let fetched = try fetcher.list(for: certificate, issuedBy: issuer) { candidates.append(fetched) }
            } catch {
                return .unknown(subject: certificate.subject, why: error.description)
            }
        }
        guard let list = candidates.filter({ covers($0, time) }).max(by: { ($0.thisUpdate ?? .distantPast) < ($1.thisUpdate ?? .distantPast) }) else {
            let why = fetcher == nil ? "no current revocation list is in the document, and fetching is off"
                : (certificate.crlDistributionPoints.isEmpty ? "the certificate names no revocation list"
                   : "no current revocation list could be had")
            return .unknown(subject: certificate.subject, why: why)
        }
        if let revocation = list.revocation(of: certificate) {
            return .revoked(subject: certificate.subject, date: revocation.date, reason: revocation.reason)
        }
        return .good
    }

    /// A list speaks for `time` when it was issued at or after it, or was current at it.
    private func covers(_ list: CertificateRevocationList, _ time: Date) -> Bool {
        guard let thisUpdate = list.thisUpdate else { return false }
        if thisUpdate >= time { return true }
        return list.nextUpdate.map { $0 >= time } ?? false
    }
}
