import CQPDF
import Foundation

/// What one changed object is, for deciding whether a signature allows the change.
public enum ChangeKind: String, Sendable, Codable {
    /// A new signature dictionary.
    case signatureAdded
    /// A new document time-stamp dictionary (RFC 3161 over the document).
    case documentTimeStampAdded
    /// A new signature field or widget.
    case signatureFieldAdded
    /// An empty signature field that received its signature.
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
    /// A new annotation (not a signature widget) listed on a page.
    case annotationAdded
    /// The document information dictionary's or the XMP packet's modification date or producer,
    /// which signing software updates; every other statement of the metadata is unchanged.
    case metadata
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
        for index in 0..<max(0, min(Int(qpdf_get_num_pages(new.q)), objectLimit)) {
            if let id = new.id(qpdf_get_page_n(new.q, Int(index))) { pageNumbers[id] = index + 1 }
        }
        let classifier = ChangeClassifier(old: old, new: new, reach: reach, pageNumbers: pageNumbers)
        var changes: [ObjectChange] = []
        for id in 1..<max(1, count) {
            let before = old.object(id: id), after = new.object(id: id)
            guard !same(before, after, old, new) else { continue }
            changes.append(classifier.classify(id: id, before: before, after: after))
        }
        return classifier.attributeAppearances(changes)
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

/// Says what a changed object is.
struct ChangeClassifier {
    let old: ObjectAccess
    let new: ObjectAccess
    let reach: Reachability
    let pageNumbers: [Int: Int]

    func classify(id: Int, before: qpdf_oh, after: qpdf_oh) -> ObjectChange {
        let action: ObjectChange.Action = old.isNull(before) ? .added : (new.isNull(after) ? .removed : .changed)
        let role = self.role(of: after, fallback: before)
        func change(_ kind: ChangeKind) -> ObjectChange {
            ObjectChange(objectID: id, action: action, kind: kind, role: role, page: pageNumbers[id])
        }
        let type = new.name(new.value(after, "/Type"))
        if new.isStream(after), type == "/XRef" || type == "/ObjStm" { return change(.fileStructure) }
        guard reach.content.contains(id) else {
            return change(reach.validationData.contains(id) ? .validationData : .unusedObject)
        }
        if action == .added, isSignatureDictionary(after) {
            let timeStamp = type == "/DocTimeStamp" || new.name(new.value(after, "/SubFilter")) == "/ETSI.RFC3161"
            return change(timeStamp ? .documentTimeStampAdded : .signatureAdded)
        }
        if isSignatureField(after) {
            if action == .added { return change(.signatureFieldAdded) }
            if action == .changed, changedKeys(before, after) == ["/V"], old.isNull(old.value(before, "/V")) {
                return change(.signatureFieldFilled)
            }
            return change(.content)
        }
        if action == .changed, let field = filledField(before, after) {
            var filled = change(.formFilled)
            filled.field = field
            return filled
        }
        if action == .changed, let kind = listingChange(before, after, id: id) { return change(kind) }
        if action == .changed, id == new.id(new.value(new.root, "/Metadata")), old.isStream(before), new.isStream(after),
           let oldPacket = old.decodedStreamData(before), let newPacket = new.decodedStreamData(after),
           XMPProperties.sameStatements(oldPacket, newPacket) {
            return change(.metadata)
        }
        if action == .changed, id == new.id(new.value(new.trailer, "/Info")),
           changedKeys(before, after).isSubset(of: ["/ModDate", "/Producer"]) {
            return change(.metadata)
        }
        return change(.content)
    }

    /// The full name of the (non-signature) form field whose value or appearance is all that
    /// changed in this object (the field, or one of its widgets), nil otherwise.
    private func filledField(_ before: qpdf_oh, _ after: qpdf_oh) -> String? {
        let isWidget = new.name(new.value(after, "/Subtype")) == "/Widget"
        let field = isWidget && !new.has(after, "/T") && !new.has(after, "/FT") ? new.value(after, "/Parent") : after
        guard new.isDictionary(field), let type = fieldType(field), type != "/Sig" else { return nil }
        var allowed: Set<String> = ["/V"]
        if isWidget { allowed.formUnion(["/AS", "/AP"]) }
        guard changedKeys(before, after).isSubset(of: allowed) else { return nil }
        return fullName(field)
    }

