import COpenSSL

/// A signer info's signed attributes as a signature covers them (RFC 5652 §5.4): each
/// attribute DER-encoded from what OpenSSL holds, the encodings in ascending order, under a
/// SET tag. What Sohoa signs, and what it checks a signature against when the file carries
/// the attributes in another order or encoding.
enum SignedAttributes {
    /// The DER SET OF, nil when an attribute cannot be encoded.
    static func der(of signerInfo: OpaquePointer) -> [UInt8]? {
        var encoded: [[UInt8]] = []
        for index in 0..<CMS_signed_get_attr_count(signerInfo) {
            guard let attribute = CMS_signed_get_attr(signerInfo, index),
                  let bytes = DEREncoding.encode({ i2d_X509_ATTRIBUTE(attribute, $0) }) else { return nil }
            encoded.append(bytes)
        }
        // Complete encodings are never prefixes of one another, so plain lexicographic order is
        // X.690's order (shorter padded with zeros).
        let body = encoded.sorted { $0.lexicographicallyPrecedes($1) }.flatMap { $0 }
        return [0x31] + lengthOctets(body.count) + body
    }

    /// A DER definite length.
    static func lengthOctets(_ length: Int) -> [UInt8] {
        if length < 0x80 { return [UInt8(length)] }
        var octets: [UInt8] = []
        var rest = length
        while rest > 0 {
            octets.insert(UInt8(rest & 0xFF), at: 0)
            rest >>= 8
        }
        return [0x80 | UInt8(octets.count)] + octets
    }
}
