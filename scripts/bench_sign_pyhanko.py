"""The peer for the signing benchmark: pyHanko signs every PDF of a folder as PAdES B-T, in one
Python process, with the same PKCS#12 key and the same time-stamp authority as Sohoa; with
--visible X1,Y1,X2,Y2 the signature gets pyHanko's text stamp in that box of page 1.

    python bench_sign_pyhanko.py IN_DIR OUT_DIR P12 PASSWORD TSA_URL [--visible X1,Y1,X2,Y2]
"""
import os
import sys

from pyhanko.sign import fields, signers, timestamps
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter


def main(source: str, target: str, p12: str, password: str, tsa: str, box: tuple | None = None) -> None:
    signer = signers.SimpleSigner.load_pkcs12(p12, passphrase=password.encode())
    stamper = timestamps.HTTPTimeStamper(tsa)
    metadata = signers.PdfSignatureMetadata(field_name="Signature1", subfilter=fields.SigSeedSubFilter.PADES,
                                            md_algorithm="sha256")
    os.makedirs(target, exist_ok=True)
    count = 0
    for name in sorted(os.listdir(source)):
        if not name.endswith(".pdf"):
            continue
        with open(os.path.join(source, name), "rb") as handle:
            writer = IncrementalPdfFileWriter(handle)
            if box is None:
                output = signers.sign_pdf(writer, metadata, signer=signer, timestamper=stamper)
            else:
                fields.append_signature_field(writer, fields.SigFieldSpec(sig_field_name="Signature1", on_page=0, box=box))
                output = signers.PdfSigner(metadata, signer=signer, timestamper=stamper).sign_pdf(writer)
        with open(os.path.join(target, name), "wb") as handle:
            handle.write(output.getbuffer())
        count += 1
    print(count)


if __name__ == "__main__":
    visible = None
    if len(sys.argv) > 7 and sys.argv[6] == "--visible":
        visible = tuple(float(value) for value in sys.argv[7].split(","))
    main(*sys.argv[1:6], box=visible)
