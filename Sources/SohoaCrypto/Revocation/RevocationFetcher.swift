import Foundation
import Synchronization

/// Fetches revocation data over HTTP with a short timeout: CRLs from the distribution points
/// certificates name, each URL at most once per fetcher (one fetcher serves a batch), and
/// OCSP responses from the responders they name, once per certificate. A fetcher that lives
/// as long as a server keeps what it fetched (or failed to) only for `keepFor` seconds, so
/// that a revocation published later is seen.
public final class RevocationFetcher: Sendable {
    /// Why no usable list could be had for a certificate.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    public let timeout: TimeInterval
    /// Seconds a list or an answer (or a failure to get one) is reused; nil for the fetcher's
    /// whole life.
    public let keepFor: TimeInterval?
    private let cache = Mutex<[String: (result: Result<CertificateRevocationList, Failure>, time: Date)]>([:])
    private let answers = Mutex<[[UInt8]: (result: Result<OCSPResponse, Failure>, time: Date)]>([:])

    public init(timeout: TimeInterval = 10, keepFor: TimeInterval? = nil) {
        self.timeout = timeout
        self.keepFor = keepFor
    }

    /// Whether something fetched at `time` may still be reused.
    private func isFresh(_ time: Date) -> Bool {
        guard let keepFor else { return true }
        return Date().timeIntervalSince(time) < keepFor
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
        if let known = cache.withLock({ $0[address] }), isFresh(known.time) { return known.result }
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
        cache.withLock { $0[address] = (result, Date()) }
        return result
    }

    /// A current OCSP response about `certificate` from the first responder it names that
    /// gives one signed on behalf of `issuer` and answering this request; nil when the
    /// certificate names no HTTP responder.
    public func response(for certificate: Certificate, issuedBy issuer: Certificate) throws(Failure) -> OCSPResponse? {
        let urls = certificate.ocspResponders.filter { $0.hasPrefix("http://") || $0.hasPrefix("https://") }
        guard !urls.isEmpty else { return nil }
        let key = certificate.sha256Fingerprint + issuer.sha256Fingerprint
        if let known = answers.withLock({ $0[key] }), isFresh(known.time) { return try known.result.get() }
        var problems: [String] = []
        var result: Result<OCSPResponse, Failure>?
        for address in urls where result == nil {
            do {
                guard let url = URL(string: address) else { throw Failure(description: "not a valid address") }
                let request = try OCSPResponse.Request(for: certificate, issuer: issuer)
                let bytes = try BlockingHTTP.exchange(url, method: "POST", body: request.der, contentType: "application/ocsp-request",
                                                      acceptedTypes: ["application/ocsp-response"], timeout: timeout)
                let response = try OCSPResponse(der: bytes, name: address)
                guard response.isSigned(onBehalfOf: issuer) else {
                    throw Failure(description: "the answer is not signed for \(issuer.subject)")
                }
                guard request.isAnswered(by: response), response.status(of: certificate, issuer: issuer) != nil else {
                    throw Failure(description: "the answer is not about this request")
                }
                result = .success(response)
            } catch let failure as BlockingHTTP.Failure {
                problems.append("\(address): the responder \(failure)")
            } catch {
                problems.append("\(address): \(error)")
            }
        }
        let final = result ?? .failure(Failure(description: "no OCSP answer about \(certificate.subject) could be had: "
                                               + problems.joined(separator: "; ")))
        answers.withLock { $0[key] = (final, Date()) }
        return try final.get()
    }
}
