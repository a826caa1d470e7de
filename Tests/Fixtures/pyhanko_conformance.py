"""Takes pyHanko's signed test PDFs and what pyHanko's own tests expect of them, for Sohoa.

    python pyhanko_conformance.py --out DIR [--sdist pyhanko-0.38.0.tar.gz]

pyHanko's source distribution carries its test PDFs (pyhanko_testing_commons/test_data/data/pdf/)
and the key material of its test CAs; its tests say what each signed file must validate to. This
script reads the sdist (taking it from PyPI with pip into .build/pyhanko-sdist/ when no path is
given and it is not there yet), and writes into DIR:

    pdf/...            every test PDF, under its path in the sdist
    trust/*.pem        the trust anchors the signed files need (see below)
    manifest.json      one entry per PDF: what it is, which anchors and validation time to use,
                       and what pyHanko's tests expect of each of its signatures, with the tests
                       the expectation comes from

Nothing of pyHanko (MIT licence) is kept in this repository: the files are taken at test time.

Trust anchors. pyHanko's tests build their CAs with certomancer from keys in the sdist
(crypto/keys-*/root_ca.key.pem) and trust the root that certomancer makes; a few older files use
the roots shipped as certificates (crypto/testing-ca/, crypto/some-chain.cert.pem) or the
self-signed "Lord Testerino" certificate (crypto/selfsigned.cert.pem). A file's anchors are the
self-signed certificates its signatures carry that are either one of those shipped certificates
or hold the public key of one of the shipped root keys; a root matching neither is not trusted.

Expectations. Only what a pyHanko test asserts about a file as shipped goes in; each signature
(in pyHanko's order, `embedded_signatures[i]`, resolved here to its field name) is one of:

    accepted     pyHanko's tests accept it: intact, cryptographically valid, and every change
                 after it allowed (modification level at most FORM_FILLING, which in pyHanko
                 includes later signatures). Sohoa must find it intact, list no disallowed
                 change after it, and not call it invalid.
    disallowed   pyHanko's tests flag a change after it (modification level OTHER, a
                 SuspiciousModification: "sneaky") or refuse the signature outright. Sohoa must
                 call it invalid.
    not-accepted pyHanko's tests do not accept it, without calling it tampered with (nonstandard
                 byte-range coverage, an algorithm outside its constraints: bottom line false or
                 INDETERMINATE). Sohoa must not call it valid.

A file's `expect` sums them up: "invalid" when a signature is `disallowed`, "not-valid" when one
is `not-accepted`, "no-disallowed-change" when every expected signature is `accepted`, "none"
when the tests say nothing about the file as shipped. Every cited test is checked to exist in
the sdist's tests and to name its file, so a different sdist fails loudly instead of silently
measuring against stale expectations.
"""
from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import subprocess
import sys
import tarfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from asn1crypto import keys, pem, x509
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
    load_pem_private_key,
)
from pyhanko.pdf_utils.crypt import SimpleEnvelopeKeyDecrypter
from pyhanko.pdf_utils.reader import PdfFileReader

VERSION = "0.38.0"
SDIST_NAME = f"pyhanko-{VERSION}.tar.gz"
# The sdist as published on PyPI: a different archive under the same name is refused.
SDIST_SHA256 = "267d6d3fa460b0f0e9c5362a2d7979dccbe1e6b1f8d89ba0818dd0c45b5f300e"
DATA = f"pyhanko-{VERSION}/pyhanko_testing_commons/test_data/data/"
TESTS = f"pyhanko-{VERSION}/tests/"
PACKAGE_ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Expect:
    """What one pyHanko test asserts about one signature of a file as shipped."""

    kind: str  # accepted | disallowed | not-accepted
    pyhanko: str  # what the test asserts, in pyHanko's terms


@dataclass
class FileExpectation:
    signatures: dict[int, Expect]
    tests: list[str]  # tests/<file>.py::<test function>
    at: str | None = None  # the test's freeze_time, used as Sohoa's --at
    note: str = ""