    /// Marks as form filling the new objects that only filled fields' new appearances reach.
    func attributeAppearances(_ changes: [ObjectChange]) -> [ObjectChange] {
        let filled = changes.filter { $0.kind == .formFilled }
        guard !filled.isEmpty else { return changes }
        var owner: [Int: String] = [:]
        for change in filled {
            let object = new.object(id: change.objectID)
            // Only objects the signed revision did not have.
            let reached = new.reachableObjects(from: [new.value(object, "/AP"), new.value(object, "/V")], limit: 100_000,
                                               following: { id in old.isNull(old.object(id: id)) })
            for id in reached { owner[id] = change.field }
        }
        return changes.map { change in
            guard change.action == .added, change.kind == .content, let field = owner[change.objectID] else { return change }
            var appearance = ObjectChange(objectID: change.objectID, action: .added, kind: .formFilled, role: change.role,
                                          page: change.page)
            appearance.field = field
            return appearance
        }
    }

    /// A field's type, its own or inherited from its parents.
    private func fieldType(_ field: qpdf_oh) -> String? {
        var current = field
        for _ in 0..<32 {
            if let type = new.name(new.value(current, "/FT")) { return type }
            current = new.value(current, "/Parent")
            guard new.isDictionary(current) else { return nil }
        }
        return nil
    }

    /// "parent.child": the partial names from the root of the field tree.
    private func fullName(_ field: qpdf_oh) -> String {
        var parts: [String] = []
        var current = field
        for _ in 0..<32 where new.isDictionary(current) {
            if let name = new.text(new.value(current, "/T")) { parts.insert(name, at: 0) }
            current = new.value(current, "/Parent")
        }
        return parts.joined(separator: ".")
    }

    /// The catalog, the form dictionary, the field list, a page or its annotation list, changed
    /// only by listing new signature fields (or new annotations, for a page's list).
    private func listingChange(_ before: qpdf_oh, _ after: qpdf_oh, id: Int) -> ChangeKind? {
        let form = new.value(new.root, "/AcroForm")
        if id == new.id(new.root) {
            // /Extensions only declares which extensions (such as PAdES's ESIC) the file uses.
            let keys = changedKeys(before, after).subtracting(["/Extensions"])
            guard keys.isSubset(of: ["/AcroForm", "/DSS"]) else { return nil }
            if keys.isEmpty { return .fileStructure }
            if keys.contains("/AcroForm"), new.id(form) == nil,
               !formChangeOnlyAddsSignatures(old.value(before, "/AcroForm"), form) { return nil }
            return keys == ["/DSS"] ? .validationData : .formListsNewSignature
        }
        if id == new.id(form) {
            return formChangeOnlyAddsSignatures(before, after) ? .formListsNewSignature : nil
        }
        if id == new.id(new.value(form, "/Fields")) {
            return appendsOnly(before, after, where: isSignatureField) ? .formListsNewSignature : nil
        }
        if pageNumbers[id] != nil {
            guard changedKeys(before, after) == ["/Annots"] else { return nil }
            let annotations = new.value(after, "/Annots")
            if new.id(annotations) != nil { return nil }  // a page that now points at another list
            return annotationListKind(old.value(before, "/Annots"), annotations)
        }
        // A page's annotation list kept as its own object.
        for pageID in pageNumbers.keys where new.id(new.value(new.object(id: pageID), "/Annots")) == id {
            return annotationListKind(before, after)
        }
        return nil
    }

    private func annotationListKind(_ before: qpdf_oh, _ after: qpdf_oh) -> ChangeKind? {
        if appendsOnly(before, after, where: isSignatureField) { return .formListsNewSignature }
        if appendsOnly(before, after, where: { new.isDictionary($0) && new.id($0) != nil }) { return .annotationAdded }
        return nil
    }

