import CQPDF
import Foundation

/// Says what one changed object is, looking at the object itself and what refers to it: the
/// first step of the change analysis (`ExclusiveOwnership` then attributes the objects only a
/// changed field or declaration uses).
struct ChangeClassifier {
    let old: ObjectAccess
    let new: ObjectAccess
    let reach: Reachability
    let pageNumbers: [Int: Int]
    /// Which field each widget belongs to, in the signed revision and now.
    let oldFields: FieldTree
    let newFields: FieldTree

    init(old: ObjectAccess, new: ObjectAccess, reach: Reachability, pageNumbers: [Int: Int]) {
        self.old = old
        self.new = new
        self.reach = reach
        self.pageNumbers = pageNumbers
        oldFields = FieldTree(old)
        newFields = FieldTree(new)
    }

    /// Keys a form field or its widget may change when it is filled in (value, appearance,
    /// appearance state, annotation flags, default appearance and quadding, /Type).
    static let fillingKeys: Set<String> = ["/V", "/AP", "/AS", "/F", "/DA", "/Q", "/Type"]
    /// Catalog keys that declare things about the file rather than show anything.
    static let declarationKeys: Set<String> = ["/Extensions", "/Version", "/MarkInfo"]

    func classify(id: Int, before: qpdf_oh, after: qpdf_oh) -> ObjectChange {
        let action: ObjectChange.Action = old.isNull(before) ? .added : (new.isNull(after) ? .removed : .changed)
        let role = self.role(of: after, fallback: before)
        func change(_ kind: ChangeKind, field: String? = nil) -> ObjectChange {
            ObjectChange(objectID: id, action: action, kind: kind, role: role, page: pageNumbers[id], field: field)
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
        if action == .added, isNewAnnotation(after) { return change(.annotationAdded) }
        if isSignatureFieldOrWidget(after) {
            return change(signatureFieldKind(before, after, action) ?? .content, field: fullName(fieldOf(after)))
        }
        if action == .changed, let field = filledField(before, after) { return change(.formFilled, field: field) }
        if action != .removed, let kind = listingChange(before, after, id: id) { return change(kind) }
        if id == new.id(new.value(new.root, "/Metadata")), metadataKeepsItsStatements() { return change(.metadata) }
        if action == .changed, id == new.id(new.value(new.trailer, "/Info")),
           changedKeys(before, after).isSubset(of: ["/ModDate", "/Producer"]) {
            return change(.metadata)
        }
        if id == new.id(new.value(new.value(new.root, "/AcroForm"), "/DR")),
           resourcesOnlyGain(old.value(old.value(old.root, "/AcroForm"), "/DR"), after) {
            return change(.formResources)
        }
        return change(.content)
    }

    // MARK: Signature fields

    /// What a change to a signature field (or its widget) is, nil when it is not an allowed
    /// kind of change: a new invisible field; a new visible field holding a new signature; an
    /// empty field that received its signature (and its appearance).
    private func signatureFieldKind(_ before: qpdf_oh, _ after: qpdf_oh, _ action: ObjectChange.Action) -> ChangeKind? {
        let field = fieldOf(after)
        switch action {
        case .added:
            guard isVisible(field) else { return .signatureFieldAdded }
            return holdsNewSignature(field) ? .signatureAppearance : nil
        case .changed:
            guard isSignatureFieldOrWidget(before, inSigned: true), changedKeys(before, after).isSubset(of: Self.fillingKeys),
                  !replacesSharedAppearance(before, after) else { return nil }
            // The field (itself, or the widget's parent) was empty when signed and holds a new signature now.
            guard let fieldID = new.id(field) else { return nil }
            let oldField = old.object(id: fieldID)
            guard old.isNull(old.value(oldField, "/V")), holdsNewSignature(field) else { return nil }
            return .signatureFieldFilled
        case .removed:
            return nil
        }
    }

    /// Whether the field's value is a signature dictionary the signed revision did not have.
    private func holdsNewSignature(_ field: qpdf_oh) -> Bool {
        let value = new.value(field, "/V")
        guard isSignatureDictionary(value), let id = new.id(value) else { return false }
        return old.isNull(old.object(id: id))
    }

    /// A signature field or a widget of one, visible or not (`object` read in the signed
    /// revision with `inSigned`, otherwise in the current document).
    func isSignatureFieldOrWidget(_ object: qpdf_oh, inSigned: Bool = false) -> Bool {
        let (access, tree) = inSigned ? (old, oldFields) : (new, newFields)
        guard access.isDictionary(object) else { return false }
        let ownType = access.name(access.value(object, "/FT"))
        let fieldType = access.name(access.value(tree.field(of: object), "/FT"))
        return ownType == "/Sig" || (ownType == nil && fieldType == "/Sig")
    }

    /// A new signature field or widget that is invisible or holds a new signature.
    func isNewSignatureField(_ object: qpdf_oh) -> Bool {
        isSignatureFieldOrWidget(object) && (!isVisible(fieldOf(object)) || holdsNewSignature(fieldOf(object)))
    }

    /// The field a widget belongs to (in the current document).
    func fieldOf(_ object: qpdf_oh) -> qpdf_oh { newFields.field(of: object) }

    /// Whether a field shows anything: one of its widgets (itself, or its kids) has an area and
    /// is not hidden.
    func isVisible(_ field: qpdf_oh) -> Bool {
        let widgets = [field] + new.items(new.value(field, "/Kids")).prefix(1000)
        return widgets.contains { widget in
            let rect = new.items(new.value(widget, "/Rect")).map { qpdf_oh_get_numeric_value(new.q, $0) }
            guard rect.count == 4, abs(rect[2] - rect[0]) * abs(rect[3] - rect[1]) > 0 else { return false }
            let flags = new.integer(new.value(widget, "/F")) ?? 0
            return flags & 0b10_0010 == 0  // Hidden (2), NoView (32)
        }
    }

    /// A new annotation that is not a form field's widget: a dictionary with a subtype and a
    /// rectangle (what it shows is judged by `AppearanceCoverage`).
    private func isNewAnnotation(_ object: qpdf_oh) -> Bool {
        guard new.isDictionary(object), let subtype = new.name(new.value(object, "/Subtype")), subtype != "/Widget",
              new.isArray(new.value(object, "/Rect")), !new.has(object, "/FT") else { return false }
        let type = new.name(new.value(object, "/Type"))
        return type == nil || type == "/Annot"
    }

    // MARK: Form filling

    /// The full name of the (non-signature) form field whose value or appearance is all that
    /// changed in this object (the field, or one of its widgets), nil otherwise.
    private func filledField(_ before: qpdf_oh, _ after: qpdf_oh) -> String? {
        let field = fieldOf(after)
        guard new.isDictionary(field), let type = fieldType(field), type != "/Sig" else { return nil }
        guard changedKeys(before, after).isSubset(of: Self.fillingKeys), !replacesSharedAppearance(before, after) else {
            return nil
        }
        return fullName(field)
    }

    /// Whether a widget's appearance changes although its appearance dictionary, when signed,
    /// was an object something else in the document used too: honest software does not share
    /// a field's appearance dictionary, and a file that does is built to confuse what a
    /// verifier attributes to the field (pyHanko refuses it as well).
    private func replacesSharedAppearance(_ before: qpdf_oh, _ after: qpdf_oh) -> Bool {
        guard changedKeys(before, after).contains("/AP"), let appearance = old.id(old.value(before, "/AP")) else { return false }
        let owners = Set([old.id(before), old.id(oldFields.field(of: before))].compactMap { $0 })
        return ExclusiveOwnership.reachableFromRoots(old, avoiding: owners).contains(appearance)
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
    func fullName(_ field: qpdf_oh) -> String {
        var parts: [String] = []
        var current = field
        for _ in 0..<32 where new.isDictionary(current) {
            if let name = new.text(new.value(current, "/T")) { parts.insert(name, at: 0) }
            current = new.value(current, "/Parent")
        }
        return parts.joined(separator: ".")
    }

    // MARK: Catalog, form and page lists

    /// The catalog, the form dictionary, the field list, a page or its annotation list, changed
    /// only in ways a new signature, validation data, form defaults or declarations explain.
    /// Each is compared with what stood at the same place in the signed revision, so that an
    /// entry re-pointed at another object is judged by what it now holds.
    private func listingChange(_ before: qpdf_oh, _ after: qpdf_oh, id: Int) -> ChangeKind? {
        let form = new.value(new.root, "/AcroForm")
        let oldForm = old.value(old.root, "/AcroForm")
        if id == new.id(new.root) {
            var keys = changedKeys(old.root, after).subtracting(Self.declarationKeys)
            if keys.contains("/Metadata") {
                guard metadataKeepsItsStatements() else { return nil }
                keys.remove("/Metadata")
            }
            var kinds: [ChangeKind] = []
            if keys.contains("/AcroForm") {
                guard let kind = formChange(oldForm, form) else { return nil }
                kinds.append(kind)
                keys.remove("/AcroForm")
            }
            if keys.contains("/DSS") {
                kinds.append(.validationData)
                keys.remove("/DSS")
            }
            guard keys.isEmpty else { return nil }
            return kinds.first ?? .declarations
        }
        if id == new.id(form) { return formChange(oldForm, after) }
        if id == new.id(new.value(form, "/Fields")) {
            return appendsOnly(old.value(oldForm, "/Fields"), after, where: isNewSignatureField) ? .formListsNewSignature : nil
        }
        if pageNumbers[id] != nil {
            guard changedKeys(before, after) == ["/Annots"] else { return nil }
            return annotationListKind(old.value(before, "/Annots"), new.value(after, "/Annots"))
        }
        // A page's annotation list kept as its own object.
        for pageID in pageNumbers.keys where new.id(new.value(new.object(id: pageID), "/Annots")) == id {
            return annotationListKind(old.value(old.object(id: pageID), "/Annots"), after)
        }
        return nil
    }

    private func annotationListKind(_ before: qpdf_oh, _ after: qpdf_oh) -> ChangeKind? {
        if appendsOnly(before, after, where: isNewSignatureField) { return .formListsNewSignature }
        if appendsOnly(before, after, where: { new.isDictionary($0) && new.id($0) != nil }) { return .annotationAdded }
        return nil
    }

    /// What a change to the form dictionary is: new signature fields listed (and the signature
    /// flags), or new default resources and default appearance settings; nil for anything else.
    private func formChange(_ before: qpdf_oh, _ after: qpdf_oh) -> ChangeKind? {
        guard new.isDictionary(after) else { return nil }
        let keys = changedKeys(before, after)
        guard keys.isSubset(of: ["/Fields", "/SigFlags", "/DR", "/DA", "/Q", "/NeedAppearances"]) else { return nil }
        if keys.contains("/Fields"),
           !appendsOnly(old.value(before, "/Fields"), new.value(after, "/Fields"), where: isNewSignatureField) {
            return nil
        }
        // Asking viewers to redraw every field could change what the signed fields show.
        let redraw = new.value(after, "/NeedAppearances")
        if keys.contains("/NeedAppearances"), qpdf_oh_is_bool(new.q, redraw) != 0, qpdf_oh_get_bool_value(new.q, redraw) != 0 {
            return nil
        }
        if keys.contains("/DR"), !resourcesOnlyGain(old.value(before, "/DR"), new.value(after, "/DR")) { return nil }
        return keys.isDisjoint(with: ["/DR", "/DA", "/Q", "/NeedAppearances"]) ? .formListsNewSignature : .formResources
    }

    /// Whether a resource dictionary (the form's /DR) only gained entries: every resource it
    /// named before is named the same way now.
    private func resourcesOnlyGain(_ before: qpdf_oh, _ after: qpdf_oh) -> Bool {
        guard new.isDictionary(after) || new.isNull(after) else { return false }
        for category in old.keys(before) {
            let oldCategory = old.value(before, category), newCategory = new.value(after, category)
            guard old.isDictionary(oldCategory) else {
                guard old.unparsed(oldCategory) == new.unparsed(newCategory) else { return false }
                continue
            }
            for name in old.keys(oldCategory)
            where old.unparsed(old.value(oldCategory, name)) != new.unparsed(new.value(newCategory, name)) {
                return false
            }
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

    // MARK: Metadata

    /// Whether the catalog's XMP packet states what the signed revision's stated, bookkeeping
    /// aside (a packet added where there was none may state bookkeeping only).
    private func metadataKeepsItsStatements() -> Bool {
        let packet = new.value(new.root, "/Metadata")
        guard new.isStream(packet), let newBytes = new.decodedStreamData(packet) else { return false }
        let before = old.value(old.root, "/Metadata")
        if old.isNull(before) { return XMPProperties.statesOnlyBookkeeping(newBytes) }
        guard old.isStream(before), let oldBytes = old.decodedStreamData(before) else { return false }
        return XMPProperties.sameStatements(oldBytes, newBytes)
    }

    // MARK: Helpers

    /// Keys whose values differ (present on one side only counts).
    func changedKeys(_ before: qpdf_oh, _ after: qpdf_oh) -> Set<String> {
        var keys = Set(old.keys(before)).union(new.keys(after))
        keys = keys.filter { key in
            old.has(before, key) != new.has(after, key)
                || old.unparsed(old.value(before, key)) != new.unparsed(new.value(after, key))
        }
        return keys
    }

    /// A signature or document time-stamp dictionary; producers differ on /Type (/Sig,
    /// /DocTimeStamp, or none).
    func isSignatureDictionary(_ object: qpdf_oh) -> Bool {
        let type = new.name(new.value(object, "/Type"))
        return new.isDictionary(object) && (type == "/Sig" || type == "/DocTimeStamp" || type == nil)
            && new.has(object, "/ByteRange") && new.has(object, "/Contents")
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

/// A document's form fields: which field each widget belongs to, by its /Parent or, for a
/// widget that lacks one, by the field whose /Kids list it.
struct FieldTree {
    let access: ObjectAccess
    /// Widget object → the field object whose /Kids list it.
    let listedBy: [Int: Int]

    init(_ access: ObjectAccess) {
        self.access = access
        var listedBy: [Int: Int] = [:]
        var seen = Set<Int>()
        var stack = access.items(access.value(access.value(access.root, "/AcroForm"), "/Fields")).map { ($0, 0) }
        while let (field, depth) = stack.popLast(), seen.count < 100_000 {
            guard depth < 32, access.isDictionary(field) else { continue }
            if let id = access.id(field), !seen.insert(id).inserted { continue }
            for kid in access.items(access.value(field, "/Kids")).prefix(10_000) {
                if access.has(kid, "/T") || access.has(kid, "/Kids") {
                    stack.append((kid, depth + 1))
                } else if let kidID = access.id(kid), let fieldID = access.id(field) {
                    listedBy[kidID] = fieldID
                }
            }
        }
        self.listedBy = listedBy
    }

    /// The field `object` belongs to: itself, unless it is a widget with no name or type of
    /// its own, whose field is its /Parent or the field listing it.
    func field(of object: qpdf_oh) -> qpdf_oh {
        guard access.name(access.value(object, "/Subtype")) == "/Widget", !access.has(object, "/T"),
              !access.has(object, "/FT") else { return object }
        let parent = access.value(object, "/Parent")
        if access.isDictionary(parent) { return parent }
        if let id = access.id(object), let field = listedBy[id] { return access.object(id: field) }
        return object
    }
}
