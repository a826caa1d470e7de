/// The PAdES baseline level a signature is made at (ETSI EN 319 142-1).
public enum SignatureLevel: String, Sendable, CaseIterable {
    /// The signature alone.
    case basic = "B-B"
    /// Time-stamped by an RFC 3161 authority: proof that it existed then.
    case timeStamped = "B-T"
    /// Followed by the validation data of the signer's and the authority's chains (certificates,
    /// CRLs or OCSP answers) in the document's DSS: verifiable without fetching anything.
    case longTerm = "B-LT"
    /// Followed by a document time-stamp over the whole file, validation data included: what
    /// keeps the evidence verifiable after the certificates expire, renewed later.
    case longTermArchive = "B-LTA"

    /// Whether it needs a time-stamp authority.
    public var needsTimeStampAuthority: Bool { self != .basic }
    /// Whether validation data follows the signature.
    public var addsValidationData: Bool { self == .longTerm || self == .longTermArchive }
    /// Whether a document time-stamp follows the validation data.
    public var addsDocumentTimeStamp: Bool { self == .longTermArchive }
}
