import SohoaRepository

/// Who asks, and with which roles: every use case takes one and checks it before it reads or
/// changes anything. Its `actor` is the name written into the audit log.
public struct Principal: Sendable, Equatable {
    /// How the principal is named in the audit log.
    public let actor: String
    public let roles: Set<AccessRole>

    /// A person at the machine that holds the data (the command line): the operating-system
    /// user, with every role — whoever can read the data folder can read the records anyway.
    public static func localUser(_ name: String) -> Principal {
        Principal(actor: name, roles: Set(AccessRole.allCases))
    }

    /// The holder of a grant's token, named `api:NAME` in the audit log.
    public static func holder(of grant: AccessGrant) -> Principal {
        Principal(actor: "api:\(grant.name)", roles: Set(grant.roles))
    }

    public init(actor: String, roles: Set<AccessRole>) {
        self.actor = actor
        self.roles = roles
    }

    /// Whether it may do `permission`.
    public func may(_ permission: Permission) -> Bool { !roles.isDisjoint(with: permission.roles) }

    /// Refuses (`ServiceError.forbidden`) unless it may do `permission`.
    public func require(_ permission: Permission) throws(ServiceError) {
        guard may(permission) else {
            throw .forbidden("\(actor) may not \(permission.what); that needs the role "
                             + permission.roles.sorted().map(\.rawValue).joined(separator: " or "))
        }
    }

    /// Refuses (`ServiceError.forbidden`) unless it may do one of `permissions`.
    public func require(anyOf permissions: [Permission]) throws(ServiceError) {
        guard permissions.contains(where: may) else {
            let roles = Set(permissions.flatMap(\.roles)).sorted().map(\.rawValue).joined(separator: " or ")
            throw .forbidden("\(actor) may not \(permissions.map(\.what).joined(separator: " nor ")); that needs the role \(roles)")
        }
    }

    /// Whether its reading of citizens' documents is limited to the cases it serves: an
    /// agency, and nothing that reads everything.
    public var readsForCasesOnly: Bool {
        roles.contains(.agency) && roles.isDisjoint(with: Permission.readEverything.roles)
    }
}

/// What a use case needs, and the roles that give it (SPEC.md).
public enum Permission: Sendable, CaseIterable {
    /// Lists and reads any citizen's documents.
    case readEverything
    /// Reads a citizen's documents for a case of that citizen's (an agency), or any.
    case readForCase
    /// Files a PDF (intake).
    case file
    /// Attaches a filed document to another case.
    case reuse
    /// Verifies an uploaded PDF.
    case verify
    /// Reads the pipeline's status.
    case readStatus
    /// Reads the audit log.
    case readAuditLog
    /// Signs what waits for signature.
    case sign
    /// Approves what is signed.
    case approve
    /// Grants and revokes access.
    case manageAccess

    public var roles: Set<AccessRole> {
        switch self {
        case .readEverything: [.auditor, .officer, .approver]
        case .readForCase: [.auditor, .officer, .approver, .agency]
        case .file: [.operator, .officer]
        case .reuse: [.agency, .officer]
        case .verify: [.auditor, .officer, .approver, .agency, .operator]
        case .readStatus: [.operator, .officer, .approver, .auditor, .admin]
        case .readAuditLog: [.auditor]
        case .sign: [.officer]
        case .approve: [.approver]
        case .manageAccess: [.admin]
        }
    }

    /// What it is, after "may not".
    var what: String {
        switch self {
        case .readEverything: "read every citizen's documents"
        case .readForCase: "read citizens' documents"
        case .file: "file documents"
        case .reuse: "attach documents to cases"
        case .verify: "verify documents"
        case .readStatus: "read the pipeline's status"
        case .readAuditLog: "read the audit log"
        case .sign: "sign documents"
        case .approve: "approve documents"
        case .manageAccess: "manage access"
        }
    }
}