def accepted_whole(test: str) -> Expect:
    return Expect("accepted", f"{test}: intact, valid, coverage ENTIRE_FILE, modification_level NONE")


def accepted_form_filling(test: str) -> Expect:
    return Expect("accepted", f"{test}: modification_level FORM_FILLING")


# The expectations, each from the pyHanko tests named. Keys are paths under test_data/data/pdf/.
EXPECTATIONS: dict[str, FileExpectation] = {}


def expect(path: str, tests: list[str], signatures: dict[int, Expect], at: str | None = None, note: str = ""):
    EXPECTATIONS[path] = FileExpectation(signatures, tests, at, note)


# tests/test_diff_analysis.py
for name in ["extensions-direct.pdf", "extensions-indirect.pdf",
             "extensions-update-indirect.pdf", "extensions-update-direct.pdf"]:
    expect(name, ["tests/test_diff_analysis.py::test_diff_analysis_add_extensions_dict"],
           {0: accepted_form_filling("validate_pdf_signature, no trust")},
           note="an /Extensions dictionary added to the catalog with the second signature")
expect("extensions-indirect-not-all-paths.pdf",
       ["tests/test_diff_analysis.py::test_diff_analysis_update_indirect_extensions_not_all_paths"],
       {0: Expect("disallowed", "diff_result is a SuspiciousModification naming /DontOverrideMe")},
       note="an indirect /Extensions dictionary also reachable elsewhere, overwritten")
for name in ["form-update-override-appearance-stream.pdf",
             "form-update-override-appearance-stream-ap-indirect.pdf",
             "form-update-no-override-appearance-stream-ap-indirect.pdf",
             "form-update-original-ap-type-wrong.pdf"]:
    expect(name, ["tests/test_diff_analysis.py::test_appearance_update_edge_cases"],
           {0: accepted_form_filling("validate_pdf_signature, no trust")},
           note="the second signature field reuses or overrides the first field's appearance objects")
for name in ["form-update-override-appearance-stream-sneaky.pdf",
             "form-update-override-appearance-stream-ap-indirect-sneaky.pdf",
             "form-update-no-override-appearance-stream-ap-indirect-sneaky.pdf",
             "form-update-ap-indirect-sneaky-trailer.pdf"]:
    expect(name, ["tests/test_diff_analysis.py::test_disallow_appearance_stream_override_if_clobbers"],
           {0: Expect("disallowed", "modification_level OTHER, diff_result naming .FooBar")},
           note="an appearance stream or dictionary used elsewhere is overwritten by the update")
for name in ["minimal-two-fields-signed-twice.pdf", "minimal-signed-twice-second-created.pdf",
             "minimal-signed-twice-both-created.pdf"]:
    tests = ["tests/test_diff_analysis.py::test_double_sig_adobe_reader"]
    if name == "minimal-signed-twice-second-created.pdf":
        tests.append("tests/test_diff_analysis.py::test_double_sig_adobe_reader_second_created")
    expect(name, tests,
           {0: Expect("accepted", "val_untrusted(extd=True): intact, valid, coverage ENTIRE_REVISION, "
                                  "modification_level FORM_FILLING, docmdp_ok"),
            1: Expect("accepted", "val_untrusted: intact, valid, coverage ENTIRE_FILE, modification_level NONE")},
           at="2021-01-05T00:00:00Z",
           note="signed twice by Adobe Reader (object streams, XMP metadata updates)")
expect("minimal-signed-twice-no-sig-type.pdf",
       ["tests/test_diff_analysis.py::test_signature_without_type_is_form_filling"],
       {0: accepted_form_filling("compute_integrity_info(DEFAULT_DIFF_POLICY)")},
       note="the second signature dictionary has no /Type")
