/// Something that signs with a private key it never reveals: a PKCS#12 file's key in memory,
/// or a key inside a PKCS#11 token. One signer serves a whole batch.
public protocol Signer: Sendable {
    /// The signer's certificate.
    var certificate: Certificate { get }
    /// Certificates above it (issuing CAs), as found with the key.
    var chain: [Certificate] { get }
    /// Signs `message` with SHA-256: RSA PKCS#1 v1.5, or ECDSA (DER-encoded `ECDSA-Sig-Value`).
    func sign(_ message: [UInt8]) throws(SigningError) -> [UInt8]
}

/// Why a signature could not be made, for the officer. Never contains a PIN or password.
public struct SigningError: Error, Equatable, Sendable, CustomStringConvertible {
    public let description: String
    /// What kind of failure it is, for callers that act on it (ask for a PIN again).
    public let kind: Kind

    /// Kinds of signing failure a caller may act on.
    public enum Kind: Sendable, Equatable {
        /// The token refused the PIN.
        case wrongPIN
        /// The file to sign is not the version it was fetched as: its SHA-256 differs.
        case inputChanged
        case other
    }

    public init(_ description: String, kind: Kind = .other) {
        self.description = description
        self.kind = kind
    }
}
