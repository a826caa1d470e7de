import CQPDF
import Foundation

/// What one changed object is, for deciding whether a signature allows the change.
public enum ChangeKind: String, Sendable, Codable {
    /// A new signature dictionary.
    case signatureAdded
    /// A new document time-stamp dictionary (RFC 3161 over the document).
    case documentTimeStampAdded
    /// A new invisible signature field or widget, and what only it uses (an empty appearance).
    case signatureFieldAdded
    /// A new visible signature field that holds a new signature, and its appearance (the
    /// streams, fonts and images only it uses): what a later signer shows on the page.
    case signatureAppearance
    /// A signature field that was empty when signed and now holds a signature, with its new
    /// appearance and what only that uses.
    case signatureFieldFilled
    /// The catalog, the form, its field list or a page's annotation list, changed only to list
    /// new signature fields (and the form's signature flags).
    case formListsNewSignature
    /// The Document Security Store and what only it refers to: certificates, CRLs, OCSP.
    case validationData
    /// Cross-reference streams and object streams: how the file is stored, not what it says.
    case fileStructure
    /// An object nothing in the document refers to: it cannot be seen.
    case unusedObject
    /// A form field's value or appearance (and the new appearance objects only it uses):
    /// form filling, which DocMDP P=2 and P=3 and unlocked fields permit.
    case formFilled
    /// New entries of the form's default resources (fonts for field appearances), and the
    /// form's default appearance settings.
    case formResources
    /// What the catalog declares about the file rather than shows: /Extensions (and the
    /// objects only it uses), /Version, /MarkInfo.
    case declarations
    /// A new annotation (not a signature widget) listed on a page.
    case annotationAdded
    /// The document information dictionary's or the XMP packet's bookkeeping (modification
    /// dates, producer, the XMP history), which signing software updates; every other
    /// statement of the metadata is unchanged.
    case metadata
    /// A later signature's or annotation's appearance drawn where the signed page shows
    /// something (text, a drawing, an image's ink, an earlier signature block): it hides or
    /// changes what was signed, whatever the document's certification allows.
    case appearanceCoversSignedContent
    /// A later signature's or annotation's appearance that draws objects of the signed
    /// revision (fonts aside): signed content shown where it was not signed.
    case appearanceReusesSignedObjects
    /// Anything else: what the document shows or does.
    case content
}

/// One object that differs between a signed revision and the document as it is now.
public struct ObjectChange: Sendable, Equatable {
    public enum Action: String, Sendable { case added, changed, removed }

    public let objectID: Int
    public let action: Action
    public let kind: ChangeKind
    /// What the object is, in a word: "page", "font", "content stream", "annotation", ...
    public let role: String
    /// The page it is, when it is a page (1-based).
    public let page: Int?
    /// The form field's full name, for form filling.
    public var field: String? = nil

    public init(objectID: Int, action: Action, kind: ChangeKind, role: String, page: Int?, field: String? = nil) {
        self.objectID = objectID
        self.action = action
        self.kind = kind
        self.role = role
        self.page = page
        self.field = field
    }
}

/// Compares the document as a signature covers it with the document as it is now, object by
/// object (by what a reader would read, not by where the bytes sit), and says what each
/// changed object is.
public enum RevisionComparison {
    /// The most objects a comparison looks at, whatever the trailer claims.
    static let objectLimit = 2_000_000

    public static func changes(from signed: QPDFDocument, to current: QPDFDocument, fileLength: Int) throws -> [ObjectChange] {
        let old = try ObjectAccess(signed)
        let new = try ObjectAccess(current)
        let declared = max(new.integer(new.value(new.trailer, "/Size")) ?? 0, old.integer(old.value(old.trailer, "/Size")) ?? 0)
        let count = min(declared, fileLength / 8 + 16, objectLimit)
        let reach = Reachability(new)
        var pageNumbers: [Int: Int] = [:]
        for index in 0..<min(new.pageCount(), objectLimit) {
            if let id = new.id(qpdf_get_page_n(new.q, Int(index))) { pageNumbers[id] = index + 1 }
        }
        let classifier = ChangeClassifier(old: old, new: new, reach: reach, pageNumbers: pageNumbers)
        var changes: [ObjectChange] = []
        for id in 1..<max(1, count) {
            let before = old.object(id: id), after = new.object(id: id)
            guard !same(before, after, old, new) else { continue }
            changes.append(classifier.classify(id: id, before: before, after: after))
        }
        let attributed = ExclusiveOwnership(old: old, new: new, fields: classifier.newFields).attribute(changes)
        return AppearanceCoverage(old: old, new: new, pageNumbers: pageNumbers,
                                  fieldName: { classifier.fullName(classifier.fieldOf($0)) }).check(attributed)
    }

    /// Whether two objects read the same: type, contents, and for streams the stored bytes.
    static func same(_ a: qpdf_oh, _ b: qpdf_oh, _ old: ObjectAccess, _ new: ObjectAccess) -> Bool {
        guard old.type(a) == new.type(b) else { return false }
        if old.isNull(a) { return true }
        guard old.unparsed(a) == new.unparsed(b) else { return false }
        if old.isStream(a) { return old.rawStreamData(a) == new.rawStreamData(b) }
        return true
    }
}

/// Which objects the document refers to: through its content (everything from the trailer's
/// /Root and /Info except the catalog's /DSS), and through the /DSS.
struct Reachability {
    var content = Set<Int>()
    var validationData = Set<Int>()

    init(_ access: ObjectAccess) {
        let rootID = access.id(access.root)
        let limit = RevisionComparison.objectLimit * 4
        content = access.reachableObjects(
            from: [access.value(access.trailer, "/Root"), access.value(access.trailer, "/Info")], limit: limit,
            skipping: { container, key in key == "/DSS" && rootID != nil && access.id(container) == rootID })
        validationData = access.reachableObjects(from: [access.value(access.root, "/DSS")], limit: limit)
    }
}
