import SohoaPDF

/// Which changes after a signature the signature allows: named rules, each covering some kinds
/// of change and saying when they are permitted (ISO 32000-2 §12.8.2.2 DocMDP, §12.8.2.4
/// FieldMDP; PAdES for validation data and document time-stamps).
public struct ChangePolicy: Sendable {
    /// When a rule's changes are permitted, by the document's certification (DocMDP) level.
    public enum Permission: Sendable, Equatable {
        /// Whatever the certification: changes that alter nothing a reader sees or relies on.
        case always
        /// Unless the document is certified with P=1 (no changes): signing and form filling.
        case unlessNoChangesPermitted
        /// Only when certified with P=3: annotations.
        case annotationsPermitted

        func permits(certification: Int?) -> Bool {
            switch self {
            case .always: return true
            case .unlessNoChangesPermitted: return certification != 1
            case .annotationsPermitted: return certification == 3
            }
        }
    }

    /// One named rule.
    public struct Rule: Sendable {
        /// A stable name, shown in reports ("validation-data", "form-filling", …).
        public let name: String
        public let kinds: Set<ChangeKind>
        public let permission: Permission
        /// Whether a change to a field the signature locks (FieldMDP) is refused all the same.
        public let respectsFieldLocks: Bool

        public init(name: String, kinds: Set<ChangeKind>, permission: Permission, respectsFieldLocks: Bool = false) {
            self.name = name
            self.kinds = kinds
            self.permission = permission
            self.respectsFieldLocks = respectsFieldLocks
        }
    }

    public var rules: [Rule]

    public init(rules: [Rule]) {
        self.rules = rules
    }

    /// What Sohoa allows.
    public static let standard = ChangePolicy(rules: [
        Rule(name: "file-structure", kinds: [.fileStructure, .unusedObject], permission: .always),
        Rule(name: "long-term-validation", kinds: [.validationData, .documentTimeStampAdded], permission: .always),
        Rule(name: "bookkeeping", kinds: [.metadata, .declarations], permission: .always),
        Rule(name: "signature-field", kinds: [.signatureFieldAdded, .formListsNewSignature], permission: .always),
        Rule(name: "signing", kinds: [.signatureAdded, .signatureFieldFilled], permission: .unlessNoChangesPermitted),
        // A later signature's appearance, which the change analysis has found to draw only on
        // what the signed page left blank, with objects of its own.
        Rule(name: "visible-signature", kinds: [.signatureAppearance], permission: .unlessNoChangesPermitted),
        Rule(name: "form-filling", kinds: [.formFilled], permission: .unlessNoChangesPermitted, respectsFieldLocks: true),
        Rule(name: "form-defaults", kinds: [.formResources], permission: .unlessNoChangesPermitted),
        Rule(name: "annotations", kinds: [.annotationAdded], permission: .annotationsPermitted),
    ])

    /// The rule that allows `change` after `signature`, given the document's certification
    /// level (nil: not certified); nil when no rule does.
    public func rule(allowing change: ObjectChange, certification: Int?, signature: SignatureDictionary) -> Rule? {
        rules.first { rule in
            rule.kinds.contains(change.kind) && rule.permission.permits(certification: certification)
                && !(rule.respectsFieldLocks && signature.locks(field: change.field ?? ""))
        }
    }
}
