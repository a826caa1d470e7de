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

    public init(anchors: TrustAnchors, at: Date? = nil, fetcher: RevocationFetcher? = RevocationFetcher(timeout: 5)) {
        self.anchors = anchors
        self.at = at
        self.fetcher = fetcher
    }

    /// Whether a change made after a signature is allowed, given the document's certification
    /// (DocMDP) level (nil, no certification, allows what P=2 allows) and the signature's
    /// FieldMDP locks.
    static func allows(_ change: ObjectChange, certification: Int?, signature: SignatureDictionary) -> Bool {
        switch change.kind {
        case .formFilled:
            return certification != 1 && !signature.locks(field: change.field ?? "")
        case .fileStructure, .unusedObject, .validationData, .documentTimeStampAdded:
            return true
        case .signatureAdded, .signatureFieldAdded, .signatureFieldFilled, .formListsNewSignature, .metadata:
            return certification != 1
        case .annotationAdded:
            return certification == 3
        case .content:
            return false
        }
    }
}