expect("separate-annots-kids-indir.pdf",
       ["tests/test_diff_analysis.py::test_validate_separate_annot_with_indir_kids"],
       {0: Expect("accepted", "val_trusted(extd=True): intact, valid, trusted, modification_level <= FORM_FILLING, "
                              "bottom_line"),
        1: accepted_whole("val_trusted")},
       at="2020-11-01T00:00:00Z", note="signature widgets kept apart from the fields, /Kids indirect")
expect("certified-with-indirect-refs-in-dir.pdf",
       ["tests/test_diff_analysis.py::test_indir_ref_in_sigref_dict"],
       {0: accepted_whole("val_trusted")},
       at="2020-11-01T00:00:00Z", note="certified; the signature reference dictionary holds indirect references")
expect("pades-lta-dss-indirect-arrs-test.pdf",
       ["tests/test_pades.py::test_pades_lta_dss_indirect_arrs",
        "tests/test_diff_analysis.py::test_pades_sign_twice_indirect_arrs"],
       {0: Expect("accepted", "PAdES check (no revocation): bottom_line; and val_trusted(extd=True) once one more "
                              "signature is added")},
       at="2020-11-01T00:00:00Z", note="PAdES B-LTA: a DSS with indirect arrays and a document time-stamp")
expect("pades-lta-dss-indirect-arrs-test-2.pdf",
       ["tests/test_diff_analysis.py::test_pades_sign_update_dss"],
       {0: Expect("accepted", "val_trusted(extd=True), once an unrelated certificate is added to the DSS"),
        2: Expect("accepted", "val_trusted(extd=True), once an unrelated certificate is added to the DSS")},
       at="2020-11-01T00:00:00Z",
       note="PAdES B-LTA then a second signature; the test checks both after one more DSS update, "
            "which it could not if the file as shipped had a disallowed change")
expect("coverage-anomalies/tail-uncovered.pdf", ["tests/test_diff_analysis.py::test_anomalous_coverage"],
       {0: Expect("not-accepted", "intact, valid, coverage CONTIGUOUS_BLOCK_FROM_START, NONSTANDARD_COVERAGE, "
                                  "not bottom_line")},
       note="the byte range does not reach the end of the file")
for name in ["signature-gap-too-big.pdf", "one-byterange.pdf", "weird-byterange.pdf"]:
    expect(f"coverage-anomalies/{name}", ["tests/test_diff_analysis.py::test_anomalous_coverage"],
           {0: Expect("not-accepted", "intact, valid, coverage UNCLEAR, NONSTANDARD_COVERAGE, not bottom_line")},
           note="a /ByteRange that does not cover the file but the /Contents string")

# tests/test_cms.py
for name in ["pades-with-old-style-signing-cert-attr.pdf", "pades-with-old-style-signing-cert-attr-issser.pdf"]:
    expect(name, ["tests/test_cms.py::test_old_style_signing_cert_attr_ok"],
           {0: accepted_whole("val_trusted")},
           at="2020-11-01T00:00:00Z", note="ESS signing-certificate (v1) instead of v2")
expect("sig-no-signed-attrs.pdf", ["tests/test_cms.py::test_verify_sig_without_signed_attrs"],
       {0: accepted_whole("val_untrusted")}, note="a CMS signer info without signed attributes")
expect("sig-with-ski-sid.pdf", ["tests/test_cms.py::test_verify_sig_with_ski_sid"],
       {0: accepted_whole("val_untrusted")}, note="the signer identified by subjectKeyIdentifier")
expect("ed448-shake256-nolen.pdf", ["tests/test_cms.py::test_ed448_no_length"],
       {0: accepted_whole("val_untrusted, md_algorithm shake256")},
       at="2020-11-01T00:00:00Z", note="Ed448 with id-shake256 without its length parameter")
expect("ed448-disallowed-hash.pdf", ["tests/test_cms.py::test_ed448_invalid_hash_algo_validation"],
       {0: Expect("not-accepted", "trust_problem_indic CRYPTO_CONSTRAINTS_FAILURE")},
       at="2020-11-01T00:00:00Z", note="Ed448 with a digest algorithm Ed448 does not allow")

