import Foundation

/// Who may use the repository through `sohoa serve`: named grants of roles, each reached with
/// its own bearer token or with a TLS client certificate (an agency's organisation certificate).
/// The store keeps only what checks a token (its public key part and the SHA-256 of its secret
/// part), never the token. Every grant and revocation is an audit entry written in the same
/// transaction.
public protocol AccessRegistry: Sendable {
    /// Records a new grant. A name that already has a grant in force is refused
    /// (`StoreError.conflict`): revoke it first. So is a certificate that a grant in force
    /// already names.
    func grantAccess(_ grant: AccessGrant, actor: String) async throws

    /// Every grant, those revoked too, oldest first.
    func accessGrants() async throws -> [AccessGrant]

    /// The grant whose token has the public part `key` (revoked or not); nil when none has.
    func accessGrant(key: String) async throws -> AccessGrant?

    /// The grant in force that a client certificate with this subject from this issuer stands
    /// for; nil when none does.
    func accessGrant(certificate: CertificateBinding) async throws -> AccessGrant?

    /// Revokes the grant in force under `name`; returns whether there was one.
    func revokeAccess(name: AccessName, now: Date, actor: String) async throws -> Bool
}

/// What a principal may do (SPEC.md): each use of the service needs one of them.
public enum AccessRole: String, Sendable, Codable, CaseIterable, Comparable {
    /// Intake: files scans and PDFs, follows the pipeline.
    case `operator`
    /// Signs what waits for signature.
    case officer
    /// Approves what is signed.
    case approver
    /// Reads everything, verifies, reads the audit log.
    case auditor
    /// Another agency: reads a citizen's documents for a case of that citizen's, and reuses them.
    case agency
    /// Manages who has access.
    case admin

    public static func < (a: AccessRole, b: AccessRole) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// The name a grant is known by (a person, a branch, an agency's system): 1 to 64 of lower-case
/// letters, digits, `.`, `-`, `_` and `@`, starting with a letter or a digit. It is written
/// into audit entries and logs, so nothing else is accepted.
public struct AccessName: Hashable, Sendable, CustomStringConvertible, TextIdentifier, Comparable {
    public let rawValue: String

    static let kind = "access name"

    public init(_ text: String) throws(IdentifierError) {
        let allowed = text.utf8.allSatisfy { byte in
            (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) || byte == 0x2E || byte == 0x2D || byte == 0x5F || byte == 0x40
        }
        guard (1...64).contains(text.utf8.count), allowed, let first = text.utf8.first,
              (0x61...0x7A).contains(first) || (0x30...0x39).contains(first) else {
            throw IdentifierError(kind: Self.kind, text: text,
                                  reason: "a name is 1 to 64 lower-case letters, digits, '.', '-', '_' or '@', starting with a letter "
                                      + "or a digit (for example tp-hcm.q1 or nguyen.van.an)",
                                  vietnameseReason: "tên gồm 1 đến 64 chữ thường không dấu, chữ số, '.', '-', '_' hoặc '@', bắt đầu "
                                      + "bằng chữ hoặc số (ví dụ tp-hcm.q1 hoặc nguyen.van.an)")
        }
        rawValue = text
    }

    public var description: String { rawValue }
    public static func < (a: AccessName, b: AccessName) -> Bool { a.rawValue < b.rawValue }
}

/// The client certificate that stands for a grant: its subject and issuer names, as OpenSSL
/// renders them (RFC 2253, UTF-8). A certificate renewed by the same authority for the same
/// subject keeps standing for the grant; one from another issuer does not.
public struct CertificateBinding: Sendable, Hashable, Codable {
    public let subject: String
    public let issuer: String

    public init(subject: String, issuer: String) {
        self.subject = subject
        self.issuer = issuer
    }
}

/// One grant of access: a name, its roles, and what checks its token or certificate.
public struct AccessGrant: Sendable, Equatable, Codable {
    public let name: AccessName
    public let roles: [AccessRole]
    /// The token's public part, which finds the grant (unique among every grant ever made).
    public let key: String
    /// The SHA-256 of the token's secret part, hexadecimal.
    public let secretHash: String
    public let created: Date
    /// When it was revoked; nil while in force.
    public let revoked: Date?
    /// The client certificate that signs in for it; nil for a grant used with its token. A
    /// grant with a certificate has no token anyone knows: its secret was never shown.
    public let certificate: CertificateBinding?

    public init(name: AccessName, roles: [AccessRole], key: String, secretHash: String, created: Date, revoked: Date? = nil,
                certificate: CertificateBinding? = nil) {
        self.name = name
        self.roles = roles.sorted()
        self.key = key
        self.secretHash = secretHash
        self.created = created
        self.revoked = revoked
        self.certificate = certificate
    }

    /// What the audit entry of the grant says: its roles and how it signs in.
    public var auditDetail: String {
        if let certificate { return "granted \(storedRoles) (certificate \(certificate.subject), issued by \(certificate.issuer))" }
        return "granted \(storedRoles) (token \(key))"
    }

    /// The refusal of a second grant in force for the same certificate.
    public static func certificateTaken(_ certificate: CertificateBinding, by holder: String) -> String {
        "the certificate \(certificate.subject) already signs in as \(holder); revoke that first"
    }

    /// The certificate binding read back from its two stored columns (both or neither).
    public static func certificate(subject: String?, issuer: String?) -> CertificateBinding? {
        guard let subject, let issuer else { return nil }
        return CertificateBinding(subject: subject, issuer: issuer)
    }

    /// The roles as stored: their names, comma-separated, in the order of `AccessRole`.
    public var storedRoles: String { roles.map(\.rawValue).joined(separator: ",") }

    /// The roles read back from `text`; a name that is not a role makes the row corrupt.
    public static func roles(stored text: String) throws -> [AccessRole] {
        try text.split(separator: ",").map { name in
            guard let role = AccessRole(rawValue: String(name)) else {
                throw StoreError.corrupt("an access grant names the role \"\(name)\", which Sohoa does not have")
            }
            return role
        }
    }
}
