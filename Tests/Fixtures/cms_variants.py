#!/usr/bin/env python3
"""Re-encodes the CMS container of a signed PDF in the ways other producers (and attackers) do,
and writes one PDF per variant, for the verifier's tests.

    python cms_variants.py SIGNED.pdf KEY.pem OUT_DIR

SIGNED.pdf has exactly one signature (ETSI.CAdES.detached, with signed attributes); KEY.pem is
the signer's private key (RSA or ECDSA P-256), used only by the variants that must sign again.
Each variant keeps the /ByteRange and the /Contents slot of the input; only the bytes inside the
slot change (and, for the variants without signed attributes, the /SubFilter, which is re-signed).

Variants (OUT_DIR/<name>.pdf), with what a verifier must say:
  ber                   the outer ContentInfo, [0] and SignedData in indefinite-length BER: valid
  ber-attributes-unsorted  BER, and the signed attributes carried out of DER order (what is
                        signed is their DER SET OF): valid
  econtent-type         eContentType changed from id-data to 1.2.840.113549.1.7.65: invalid
  ecdsa-plain           (EC keys) the signature value as r||s, algorithm ecdsa-plain-SHA256: valid
  unknown-algorithm     the signature algorithm an identifier nobody knows: indeterminate
  no-attributes         adbe.pkcs7.detached, no signed attributes, the value over the content
                        digest: valid
  no-attributes-changed the same, one signed byte changed afterwards: invalid
  no-attributes-pades   ETSI.CAdES.detached without signed attributes: invalid
  two-signers           a second signer info, for a certificate the container does not carry,
                        placed first: valid (the one whose certificate is carried is checked)
  two-signers-broken    the same, with the carried signer's value damaged: invalid
The names are printed, one a line.
"""
import hashlib
import re
import sys
from pathlib import Path

from asn1crypto import algos, cms, core
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

ID_DATA = bytes.fromhex("06092A864886F70D010701")
ID_OTHER = bytes.fromhex("06092A864886F70D010741")


def slot(pdf: bytes):
    """(byte range, start of the hex digits, end of the hex digits) of the only signature."""
    found = re.findall(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", pdf)
    if len(found) != 1:
        sys.exit(f"expected one signature, found {len(found)}")
    a, b, c, d = (int(x) for x in found[0])
    return (a, b, c, d), b + 1, c - 1


def der(tag: int, body: bytes) -> bytes:
    n = len(body)
    if n < 0x80:
        return bytes([tag, n]) + body
    octets = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(octets)]) + octets + body


def header(encoded: bytes, i: int = 0) -> tuple[int, int]:
    """(header length, contents length) of the definite-length element at i."""
    first = encoded[i + 1]
    if first < 0x80:
        return 2, first
    k = first & 0x7F
    return 2 + k, int.from_bytes(encoded[i + 2:i + 2 + k], "big")


def children(encoded: bytes) -> list[bytes]:
    """The elements inside a definite-length constructed element."""
    skip, length = header(encoded)
    body = encoded[skip:skip + length]
    out, i = [], 0
    while i < len(body):
        h, n = header(body, i)
        out.append(body[i:i + h + n])
        i += h + n
    return out


def indefinite(encoded_signed_data: bytes) -> bytes:
    """ContentInfo { signedData, [0] SignedData } with the three outer levels indefinite."""
    signed_data = b"\x30\x80" + b"".join(children(encoded_signed_data)) + b"\x00\x00"
    oid = core.ObjectIdentifier("1.2.840.113549.1.7.2").dump()
    return b"\x30\x80" + oid + b"\xa0\x80" + signed_data + b"\x00\x00" + b"\x00\x00"


def put(pdf: bytes, start: int, end: int, blob: bytes) -> bytes:
    digits = blob.hex().upper().encode()
    if len(digits) > end - start:
        sys.exit("the variant does not fit the /Contents slot")
    return pdf[:start] + digits + b"0" * (end - start - len(digits)) + pdf[end:]


def signed_bytes(pdf: bytes, rng) -> bytes:
    a, b, c, d = rng
    return pdf[a:a + b] + pdf[c:c + d]


def sign(key, data: bytes) -> bytes:
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    return key.sign(data, ec.ECDSA(hashes.SHA256()))


