import COpenSSL

/// Signs with a key held in memory (from a PKCS#12 file), through OpenSSL's EVP interface.
public struct PKCS12Signer: Signer {
    public let identity: SigningIdentity

    public init(identity: SigningIdentity) {
        self.identity = identity
    }

    public var certificate: Certificate { identity.certificate }
    public var chain: [Certificate] { identity.chain }

    public func sign(_ message: [UInt8]) throws(SigningError) -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { throw SigningError("OpenSSL could not start a signature") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, EVP_sha256(), nil, identity.privateKey.evpKey) == 1 else {
            throw SigningError(OpenSSLError.drain("starting a SHA-256 signature").description)
        }
        var length = 0
        let sized = message.withUnsafeBufferPointer { EVP_DigestSign(context, nil, &length, $0.baseAddress, $0.count) }
        guard sized == 1 else { throw SigningError(OpenSSLError.drain("sizing the signature").description) }
        var signature = [UInt8](repeating: 0, count: length)
        let signed = message.withUnsafeBufferPointer { input in
            signature.withUnsafeMutableBufferPointer { output in
                EVP_DigestSign(context, output.baseAddress, &length, input.baseAddress, input.count)
            }
        }
        guard signed == 1 else { throw SigningError(OpenSSLError.drain("signing").description) }
        return Array(signature.prefix(length))
    }
}
