#!/usr/bin/env python3
"""Helpers of Fuzz/make-corpus.sh, which makes the fuzz targets' seed corpus (Fuzz/Corpus/).

    make_corpus.py images CORPUS PAGE.png    tiny TIFF, PNG and JPEG seeds into CORPUS/fuzz-{tiff,png,jpeg},
                                             and PAGE.png, the page the seed PDFs are assembled from
    make_corpus.py contents PDF PREFIX       each signature's CMS (/Contents without its zero padding)
                                             to PREFIX-1.der, PREFIX-2.der, ...
    make_corpus.py archive CMS KEY CRL OCSP OUT
                                             CMS with an Adobe revocation-information archive (the
                                             signed attribute 1.2.840.113583.1.1.8) holding the CRL
                                             and the OCSP response, signed again with KEY
    make_corpus.py ber FOLDER                small BER elements for BERElement.length: indefinite
                                             lengths, nesting, high tag numbers, long-form lengths

Uses Pillow, asn1crypto and cryptography from the project's virtual environment (make venv).
"""
import io
import re
import struct
import sys
from pathlib import Path

from PIL import Image, ImageDraw
from PIL.PngImagePlugin import PngInfo


def drawing(mode: str, size=(48, 32)) -> Image.Image:
    """A small page with some ink on it, in `mode`."""
    base = Image.new("RGB", size, (255, 255, 255))
    draw = ImageDraw.Draw(base)
    draw.rectangle((3, 3, size[0] - 4, size[1] - 4), outline=(20, 20, 20))
    draw.line((6, size[1] - 8, size[0] - 6, 6), fill=(200, 30, 30), width=2)
    draw.text((8, 8), "So", fill=(0, 0, 160))
    if mode == "RGBA":
        image = base.convert("RGBA")
        image.putalpha(Image.linear_gradient("L").resize(size))
        return image
    if mode == "LA":
        return base.convert("LA")
    if mode == "P":
        return base.convert("P", palette=Image.ADAPTIVE, colors=8)
    if mode == "I;16":
        return base.convert("L").point(lambda v: v * 257, "I").convert("I;16")
    return base.convert(mode)


def big_endian_tiff() -> bytes:
    """An uncompressed 8 × 8 gray TIFF in Motorola byte order, made by hand (Pillow writes Intel)."""
    width = height = 8
    pixels = bytes((x * 32 + y * 4) & 0xFF for y in range(height) for x in range(width))
    entries = [  # tag, type (3 SHORT, 4 LONG, 5 RATIONAL), count, value
        (256, 3, 1, width), (257, 3, 1, height), (258, 3, 1, 8), (259, 3, 1, 1), (262, 3, 1, 1),
        (273, 4, 1, 0), (274, 3, 1, 6), (277, 3, 1, 1), (278, 3, 1, height), (279, 4, 1, len(pixels)),
        (282, 5, 1, 0), (283, 5, 1, 0), (296, 3, 1, 3),
    ]
    ifd_offset = 8
    ifd_size = 2 + 12 * len(entries) + 4
    rational_offset = ifd_offset + ifd_size
    data_offset = rational_offset + 16
    out = bytearray(b"MM\x00\x2a" + struct.pack(">I", ifd_offset))
    out += struct.pack(">H", len(entries))
    for tag, kind, count, value in entries:
        if tag == 273:
            value = data_offset
        if kind == 5:
            value = rational_offset + (0 if tag == 282 else 8)
            out += struct.pack(">HHII", tag, kind, count, value)
        elif kind == 3:
            out += struct.pack(">HHIHH", tag, kind, count, value, 0)
        else:
            out += struct.pack(">HHII", tag, kind, count, value)
    out += struct.pack(">I", 0)
    out += struct.pack(">IIII", 118, 1, 118, 1)  # 118 pixels per centimetre: 300 dpi
    out += pixels
    return bytes(out)