# tests/test_signing.py
expect("pdf-sig-with-econtent.pdf", ["tests/test_signing.py::test_sign_reject_econtent_if_detached"],
       {0: Expect("disallowed", "SignatureValidationError: detached signature with encapsulated content")},
       note="an adbe.pkcs7.detached signature whose CMS encapsulates content")

# Signed files whose signatures the tests do not judge as shipped.
NO_EXPECTATION = {
    "coverage-anomalies/base.pdf": "used by no test (the base the other coverage anomalies were made from); "
                                   "pyHanko cannot parse its CMS",
    "signed-encrypted-pubkey-with-catalog-ref.pdf": "tests/test_sign_encrypted.py::test_copy_file_with_mdp_signature"
                                                     "_and_backref validates a decrypted copy, not the file as shipped",
}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def find_sdist(given: str | None) -> Path:
    if given:
        return Path(given)
    folder = PACKAGE_ROOT / ".build" / "pyhanko-sdist"
    target = folder / SDIST_NAME
    if not target.exists():
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
                        "--no-deps", "--no-binary", ":all:", f"pyhanko=={VERSION}", "-d", str(folder)],
                       check=True)
    return target


def certificates_in(data: bytes) -> list[bytes]:
    if pem.detect(data):
        return [der for kind, _, der in pem.unarmor(data, multiple=True) if kind == "CERTIFICATE"]
    return [data]


def self_signed(cert: x509.Certificate) -> bool:
    return cert.subject == cert.issuer and cert.self_signed in ("maybe", "yes")


def public_key_of(key_pem: bytes) -> bytes | None:
    for password in (None, b"secret"):
        try:
            key = load_pem_private_key(key_pem, password)
        except (TypeError, ValueError):
            continue
        return key.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    return None


def check_cited_tests(members: dict[str, bytes]) -> None:
    """Every cited test exists in the sdist and names its file (by name or in its parameters)."""
    cited: dict[str, list[str]] = {}
    for path, item in EXPECTATIONS.items():
        for test in item.tests:
            cited.setdefault(test, []).append(path)
    for test, paths in cited.items():
        module, function = test.split("::")
        source = members.get(f"pyhanko-{VERSION}/{module}")
        if source is None:
            raise SystemExit(f"{module} is not in the sdist")
        text = source.decode()
        start = text.find(f"def {function}(")
        if start < 0:
            raise SystemExit(f"{test} is not in the sdist")
        # The test's decorators (parameters) stand before it; its body runs to the next test.
        before = text.rfind("\n\n\n", 0, start)
        after = text.find("\ndef ", start + 1)
        body = text[before if before >= 0 else 0:after if after >= 0 else len(text)]
        for path in paths:
            if Path(path).name not in body:
                raise SystemExit(f"{test} does not name {path}")


@dataclass
class Anchors:
    """The trust anchors found in the sdist: shipped self-signed certificates and root keys."""

    shipped: dict[str, str] = field(default_factory=dict)  # sha256 of DER -> sdist path
    root_keys: dict[bytes, list[str]] = field(default_factory=dict)  # SPKI DER -> sdist key paths
    written: dict[str, dict] = field(default_factory=dict)  # sha256 of DER -> anchor record

    def load(self, members: dict[str, bytes]) -> None:
        for name, data in sorted(members.items()):
            if not name.startswith(DATA + "crypto/"):
                continue
            relative = name[len(DATA):]
            if name.endswith("root_ca.key.pem"):
                spki = public_key_of(data)
                if spki is not None:
                    self.root_keys.setdefault(spki, []).append(relative)
            elif name.endswith((".cert.pem", ".cer", ".crt")):
                for der in certificates_in(data):
                    try:
                        if self_signed(x509.Certificate.load(der)):
                            self.shipped.setdefault(sha256(der), relative)
                    except ValueError:
                        continue

    def anchor_for(self, cert: x509.Certificate, out: Path) -> dict | None:
        der = cert.dump()
        digest = sha256(der)
        if digest in self.written:
            return self.written[digest]
        if digest in self.shipped:
            why = f"shipped as {self.shipped[digest]}"
        elif cert.public_key.dump() in self.root_keys:
            why = f"carried by the signature; its key is {' = '.join(self.root_keys[cert.public_key.dump()])}"
        else:
            return None
        name = f"trust/{cert.public_key.algorithm}-{cert.subject.native.get('common_name', 'root').replace(' ', '-')}" \
               f"-{digest[:12]}.pem"
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(pem.armor("CERTIFICATE", der))
        record = {"path": name, "subject": cert.subject.human_friendly, "sha256": digest, "why": why,
                  "notAfter": cert.not_valid_after.isoformat()}
        self.written[digest] = record
        return record


