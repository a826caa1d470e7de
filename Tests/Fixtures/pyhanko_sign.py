"""Signs a PDF with pyHanko, as an independent signer whose signatures Sohoa must verify.

    python pyhanko_sign.py IN.pdf OUT.pdf P12 PASSWORD LEVEL [--tsa URL] [--certify] [--adobe] [--root ROOT.pem]

LEVEL is B-B, B-T or B-LT. B-LT needs --tsa and --root: pyHanko fetches the CRLs from the
certificates' distribution points and embeds them (with the certificates) in the DSS.
--certify makes it a certification signature (DocMDP P=2).
"""
import argparse

from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers, timestamps
from pyhanko_certvalidator import ValidationContext


def main() -> None:
    parser = argparse.ArgumentParser()
    for name in ("source", "target", "p12", "password", "level"):
        parser.add_argument(name)
    parser.add_argument("--tsa")
    parser.add_argument("--root")
    parser.add_argument("--certify", action="store_true")
    parser.add_argument("--adobe", action="store_true",
                        help="adbe.pkcs7.detached; with B-LT the revocation data goes into the signature "
                             "(adbe-revocationInfoArchival) instead of the DSS")
    options = parser.parse_args()
    signer = signers.SimpleSigner.load_pkcs12(options.p12, passphrase=options.password.encode())
    long_term = options.level == "B-LT"
    context = None
    if long_term:
        context = ValidationContext(trust_roots=[load_cert_from_pemder(options.root)], allow_fetching=True)
    with open(options.source, "rb") as handle:
        taken = {name for name, _, _ in fields.enumerate_sig_fields(PdfFileReader(handle, strict=False))}
    field = next(f"Signature{n}" for n in range(1, 100) if f"Signature{n}" not in taken)
    metadata = signers.PdfSignatureMetadata(
        field_name=field, md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.ADOBE_PKCS7_DETACHED if options.adobe else fields.SigSeedSubFilter.PADES,
        certify=options.certify, docmdp_permissions=fields.MDPPerm.FILL_FORMS,
        embed_validation_info=long_term, validation_context=context)
    stamper = timestamps.HTTPTimeStamper(options.tsa) if options.level in ("B-T", "B-LT") else None
    with open(options.source, "rb") as handle:
        writer = IncrementalPdfFileWriter(handle, strict=False)
        output = signers.sign_pdf(writer, metadata, signer=signer, timestamper=stamper)
    with open(options.target, "wb") as handle:
        handle.write(output.getbuffer())


if __name__ == "__main__":
    main()
