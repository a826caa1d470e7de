/// Why the repository refused or failed, typed so that callers decide by the kind of problem
/// (retry, refuse, report) and never by its words. `description` is the sentence a person
/// reads; it is what the command line prints.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No such document, version or case.
    case notFound(String)
    /// Someone else changed the record first (a compare-and-set lost: a newer version, another
    /// state), or it exists already. Nothing was changed.
    case conflict(String)
    /// The case belongs to another citizen or organisation than the one a document is filed for.
    case ownedByAnotherCitizen(dossier: DossierCode, owner: String, claimant: String)
    /// The database cannot be reached, opened or written just now (locked, busy, a full disk,
    /// a connection lost). The only kind that may work when tried again.
    case unavailable(String)
    /// A row or a file the store cannot read as what it should be (damaged, or written by
    /// something else).
    case corrupt(String)
    /// The database was made by a newer version of Sohoa than this one.
    case schemaTooNew(String)
    /// A file or folder of the repository (blobs, pending writes, a copy or an export being
    /// written) cannot be read or written: a full disk, a missing mount, permissions.
    case storage(String)
    /// What was asked cannot be done with this input (not a PDF, nothing to anchor yet, an
    /// export too large for its format).
    case refused(String)

    public var description: String {
        switch self {
        case .notFound(let text), .conflict(let text), .unavailable(let text), .corrupt(let text), .schemaTooNew(let text),
             .storage(let text), .refused(let text):
            return text
        case .ownedByAnotherCitizen(let dossier, let owner, let claimant):
            return "the case \(dossier) belongs to \(owner), not to \(claimant)"
        }
    }

    /// Whether the same request may succeed later without anything being changed: the database
    /// or the disk being unavailable for a while. A refusal (not found, a conflict, another
    /// citizen's case, a damaged row, a newer schema, bad input) never is, and is not retried.
    public var isTransient: Bool {
        switch self {
        case .unavailable, .storage: return true
        case .notFound, .conflict, .ownedByAnotherCitizen, .corrupt, .schemaTooNew, .refused: return false
        }
    }
}
