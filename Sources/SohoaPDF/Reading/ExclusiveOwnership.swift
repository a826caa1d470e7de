import CQPDF
import Foundation

/// The second step of the change analysis: a changed object that only an allowed change uses
/// (the appearance stream, font and image of a new or filled field, what a new /Extensions or
/// new default resources refer to) takes that change's kind. "Only" is checked from the
/// document's roots: an object that can be reached without passing through the owner would
/// show its change somewhere else too, so it stays what it is (content). An object that
/// existed when signing may be taken over only if, then too, nothing but the owner reached it.
struct ExclusiveOwnership {
    let old: ObjectAccess
    let new: ObjectAccess
    /// Which field each widget belongs to, now.
    let fields: FieldTree

    /// An allowed change whose objects' exclusive dependencies inherit its kind.
    struct Owner {
        /// The objects the owner consists of (a field and its widgets), never entered from the roots.
        var members: Set<Int>
        /// Where its dependencies start (in the current document).
        var starts: [qpdf_oh]
        var kind: ChangeKind
        var field: String?
        /// Whether objects the signed revision had may be attributed (an appearance stream
        /// reused for the field's new appearance), or only new ones.
        var takesOverOldObjects: Bool
    }

    /// From the most to the least restricted, for an object two owners share.
    static let restrictiveness: [ChangeKind] = [
        .annotationAdded, .signatureAppearance, .formFilled, .formResources, .signatureFieldFilled, .signatureFieldAdded, .declarations,
    ]

    func attribute(_ changes: [ObjectChange]) -> [ObjectChange] {
        guard changes.contains(where: { $0.kind == .content && $0.action != .removed }) else { return changes }
        let owners = self.owners(changes)
        guard !owners.isEmpty else { return changes }
        let members = owners.reduce(into: Set<Int>()) { $0.formUnion($1.members) }
        let shared = Self.reachableFromRoots(new, avoiding: members)
        let sharedBefore = Self.reachableFromRoots(old, avoiding: members)
        let limit = RevisionComparison.objectLimit * 4
        let reaches = owners.map { owner in
            new.reachableObjects(from: owner.starts, limit: limit, following: { !shared.contains($0) })
        }
        return changes.map { change in
            guard change.kind == .content, change.action != .removed else { return change }
            let candidates = owners.indices.filter { index in
                guard reaches[index].contains(change.objectID) else { return false }
                if change.action == .changed {
                    return owners[index].takesOverOldObjects && !sharedBefore.contains(change.objectID)
                }
                return true
            }
            guard let chosen = candidates.min(by: { rank(owners[$0].kind) < rank(owners[$1].kind) }) else { return change }
            return ObjectChange(objectID: change.objectID, action: change.action, kind: owners[chosen].kind, role: change.role,
                                page: change.page, field: owners[chosen].field)
        }
    }

    private func rank(_ kind: ChangeKind) -> Int { Self.restrictiveness.firstIndex(of: kind) ?? Self.restrictiveness.count }

    /// The fields that changed in an allowed way, the catalog's /Extensions and the form's
    /// default resources.
    private func owners(_ changes: [ObjectChange]) -> [Owner] {
        let fieldKinds: Set<ChangeKind> = [.signatureFieldAdded, .signatureAppearance, .signatureFieldFilled, .formFilled]
        var byField: [Int: Owner] = [:]
        for change in changes where fieldKinds.contains(change.kind) {
            let object = new.object(id: change.objectID)
            let field = fields.field(of: object)
            guard let fieldID = new.id(field) else { continue }
            let widgets = new.items(new.value(field, "/Kids")).prefix(1000).filter { !new.has($0, "/T") }
            var owner = byField[fieldID] ?? Owner(members: [fieldID], starts: [field], kind: change.kind, field: change.field,
                                                  takesOverOldObjects: true)
            for widget in widgets {
                if let id = new.id(widget), owner.members.insert(id).inserted { owner.starts.append(widget) }
            }
            if rank(change.kind) < rank(owner.kind) { owner.kind = change.kind }
            byField[fieldID] = owner
        }
        var owners = Array(byField.values)
        // A new annotation, and its appearance: only new objects.
        for change in changes where change.kind == .annotationAdded && change.action == .added {
            let annotation = new.object(id: change.objectID)
            guard new.has(annotation, "/Rect") else { continue }  // a page's annotation list
            owners.append(Owner(members: [change.objectID], starts: [annotation], kind: .annotationAdded, field: nil,
                                takesOverOldObjects: false))
        }
        let extensions = new.value(new.root, "/Extensions")
        if !new.isNull(extensions) {
            owners.append(Owner(members: Set([new.id(extensions)].compactMap { $0 }), starts: [extensions], kind: .declarations,
                                field: nil, takesOverOldObjects: true))
        }
        let resources = new.value(new.value(new.root, "/AcroForm"), "/DR")
        if !new.isNull(resources) {
            owners.append(Owner(members: Set([new.id(resources)].compactMap { $0 }), starts: [resources], kind: .formResources,
                                field: nil, takesOverOldObjects: false))
        }
        return owners
    }


    /// Every object a document reaches from its roots without entering `avoiding`, the
    /// catalog's /Extensions and /DSS or the form's /DR: what a change to any of them would show.
    static func reachableFromRoots(_ access: ObjectAccess, avoiding: Set<Int>) -> Set<Int> {
        let root = access.root
        let form = access.value(root, "/AcroForm")
        // Every trailer entry but the catalog: /Info, and whatever else a file puts there.
        var starts = access.keys(access.trailer).filter { $0 != "/Root" }.map { access.value(access.trailer, $0) }
        for key in access.keys(root) where !["/DSS", "/AcroForm", "/Extensions"].contains(key) {
            starts.append(access.value(root, key))
        }
        for key in access.keys(form) where key != "/DR" {
            starts.append(access.value(form, key))
        }
        let fenced = avoiding.union([access.id(root), access.id(form), access.id(access.value(root, "/Extensions")),
                                     access.id(access.value(form, "/DR")), access.id(access.value(root, "/DSS"))].compactMap { $0 })
        return access.reachableObjects(from: starts, limit: RevisionComparison.objectLimit * 4,
                                       following: { !fenced.contains($0) })
    }
}