DECRYPTERS = [
    ("crypto/keys-rsa/signer.key.pem", "crypto/testing-ca/interm/decrypter1.cert.pem"),
    ("crypto/keys-rsa/signer.key.pem", "crypto/testing-ca/interm/decrypter1-old.cert.pem"),
    ("crypto/selfsigned.key.pem", "crypto/selfsigned.cert.pem"),
]


def decrypters(members: dict[str, bytes]) -> list[SimpleEnvelopeKeyDecrypter]:
    """The recipients pyHanko's tests decrypt public-key encrypted files with (samples.py)."""
    made = []
    for key, cert in DECRYPTERS:
        private = load_pem_private_key(members[DATA + key], b"secret")
        made.append(SimpleEnvelopeKeyDecrypter(
            cert=x509.Certificate.load(certificates_in(members[DATA + cert])[0]),
            private_key=keys.PrivateKeyInfo.load(private.private_bytes(Encoding.DER, PrivateFormat.PKCS8,
                                                                       NoEncryption()))))
    return made


def open_reader(data: bytes, recipients: list[SimpleEnvelopeKeyDecrypter]) -> tuple[PdfFileReader, bool]:
    """pyHanko's reader over the file, decrypted with the tests' passwords or keys when encrypted."""
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    if not reader.encrypted:
        return reader, False
    for password in (b"usersecret", b"ownersecret"):
        try:
            if reader.decrypt(password).status.name != "FAILED":
                return reader, True
        except Exception:  # noqa: BLE001 - a handler that does not take passwords
            pass
    for recipient in recipients:
        try:
            if reader.decrypt_pubkey(recipient).status.name != "FAILED":
                return reader, True
        except Exception:  # noqa: BLE001 - not this recipient
            continue
    return reader, True


def describe(relative: str, data: bytes, recipients: list[SimpleEnvelopeKeyDecrypter], anchors: Anchors,
             out: Path) -> dict:
    entry: dict = {"file": "pdf/" + relative, "sha256": sha256(data)}
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # pyHanko prints some repairs
            reader, encrypted = open_reader(data, recipients)
            signatures = reader.embedded_signatures
    except Exception as error:  # noqa: BLE001 - pyHanko refuses the file: a deliberately broken one
        # A signature dictionary in the bytes says the file was signed, whatever pyHanko makes of it.
        entry.update(kind="signed-unreadable" if b"/ByteRange" in data else "unreadable",
                     pyhankoError=f"{type(error).__name__}: {error}"[:200])
        return entry
    if not signatures:
        entry["kind"] = "encrypted-unsigned" if encrypted else "unsigned"
        return entry
    entry["kind"] = "encrypted-signed" if encrypted else "signed"
    trust: dict[str, dict] = {}
    described = []
    for index, signature in enumerate(signatures):
        item = {"index": index, "field": signature.field_name,
                "type": str(signature.sig_object.get("/Type")) if "/Type" in signature.sig_object else None,
                "subFilter": str(signature.sig_object.get("/SubFilter"))}
        try:
            certificates = [choice.chosen for choice in signature.signed_data["certificates"]]
        except Exception as error:  # noqa: BLE001 - a CMS pyHanko cannot parse
            item["cmsError"] = f"{type(error).__name__}: {error}"[:200]
            certificates = []
        for cert in certificates:
            if isinstance(cert, x509.Certificate) and self_signed(cert):
                anchor = anchors.anchor_for(cert, out)
                if anchor is not None:
                    trust[anchor["path"]] = anchor
        described.append(item)
    entry["signatures"] = described
    entry["trust"] = sorted(trust)
    return entry


