"""Renews a B-LTA PDF's archive time-stamp chain with pyHanko (what `pyhanko sign ltaupdate`
does): validation data for the newest document time-stamp, then a new document time-stamp.

    python pyhanko_ltaupdate.py IN.pdf OUT.pdf TSA_URL TRUST_ROOT.pem

Revocation data is fetched from the addresses the certificates name.
"""
import sys

from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.signers.pdf_signer import PdfTimeStamper
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko_certvalidator import ValidationContext


def main(source: str, target: str, url: str, root: str) -> None:
    context = ValidationContext(trust_roots=[load_cert_from_pemder(root)], allow_fetching=True)
    with open(source, "rb") as handle, open(target, "wb") as output:
        reader = PdfFileReader(handle, strict=False)
        PdfTimeStamper(HTTPTimeStamper(url)).update_archival_timestamp_chain(reader, context, in_place=False, output=output)


if __name__ == "__main__":
    main(*sys.argv[1:5])
