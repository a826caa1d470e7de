import CQPDF
import Foundation

/// A signature dictionary found in a document (ISO 32000-2 §12.8.1), as the document says it
/// is; nothing here is checked yet.
public struct SignatureDictionary: Sendable {
    /// The field's full name ("Signature1", or "parent.child").
    public let fieldName: String
    /// The object number of the signature dictionary (nil when it is not an indirect object).
    public let objectID: Int?
    /// `/Sig` or `/DocTimeStamp` (nil when absent).
    public let type: String?
    public let filter: String?
    public let subFilter: String?
    /// The `/ByteRange` numbers when it is an array of integers; nil when absent or malformed.
    public let byteRange: [Int]?
    /// Why `/ByteRange` cannot be used as it is, when it cannot.
    public let byteRangeProblem: String?
    /// The `/Contents` bytes (the DER signature and its zero padding); nil when absent.
    public let contents: [UInt8]?
    /// The claimed signing time (`/M`), as written.
    public let claimedTime: String?
    public let reason: String?
    public let location: String?
    /// The signer's name as written into the dictionary (`/Name`), not a checked identity.
    public let name: String?
    /// DocMDP permissions (1, 2 or 3) when this dictionary certifies the document.
    public let certificationLevel: Int?
    /// The form-field locks this signature sets (FieldMDP in its /Reference, its field's /Lock).
    public let locks: [FieldLock]

    /// Whether it is a document time-stamp rather than a signature: known by its `/SubFilter`
    /// (producers differ on `/Type`: `/DocTimeStamp`, `/Sig` or none) or its `/Type`.
    public var isDocumentTimeStamp: Bool { subFilter == "/ETSI.RFC3161" || type == "/DocTimeStamp" }

    /// Whether this signature locks the field with this full name against later changes.
    public func locks(field: String) -> Bool { locks.contains { $0.locks(field) } }

    public init(fieldName: String, objectID: Int?, type: String?, filter: String?, subFilter: String?, byteRange: [Int]?,
                byteRangeProblem: String?, contents: [UInt8]?, claimedTime: String?, reason: String?, location: String?,
                name: String?, certificationLevel: Int?, locks: [FieldLock]) {
        self.fieldName = fieldName
        self.objectID = objectID
        self.type = type
        self.filter = filter
        self.subFilter = subFilter
        self.byteRange = byteRange
        self.byteRangeProblem = byteRangeProblem
        self.contents = contents
        self.claimedTime = claimedTime
        self.reason = reason
        self.location = location
        self.name = name
        self.certificationLevel = certificationLevel
        self.locks = locks
    }
}

/// The form fields a signature locks against later changes (FieldMDP, ISO 32000-2 §12.8.2.4).
public struct FieldLock: Sendable, Equatable {
    public enum Action: String, Sendable {
        /// Every field.
        case all = "/All"
        /// The fields named.
        case include = "/Include"
        /// Every field but those named.
        case exclude = "/Exclude"
    }

    public let action: Action
    public let fields: [String]

    public init(action: Action, fields: [String]) {
        self.action = action
        self.fields = fields
    }

    /// Whether the field with this full name is locked.
    public func locks(_ field: String) -> Bool {
        switch action {
        case .all: return true
        case .include: return fields.contains(field)
        case .exclude: return !fields.contains(field)
        }
    }
}

extension QPDFDocument {
    /// Every signature field that holds a signature: the form's fields (with their kids), and
    /// signature widgets reachable only from the pages. Loops and absurd depths are cut off.
    public func signatureDictionaries() throws -> [SignatureDictionary] {
        let access = try ObjectAccess(self)
        var found: [SignatureDictionary] = []
        var seenFields = Set<Int>()
        var seenSignatures = Set<Int>()
        let certifying = access.id(access.value(access.value(access.root, "/Perms"), "/DocMDP"))

        func visit(_ field: qpdf_oh, parentName: String?, inheritedType: String?, depth: Int) {
            guard depth < 32, access.isDictionary(field) else { return }
            if let id = access.id(field), !seenFields.insert(id).inserted { return }
            let partial = access.text(access.value(field, "/T"))
            let fullName = [parentName, partial].compactMap { $0 }.joined(separator: ".")
            let type = access.name(access.value(field, "/FT")) ?? inheritedType
            let kids = access.items(access.value(field, "/Kids"))
            for kid in kids where access.has(kid, "/T") || access.has(kid, "/Kids") {
                visit(kid, parentName: fullName.isEmpty ? nil : fullName, inheritedType: type, depth: depth + 1)
            }
            let value = access.value(field, "/V")
            guard type == "/Sig", access.isDictionary(value) else { return }
            if let id = access.id(value), !seenSignatures.insert(id).inserted { return }
            found.append(read(value, fieldName: fullName.isEmpty ? "(unnamed)" : fullName, field: field,
                              certifying: certifying, access))
        }

        for field in access.items(access.value(access.value(access.root, "/AcroForm"), "/Fields")) {
            visit(field, parentName: nil, inheritedType: nil, depth: 0)
        }
        let pages = access.pageCount()
        for index in 0..<min(pages, 100_000) {
            for annotation in access.items(access.value(qpdf_get_page_n(access.q, index), "/Annots"))
            where access.name(access.value(annotation, "/FT")) == "/Sig" {
                visit(annotation, parentName: nil, inheritedType: nil, depth: 0)
            }
        }
        return found
    }

