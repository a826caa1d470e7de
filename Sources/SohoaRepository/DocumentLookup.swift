import Foundation

/// The start of a document id as a person types it: 6 to 32 hexadecimal digits (capitals are
/// read as lower case). Checked before it reaches a query; a full id is its own prefix.
public struct DocumentIDPrefix: Hashable, Sendable, CustomStringConvertible {
    /// The digits, lower case.
    public let rawValue: String

    /// The fewest digits accepted: enough that a prefix rarely names two documents.
    public static let minimumLength = 6

    static let kind = "document id"

    /// Parses `text`: 6 to 32 hexadecimal digits and nothing else.
    public init(_ text: String) throws(IdentifierError) {
        let lowered = text.lowercased()
        guard (Self.minimumLength...32).contains(lowered.utf8.count),
              lowered.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
            throw IdentifierError(kind: Self.kind, text: text,
                                  reason: "a document id is 32 hexadecimal digits, as `sohoa repo import` or `sohoa repo list` "
                                      + "printed it; its first \(Self.minimumLength) or more digits are enough when no other "
                                      + "document starts with them")
        }
        rawValue = lowered
    }

    /// The whole id, when all 32 digits were given.
    public var fullID: DocumentID? { try? DocumentID(rawValue) }

    public var description: String { rawValue }
}

/// Why a document id prefix did not name exactly one document.
public enum DocumentLookupError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No document's id starts with it.
    case notFound(DocumentIDPrefix)
    /// Several documents' ids start with it: some of them (at most `DocumentLookup.shownCandidates`),
    /// and whether there are more.
    case ambiguous(DocumentIDPrefix, candidates: [DocumentID], more: Bool)

    public var description: String {
        switch self {
        case .notFound(let prefix):
            return "there is no document \(prefix)"
        case .ambiguous(let prefix, let candidates, let more):
            return "\(prefix) is the start of several document ids (\(candidates.map(\.rawValue).joined(separator: ", "))"
                + "\(more ? ", …" : "")); give more digits"
        }
    }
}

/// Finding the document a prefix names.
public enum DocumentLookup {
    /// How many candidates an ambiguous prefix names.
    public static let shownCandidates = 5

    /// The one document whose id starts with `prefix`.
    public static func resolve(_ prefix: DocumentIDPrefix, in store: any DocumentStore) async throws -> DocumentID {
        let found = try await store.documentIDs(startingWith: prefix, limit: shownCandidates + 1)
        switch found.count {
        case 0: throw DocumentLookupError.notFound(prefix)
        case 1: return found[0]
        default:
            throw DocumentLookupError.ambiguous(prefix, candidates: Array(found.prefix(shownCandidates)),
                                                more: found.count > shownCandidates)
        }
    }
}
