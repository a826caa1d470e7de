"""Validates every signature of a PDF with pyHanko and prints one JSON line per signature.

    python pyhanko_validate.py FILE.pdf TRUST_ROOT.pem [--ltv]

The independent verifier of the test suite: what it says is compared with what Sohoa expects.
Nothing is fetched. Without --ltv, revocation is not required (soft-fail). With --ltv, the
validation material comes from the document's DSS only and revocation is hard-fail: a
signature is valid only when the DSS holds what proves its chains unrevoked (PAdES B-LT).
"""
import json
import sys

from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import DocumentSecurityStore, validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.errors import NoDSSFoundError
from pyhanko_certvalidator import ValidationContext


def context_for(reader, root, long_term: bool) -> ValidationContext:
    settings = {"trust_roots": [load_cert_from_pemder(root)], "allow_fetching": False}
    if not long_term:
        return ValidationContext(revocation_mode="soft-fail", **settings)
    settings["revocation_mode"] = "hard-fail"
    try:
        store = DocumentSecurityStore.read_dss(handler=reader)
    except NoDSSFoundError:
        return ValidationContext(crls=[], ocsps=[], **settings)
    return store.as_validation_context(settings)


def main(path: str, root: str, long_term: bool) -> None:
    with open(path, "rb") as handle:
        reader = PdfFileReader(handle, strict=False)
        results = []
        for signature in reader.embedded_signatures:
            context = context_for(reader, root, long_term)
            if signature.sig_object.get("/Type") == "/DocTimeStamp":
                status = validate_pdf_timestamp(signature, validation_context=context)
                results.append({
                    "field": signature.field_name, "intact": status.intact, "valid": status.valid,
                    "trusted": status.trusted, "bottomLine": bool(status.intact and status.valid and status.trusted),
                    "documentTimeStamp": True,
                    "coverage": status.coverage.name if status.coverage else None,
                    "modificationLevel": status.modification_level.name if status.modification_level else None,
                })
                continue
            status = validate_pdf_signature(signature, context, ts_validation_context=context)
            timestamp = status.timestamp_validity
            results.append({
                "field": signature.field_name,
                "intact": status.intact,
                "valid": status.valid,
                "trusted": status.trusted,
                "bottomLine": status.bottom_line,
                "revocationDetails": str(status.revocation_details) if status.revocation_details else None,
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
    main(sys.argv[1], sys.argv[2], "--ltv" in sys.argv[3:])
