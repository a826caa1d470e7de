import Foundation
import Synchronization

/// Fetches certificate revocation lists from the distribution points certificates name, over
/// HTTP with a short timeout, each URL at most once per fetcher (one fetcher serves a batch).
public final class CRLFetcher: Sendable {
    /// Why no usable list could be had for a certificate.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    public let timeout: TimeInterval
    private let cache = Mutex<[String: Result<CertificateRevocationList, Failure>]>([:])

    public init(timeout: TimeInterval = 10) {
        self.timeout = timeout
    }

    /// The current list `issuer` published for `certificate`, from the first of the
    /// certificate's distribution points that gives one signed by `issuer`; nil when the
    /// certificate names no HTTP distribution point.
    public func list(for certificate: Certificate, issuedBy issuer: Certificate) throws(Failure) -> CertificateRevocationList? {
        let urls = certificate.crlDistributionPoints.filter { $0.hasPrefix("http://") || $0.hasPrefix("https://") }
        guard !urls.isEmpty else { return nil }
        var problems: [String] = []
        for address in urls {
            switch fetch(address) {
            case .success(let list) where list.isIssued(by: issuer):
                return list
            case .success:
                problems.append("\(address): the list is not signed by \(issuer.subject)")
            case .failure(let failure):
                problems.append("\(address): \(failure)")
            }
        }
        throw Failure(description: "no revocation list for \(certificate.subject) could be had: "
                      + problems.joined(separator: "; "))
    }

    private func fetch(_ address: String) -> Result<CertificateRevocationList, Failure> {
        if let known = cache.withLock({ $0[address] }) { return known }
        let result: Result<CertificateRevocationList, Failure>
        if let url = URL(string: address) {
            do {
                let bytes = try BlockingHTTP.exchange(url, timeout: timeout)
                result = .success(try CertificateRevocationList(pemOrDER: bytes, name: address))
            } catch let failure as BlockingHTTP.Failure {
                result = .failure(Failure(description: "the server \(failure)"))
            } catch {
                result = .failure(Failure(description: "the answer is not a revocation list (\(error))"))
            }
        } else {
            result = .failure(Failure(description: "not a valid address"))
        }
        cache.withLock { $0[address] = result }
        return result
    }
}
