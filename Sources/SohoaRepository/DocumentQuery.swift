import Foundation

/// Which documents to list: every condition given must hold.
public struct DocumentQuery: Sendable, Equatable {
    /// Only this owner's documents.
    public var owner: OwnerID?
    /// Only documents linked to this case.
    public var dossier: DossierCode?
    /// Only documents of this type (as filed: the sidecar's `documentType` or `--type`).
    public var type: String?
    /// Only documents in this state.
    public var state: DocumentState?
    /// Filed at or after this moment.
    public var filedFrom: Date?
    /// Filed before this moment.
    public var filedBefore: Date?

    /// A query; every condition left nil matches every document.
    public init(owner: OwnerID? = nil, dossier: DossierCode? = nil, type: String? = nil, state: DocumentState? = nil,
                filedFrom: Date? = nil, filedBefore: Date? = nil) {
        self.owner = owner
        self.dossier = dossier
        self.type = type
        self.state = state
        self.filedFrom = filedFrom
        self.filedBefore = filedBefore
    }
}
