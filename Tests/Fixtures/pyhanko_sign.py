"""Signs a PDF with pyHanko, as an independent signer whose signatures Sohoa must verify.

    python pyhanko_sign.py IN.pdf OUT.pdf P12 PASSWORD LEVEL [--tsa URL] [--certify] [--adobe] [--root ROOT.pem]
                           [--visible X1,Y1,X2,Y2]
    python pyhanko_sign.py IN.pdf OUT.pdf - - ARCHIVE --tsa URL --root ROOT.pem

LEVEL is B-B, B-T, B-LT or B-LTA. B-LT and B-LTA need --tsa and --root: pyHanko fetches the
CRLs from the certificates' distribution points and embeds them (with the certificates) in the
DSS; B-LTA adds a document time-stamp. --certify makes it a certification signature (DocMDP
P=2). --visible draws the signature in a new field with that box on page 1 (what
`pyhanko sign addsig --field 1/X1,Y1,X2,Y2/NAME` does).
ARCHIVE signs nothing: it adds validation data (DSS, VRI) for every signature already in the file
and then a document time-stamp, as long-term archiving software does; --timestamp-type Sig or none
writes the time-stamp dictionary's /Type as some producers do (/Sig, or no /Type at all).
"""
import argparse

from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers, timestamps
from pyhanko.sign.validation import add_validation_info
from pyhanko_certvalidator import ValidationContext


def archive(options) -> None:
    """Validation data for every signature, then a document time-stamp."""
    context = ValidationContext(trust_roots=[load_cert_from_pemder(options.root)], allow_fetching=True)
    with open(options.source, "rb") as handle:
        data = handle.read()
    import io
    for index in range(len(PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures)):
        signature = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures[index]
        data = add_validation_info(signature, context, in_place=False).getvalue()
    if options.timestamp_type != "DocTimeStamp":
        from pyhanko.pdf_utils.generic import NameObject
        from pyhanko.sign.signers import pdf_byterange
        plain_init = pdf_byterange.DocumentTimestamp.__init__

        def init(self, bytes_reserved=None):
            plain_init(self, bytes_reserved)
            if options.timestamp_type == "none":
                del self["/Type"]
            else:
                self["/Type"] = NameObject("/" + options.timestamp_type)

        pdf_byterange.DocumentTimestamp.__init__ = init
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    output = signers.PdfTimeStamper(timestamps.HTTPTimeStamper(options.tsa)).timestamp_pdf(
        writer, "sha256", validation_context=context)
    with open(options.target, "wb") as handle:
        handle.write(output.getbuffer())


def main() -> None:
    parser = argparse.ArgumentParser()
    for name in ("source", "target", "p12", "password", "level"):
        parser.add_argument(name)
    parser.add_argument("--tsa")
    parser.add_argument("--root")
    parser.add_argument("--certify", action="store_true")
    parser.add_argument("--visible", help="X1,Y1,X2,Y2 of a new visible signature field on page 1")
    parser.add_argument("--timestamp-type", default="DocTimeStamp", choices=["DocTimeStamp", "Sig", "none"])
    parser.add_argument("--adobe", action="store_true",
                        help="adbe.pkcs7.detached; with B-LT the revocation data goes into the signature "
                             "(adbe-revocationInfoArchival) instead of the DSS")
    options = parser.parse_args()
    if options.level == "ARCHIVE":
        archive(options)
        return
    signer = signers.SimpleSigner.load_pkcs12(options.p12, passphrase=options.password.encode())
    long_term = options.level in ("B-LT", "B-LTA")
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
        embed_validation_info=long_term, validation_context=context, use_pades_lta=options.level == "B-LTA")
    stamper = timestamps.HTTPTimeStamper(options.tsa) if options.level in ("B-T", "B-LT", "B-LTA") else None
    box = tuple(int(value) for value in options.visible.split(",")) if options.visible else None
    with open(options.source, "rb") as handle:
        writer = IncrementalPdfFileWriter(handle, strict=False)
        spec = fields.SigFieldSpec(field, box=box, on_page=0) if box else None
        output = signers.PdfSigner(metadata, signer=signer, timestamper=stamper, new_field_spec=spec).sign_pdf(writer)
    with open(options.target, "wb") as handle:
        handle.write(output.getbuffer())


if __name__ == "__main__":
    main()
