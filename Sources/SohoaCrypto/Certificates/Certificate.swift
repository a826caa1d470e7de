import COpenSSL
import CShims
import Foundation

/// An X.509 certificate held by OpenSSL.
///
/// Immutable once parsed; OpenSSL's reference counting is thread-safe, so a certificate can
/// be shared between tasks.
public final class Certificate: @unchecked Sendable, CustomStringConvertible {
    let x509: OpaquePointer

    /// Takes ownership of one reference to `x509`.
    init(taking x509: OpaquePointer) {
        self.x509 = x509
    }

    deinit {
        X509_free(x509)
    }

    /// Parses one DER-encoded certificate.
    public convenience init(der: [UInt8], name: String = "certificate") throws {
        let parsed: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor = buffer.baseAddress
            return d2i_X509(nil, &cursor, buffer.count)
        }
        guard let parsed else { throw OpenSSLError.drain("reading the certificate \(name)") }
        self.init(taking: parsed)
    }

    /// Every certificate in `bytes`: PEM (one or many) or a single DER certificate.
    public static func load(pemOrDER bytes: [UInt8], name: String) throws -> [Certificate] {
        guard bytes.starts(with: Array("-----BEGIN".utf8)) || String(decoding: bytes.prefix(4096), as: UTF8.self)
            .contains("-----BEGIN CERTIFICATE-----") else {
            return [try Certificate(der: bytes, name: name)]
        }
        // The queue is read after the loop, so errors left by earlier, unrelated calls must go.
        ERR_clear_error()
        return try bytes.withUnsafeBytes { raw -> [Certificate] in
            guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else {
                throw OpenSSLError.drain("reading \(name)")
            }
            defer { BIO_free(bio) }
            var certificates: [Certificate] = []
            while let x509 = PEM_read_bio_X509(bio, nil, nil, nil) {
                certificates.append(Certificate(taking: x509))
            }
            // The loop ends with a "no start line" error at the end of the input; anything else is real.
            let leftover = OpenSSLError.drainQueue().filter { !$0.contains("no start line") }
            guard leftover.isEmpty, !certificates.isEmpty else {
                throw OpenSSLError(operation: "reading the certificates in \(name)",
                                   reasons: leftover.isEmpty ? ["no certificate found"] : leftover)
            }
            return certificates
        }
    }

    /// Every certificate in the file at `path` (PEM or DER).
    public static func load(fileAt path: String) throws -> [Certificate] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw OpenSSLError(operation: "reading \(path)", reasons: ["the file cannot be read"])
        }
        return try load(pemOrDER: Array(data), name: path)
    }

    /// The subject's distinguished name, RFC 2253 order, UTF-8.
    public var subject: String { Self.render(X509_get_subject_name(x509)) }

    /// The issuer's distinguished name, RFC 2253 order, UTF-8.
    public var issuer: String { Self.render(X509_get_issuer_name(x509)) }

    /// The serial number in upper-case hexadecimal.
    public var serialNumberHex: String {
        guard let bignum = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x509), nil) else { return "" }
        defer { BN_free(bignum) }
        guard let hex = BN_bn2hex(bignum) else { return "" }
        defer { sohoa_openssl_free(hex) }
        return String(cString: hex)
    }

    /// Start of the validity period.
    public var notBefore: Date? { Self.date(X509_get0_notBefore(x509)) }

    /// End of the validity period.
    public var notAfter: Date? { Self.date(X509_get0_notAfter(x509)) }

    /// The subject public key's algorithm and size.
    public var publicKey: KeyDescription {
        guard let key = X509_get0_pubkey(x509) else { return KeyDescription(algorithm: .other, bits: 0) }
        return KeyDescription(evpKey: key)
    }

    /// The certificate in DER.
    public var derBytes: [UInt8] {
        DEREncoding.encode { i2d_X509(x509, $0) } ?? []
    }

    public var description: String { subject }

    private static func render(_ name: OpaquePointer?) -> String {
        guard let name, let bio = BIO_new(BIO_s_mem()) else { return "" }
        defer { BIO_free(bio) }
        guard X509_NAME_print_ex(bio, name, 0, sohoa_name_print_flags_utf8()) >= 0 else { return "" }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 512)
        while true {
            let read = BIO_read(bio, &chunk, Int32(chunk.count))
            if read <= 0 { break }
            bytes.append(contentsOf: chunk.prefix(Int(read)))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// An ASN.1 time as a date (nil when absent or unreadable).
    static func date(_ time: UnsafePointer<ASN1_TIME>?) -> Date? {
        guard let time else { return nil }
        var parts = tm()
        guard ASN1_TIME_to_tm(time, &parts) == 1 else { return nil }
        return Date(timeIntervalSince1970: TimeInterval(timegm(&parts)))
    }
}

/// A public or private key's algorithm and strength.
public struct KeyDescription: Equatable, Sendable, CustomStringConvertible {
    /// Key algorithms Sohoa distinguishes.
    public enum Algorithm: String, Sendable {
        case rsa = "RSA"
        case ecdsa = "ECDSA"
        /// EdDSA over Curve25519 (about 128-bit security, as ECDSA P-256).
        case ed25519 = "Ed25519"
        /// EdDSA over Curve448 (about 224-bit security).
        case ed448 = "Ed448"
        case other
    }

    public let algorithm: Algorithm
    /// Key size in bits (modulus for RSA, field for EC).
    public let bits: Int

    public init(algorithm: Algorithm, bits: Int) {
        self.algorithm = algorithm
        self.bits = bits
    }

    init(evpKey: OpaquePointer) {
        let id = EVP_PKEY_get_base_id(evpKey)
        switch id {
        case EVP_PKEY_RSA: algorithm = .rsa
        case EVP_PKEY_EC: algorithm = .ecdsa
        case EVP_PKEY_ED25519: algorithm = .ed25519
        case EVP_PKEY_ED448: algorithm = .ed448
        default: algorithm = .other
        }
        bits = Int(EVP_PKEY_get_bits(evpKey))
    }

    public var description: String {
        switch algorithm {
        case .ecdsa: return "ECDSA P-\(bits)"
        case .ed25519, .ed448: return algorithm.rawValue
        default: return "\(algorithm.rawValue)-\(bits)"
        }
    }
}
