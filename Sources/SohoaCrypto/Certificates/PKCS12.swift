import COpenSSL
import CShims
import Foundation

/// A signing identity from a PKCS#12 file: the key, its certificate and the chain above it.
public struct SigningIdentity: Sendable {
    public let privateKey: PrivateKey
    public let certificate: Certificate
    /// The other certificates in the file (issuing CAs), as stored.
    public let chain: [Certificate]
}

/// Why a key could not be loaded, in words an officer can act on. Never contains the secret.
public enum KeyLoadingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The password (or PIN) does not open the file.
    case wrongPassword(file: String)
    /// The file cannot be read at all.
    case unreadable(file: String, reason: String)
    /// The file is not a PKCS#12 file, or is damaged.
    case malformed(file: String, OpenSSLError)
    /// The file opened but holds no private key, or no certificate for it.
    case incomplete(file: String, reason: String)

    public var description: String {
        switch self {
        case .wrongPassword(let file):
            return "\(file): the password is wrong; the key file was not opened"
        case .unreadable(let file, let reason):
            return "\(file): the key file cannot be read (\(reason))"
        case .malformed(let file, let error):
            return "\(file): this is not a valid PKCS#12 key file (\(error.reasons.joined(separator: "; ")))"
        case .incomplete(let file, let reason):
            return "\(file): \(reason)"
        }
    }
}

/// Reading PKCS#12 (.p12, .pfx) files.
public enum PKCS12 {
    /// Opens the PKCS#12 file at `path` with `password`.
    public static func load(path: String, password: String) throws(KeyLoadingError) -> SigningIdentity {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(file: path, reason: FileManager.default.fileExists(atPath: path)
                              ? "permission denied or not a file" : "no such file")
        }
        return try load(bytes: Array(data), name: path, password: password)
    }

    /// Opens PKCS#12 `bytes` with `password`; `name` is used in messages.
    public static func load(bytes: [UInt8], name: String, password: String) throws(KeyLoadingError) -> SigningIdentity {
        let parsed: OpaquePointer? = bytes.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return d2i_PKCS12(nil, &cursor, buffer.count)
        }
        guard let p12 = parsed else {
            throw .malformed(file: name, OpenSSLError.drain("reading \(name)"))
        }
        defer { PKCS12_free(p12) }
        if PKCS12_mac_present(p12) == 1, PKCS12_verify_mac(p12, password, -1) != 1 {
            _ = OpenSSLError.drainQueue()
            throw .wrongPassword(file: name)
        }
        var key: OpaquePointer?
        var certificate: OpaquePointer?
        var others: OpaquePointer?
        guard PKCS12_parse(p12, password, &key, &certificate, &others) == 1 else {
            let error = OpenSSLError.drain("opening \(name)")
            if error.reasons.contains(where: { $0.contains("mac verify") || $0.contains("decrypt") }) {
                throw .wrongPassword(file: name)
            }
            throw .malformed(file: name, error)
        }
        var chain: [Certificate] = []
        if let others {
            for index in 0..<sohoa_sk_X509_num(others) {
                if let x509 = sohoa_sk_X509_value(others, index), X509_up_ref(x509) == 1 {
                    chain.append(Certificate(taking: x509))
                }
            }
            sohoa_sk_X509_pop_free(others)
        }
        guard let key else {
            if let certificate { X509_free(certificate) }
            throw .incomplete(file: name, reason: "the file holds no private key")
        }
        let privateKey = PrivateKey(taking: key)
        guard let certificate else {
            throw .incomplete(file: name, reason: "the file holds no certificate for its key")
        }
        let identity = SigningIdentity(privateKey: privateKey, certificate: Certificate(taking: certificate), chain: chain)
        guard privateKey.matches(identity.certificate) else {
            throw .incomplete(file: name, reason: "the certificate in the file does not belong to its key")
        }
        return identity
    }
}