def exif_block(big_endian: bool) -> bytes:
    """EXIF with orientation, resolution, DateTime and, in the Exif IFD, DateTimeOriginal."""
    exif = Image.Exif()
    if big_endian:
        exif.endian = ">"
    exif[0x0112] = 6
    exif[0x011A] = 300.0
    exif[0x011B] = 300.0
    exif[0x0128] = 2
    exif[0x0132] = "2025:11:24 09:30:00"
    exif.get_ifd(0x8769)[0x9003] = "2025:11:24 09:29:58"
    return exif.tobytes()


def images(corpus: Path, page: Path) -> None:
    tiff = corpus / "fuzz-tiff"
    png = corpus / "fuzz-png"
    jpeg = corpus / "fuzz-jpeg"
    for folder in (tiff, png, jpeg):
        folder.mkdir(parents=True, exist_ok=True)

    # TIFF: each compression and photometric interpretation Sohoa reads.
    dpi = {"dpi": (300, 300)}
    drawing("1").save(tiff / "g4.tif", compression="group4", **dpi)
    drawing("1").save(tiff / "g3.tif", compression="group3", **dpi)
    drawing("1").save(tiff / "packbits-bilevel.tif", compression="packbits", **dpi)
    drawing("L").save(tiff / "lzw-gray.tif", compression="tiff_lzw", **dpi)
    drawing("L").save(tiff / "deflate-gray.tif", compression="tiff_adobe_deflate", **dpi)
    drawing("I;16").save(tiff / "raw-gray16.tif", **dpi)
    drawing("RGB").save(tiff / "lzw-rgb.tif", compression="tiff_lzw", **dpi)
    drawing("RGB").save(tiff / "jpeg-ycbcr.tif", compression="jpeg", **dpi)
    drawing("RGBA").save(tiff / "raw-rgba.tif", **dpi)
    drawing("P").save(tiff / "lzw-palette.tif", compression="tiff_lzw", **dpi)
    drawing("CMYK").save(tiff / "raw-cmyk.tif", **dpi)
    drawing("1").save(tiff / "g4-orientation.tif", compression="group4", tiffinfo={274: 8}, **dpi)
    drawing("1").save(tiff / "multipage-g4.tif", compression="group4", save_all=True,
                      append_images=[drawing("1", (32, 48)), drawing("1", (40, 40))], **dpi)
    drawing("L").save(tiff / "multipage-gray-rgb.tif", compression="tiff_lzw", save_all=True,
                      append_images=[drawing("RGB", (32, 48))], **dpi)
    (tiff / "big-endian-gray.tif").write_bytes(big_endian_tiff())

    # PNG: each colour type and depth, interlacing, transparency, resolution and time chunks.
    info = PngInfo()
    info.add(b"tIME", struct.pack(">HBBBBB", 2025, 11, 24, 9, 30, 0))
    drawing("L").save(png / "gray8.png", dpi=(300, 300), pnginfo=info)
    drawing("1").save(png / "gray1.png", dpi=(200, 200))
    drawing("I;16").save(png / "gray16.png")
    drawing("RGB").save(png / "rgb.png", dpi=(300, 300))
    drawing("RGB").save(png / "rgb-interlaced.png", interlace=1)
    drawing("RGBA").save(png / "rgba.png")
    drawing("LA").save(png / "gray-alpha.png")
    palette = drawing("P")
    palette.info["transparency"] = 0
    palette.save(png / "palette-trns.png")
    drawing("P").save(png / "palette.png", bits=4)

    # JPEG: baseline and progressive, gray, RGB and CMYK, JFIF density and EXIF both byte orders.
    drawing("L").save(jpeg / "gray.jpg", quality=80, dpi=(300, 300))
    drawing("RGB").save(jpeg / "rgb-420.jpg", quality=80, dpi=(200, 200), subsampling=2)
    drawing("RGB").save(jpeg / "rgb-444-exif.jpg", quality=80, subsampling=0, exif=exif_block(False))
    drawing("RGB").save(jpeg / "rgb-exif-motorola.jpg", quality=80, exif=exif_block(True))
    drawing("RGB").save(jpeg / "progressive.jpg", quality=80, progressive=True, dpi=(300, 300))
    drawing("CMYK").save(jpeg / "cmyk-adobe.jpg", quality=80)
    drawing("L").save(jpeg / "gray-restart.jpg", quality=80, restart_marker_blocks=1)

    # The page the seed PDFs are made from.
    drawing("L", (96, 64)).save(page, dpi=(200, 200))


