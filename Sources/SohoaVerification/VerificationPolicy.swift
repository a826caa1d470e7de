import Foundation
import SohoaCrypto
import SohoaPDF

/// What a verification trusts and how it may find what it needs.
public struct VerificationPolicy: Sendable {
    /// The roots signer and time-stamp authority chains must lead to.
    public var anchors: TrustAnchors
    /// Validate at this time instead of now (when no time-stamp proves an earlier one).
    public var at: Date?
    /// Fetches CRLs from the certificates' distribution points; nil forbids fetching.
    public var fetcher: RevocationFetcher?
    /// Which changes after a signature it allows.
    public var changes: ChangePolicy

    public init(anchors: TrustAnchors, at: Date? = nil, fetcher: RevocationFetcher? = RevocationFetcher(timeout: 5),
                changes: ChangePolicy = .standard) {
        self.anchors = anchors
        self.at = at
        self.fetcher = fetcher
        self.changes = changes
    }
}
