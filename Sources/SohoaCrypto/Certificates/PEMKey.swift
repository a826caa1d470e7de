import COpenSSL
import Foundation

extension PrivateKey {
    /// Reads an unencrypted PEM private key (PKCS#8 or traditional) from `path`.
    ///
    /// - Throws: `KeyLoadingError` naming the file; never the key material.
    public static func load(pemFileAt path: String) throws(KeyLoadingError) -> PrivateKey {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(file: path, reason: FileManager.default.fileExists(atPath: path)
                              ? "permission denied or not a file" : "no such file")
        }
        let key: OpaquePointer? = data.withUnsafeBytes { raw in
            guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { return nil }
            defer { BIO_free(bio) }
            return PEM_read_bio_PrivateKey(bio, nil, nil, nil)
        }
        guard let key else {
            throw .malformed(file: path, OpenSSLError.drain("reading the private key \(path)"))
        }
        return PrivateKey(taking: key)
    }
}
