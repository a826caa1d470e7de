import COpenSSL

/// A private key held in memory by OpenSSL (from a PKCS#12 file).
///
/// It never prints its material: its description names only the algorithm and size.
public final class PrivateKey: @unchecked Sendable, CustomStringConvertible {
    let evpKey: OpaquePointer

    /// Takes ownership of one reference to `evpKey`.
    init(taking evpKey: OpaquePointer) {
        self.evpKey = evpKey
    }

    deinit {
        EVP_PKEY_free(evpKey)
    }

    /// The key's algorithm and size.
    public var keyDescription: KeyDescription { KeyDescription(evpKey: evpKey) }

    /// Whether `certificate` carries this key's public half.
    public func matches(_ certificate: Certificate) -> Bool {
        guard let publicKey = X509_get0_pubkey(certificate.x509) else { return false }
        return EVP_PKEY_eq(evpKey, publicKey) == 1
    }

    public var description: String { "private key (\(keyDescription), not shown)" }
}
