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

/// The revocation data one certificate's status was read from.
public struct RevocationEvidence: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable { case crl, ocsp }
    /// Whether the document carried it or it was fetched during the verification.
    public enum Source: String, Sendable, Codable { case document, fetched }

    /// The list or answer itself.
    public struct Used: Sendable, Equatable {
        public let kind: Kind
        /// When it was issued (a CRL's thisUpdate, an OCSP answer's thisUpdate).
        public let issued: Date
        public let nextUpdate: Date?
    }

    /// The certificate whose status it gave (its subject).
    public let certificate: String
    public let kind: Kind
    public let issued: Date
    public let nextUpdate: Date?
    public let source: Source

    init(_ certificate: String, _ used: Used, source: Source) {
        self.certificate = certificate
        kind = used.kind
        issued = used.issued
        nextUpdate = used.nextUpdate
        self.source = source
    }
}

/// Checks every certificate of a path (all but the anchor) against CRLs and OCSP responses:
/// those the document carries first, then, unless offline, those fetched from the
/// distribution points and responders the certificates name.
public struct RevocationChecker: Sendable {
    /// CRLs from the signature and the document's DSS.
    public let lists: [CertificateRevocationList]
    /// OCSP responses from the document's DSS.
    public let responses: [OCSPResponse]
    /// Fetches more; nil when fetching is forbidden (`--offline`).
    public let fetcher: RevocationFetcher?

    public init(lists: [CertificateRevocationList], responses: [OCSPResponse] = [], fetcher: RevocationFetcher?) {
        self.lists = lists
        self.responses = responses
        self.fetcher = fetcher
    }

    /// The worst status along `path` (a revocation beats an unknown, an unknown beats good).
    public func status(of path: [Certificate], at time: Date) -> RevocationStatus {
        check(path, at: time).status
    }

    /// The worst status along `path`, and the revocation data each certificate's status was
    /// read from (what a verification report records).
    public func check(_ path: [Certificate], at time: Date) -> (status: RevocationStatus, evidence: [RevocationEvidence]) {
        var worst = RevocationStatus.good
        var evidence: [RevocationEvidence] = []
        for (index, certificate) in path.enumerated() where index + 1 < path.count {
            let (status, used) = self.status(of: certificate, issuer: path[index + 1], at: time)
            if let used { evidence.append(used) }
            switch (status, worst) {
            case (.revoked, _): return (status, evidence)
            case (.unknown, .good): worst = status
            default: break
            }
        }
        return (worst, evidence)
    }

    func status(of certificate: Certificate, issuer: Certificate, at time: Date) -> (RevocationStatus, RevocationEvidence?) {
        if let known = fromList(lists.filter { $0.isIssued(by: issuer) }, certificate, time) {
            return (known.status, RevocationEvidence(certificate.subject, known.used, source: .document))
        }
        if let known = fromAnswers(responses, certificate, issuer, time) {
            return (known.status, RevocationEvidence(certificate.subject, known.used, source: .document))
        }
        var problems: [String] = []
        if let fetcher {
            do {
                if let list = try fetcher.list(for: certificate, issuedBy: issuer),
                   let known = fromList([list], certificate, time) {
                    return (known.status, RevocationEvidence(certificate.subject, known.used, source: .fetched))
                }
            } catch {
                problems.append(error.description)
            }
            do {
                if let answer = try fetcher.response(for: certificate, issuedBy: issuer),
                   let known = fromAnswers([answer], certificate, issuer, time) {
                    return (known.status, RevocationEvidence(certificate.subject, known.used, source: .fetched))
                }
            } catch {
                problems.append(error.description)
            }
        }
        let why: String
        if !problems.isEmpty {
            why = problems.joined(separator: "; ")
        } else if fetcher == nil {
            why = "no current revocation data is in the document, and fetching is off"
        } else if certificate.crlDistributionPoints.isEmpty && certificate.ocspResponders.isEmpty {
            why = "the certificate names no revocation service"
        } else {
            why = "no current revocation data could be had"
        }
        return (.unknown(subject: certificate.subject, why: why), nil)
    }

    /// The verdict of the newest list that speaks for `time`, and that list; nil when none does.
    private func fromList(_ candidates: [CertificateRevocationList], _ certificate: Certificate,
                          _ time: Date) -> (status: RevocationStatus, used: RevocationEvidence.Used)? {
        let current = candidates.filter { covers($0.thisUpdate, $0.nextUpdate, time) }
        guard let list = current.max(by: { ($0.thisUpdate ?? .distantPast) < ($1.thisUpdate ?? .distantPast) }) else { return nil }
        let used = RevocationEvidence.Used(kind: .crl, issued: list.thisUpdate ?? .distantPast, nextUpdate: list.nextUpdate)
        if let revocation = list.revocation(of: certificate) {
            return (.revoked(subject: certificate.subject, date: revocation.date, reason: revocation.reason), used)
        }
        return (.good, used)
    }

    /// The verdict of the newest response signed for `issuer` that speaks for `time`, and what it said.
    private func fromAnswers(_ candidates: [OCSPResponse], _ certificate: Certificate, _ issuer: Certificate,
                             _ time: Date) -> (status: RevocationStatus, used: RevocationEvidence.Used)? {
        let statuses = candidates.compactMap { response -> OCSPResponse.SingleStatus? in
            guard let single = response.status(of: certificate, issuer: issuer), covers(single.thisUpdate, single.nextUpdate, time),
                  response.isSigned(onBehalfOf: issuer) else { return nil }
            return single
        }
        guard let newest = statuses.max(by: { $0.thisUpdate < $1.thisUpdate }) else { return nil }
        let used = RevocationEvidence.Used(kind: .ocsp, issued: newest.thisUpdate, nextUpdate: newest.nextUpdate)
        switch newest.status {
        case .good: return (.good, used)
        case .revoked(let date, let reason): return (.revoked(subject: certificate.subject, date: date, reason: reason), used)
        case .unknown: return (.unknown(subject: certificate.subject, why: "the OCSP responder does not know the certificate"), used)
        }
    }

    /// Revocation data speaks for `time` when it was issued at or after it, or was current at it.
    private func covers(_ thisUpdate: Date?, _ nextUpdate: Date?, _ time: Date) -> Bool {
        guard let thisUpdate else { return false }
        if thisUpdate >= time { return true }
        return nextUpdate.map { $0 >= time } ?? false
    }
}