def main() -> None:
    warnings.simplefilter("ignore")  # deprecated ciphers of the encrypted test files
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, help="folder to write the PDFs, anchors and manifest.json into")
    parser.add_argument("--sdist", help=f"{SDIST_NAME}; default .build/pyhanko-sdist/, taken with pip when absent")
    arguments = parser.parse_args()
    out = Path(arguments.out)
    out.mkdir(parents=True, exist_ok=True)

    sdist = find_sdist(arguments.sdist)
    archive = sdist.read_bytes()
    if sha256(archive) != SDIST_SHA256:
        raise SystemExit(f"{sdist} is not pyHanko {VERSION}'s sdist (sha256 {sha256(archive)})")
    members: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
        for member in tar.getmembers():
            if member.isfile() and (member.name.startswith(DATA + "pdf/") or member.name.startswith(DATA + "crypto/")
                                    or member.name.startswith(TESTS)):
                members[member.name] = tar.extractfile(member).read()
    check_cited_tests(members)

    anchors = Anchors()
    anchors.load(members)
    recipients = decrypters(members)
    entries = []
    for name, data in sorted(members.items()):
        if not (name.startswith(DATA + "pdf/") and name.endswith(".pdf")):
            continue
        relative = name[len(DATA + "pdf/"):]
        (out / "pdf" / relative).parent.mkdir(parents=True, exist_ok=True)
        (out / "pdf" / relative).write_bytes(data)
        entry = describe(relative, data, recipients, anchors, out)
        expectation = EXPECTATIONS.get(relative)
        if expectation is not None:
            signatures = entry.get("signatures", [])
            for index, item in expectation.signatures.items():
                if index >= len(signatures):
                    raise SystemExit(f"{relative}: pyHanko's tests judge signature {index}, the file has "
                                     f"{len(signatures)}")
                signatures[index]["expect"] = item.kind
                signatures[index]["pyhanko"] = item.pyhanko
            kinds = {item.kind for item in expectation.signatures.values()}
            entry["expect"] = ("invalid" if "disallowed" in kinds else
                               "not-valid" if "not-accepted" in kinds else "no-disallowed-change")
            entry["tests"] = expectation.tests
            entry["at"] = expectation.at
            entry["note"] = expectation.note
        else:
            entry["expect"] = "none"
            if relative in NO_EXPECTATION:
                entry["note"] = NO_EXPECTATION[relative]
            elif entry["kind"] in ("signed", "encrypted-signed", "signed-unreadable"):
                raise SystemExit(f"{relative} is signed but has neither an expectation nor a reason for none")
        entries.append(entry)

    missing = set(EXPECTATIONS) - {entry["file"][len("pdf/"):] for entry in entries}
    if missing:
        raise SystemExit(f"expected files not in the sdist: {sorted(missing)}")
    manifest = {"pyhanko": VERSION, "sdist": str(sdist), "sdistSha256": SDIST_SHA256,
                "anchors": sorted(anchors.written.values(), key=lambda record: record["path"]),
                "files": entries}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    counts: dict[str, int] = {}
    for entry in entries:
        counts[f"{entry['kind']}/{entry['expect']}"] = counts.get(f"{entry['kind']}/{entry['expect']}", 0) + 1
    print(json.dumps({"files": len(entries), "byKindAndExpectation": counts}))


if __name__ == "__main__":
    main()