def contents(pdf_path: Path, prefix: str) -> None:
    """Writes the CMS of each signature in the file, its zero padding cut."""
    from asn1crypto import cms

    data = pdf_path.read_bytes()
    found = re.findall(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", data)
    for index, (a, b, c, d) in enumerate(found, start=1):
        hex_digits = data[int(b) + 1:int(c) - 1]
        raw = bytes.fromhex(hex_digits.decode())
        length = len(cms.ContentInfo.load(raw, strict=False).dump(force=False))
        Path(f"{prefix}-{index}.der").write_bytes(raw[:length])


def archive(cms_path: Path, key_path: Path, crl_path: Path, ocsp_path: Path, out: Path) -> None:
    """Adds adbe-revocationInfoArchival (CRL and OCSP response) to the signed attributes and re-signs."""
    from asn1crypto import cms, core, crl, ocsp
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, padding

    class RevocationInfoArchival(core.Sequence):
        _fields = [
            ("crl", core.SequenceOf, {"explicit": 0, "optional": True, "spec": crl.CertificateList}),
            ("ocsp", core.SequenceOf, {"explicit": 1, "optional": True, "spec": ocsp.OCSPResponse}),
            ("other_rev_info", core.SequenceOf, {"explicit": 2, "optional": True, "spec": core.Any}),
        ]

    info = cms.ContentInfo.load(cms_path.read_bytes())
    signer = info["content"]["signer_infos"][0]
    archive_value = RevocationInfoArchival({
        "crl": [crl.CertificateList.load(crl_path.read_bytes())],
        "ocsp": [ocsp.OCSPResponse.load(ocsp_path.read_bytes())],
    })
    attribute = cms.CMSAttribute({"type": "1.2.840.113583.1.1.8", "values": [core.Any.load(archive_value.dump())]})
    # DER orders a SET OF by the encodings of its elements.
    attributes = sorted(list(signer["signed_attrs"]) + [attribute], key=lambda a: a.dump())
    signer["signed_attrs"] = cms.CMSAttributes(attributes)
    to_sign = signer["signed_attrs"].dump(force=True)
    to_sign = b"\x31" + to_sign[1:]
    key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    if isinstance(key, ec.EllipticCurvePrivateKey):
        value = key.sign(to_sign, ec.ECDSA(hashes.SHA256()))
    else:
        value = key.sign(to_sign, padding.PKCS1v15(), hashes.SHA256())
    signer["signature"] = value
    out.write_bytes(info.dump(force=True))


def ber(folder: Path) -> None:
    """Small BER elements, each exercising one rule of BERElement.length."""
    folder.mkdir(parents=True, exist_ok=True)
    seeds = {
        "definite-short.ber": bytes.fromhex("3003020101"),
        "definite-long.ber": bytes.fromhex("30820004") + bytes.fromhex("04020000"),
        "indefinite.ber": bytes.fromhex("3080020101 0000".replace(" ", "")),
        "indefinite-nested.ber": bytes.fromhex("3080a0803080040100000000000000"),
        "high-tag.ber": bytes.fromhex("bf8a3b03020105"),
        "indefinite-primitive.ber": bytes.fromhex("0480000000"),
        "constructed-octets.ber": bytes.fromhex("24800403616263040164 0000".replace(" ", "")),
        "empty-sequence.ber": bytes.fromhex("3000"),
        "trailing-padding.ber": bytes.fromhex("3003020101") + bytes(16),
    }
    for name, data in seeds.items():
        (folder / name).write_bytes(data)


def main(argv: list[str]) -> None:
    if len(argv) < 2:
        sys.exit(__doc__)
    command, args = argv[1], argv[2:]
    if command == "images" and len(args) == 2:
        images(Path(args[0]), Path(args[1]))
    elif command == "contents" and len(args) == 2:
        contents(Path(args[0]), args[1])
    elif command == "archive" and len(args) == 5:
        archive(*(Path(a) for a in args))
    elif command == "ber" and len(args) == 1:
        ber(Path(args[0]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
