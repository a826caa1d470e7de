import COpenSSL
import CPKCS11
import Foundation
import Synchronization

/// Signs with a private key inside a PKCS#11 token (an officer's USB token; SoftHSM2 in tests).
///
/// One login serves the whole batch. The key is found by label (or, without a label, the
/// token's only private key); its certificate is the certificate object with the same CKA_ID.
/// RSA keys sign with CKM_SHA256_RSA_PKCS (the token hashes); ECDSA keys sign a SHA-256
/// digest computed here with CKM_ECDSA, which every token supports (CKM_ECDSA_SHA256 is
/// missing from many, SoftHSM2 among them).
public final class PKCS11Signer: Signer, @unchecked Sendable {
    // Sendable: the session is used only under `lock`; the rest is immutable.
    public let certificate: Certificate
    public let chain: [Certificate]
    private let session: PKCS11Session
    private let key: CK_OBJECT_HANDLE
    private let mechanism: CK_MECHANISM_TYPE
    private let isECDSA: Bool
    private let lock = Mutex(())

    /// Logs in to the token labelled `tokenLabel` with `pin` and finds the key.
    ///
    /// - Parameter chain: certificates above the signer's; when empty, the issuers found among
    ///   the certificates stored on the token are used (following issuer names upwards).
    public init(module: PKCS11Module, tokenLabel: String, pin: String, keyLabel: String? = nil,
                chain: [Certificate] = []) throws(SigningError) {
        do {
            session = try module.openSession(tokenLabel: tokenLabel)
            try session.login(pin: pin)
        } catch {
            throw SigningError(error.description, kind: error.code == PKCS11Error.pinIncorrect ? .wrongPIN : .other)
        }
        let keys = try session.objects(class: CK_OBJECT_CLASS(CKO_PRIVATE_KEY), label: keyLabel)
        guard let found = keys.first else {
            let which = keyLabel.map { "labelled \"\($0)\"" } ?? "at all"
            throw SigningError("token \"\(tokenLabel)\": no private key \(which)")
        }
        guard keys.count == 1 else {
            throw SigningError("token \"\(tokenLabel)\": \(keys.count) private keys; choose one with --key-label")
        }
        key = found
        let keyID = try session.attribute(CK_ATTRIBUTE_TYPE(CKA_ID), of: key)
        let keyType = try session.attribute(CK_ATTRIBUTE_TYPE(CKA_KEY_TYPE), of: key)
        isECDSA = keyType.withUnsafeBytes { $0.load(as: CK_KEY_TYPE.self) } == CK_KEY_TYPE(CKK_EC)
        mechanism = CK_MECHANISM_TYPE(isECDSA ? CKM_ECDSA : CKM_SHA256_RSA_PKCS)
        var signerCertificate: Certificate?
        var others: [Certificate] = []
        for object in try session.objects(class: CK_OBJECT_CLASS(CKO_CERTIFICATE), label: nil) {
            let der = try session.attribute(CK_ATTRIBUTE_TYPE(CKA_VALUE), of: object)
            guard let parsed = try? Certificate(der: der, name: "certificate on token \"\(tokenLabel)\"") else { continue }
            if try session.attribute(CK_ATTRIBUTE_TYPE(CKA_ID), of: object) == keyID, signerCertificate == nil {
                signerCertificate = parsed
            } else {
                others.append(parsed)
            }
        }
        guard let signerCertificate else {
            throw SigningError("token \"\(tokenLabel)\": no certificate with the key's id")
        }
        certificate = signerCertificate
        self.chain = chain.isEmpty ? Self.issuers(of: signerCertificate, among: others) : chain
    }

    public func sign(_ message: [UInt8]) throws(SigningError) -> [UInt8] {
        let input = isECDSA ? SHA256.digest(message) : message
        let raw = try lock.withLock { _ throws(SigningError) -> [UInt8] in
            try session.sign(input, key: key, mechanism: mechanism)
        }
        return isECDSA ? try Self.derEncodedECDSA(raw) : raw
    }

    /// The issuing certificates of `certificate` found in `candidates`, nearest first.
    static func issuers(of certificate: Certificate, among candidates: [Certificate]) -> [Certificate] {
        var chain: [Certificate] = []
        var current = certificate
        while current.subject != current.issuer, chain.count < 8,
              let issuer = candidates.first(where: { candidate in
                  candidate.subject == current.issuer && !chain.contains { $0 === candidate } }) {
            chain.append(issuer)
            current = issuer
        }
        return chain
    }

    /// PKCS#11 returns ECDSA signatures as r‖s; CMS wants DER `ECDSA-Sig-Value`.
    static func derEncodedECDSA(_ raw: [UInt8]) throws(SigningError) -> [UInt8] {
        guard raw.count % 2 == 0, !raw.isEmpty, let signature = ECDSA_SIG_new() else {
            throw SigningError("the token returned a malformed ECDSA signature")
        }
        defer { ECDSA_SIG_free(signature) }
        let half = raw.count / 2
        let r = raw.withUnsafeBufferPointer { BN_bin2bn($0.baseAddress, Int32(half), nil) }
        let s = raw.withUnsafeBufferPointer { BN_bin2bn($0.baseAddress! + half, Int32(half), nil) }
        guard let r, let s, ECDSA_SIG_set0(signature, r, s) == 1 else {
            throw SigningError("the token returned a malformed ECDSA signature")
        }
        guard let der = DEREncoding.encode({ i2d_ECDSA_SIG(signature, $0) }) else {
            throw SigningError("the token's ECDSA signature cannot be encoded")
        }
        return der
    }
}