def main() -> None:
    source, key_path, out = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    out.mkdir(parents=True, exist_ok=True)
    pdf = source.read_bytes()
    key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    rng, start, end = slot(pdf)
    blob = bytes.fromhex(pdf[start:end].decode())
    info = cms.ContentInfo.load(blob[:len(cms.ContentInfo.load(blob, strict=False).dump())], strict=True)
    signed_data = info["content"].dump()
    if signed_data[0] == 0xA0:  # asn1crypto keeps the explicit [0] tag in the encoding
        signed_data = children(signed_data)[0]
    made = {}

    made["ber"] = put(pdf, start, end, indefinite(signed_data))

    # The signed attributes carried in reverse DER order; what is signed stays their DER SET OF.
    parts = children(signed_data)
    signer_parts = children(children(parts[-1])[0])
    at = next(i for i, part in enumerate(signer_parts) if part[0] == 0xA0)
    attributes = sorted(children(signer_parts[at]))
    signer_parts[at] = der(0xA0, b"".join(reversed(attributes)))
    parts[-1] = der(0x31, der(0x30, b"".join(signer_parts)))
    made["ber-attributes-unsorted"] = put(pdf, start, end, indefinite(der(0x30, b"".join(parts))))

    encoded = info.dump()
    at = encoded.find(ID_DATA)
    made["econtent-type"] = put(pdf, start, end, encoded[:at] + ID_OTHER + encoded[at + len(ID_DATA):])

    if isinstance(key, ec.EllipticCurvePrivateKey):
        plain = cms.ContentInfo.load(info.dump())
        signer = plain["content"]["signer_infos"][0]
        r, s = decode_dss_signature(signer["signature"].native)
        size = (key.curve.key_size + 7) // 8
        signer["signature_algorithm"] = cms.SignedDigestAlgorithm({"algorithm": "0.4.0.127.0.7.1.1.4.1.3"})
        signer["signature"] = r.to_bytes(size, "big") + s.to_bytes(size, "big")
        made["ecdsa-plain"] = put(pdf, start, end, plain.dump(force=True))

    unknown = cms.ContentInfo.load(info.dump())
    unknown["content"]["signer_infos"][0]["signature_algorithm"] = cms.SignedDigestAlgorithm(
        {"algorithm": "1.3.6.1.4.1.55555.1.2.3"})
    made["unknown-algorithm"] = put(pdf, start, end, unknown.dump(force=True))

    def without_attributes(sub_filter: bytes, tamper: bool) -> bytes:
        variant = pdf.replace(b"/SubFilter /ETSI.CAdES.detached", b"/SubFilter " + sub_filter, 1)
        content = signed_bytes(variant, rng)
        bare = cms.ContentInfo.load(info.dump())
        signer = bare["content"]["signer_infos"][0]
        signer["signed_attrs"] = None
        signer["signature"] = sign(key, content)
        if isinstance(key, rsa.RSAPrivateKey):
            signer["signature_algorithm"] = cms.SignedDigestAlgorithm({"algorithm": "rsassa_pkcs1v15"})
        variant = put(variant, start, end, bare.dump(force=True))
        if tamper:
            position = rng[1] // 2
            variant = variant[:position] + bytes([variant[position] ^ 0x01]) + variant[position + 1:]
        return variant

    made["no-attributes"] = without_attributes(b"/adbe.pkcs7.detached", False)
    made["no-attributes-changed"] = without_attributes(b"/adbe.pkcs7.detached", True)
    made["no-attributes-pades"] = without_attributes(b"/ETSI.CAdES.detached", False)

    def two_signers(broken: bool) -> bytes:
        variant = cms.ContentInfo.load(info.dump())
        genuine = variant["content"]["signer_infos"][0]
        stranger = cms.SignerInfo.load(genuine.dump())
        stranger["sid"] = cms.SignerIdentifier({"issuer_and_serial_number": cms.IssuerAndSerialNumber({
            "issuer": genuine["sid"].chosen["issuer"], "serial_number": 4242424242})})
        stranger["signature"] = b"\x01" * len(genuine["signature"].native)
        if broken:
            value = bytearray(genuine["signature"].native)
            value[-1] ^= 0x01
            genuine["signature"] = bytes(value)
        variant["content"]["signer_infos"] = cms.SignerInfos([stranger, cms.SignerInfo.load(genuine.dump())])
        return put(pdf, start, end, variant.dump(force=True))

    made["two-signers"] = two_signers(False)
    made["two-signers-broken"] = two_signers(True)

    for name, data in made.items():
        (out / f"{name}.pdf").write_bytes(data)
        print(name)


if __name__ == "__main__":
    main()
