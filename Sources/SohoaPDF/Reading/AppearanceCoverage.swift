import CQPDF

/// The third step of the change analysis, for what a later signer or annotator shows on a
/// page: a new or newly filled visible signature widget, or a new annotation, may draw only
/// where the signed page showed nothing (its blank paper, its empty margin), and only with
/// objects of its own. An appearance over signed text or over an earlier signature block
/// hides or changes what was signed ("sneaky signature" and "evil annotation" attacks); one
/// that draws objects of the signed revision (the page's own image, say) can show signed
/// content somewhere it was not signed.
struct AppearanceCoverage {
    let old: ObjectAccess
    let new: ObjectAccess
    let pageNumbers: [Int: Int]
    let fieldName: (qpdf_oh) -> String

    static let checkedKinds: Set<ChangeKind> = [.signatureAppearance, .signatureFieldFilled, .annotationAdded]

    func check(_ changes: [ObjectChange]) -> [ObjectChange] {
        guard changes.contains(where: { Self.checkedKinds.contains($0.kind) }) else { return changes }
        let listedOn = annotationPages()
        let images = ImageInkCache()
        var pages: [Int: PageInk] = [:]
        return changes.map { change in
            guard Self.checkedKinds.contains(change.kind), change.action != .removed else { return change }
            let annotation = new.object(id: change.objectID)
            guard let rect = PageInk.rect(new, new.value(annotation, "/Rect")),
                  (new.integer(new.value(annotation, "/F")) ?? 0) & 0b10_0010 == 0,
                  let pageID = listedOn[change.objectID] else { return change }
            let signedPage = old.object(id: pageID)
            guard old.isDictionary(signedPage) else { return change }
            let field = change.field ?? (change.kind == .annotationAdded ? nil : fieldName(annotation))
            if reusesSignedObjects(annotation, owners: Set([change.objectID, new.id(fieldObject(annotation))].compactMap { $0 })) {
                return ObjectChange(objectID: change.objectID, action: change.action, kind: .appearanceReusesSignedObjects,
                                    role: change.role, page: pageNumbers[pageID], field: field)
            }
            let ink = pages[pageID] ?? PageInk(access: old, page: signedPage, images: images)
            pages[pageID] = ink
            guard ink.ink(within: rect, ignoring: change.objectID) != nil else { return change }
            return ObjectChange(objectID: change.objectID, action: change.action, kind: .appearanceCoversSignedContent,
                                role: change.role, page: pageNumbers[pageID], field: field)
        }
    }

    /// Annotation object → the page whose /Annots lists it (now).
    private func annotationPages() -> [Int: Int] {
        var pages: [Int: Int] = [:]
        for pageID in pageNumbers.keys {
            for annotation in new.items(new.value(new.object(id: pageID), "/Annots")).prefix(100_000) {
                if let id = new.id(annotation), pages[id] == nil { pages[id] = pageID }
            }
        }
        return pages
    }

    /// Whether the appearance reaches an object that the signed revision showed elsewhere:
    /// one reachable then from the document's roots without passing through the annotation or
    /// its field (`owners`). Fonts, which only shape the appearance's own text, aside; what only
    /// the field itself used (an empty field's old appearance, redrawn) is its own.
    private func reusesSignedObjects(_ annotation: qpdf_oh, owners: Set<Int>) -> Bool {
        let appearance = new.value(annotation, "/AP")
        var candidates: [Int] = []
        _ = new.reachableObjects(from: [appearance], limit: 100_000, following: { id in
            let object = new.object(id: id)
            if new.name(new.value(object, "/Type")) == "/Font" { return false }
            if !old.isNull(old.object(id: id)) { candidates.append(id) }
            return true
        })
        guard !candidates.isEmpty else { return false }
        let signedElsewhere = ExclusiveOwnership.reachableFromRoots(old, avoiding: owners)
        return candidates.contains { signedElsewhere.contains($0) }
    }

    /// The field a widget belongs to (its /Parent), or the annotation itself.
    private func fieldObject(_ annotation: qpdf_oh) -> qpdf_oh {
        let parent = new.value(annotation, "/Parent")
        return new.isDictionary(parent) ? parent : annotation
    }
}
