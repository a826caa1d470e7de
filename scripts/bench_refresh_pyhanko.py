"""pyHanko's side of the `repo refresh` benchmark: the archive time-stamp renewal
(`update_archival_timestamp_chain`, what `pyhanko sign ltaupdate` runs) of every PDF in a
folder, one after another in one process (no interpreter start per file), revocation data
fetched from the addresses the certificates name. Prints the seconds and the bytes added.

  python bench_refresh_pyhanko.py IN_DIR OUT_DIR TSA_URL TRUST_ROOT.pem
"""
import logging
import os
import sys
import time

from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.signers.pdf_signer import PdfTimeStamper
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko_certvalidator import ValidationContext

logging.disable(logging.WARNING)  # "no document timestamps yet", once per file
source, target, url, root = sys.argv[1:5]
os.makedirs(target, exist_ok=True)
trust = load_cert_from_pemder(root)
stamper = PdfTimeStamper(HTTPTimeStamper(url))
names = sorted(name for name in os.listdir(source) if name.endswith(".pdf"))
added = 0
began = time.monotonic()
for name in names:
    context = ValidationContext(trust_roots=[trust], allow_fetching=True)
    with open(os.path.join(source, name), "rb") as handle, open(os.path.join(target, name), "wb") as output:
        stamper.update_archival_timestamp_chain(PdfFileReader(handle, strict=False), context, in_place=False, output=output)
    added += os.path.getsize(os.path.join(target, name)) - os.path.getsize(os.path.join(source, name))
print(f"{time.monotonic() - began:.3f} {added // max(1, len(names))} {len(names)}")
