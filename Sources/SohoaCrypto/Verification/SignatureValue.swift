import COpenSSL
import Foundation

/// How a CMS signer info's signature value is encoded, as its signatureAlgorithm says.
public enum SignatureEncoding: Sendable, Equatable {
    /// RSA with PKCS #1 v1.5 padding (rsaEncryption or shaNNNWithRSAEncryption).
    case rsaPKCS1
    /// RSASSA-PSS, with parameters only OpenSSL's CMS code reads.
    case rsaPSS
    /// ECDSA with the value a DER ECDSA-Sig-Value SEQUENCE (ecdsa-with-SHANNN, X9.62).
    case ecdsaDER
    /// ECDSA with the value r‖s, each as long as the curve's order (BSI TR-03111
    /// ecdsa-plain-SHANNN, 0.4.0.127.0.7.1.1.4.1.*).
    case ecdsaPlain
    /// Ed25519 or Ed448 (RFC 8419): a signature over the message itself, which only OpenSSL's
    /// CMS code checks (never over a digest).
    case eddsa
    /// An algorithm Sohoa does not verify; the dotted identifier says which.
    case unsupported(String)

    /// The encoding an algorithm identifier names.
    init(object: OpaquePointer?) {
        guard let object else {
            self = .unsupported("?")
            return
        }
        let dotted = TimeStampInfo.dotted(object) ?? "?"
        if dotted.hasPrefix("0.4.0.127.0.7.1.1.4.1."), let last = dotted.split(separator: ".").last,
           let index = Int(last), (1...5).contains(index) {
            self = .ecdsaPlain
            return
        }
        let nid = OBJ_obj2nid(object)
        var keyType: Int32 = NID_undef
        if nid == NID_rsaEncryption {
            keyType = NID_rsaEncryption
        } else if nid == NID_X9_62_id_ecPublicKey {
            keyType = NID_X9_62_id_ecPublicKey
        } else if nid == NID_rsassaPss {
            keyType = NID_rsassaPss
        } else if nid == NID_ED25519 || nid == NID_ED448 {
            keyType = nid
        } else if nid != NID_undef {
            var digest: Int32 = NID_undef
            if OBJ_find_sigid_algs(nid, &digest, &keyType) != 1 { keyType = NID_undef }
        }
        switch keyType {
        case NID_rsaEncryption: self = .rsaPKCS1
        case NID_rsassaPss: self = .rsaPSS
        case NID_X9_62_id_ecPublicKey: self = .ecdsaDER
        case NID_ED25519, NID_ED448: self = .eddsa
        default: self = .unsupported(dotted)
        }
    }
}

/// The outcome of checking a signature value with the signer's public key.
public enum SignatureValueStatus: Sendable, Equatable {
    /// The value verifies.
    case verifies
    /// The value does not verify: forged, damaged, or made over other bytes.
    case wrong
    /// Sohoa cannot check this algorithm (nor say the signature is wrong).
    case unsupportedAlgorithm(String)
}

/// Checks a signature value over a digest already computed, with a certificate's public key:
/// what CMS needs when there are no signed attributes (the value is then over the content's
/// digest) and for encodings OpenSSL's CMS code does not know (plain ECDSA).
public enum SignatureValue {
    public static func verify(_ value: [UInt8], encoding: SignatureEncoding, digest: [UInt8], algorithm: DigestAlgorithm,
                              certificate: Certificate) -> SignatureValueStatus {
        let der: [UInt8]
        switch encoding {
        case .rsaPKCS1, .ecdsaDER: der = value
        case .ecdsaPlain:
            guard let converted = plainToDER(value) else { return .wrong }
            der = converted
        case .rsaPSS: return .unsupportedAlgorithm("RSASSA-PSS without signed attributes")
        case .eddsa: return .unsupportedAlgorithm("EdDSA without signed attributes")
        case .unsupported(let oid): return .unsupportedAlgorithm(oid)
        }
        guard let key = X509_get0_pubkey(certificate.x509), let context = EVP_PKEY_CTX_new(key, nil) else {
            ERR_clear_error()
            return .wrong
        }
        defer {
            EVP_PKEY_CTX_free(context)
            ERR_clear_error()
        }
        let keyType = EVP_PKEY_get_base_id(key)
        let keyFits = encoding == .rsaPKCS1 ? keyType == EVP_PKEY_RSA : keyType == EVP_PKEY_EC
        guard keyFits else { return .wrong }
        guard EVP_PKEY_verify_init(context) == 1 else { return .wrong }
        if keyType == EVP_PKEY_RSA {
            guard EVP_PKEY_CTX_set_rsa_padding(context, RSA_PKCS1_PADDING) == 1,
                  EVP_PKEY_CTX_set_signature_md(context, algorithm.evp) == 1 else { return .wrong }
        }
        return EVP_PKEY_verify(context, der, der.count, digest, digest.count) == 1 ? .verifies : .wrong
    }

    /// Checks an Ed25519 signature over `message` itself (RFC 8032; in CMS, RFC 8419, over the
    /// DER signed attributes).
    public static func verifyEd25519(_ value: [UInt8], message: [UInt8], certificate: Certificate) -> SignatureValueStatus {
        guard let key = X509_get0_pubkey(certificate.x509), EVP_PKEY_get_base_id(key) == EVP_PKEY_ED25519,
              let context = EVP_MD_CTX_new() else {
            ERR_clear_error()
            return .wrong
        }
        defer {
            EVP_MD_CTX_free(context)
            ERR_clear_error()
        }
        guard EVP_DigestVerifyInit(context, nil, nil, nil, key) == 1 else { return .wrong }
        return EVP_DigestVerify(context, value, value.count, message, message.count) == 1 ? .verifies : .wrong
    }

    /// r‖s (two equal halves, big-endian) as a DER ECDSA-Sig-Value.
    static func plainToDER(_ value: [UInt8]) -> [UInt8]? {
        guard !value.isEmpty, value.count % 2 == 0, value.count <= 264 else { return nil }
        let half = value.count / 2
        guard let signature = ECDSA_SIG_new() else { return nil }
        defer { ECDSA_SIG_free(signature) }
        guard let r = BN_bin2bn(Array(value[..<half]), Int32(half), nil) else { return nil }
        guard let s = BN_bin2bn(Array(value[half...]), Int32(half), nil) else {
            BN_free(r)
            return nil
        }
        guard ECDSA_SIG_set0(signature, r, s) == 1 else {
            BN_free(r)
            BN_free(s)
            return nil
        }
        return DEREncoding.encode { i2d_ECDSA_SIG(signature, $0) }
    }
}