    private func formChangeOnlyAddsSignatures(_ before: qpdf_oh, _ after: qpdf_oh) -> Bool {
        let keys = changedKeys(before, after)
        guard keys.isSubset(of: ["/Fields", "/SigFlags"]) else { return false }
        let fields = new.value(after, "/Fields")
        if keys.contains("/Fields") {
            guard new.id(fields) == nil || old.isNull(old.value(before, "/Fields")) else { return false }
            return appendsOnly(old.value(before, "/Fields"), fields, where: isSignatureField)
        }
        return true
    }

    /// Whether `after` is `before` (possibly absent) with items appended, each new item new
    /// in this comparison (not an object the signed revision had) and satisfying `test`.
    private func appendsOnly(_ before: qpdf_oh, _ after: qpdf_oh, where test: (qpdf_oh) -> Bool) -> Bool {
        let oldItems = old.items(before), newItems = new.items(after)
        guard new.isArray(after), newItems.count > oldItems.count else { return false }
        for (index, item) in oldItems.enumerated() where old.unparsed(item) != new.unparsed(newItems[index]) {
            return false
        }
        return newItems[oldItems.count...].allSatisfy { item in
            guard let id = new.id(item), old.isNull(old.object(id: id)) else { return false }
            return test(item)
        }
    }

    /// Keys whose values differ (present on one side only counts).
    func changedKeys(_ before: qpdf_oh, _ after: qpdf_oh) -> Set<String> {
        var keys = Set(old.keys(before)).union(new.keys(after))
        keys = keys.filter { key in
            old.has(before, key) != new.has(after, key)
                || old.unparsed(old.value(before, key)) != new.unparsed(new.value(after, key))
        }
        return keys
    }

    private func isSignatureDictionary(_ object: qpdf_oh) -> Bool {
        // Producers differ on /Type for document time-stamps (/DocTimeStamp, /Sig, or none).
        let type = new.name(new.value(object, "/Type"))
        return new.isDictionary(object) && (type == "/Sig" || type == "/DocTimeStamp" || type == nil)
            && new.has(object, "/ByteRange") && new.has(object, "/Contents")
    }

    /// A signature field or its widget, invisible: a visible appearance added after signing
    /// is shown content, and is judged as such.
    private func isSignatureField(_ object: qpdf_oh) -> Bool {
        guard new.isDictionary(object) else { return false }
        let ownType = new.name(new.value(object, "/FT"))
        let parentType = new.name(new.value(new.value(object, "/Parent"), "/FT"))
        guard ownType == "/Sig" || (ownType == nil && parentType == "/Sig") else { return false }
        return !new.has(object, "/AP") || appearanceIsEmpty(object)
    }

    /// Whether a widget's rectangle has no area (an invisible signature).
    private func appearanceIsEmpty(_ widget: qpdf_oh) -> Bool {
        let rect = new.items(new.value(widget, "/Rect")).map { qpdf_oh_get_numeric_value(new.q, $0) }
        return rect.count == 4 && (rect[2] - rect[0]) == 0 && (rect[3] - rect[1]) == 0
    }

    private func role(of object: qpdf_oh, fallback: qpdf_oh) -> String {
        let subject = new.isNull(object) ? fallback : object
        let reader = new.isNull(object) ? old : new
        let type = reader.name(reader.value(subject, "/Type"))
        let subtype = reader.name(reader.value(subject, "/Subtype"))
        switch (type, subtype) {
        case ("/Page", _): return "page"
        case ("/Pages", _): return "page tree"
        case ("/Catalog", _): return "catalog"
        case ("/Font", _), (_, "/Type1"), (_, "/TrueType"), (_, "/Type0"): return "font"
        case ("/FontDescriptor", _): return "font descriptor"
        case ("/Annot", _), (_, "/Widget"), (_, "/FreeText"), (_, "/Stamp"), (_, "/Link"), (_, "/Text"): return "annotation"
        case ("/XObject", _), (_, "/Image"), (_, "/Form"): return subtype == "/Image" ? "image" : "form XObject"
        case ("/Sig", _): return "signature"
        case ("/DocTimeStamp", _): return "document time-stamp"
        case ("/Metadata", _): return "metadata"
        default:
            if reader.has(subject, "/FT") { return "form field" }
            if reader.isStream(subject) { return "stream" }
            return "object"
        }
    }
}