    private func read(_ signature: qpdf_oh, fieldName: String, field: qpdf_oh?, certifying: Int?,
                      _ access: ObjectAccess) -> SignatureDictionary {
        let rangeObject = access.value(signature, "/ByteRange")
        var byteRange: [Int]?
        var problem: String?
        if !access.has(signature, "/ByteRange") {
            problem = "the signature has no /ByteRange"
        } else if !access.isArray(rangeObject) {
            problem = "/ByteRange is not an array"
        } else {
            let numbers = access.items(rangeObject).map { access.integer($0) }
            if numbers.contains(where: { $0 == nil }) {
                problem = "/ByteRange holds something other than integers"
            } else {
                byteRange = numbers.compactMap { $0 }
            }
        }
        var level: Int?
        var locks: [FieldLock] = []
        func lock(_ parameters: qpdf_oh) -> FieldLock? {
            guard let action = access.name(access.value(parameters, "/Action")).flatMap(FieldLock.Action.init) else { return nil }
            return FieldLock(action: action, fields: access.items(access.value(parameters, "/Fields")).compactMap { access.text($0) })
        }
        for reference in access.items(access.value(signature, "/Reference")) {
            switch access.name(access.value(reference, "/TransformMethod")) {
            case "/DocMDP": level = access.integer(access.value(access.value(reference, "/TransformParams"), "/P")) ?? 2
            case "/FieldMDP": if let found = lock(access.value(reference, "/TransformParams")) { locks.append(found) }
            default: break
            }
        }
        if let field, let found = lock(access.value(field, "/Lock")) { locks.append(found) }
        let isCertification = level != nil && certifying != nil && certifying == access.id(signature)
        return SignatureDictionary(
            fieldName: fieldName, objectID: access.id(signature),
            type: access.name(access.value(signature, "/Type")),
            filter: access.name(access.value(signature, "/Filter")),
            subFilter: access.name(access.value(signature, "/SubFilter")),
            byteRange: byteRange, byteRangeProblem: problem,
            contents: access.bytes(access.value(signature, "/Contents")),
            claimedTime: access.text(access.value(signature, "/M")),
            reason: access.text(access.value(signature, "/Reason")),
            location: access.text(access.value(signature, "/Location")),
            name: access.text(access.value(signature, "/Name")),
            certificationLevel: isCertification ? level : nil,
            locks: locks)
    }
}

extension QPDFDocument {
    /// The signature dictionary that is object `id` in this document (this revision), nil when
    /// that object is not a dictionary.
    public func signatureDictionary(objectID id: Int) throws -> SignatureDictionary? {
        let access = try ObjectAccess(self)
        let object = access.object(id: id)
        guard access.isDictionary(object) else { return nil }
        let certifying = access.id(access.value(access.value(access.root, "/Perms"), "/DocMDP"))
        return read(object, fieldName: "", field: nil, certifying: certifying, access)
    }

    /// What the document's Document Security Store holds (certificates, CRLs and OCSP
    /// responses, decoded), empty when it has none.
    public func documentSecurityStore() throws -> ValidationMaterial {
        let access = try ObjectAccess(self)
        let store = access.value(access.root, "/DSS")
        func streams(_ key: String) -> [[UInt8]] {
            access.items(access.value(store, key)).prefix(10_000).compactMap { item in
                access.isStream(item) ? access.streamContents(item) : nil
            }
        }
        return ValidationMaterial(certificates: streams("/Certs"), crls: streams("/CRLs"), ocspResponses: streams("/OCSPs"))
    }
}
