"""The peer for the signing benchmark: pyHanko signs every PDF of a folder as PAdES B-T, in one
Python process, with the same PKCS#12 key and the same time-stamp authority as Sohoa.

    python bench_sign_pyhanko.py IN_DIR OUT_DIR P12 PASSWORD TSA_URL
"""
import os
import sys

from pyhanko.sign import fields, signers, timestamps
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter


def main(source: str, target: str, p12: str, password: str, tsa: str) -> None:
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
            output = signers.sign_pdf(writer, metadata, signer=signer, timestamper=stamper)
        with open(os.path.join(target, name), "wb") as handle:
            handle.write(output.getbuffer())
        count += 1
    print(count)


if __name__ == "__main__":
    main(*sys.argv[1:6])
