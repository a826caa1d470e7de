"""The peer for the verification benchmark: pyHanko validates every signature of every PDF in a
folder, in one Python process, against the same trust root, fetching CRLs from the same
distribution points (one validation context, so each CRL is fetched once), as Sohoa does.

    python bench_verify_pyhanko.py DIR TRUST_ROOT.pem

Prints how many signatures pyHanko found valid (bottom line) and how many it checked.
"""
import os
import sys

from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext


def main(folder: str, root: str) -> None:
    context = ValidationContext(trust_roots=[load_cert_from_pemder(root)], allow_fetching=True,
                                revocation_mode="hard-fail")
    valid = checked = 0
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".pdf"):
            continue
        with open(os.path.join(folder, name), "rb") as handle:
            for signature in PdfFileReader(handle, strict=False).embedded_signatures:
                status = validate_pdf_signature(signature, context, ts_validation_context=context)
                checked += 1
                valid += bool(status.bottom_line)
    print(f"{valid} of {checked} valid")
    if valid != checked:
        sys.exit(1)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