extension PKCS11Session {
    /// Objects of `class` (and `label`, when given) on the token.
    func objects(class objectClass: CK_OBJECT_CLASS, label: String?) throws(SigningError) -> [CK_OBJECT_HANDLE] {
        var classValue = objectClass
        var labelBytes = Array((label ?? "").utf8)
        let functions = module.functions.pointee
        let status: CK_RV = withUnsafeMutablePointer(to: &classValue) { classPointer in
            labelBytes.withUnsafeMutableBufferPointer { labelPointer in
                var template = [CK_ATTRIBUTE(type: CK_ATTRIBUTE_TYPE(CKA_CLASS), pValue: classPointer,
                                             ulValueLen: CK_ULONG(MemoryLayout<CK_OBJECT_CLASS>.size))]
                if label != nil {
                    template.append(CK_ATTRIBUTE(type: CK_ATTRIBUTE_TYPE(CKA_LABEL), pValue: labelPointer.baseAddress,
                                                 ulValueLen: CK_ULONG(labelPointer.count)))
                }
                return template.withUnsafeMutableBufferPointer {
                    functions.C_FindObjectsInit(handle, $0.baseAddress, CK_ULONG($0.count))
                }
            }
        }
        guard status == CKR_OK else { throw SigningError(PKCS11Error(function: "C_FindObjectsInit", code: UInt(status)).description) }
        defer { _ = functions.C_FindObjectsFinal(handle) }
        var found: [CK_OBJECT_HANDLE] = []
        var batch = [CK_OBJECT_HANDLE](repeating: 0, count: 16)
        while true {
            var count: CK_ULONG = 0
            let rv = functions.C_FindObjects(handle, &batch, CK_ULONG(batch.count), &count)
            guard rv == CKR_OK else { throw SigningError(PKCS11Error(function: "C_FindObjects", code: UInt(rv)).description) }
            if count == 0 { break }
            found += batch.prefix(Int(count))
        }
        return found
    }

    /// One attribute's value.
    func attribute(_ type: CK_ATTRIBUTE_TYPE, of object: CK_OBJECT_HANDLE) throws(SigningError) -> [UInt8] {
        let functions = module.functions.pointee
        var template = CK_ATTRIBUTE(type: type, pValue: nil, ulValueLen: 0)
        var rv = functions.C_GetAttributeValue(handle, object, &template, 1)
        guard rv == CKR_OK, template.ulValueLen != CK_ULONG(bitPattern: -1) else {
            throw SigningError(PKCS11Error(function: "C_GetAttributeValue", code: UInt(rv)).description)
        }
        var value = [UInt8](repeating: 0, count: Int(template.ulValueLen))
        rv = value.withUnsafeMutableBytes { buffer in
            template.pValue = buffer.baseAddress
            return functions.C_GetAttributeValue(handle, object, &template, 1)
        }
        guard rv == CKR_OK else { throw SigningError(PKCS11Error(function: "C_GetAttributeValue", code: UInt(rv)).description) }
        return Array(value.prefix(Int(template.ulValueLen)))
    }

    /// `C_SignInit` + `C_Sign` with `mechanism`.
    func sign(_ message: [UInt8], key: CK_OBJECT_HANDLE, mechanism: CK_MECHANISM_TYPE) throws(SigningError) -> [UInt8] {
        let functions = module.functions.pointee
        var parameters = CK_MECHANISM(mechanism: mechanism, pParameter: nil, ulParameterLen: 0)
        var rv = functions.C_SignInit(handle, &parameters, key)
        guard rv == CKR_OK else { throw SigningError(PKCS11Error(function: "C_SignInit", code: UInt(rv), context: "token \"\(tokenLabel)\"").description) }
        var input = message
        var length: CK_ULONG = 0
        rv = input.withUnsafeMutableBufferPointer { functions.C_Sign(handle, $0.baseAddress, CK_ULONG($0.count), nil, &length) }
        guard rv == CKR_OK else { throw SigningError(PKCS11Error(function: "C_Sign", code: UInt(rv), context: "token \"\(tokenLabel)\"").description) }
        var signature = [UInt8](repeating: 0, count: Int(length))
        rv = input.withUnsafeMutableBufferPointer { source in
            signature.withUnsafeMutableBufferPointer { target in
                functions.C_Sign(handle, source.baseAddress, CK_ULONG(source.count), target.baseAddress, &length)
            }
        }
        guard rv == CKR_OK else { throw SigningError(PKCS11Error(function: "C_Sign", code: UInt(rv), context: "token \"\(tokenLabel)\"").description) }
        return Array(signature.prefix(Int(length)))
    }
}
