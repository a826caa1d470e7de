"""Validates every signature of a PDF with pyHanko and prints one JSON line per signature.

    python pyhanko_validate.py FILE.pdf TRUST_ROOT.pem

The independent verifier of the test suite: what it says is compared with what Sohoa expects.
Revocation is not checked here (the test PKI's CRL server is not running); fetching is off.
"""
import json
import sys

from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext


def main(path: str, root: str) -> None:
    context = ValidationContext(trust_roots=[load_cert_from_pemder(root)], allow_fetching=False,
                                revocation_mode="soft-fail")
    with open(path, "rb") as handle:
        reader = PdfFileReader(handle, strict=False)
        results = []
        for signature in reader.embedded_signatures:
            status = validate_pdf_signature(signature, context, ts_validation_context=context)
            timestamp = status.timestamp_validity
            results.append({
                "field": signature.field_name,
                "intact": status.intact,
                "valid": status.valid,
                "trusted": status.trusted,
                "bottomLine": status.bottom_line,
                "coverage": status.coverage.name if status.coverage else None,
                "modificationLevel": status.modification_level.name if status.modification_level else None,
                "docmdpOk": status.docmdp_ok,
                "docmdpLevel": signature.docmdp_level.name if signature.docmdp_level else None,
                "timestamp": timestamp is not None,
                "timestampValid": bool(timestamp and timestamp.intact and timestamp.valid and timestamp.trusted),
                "subFilter": signature.sig_object.get("/SubFilter"),
            })
    print(json.dumps(results, default=str))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
