#!/usr/bin/env python3
"""Generate the image fixtures for `sohoa assemble` and the manifest that says what a correct
converter must do with each.

Usage (from the repository root):

    .build/venv/bin/python Tests/Fixtures/make_image_fixtures.py OUTDIR

Writes TIFF, PNG and JPEG files under OUTDIR/{tiff,png,jpeg,broken}/ and OUTDIR/manifest.json.
The output is deterministic (fixed seeds, no timestamps) and small (about 1 MB), and the script
checks its own work: every valid fixture is re-opened with Pillow (size, page count, dpi,
orientation, pixels), every TIFF is inspected with its own IFD parser and with `tiffinfo`, every
PNG with `pngfix` when it is installed, and every broken fixture is checked to be refused by Pillow.

Page content, in the upright orientation (fractions of the page width and height, see LAYOUT):
white paper; a solid black marker in the top-left region and nothing dark in the other three
corners, so that a rendered page shows which corner is top-left; a few black text lines in the
middle band; colour pages add a red block, gray pages a mid-gray shading block (values 100-200);
bilevel pages are pure black and white. Blank pages are white with a few dozen 1-2 px speckles.

Needs Pillow and numpy (scripts/requirements.txt) and libtiff-tools (tiffcp, tiffinfo).
"""

from __future__ import annotations

import argparse
import fractions
import io
import json
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import warnings
import zlib
from pathlib import Path

import numpy as np
from PIL import Image, ImageCms, ImageOps, TiffImagePlugin

SEED = 20251124

# Page sizes in pixels (width, height). 413 x 585 is A4 at 50 dpi; the widths are not multiples
# of 8 or 16, so that row padding and partial JPEG MCUs are exercised.
PAGE = (413, 585)
SMALL = (248, 351)  # A4 at 30 dpi, for the orientation fixtures
FAX = (413, 293)  # PAGE squashed to half height, for 200 x 100 dpi (fax "standard" resolution)

# Where things are on an upright page, as fractions (x0, y0, x1, y1) of width and height.
LAYOUT = {
    "markerRegion": [0.08, 0.06, 0.30, 0.20],  # the marker lies inside this region
    "marker": [0.10, 0.08, 0.24, 0.16],  # the solid black rectangle itself
    "emptyCorners": [  # nothing dark in these on a non-blank page
        [0.70, 0.00, 1.00, 0.30],
        [0.00, 0.70, 0.30, 1.00],
        [0.70, 0.70, 1.00, 1.00],
    ],
    "textBand": [0.10, 0.40, 0.58, 0.70],  # black text lines
    "redBlock": [0.62, 0.44, 0.88, 0.52],  # colour pages: RGB (220, 30, 30)
    "shadingBlock": [0.62, 0.55, 0.88, 0.66],  # gray pages: horizontal ramp 100 -> 200
    "transparentBox": [0.72, 0.78, 0.92, 0.94],  # alpha fixtures: black but fully transparent
    "nearlyBlankLine": [0.10, 0.50, 0.25, 0.51],  # the one short line of the nearly blank page
}
RED = (220, 30, 30)

# EXIF orientation -> the Pillow transpose that turns the stored image upright (as
# ImageOps.exif_transpose does) and its inverse, which turns the upright page into the stored one.
TO_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
TO_STORED = {**TO_UPRIGHT, 6: Image.Transpose.ROTATE_90, 8: Image.Transpose.ROTATE_270}


# --------------------------------------------------------------------------------------------
# Page content


def box(w: int, h: int, fr) -> tuple[int, int, int, int]:
    x0, y0, x1, y1 = fr
    return round(x0 * w), round(y0 * h), round(x1 * w), round(y1 * h)


def ramp(x0: int, x1: int, lo: float, hi: float) -> np.ndarray:
    """A horizontal ramp of x1 - x0 values from lo to hi (floats)."""
    n = x1 - x0
    return lo + (hi - lo) * np.arange(n) / max(n - 1, 1)


class Page:
    """One upright page: an RGB uint8 array plus the facts the manifest needs.

    content: "bilevel" | "gray" | "colour" | "blank" | "nearly-blank"
    gray_levels: how many levels the gray shading may use (None = any 8-bit value)
    """

    def __init__(self, size, content, *, seed, lines=5, red=None, shading=None, gray_levels=None):
        self.w, self.h = size
        self.content = content
        self.lines = 0
        w, h = size
        rng = random.Random(seed)
        a = np.full((h, w, 3), 255, np.uint8)
        if content in ("blank", "nearly-blank"):
            for _ in range(40):
                s = rng.choice((1, 1, 2))
                x, y = rng.randrange(4, w - 6), rng.randrange(4, h - 6)
                a[y : y + s, x : x + s] = 0
            if content == "nearly-blank":
                x0, y0, x1, y1 = box(w, h, LAYOUT["nearlyBlankLine"])
                a[y0 : max(y1, y0 + 2), x0:x1] = 0
                self.lines = 1
        else:
            x0, y0, x1, y1 = box(w, h, LAYOUT["marker"])
            a[y0:y1, x0:x1] = 0
            tx0, ty0, tx1, ty1 = box(w, h, LAYOUT["textBand"])
            thick = max(2, round(0.012 * h))
            pitch = (ty1 - ty0 - thick) // max(lines - 1, 1)
            for i in range(lines):
                y = ty0 + i * pitch
                x = tx0
                end = tx1 - rng.randrange(0, (tx1 - tx0) // 3)
                while True:
                    word = rng.randrange(max(3, w // 40), max(5, w // 12))
                    if x + word > end:
                        break
                    a[y : y + thick, x : x + word] = 0
                    x += word + max(2, w // 60)
            self.lines = lines
            red = (content == "colour") if red is None else red
            shading = (content == "gray") if shading is None else shading
            if red:
                x0, y0, x1, y1 = box(w, h, LAYOUT["redBlock"])
                a[y0:y1, x0:x1] = RED
            if shading:
                x0, y0, x1, y1 = box(w, h, LAYOUT["shadingBlock"])
                v = ramp(x0, x1, 100, 200)
                if gray_levels:
                    top = gray_levels - 1
                    lo, hi = -(-100 * top // 255), 200 * top // 255
                    v = np.clip(np.round(v * top / 255), lo, hi) * 255 / top
                a[y0:y1, x0:x1] = np.round(v).astype(np.uint8)[None, :, None]
        self.rgb = a
        # 16-bit versions: the shading block gets a fine ramp whose low bytes vary, so a
        # converter that truncates 16-bit samples to 8 is caught.
        self.rgb16 = a.astype(np.uint16) * 257
        if content == "gray" or shading:
            x0, y0, x1, y1 = box(w, h, LAYOUT["shadingBlock"])
            v16 = np.round(ramp(x0, x1, 100 * 257 + 37, 200 * 257 - 41)).astype(np.uint16)
            self.rgb16[y0:y1, x0:x1] = v16[None, :, None]

    # views of the page
    @property
    def gray(self) -> np.ndarray:
        return self.rgb[:, :, 0].copy()

    @property
    def gray16(self) -> np.ndarray:
        return self.rgb16[:, :, 0].copy()

    @property
    def black(self) -> np.ndarray:
        """True where the page is black (bilevel pages only)."""
        return self.rgb[:, :, 0] < 128


def to_stored(a: np.ndarray, orientation: int) -> np.ndarray:
    """The stored pixels for an upright array and an EXIF orientation."""
    if orientation == 1:
        return a
    return _transpose_array(a, TO_STORED[orientation])


def _transpose_array(a: np.ndarray, op) -> np.ndarray:
    if op == Image.Transpose.FLIP_LEFT_RIGHT:
        return a[:, ::-1].copy()
    if op == Image.Transpose.FLIP_TOP_BOTTOM:
        return a[::-1].copy()
    if op == Image.Transpose.ROTATE_180:
        return a[::-1, ::-1].copy()
    if op == Image.Transpose.ROTATE_90:  # counter-clockwise
        return np.rot90(a, 1).copy()
    if op == Image.Transpose.ROTATE_270:
        return np.rot90(a, 3).copy()
    if op == Image.Transpose.TRANSPOSE:
        return np.swapaxes(a, 0, 1).copy()
    if op == Image.Transpose.TRANSVERSE:
        return np.swapaxes(a[::-1, ::-1], 0, 1).copy()
    raise ValueError(op)


def check_orientation_in_memory(upright: np.ndarray, orientation: int) -> None:
    """Pillow's exif_transpose of the stored pixels tagged with `orientation` is the upright page."""
    stored = to_stored(upright, orientation)
    im = Image.fromarray(stored)
    exif = im.getexif()
    exif[274] = orientation
    im.info["exif"] = exif.tobytes()
    back = np.asarray(ImageOps.exif_transpose(im))
    assert back.shape == upright.shape and (back == upright).all(), f"orientation {orientation}"
    # and the numpy transposes agree with Pillow's
    assert (np.asarray(Image.fromarray(upright).transpose(TO_STORED[orientation])) == stored).all()


def palette_of(rgb: np.ndarray, bits: int, first=((255, 255, 255), (0, 0, 0))):
    """Index array and palette (list of RGB) for a page with few colours."""
    colours = [tuple(int(v) for v in c) for c in np.unique(rgb.reshape(-1, 3), axis=0)]
    order = list(first) + sorted(c for c in colours if c not in first)
    assert len(order) <= 1 << bits, (len(order), bits)
    lut = {c: i for i, c in enumerate(order)}
    flat = rgb.reshape(-1, 3)
    keys = (flat[:, 0].astype(np.int64) << 16) | (flat[:, 1].astype(np.int64) << 8) | flat[:, 2]
    table = {(r << 16) | (g << 8) | b: i for (r, g, b), i in lut.items()}
    uniq, inv = np.unique(keys, return_inverse=True)
    idx = np.array([table[int(k)] for k in uniq], np.uint8)[inv].reshape(rgb.shape[:2])
    # fill the palette up with unused colours (a blue ramp), as scanners do
    filler = [(0, 0, min(255, 40 + 2 * i)) for i in range((1 << bits) - len(order))]
    return idx, order + filler


# --------------------------------------------------------------------------------------------
# Sample packing shared by the PNG and TIFF writers


def pack_rows(a: np.ndarray, depth: int, big_endian=True) -> np.ndarray:
    """(rows, cols[, channels]) samples -> (rows, rowbytes) uint8, MSB-first for sub-byte depths."""
    rows = a.shape[0]
    if depth == 16:
        return a.astype(">u2" if big_endian else "<u2").reshape(rows, -1).view(np.uint8)
    if depth == 8:
        return a.astype(np.uint8).reshape(rows, -1)
    a = a.reshape(rows, -1).astype(np.uint8)
    per = 8 // depth
    pad = (-a.shape[1]) % per
    if pad:
        a = np.pad(a, ((0, 0), (0, pad)))
    a = a.reshape(rows, -1, per)
    out = np.zeros(a.shape[:2], np.uint8)
    for k in range(per):
        out |= a[:, :, k] << (8 - depth * (k + 1))
    return out


# --------------------------------------------------------------------------------------------
# PNG encoder (every chunk under our control)

PNG_SIG = b"\x89PNG\r\n\x1a\n"
ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_filter(raw: np.ndarray, bpp: int) -> bytes:
    """Filter rows, cycling through the five filter types so a decoder must handle all of them."""
    r = raw.astype(np.int32)
    rows = r.shape[0]
    up = np.zeros_like(r)
    up[1:] = r[:-1]
    left = np.zeros_like(r)
    left[:, bpp:] = r[:, :-bpp]
    ul = np.zeros_like(r)
    ul[1:, bpp:] = r[:-1, :-bpp]
    p = left + up - ul
    pa, pb, pc = abs(p - left), abs(p - up), abs(p - ul)
    paeth = np.where((pa <= pb) & (pa <= pc), left, np.where(pb <= pc, up, ul))
    cands = [r, r - left, r - up, r - ((left + up) >> 1), r - paeth]
    types = np.arange(rows) % 5
    out = np.empty((rows, 1 + r.shape[1]), np.uint8)
    out[:, 0] = types
    for t in range(5):
        m = types == t
        out[m, 1:] = (cands[t][m] & 0xFF).astype(np.uint8)
    return out.tobytes()


def png_encode(
    samples: np.ndarray,
    colour_type: int,
    depth: int,
    *,
    palette=None,
    trns: bytes | None = None,
    phys=(11811, 11811, 1),
    gama: int | None = None,
    srgb: int | None = None,
    iccp: bytes | None = None,
    interlace=False,
    idat_size=2048,
    empty_idat=False,
) -> bytes:
    """samples: (h, w) or (h, w, channels) integers < 2**depth."""
    h, w = samples.shape[:2]
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[colour_type]
    bpp = max(1, channels * depth // 8)
    if samples.ndim == 2:
        samples = samples[:, :, None]
    assert samples.shape[2] == channels
    if interlace:
        parts = []
        for xs, ys, dx, dy in ADAM7:
            sub = samples[ys::dy, xs::dx]
            if sub.shape[0] and sub.shape[1]:
                parts.append(png_filter(pack_rows(sub, depth), bpp))
        raw = b"".join(parts)
    else:
        raw = png_filter(pack_rows(samples, depth), bpp)
    data = zlib.compress(raw, 9)
    out = [PNG_SIG, png_chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, colour_type, 0, 0, int(interlace)))]
    if gama is not None:
        out.append(png_chunk(b"gAMA", struct.pack(">I", gama)))
    if srgb is not None:
        out.append(png_chunk(b"sRGB", bytes([srgb])))
    if iccp is not None:
        out.append(png_chunk(b"iCCP", b"sRGB built-in\0\0" + zlib.compress(iccp, 9)))
    if phys is not None:
        out.append(png_chunk(b"pHYs", struct.pack(">IIB", *phys)))
    if palette is not None:
        out.append(png_chunk(b"PLTE", bytes(v for c in palette for v in c)))
    if trns is not None:
        out.append(png_chunk(b"tRNS", trns))
    for i in range(0, len(data), idat_size):
        out.append(png_chunk(b"IDAT", data[i : i + idat_size]))
        if empty_idat and i == 0:
            out.append(png_chunk(b"IDAT", b""))  # legal, and must not upset a pass-through
    out.append(png_chunk(b"IEND", b""))
    return b"".join(out)


def png_chunks(data: bytes):
    """[(offset, kind, payload)] of a PNG file."""
    pos, out = 8, []
    while pos + 8 <= len(data):
        n = struct.unpack(">I", data[pos : pos + 4])[0]
        out.append((pos, data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + n]))
        pos += 12 + n
    return out


# --------------------------------------------------------------------------------------------
# TIFF: a baseline writer (uncompressed, or raw strips given), a parser, and tiffcp

SHORT, LONG, RATIONAL = 3, 4, 5


def rational(v: float) -> tuple[int, int]:
    f = fractions.Fraction(str(v)).limit_denominator(100000)
    return f.numerator, f.denominator


def tiff_ifd(entries, at: int, next_ifd: int) -> bytes:
    """An IFD at file offset `at`, its out-of-line values right after it."""
    entries = sorted(entries)
    extra_at = at + 2 + 12 * len(entries) + 4
    head, extra = struct.pack("<H", len(entries)), b""
    for tag, kind, values in entries:
        if kind == RATIONAL:
            payload = b"".join(struct.pack("<II", *rational(v)) for v in values)
        else:
            payload = struct.pack("<%d%s" % (len(values), "H" if kind == SHORT else "I"), *values)
        if len(payload) <= 4:
            field = payload.ljust(4, b"\0")
        else:
            field = struct.pack("<I", extra_at + len(extra))
            extra += payload + b"\0" * (len(payload) % 2)
        head += struct.pack("<HHI", tag, kind, len(values)) + field
    return head + struct.pack("<I", next_ifd) + extra


def tiff_page_tags(
    w, h, kind, *, res=(300, 300, 2), orientation=None, colormap=None, compression=1, extra=()
):
    """Tags of one page except the strip offsets and byte counts."""
    photometric, bps = {
        "miniswhite": (0, [1]),
        "minisblack1": (1, [1]),
        "gray8": (1, [8]),
        "gray16": (1, [16]),
        "rgb8": (2, [8, 8, 8]),
        "rgba8": (2, [8, 8, 8, 8]),
        "palette8": (3, [8]),
        "palette4": (3, [4]),
        "cmyk8": (5, [8, 8, 8, 8]),
    }[kind]
    tags = [
        (256, LONG, [w]),
        (257, LONG, [h]),
        (258, SHORT, bps),
        (259, SHORT, [compression]),
        (262, SHORT, [photometric]),
        (277, SHORT, [len(bps)]),
        (278, LONG, [h]),
        (284, SHORT, [1]),
    ]
    if res is not None:
        tags += [(282, RATIONAL, [res[0]]), (283, RATIONAL, [res[1]]), (296, SHORT, [res[2]])]
    if orientation is not None:
        tags.append((274, SHORT, [orientation]))
    if colormap is not None:
        n = 1 << bps[0]
        cm = list(colormap) + [(0, 0, 0)] * (n - len(colormap))
        tags.append((320, SHORT, [c[i] * 257 for i in range(3) for c in cm]))
    if kind == "rgba8":
        tags.append((338, SHORT, [2]))  # unassociated alpha
    if kind == "cmyk8":
        tags.append((332, SHORT, [1]))  # InkSet CMYK
    return tags + list(extra)


def tiff_pixels(kind: str, a: np.ndarray) -> bytes:
    if kind in ("miniswhite", "minisblack1", "palette4"):
        return pack_rows(a, 4 if kind == "palette4" else 1).tobytes()
    if kind == "gray16":
        return pack_rows(a, 16, big_endian=False).tobytes()
    return np.ascontiguousarray(a, np.uint8).tobytes()


def tiff_build(pages, *, ifd_first=False, loop=False) -> bytes:
    """pages: [(tags, strip_bytes)]; one strip per page. Data first, IFDs after (like libtiff),
    or (one page) the IFD first so that a cut in the data leaves the header intact."""
    out = bytearray(b"II*\0\0\0\0\0")
    if ifd_first:
        assert len(pages) == 1
        tags, data = pages[0]
        probe = tiff_ifd(tags + [(273, LONG, [0]), (279, LONG, [len(data)])], 8, 0)
        data_at = 8 + len(probe) + (len(probe) % 2)
        ifd = tiff_ifd(tags + [(273, LONG, [data_at]), (279, LONG, [len(data)])], 8, 8 if loop else 0)
        out[4:8] = struct.pack("<I", 8)
        out += ifd + b"\0" * (len(probe) % 2) + data
        return bytes(out)
    offsets = []
    for _, data in pages:
        offsets.append(len(out))
        out += data + b"\0" * (len(data) % 2)
    ifd_at = len(out)
    out[4:8] = struct.pack("<I", ifd_at)
    for i, (tags, data) in enumerate(pages):
        full = tags + [(273, LONG, [offsets[i]]), (279, LONG, [len(data)])]
        size = len(tiff_ifd(full, ifd_at, 0))
        nxt = ifd_at if loop else (ifd_at + size if i + 1 < len(pages) else 0)
        out += tiff_ifd(full, ifd_at, nxt)
        ifd_at += size
    return bytes(out)


TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 16: 8}


def tiff_parse(data: bytes) -> list[dict]:
    """The IFDs of a classic TIFF: [{tag: values}], following next-IFD links (loop-safe)."""
    e = "<" if data[:2] == b"II" else ">"
    magic, off = struct.unpack(e + "HI", data[2:8])
    assert magic == 42
    ifds, seen = [], set()
    while off and off not in seen and off + 2 <= len(data):
        seen.add(off)
        (n,) = struct.unpack(e + "H", data[off : off + 2])
        tags = {}
        for i in range(n):
            tag, kind, count, val = struct.unpack(e + "HHI4s", data[off + 2 + 12 * i : off + 14 + 12 * i])
            size = TYPE_SIZES.get(kind, 1) * count
            raw = val[:size] if size <= 4 else data[struct.unpack(e + "I", val)[0] :][:size]
            if kind == 3:
                tags[tag] = list(struct.unpack(e + "%dH" % count, raw))
            elif kind == 4:
                tags[tag] = list(struct.unpack(e + "%dI" % count, raw))
            elif kind == 5:
                v = struct.unpack(e + "%dI" % (2 * count), raw)
                tags[tag] = [v[j] / v[j + 1] if v[j + 1] else None for j in range(0, len(v), 2)]
            else:
                tags[tag] = raw
        ifds.append(tags)
        (off,) = struct.unpack(e + "I", data[off + 2 + 12 * n : off + 6 + 12 * n])
    return ifds


def tiffcp(src: Path, dst: Path, *args: str) -> None:
    subprocess.run(["tiffcp", *args, str(src), str(dst)], check=True, capture_output=True, timeout=60)


# --------------------------------------------------------------------------------------------
# The fixture registry


def page_entry(
    stored, orientation, dpi, mode, blank, pass_through, bytes_equal, enc, color, bpc, **extra
) -> dict:
    sw, sh = stored
    uw, uh = (sh, sw) if orientation in (5, 6, 7, 8) else (sw, sh)
    usable = (
        dpi is not None
        and all(72 <= v <= 2400 for v in dpi)
        and abs(dpi[0] - dpi[1]) <= 0.01 * max(dpi)
    )
    entry = {
        "storedWidth": sw,
        "storedHeight": sh,
        "orientation": orientation,
        "uprightWidth": uw,
        "uprightHeight": uh,
        "dpi": None if dpi is None else [round(dpi[0], 2), round(dpi[1], 2)],
        "dpiUsable": usable,
        "mode": mode,
        "blank": blank,
        "passThrough": pass_through,
        "passThroughBytesEqual": bytes_equal,
        "pdfimagesEnc": enc,
        "pdfimagesColor": color,
        "bitsPerComponent": bpc,
        "marker": not blank,  # the top-left marker is drawn (false on blank and nearly blank pages)
    }
    entry.update(extra)
    return entry


class Check:
    """What the self-check compares a decoded page with."""

    def __init__(self, upright_rgb, *, lossy=False, exact16=None, marker=True):
        self.upright_rgb = upright_rgb  # flattened onto white, 8 bits
        self.lossy = lossy
        self.exact16 = exact16  # for 16-bit gray: the exact upright samples
        self.marker = marker


class Fixtures:
    def __init__(self, out: Path, work: Path):
        self.out = out
        self.work = work
        self.items: list[dict] = []
        self.checks: dict[str, list[Check]] = {}
        self.tiff_expect: dict[str, dict] = {}

    def add(self, name, file, fmt, pages, checks=(), refusal=None, description="", tiff=None, **extra):
        assert all(f["name"] != name for f in self.items), name
        item = {"name": name, "file": file, "format": fmt, "refusal": refusal, "description": description}
        item.update(extra)
        item["pages"] = pages
        self.items.append(item)
        self.checks[name] = list(checks)
        if tiff:
            self.tiff_expect[name] = tiff

    def path(self, file: str) -> Path:
        p = self.out / file
        p.parent.mkdir(parents=True, exist_ok=True)
        return p


def flatten_white(rgba: np.ndarray) -> np.ndarray:
    a = rgba[:, :, 3:4].astype(np.float64) / 255
    return np.round(rgba[:, :, :3] * a + 255 * (1 - a)).astype(np.uint8)


# --------------------------------------------------------------------------------------------
# TIFF fixtures


def make_tiffs(fx: Fixtures) -> None:
    W, H = PAGE

    def write_base(pages_spec, name) -> Path:
        """pages_spec: [(kind, stored_array, tag kwargs)] -> an uncompressed single-strip TIFF."""
        built = []
        for kind, a, kw in pages_spec:
            h, w = a.shape[:2]
            built.append((tiff_page_tags(w, h, kind, **kw), tiff_pixels(kind, a)))
        p = fx.work / (name + ".base.tif")
        p.write_bytes(tiff_build(built))
        return p

    def bilevel_bits(page: Page, photometric_kind: str, orientation=1) -> np.ndarray:
        black = to_stored(page.black, orientation)
        return black.astype(np.uint8) if photometric_kind == "miniswhite" else (~black).astype(np.uint8)

    def g4_entry(page, dpi, *, pt=True, eq=True, orientation=1, blank=False):
        size = (page.w, page.h) if orientation not in (5, 6, 7, 8) else (page.h, page.w)
        return page_entry(size, orientation, dpi, "bilevel", blank, pt, eq, "ccitt", "gray", 1,
                          textLines=page.lines, marker=page.content not in ("blank", "nearly-blank"))

    def tcheck(page):
        return Check(page.rgb, marker=page.content not in ("blank", "nearly-blank"))

    # -- bilevel G4, 3 pages, MinIsWhite, one strip per page, 200 dpi; page 2 blank
    pages = [
        Page(PAGE, "bilevel", seed=SEED + 1, lines=3),
        Page(PAGE, "blank", seed=SEED + 2),
        Page(PAGE, "bilevel", seed=SEED + 3, lines=6),
    ]
    base = write_base([("miniswhite", bilevel_bits(p, "miniswhite"), {"res": (200, 200, 2)}) for p in pages], "g4-3")
    tiffcp(base, fx.path("tiff/g4-3pages.tif"), "-c", "g4", "-r", str(H))
    fx.add("tiff-g4-3pages", "tiff/g4-3pages.tif", "tiff",
           [g4_entry(p, (200, 200), blank=p.content == "blank") for p in pages],
           [tcheck(p) for p in pages],
           description="CCITT G4, MinIsWhite, one strip per page, 3 pages (page 2 blank), 200 dpi",
           tiff=dict(compression=4, photometric=0, fillorder=1, strips=1, pages=3))

    def bilevel_variant(name, file, photometric_kind, tcp_args, *, pt, eq, expect, desc, page=None,
                        orientation=1, dpi=(200, 200)):
        page = page or Page(PAGE, "bilevel", seed=SEED + len(fx.items), lines=4)
        if orientation != 1:
            check_orientation_in_memory(page.rgb, orientation)
        base = write_base([(photometric_kind, bilevel_bits(page, photometric_kind, orientation),
                            {"res": (dpi[0], dpi[1], 2) if dpi else None,
                             "orientation": orientation if orientation != 1 else None})], name)
        if tcp_args is None:
            shutil.copyfile(base, fx.path(file))
        else:
            tiffcp(base, fx.path(file), *tcp_args)
        fx.add(name, file, "tiff",
               [g4_entry(page, dpi, pt=pt, eq=eq, orientation=orientation,
                         blank=page.content == "blank")],
               [tcheck(page)], description=desc, tiff=expect)

    bilevel_variant("tiff-g4-minisblack", "tiff/g4-minisblack.tif", "minisblack1", ["-c", "g4", "-r", str(H)],
                    pt=True, eq=True, expect=dict(compression=4, photometric=1, fillorder=1, strips=1),
                    desc="CCITT G4, MinIsBlack (1 = white), one strip")
    bilevel_variant("tiff-g4-fillorder-lsb", "tiff/g4-fillorder-lsb.tif", "miniswhite",
                    ["-f", "lsb2msb", "-c", "g4", "-r", str(H)],
                    pt=True, eq=False, expect=dict(compression=4, photometric=0, fillorder=2, strips=1),
                    desc="CCITT G4, FillOrder 2 (LSB first), one strip: passed through bit-reversed")
    bilevel_variant("tiff-g4-strips16", "tiff/g4-strips16.tif", "miniswhite", ["-c", "g4", "-r", "16"],
                    pt=False, eq=False, expect=dict(compression=4, photometric=0, fillorder=1, strips=-(-H // 16)),
                    desc="CCITT G4 in 37 strips of 16 rows: decoded and re-encoded as one G4 image")
    bilevel_variant("tiff-g3-1d", "tiff/g3-1d.tif", "miniswhite", ["-c", "g3:1d", "-r", str(H)],
                    pt=False, eq=False, expect=dict(compression=3, photometric=0, fillorder=1, strips=1),
                    desc="CCITT G3 1-D (Modified Huffman per row): re-encoded as G4")
    bilevel_variant("tiff-g3-2d", "tiff/g3-2d.tif", "miniswhite", ["-c", "g3:2d", "-r", str(H)],
                    pt=False, eq=False, expect=dict(compression=3, photometric=0, fillorder=1, strips=1),
                    desc="CCITT G3 2-D (T4Options bit 0): re-encoded as G4")
    bilevel_variant("tiff-bilevel-uncompressed", "tiff/bilevel-uncompressed.tif", "miniswhite", None,
                    pt=False, eq=False, expect=dict(compression=1, photometric=0, fillorder=1, strips=1),
                    desc="bilevel, uncompressed, MinIsWhite: re-encoded as G4")
    bilevel_variant("tiff-bilevel-packbits", "tiff/bilevel-packbits.tif", "minisblack1", ["-c", "packbits"],
                    pt=False, eq=False, expect=dict(compression=32773, photometric=1, fillorder=1),
                    desc="bilevel, PackBits, MinIsBlack: re-encoded as G4")
    bilevel_variant("tiff-bilevel-lzw", "tiff/bilevel-lzw.tif", "miniswhite", ["-c", "lzw"],
                    pt=False, eq=False, expect=dict(compression=5, photometric=0, fillorder=1),
                    desc="bilevel, LZW: re-encoded as G4")
    bilevel_variant("tiff-g4-nearly-blank", "tiff/g4-nearly-blank.tif", "miniswhite", ["-c", "g4", "-r", str(H)],
                    pt=True, eq=True, expect=dict(compression=4, photometric=0, fillorder=1, strips=1),
                    page=Page(PAGE, "nearly-blank", seed=SEED + 7),
                    desc="nearly blank: speckles plus ONE short text line (15% x 1%): NOT blank")
    for o in (6, 5):
        bilevel_variant(f"tiff-g4-orientation-{o}", f"tiff/g4-orientation-{o}.tif", "miniswhite",
                        ["-c", "g4", "-r", str(W if o in (5, 6, 7, 8) else H)],
                        pt=True, eq=True, expect=dict(compression=4, photometric=0, strips=1, orientation=o),
                        orientation=o, page=Page(PAGE, "bilevel", seed=SEED + 10 + o, lines=4),
                        desc=f"CCITT G4 single strip with Orientation {o}: passed through, turned by the page")

    # -- 8-bit gray
    for name, args, expect, desc in [
        ("uncompressed", None, dict(compression=1, photometric=1), "8-bit gray, uncompressed"),
        ("lzw-predictor", ["-c", "lzw:2"], dict(compression=5, predictor=2), "8-bit gray, LZW + horizontal predictor"),
        ("deflate", ["-c", "zip"], dict(compression=8), "8-bit gray, Deflate"),
        ("packbits", ["-c", "packbits"], dict(compression=32773), "8-bit gray, PackBits"),
        ("tiled", ["-c", "lzw", "-t", "-w", "64", "-l", "64"], dict(compression=5, tiles=(64, 64)), "8-bit gray, LZW, 64x64 tiles"),
    ]:
        page = Page(PAGE, "gray", seed=SEED + 20 + len(fx.items), lines=4)
        base = write_base([("gray8", page.gray, {})], "gray8-" + name)
        file = f"tiff/gray8-{name}.tif"
        if args is None:
            shutil.copyfile(base, fx.path(file))
        else:
            tiffcp(base, fx.path(file), *args)
        fx.add(f"tiff-gray8-{name}", file, "tiff",
               [page_entry(PAGE, 1, (300, 300), "gray", False, False, False, "image", "gray", 8, textLines=page.lines)],
               [Check(page.rgb)], description=desc, tiff=expect)

    # -- 16-bit gray, Deflate
    page = Page(PAGE, "gray", seed=SEED + 30, lines=4)
    base = write_base([("gray16", page.gray16, {})], "gray16")
    tiffcp(base, fx.path("tiff/gray16-deflate.tif"), "-c", "zip")
    fx.add("tiff-gray16-deflate", "tiff/gray16-deflate.tif", "tiff",
           [page_entry(PAGE, 1, (300, 300), "gray", False, False, False, "image", "gray", 16, textLines=page.lines)],
           [Check(np.repeat((page.gray16 >> 8).astype(np.uint8)[:, :, None], 3, 2), exact16=page.gray16)],
           description="16-bit gray, Deflate: re-encoded as 16-bit Flate gray (low bytes matter)",
           tiff=dict(compression=8, bits=16))

    # -- RGB 8-bit
    for name, args, expect, desc, lossy in [
        ("lzw-predictor", ["-c", "lzw:2"], dict(compression=5, predictor=2, photometric=2), "RGB, LZW + predictor", False),
        ("tiled", ["-c", "zip", "-t", "-w", "64", "-l", "64"], dict(compression=8, tiles=(64, 64)), "RGB, Deflate, 64x64 tiles", False),
        ("jpeg-ycbcr", ["-c", "jpeg", "-r", "64"], dict(compression=7, photometric=6), "RGB as JPEG-in-TIFF (YCbCr): decoded, re-encoded as Flate rgb", True),
        ("planar-separate", ["-c", "lzw", "-p", "separate"], dict(compression=5, planar=2), "RGB, LZW, PlanarConfiguration 2 (separate planes)", False),
    ]:
        page = Page(PAGE, "colour", seed=SEED + 40 + len(fx.items), lines=4)
        base = write_base([("rgb8", page.rgb, {})], "rgb8-" + name)
        tiffcp(base, fx.path(f"tiff/rgb8-{name}.tif"), *args)
        fx.add(f"tiff-rgb8-{name}", f"tiff/rgb8-{name}.tif", "tiff",
               [page_entry(PAGE, 1, (300, 300), "colour", False, False, False, "image", "rgb", 8, textLines=page.lines)],
               [Check(page.rgb, lossy=lossy)], description=desc, tiff=expect)

    # RGB whose pixels all have R = G = B: becomes gray
    page = Page(PAGE, "gray", seed=SEED + 45, lines=4)
    base = write_base([("rgb8", page.rgb, {})], "rgb8-achromatic")
    tiffcp(base, fx.path("tiff/rgb8-achromatic.tif"), "-c", "lzw:2")
    fx.add("tiff-rgb8-achromatic", "tiff/rgb8-achromatic.tif", "tiff",
           [page_entry(PAGE, 1, (300, 300), "gray", False, False, False, "image", "gray", 8, textLines=page.lines)],
           [Check(page.rgb)], description="RGB whose pixels all have R = G = B (gray content): becomes Flate gray",
           tiff=dict(compression=5, photometric=2))

    # -- RGBA: black under a fully transparent box in the bottom-right corner; must come out white
    page = Page(PAGE, "colour", seed=SEED + 50, lines=4)
    rgba = np.dstack([page.rgb, np.full(page.rgb.shape[:2], 255, np.uint8)])
    x0, y0, x1, y1 = box(W, H, LAYOUT["transparentBox"])
    rgba[y0:y1, x0:x1] = (0, 0, 0, 0)
    base = write_base([("rgba8", rgba, {})], "rgba8")
    tiffcp(base, fx.path("tiff/rgba8-lzw.tif"), "-c", "lzw")
    fx.add("tiff-rgba8", "tiff/rgba8-lzw.tif", "tiff",
           [page_entry(PAGE, 1, (300, 300), "colour", False, False, False, "image", "rgb", 8, textLines=page.lines,
                       transparentBox=LAYOUT["transparentBox"])],
           [Check(flatten_white(rgba))],
           description="RGBA (unassociated alpha), LZW; a black, fully transparent box must come out white",
           tiff=dict(compression=5, photometric=2, samples=4))

    # -- palette 8-bit and 4-bit, colour content (red block and gray shading)
    for bits in (8, 4):
        page = Page(PAGE, "colour", seed=SEED + 55 + bits, lines=4, shading=True,
                    gray_levels=None if bits == 8 else 12)
        idx, pal = palette_of(page.rgb, bits)
        base = write_base([(f"palette{bits}", idx, {"colormap": pal})], f"palette{bits}")
        tiffcp(base, fx.path(f"tiff/palette{bits}-lzw.tif"), "-c", "lzw")
        fx.add(f"tiff-palette{bits}", f"tiff/palette{bits}-lzw.tif", "tiff",
               [page_entry(PAGE, 1, (300, 300), "colour", False, False, False, "image", "index", 8, textLines=page.lines)],
               [Check(page.rgb)],
               description=f"{bits}-bit palette, LZW, colour content: re-encoded as 8-bit Flate indexed",
               tiff=dict(compression=5, photometric=3, bits=bits))

    # -- CMYK 8-bit (Pillow's naive conversion: C = 255 - R, ..., K = 0)
    page = Page(PAGE, "colour", seed=SEED + 60, lines=4)
    cmyk = np.asarray(Image.fromarray(page.rgb).convert("CMYK"))
    base = write_base([("cmyk8", cmyk, {})], "cmyk8")
    tiffcp(base, fx.path("tiff/cmyk8-lzw.tif"), "-c", "lzw")
    fx.add("tiff-cmyk8", "tiff/cmyk8-lzw.tif", "tiff",
           [page_entry(PAGE, 1, (300, 300), "colour", False, False, False, "image", "cmyk", 8, textLines=page.lines)],
           [Check(page.rgb)], description="CMYK 8-bit (InkSet 1), LZW, colour content: Flate cmyk",
           tiff=dict(compression=5, photometric=5))

    # -- orientation 2..8: small LZW TIFFs, gray for even, RGB for odd
    for o in range(2, 9):
        content = "gray" if o % 2 == 0 else "colour"
        page = Page(SMALL, content, seed=SEED + 70 + o, lines=3 + o % 3)
        check_orientation_in_memory(page.rgb, o)
        stored = to_stored(page.rgb, o)
        kind = "gray8" if content == "gray" else "rgb8"
        base = write_base([(kind, stored[:, :, 0] if kind == "gray8" else stored, {"orientation": o})], f"orient{o}")
        tiffcp(base, fx.path(f"tiff/orientation-{o}.tif"), "-c", "lzw:2")
        sh, sw = stored.shape[:2]
        fx.add(f"tiff-orientation-{o}", f"tiff/orientation-{o}.tif", "tiff",
               [page_entry((sw, sh), o, (300, 300), content, False, False, False, "image",
                           "gray" if kind == "gray8" else "rgb", 8, textLines=page.lines)],
               [Check(page.rgb)], description=f"Orientation tag {o} ({kind}, LZW)",
               tiff=dict(compression=5, orientation=o))

    # -- resolution cases
    for name, size, kind, res, dpi, desc in [
        ("none", PAGE, "gray8", None, None, "no resolution tags at all"),
        ("50dpi", PAGE, "miniswhite", (50, 50, 2), (50, 50), "50 dpi: absurdly low"),
        ("4000dpi", PAGE, "gray8", (4000, 4000, 2), (4000, 4000), "4000 dpi: absurdly high"),
        ("200x100dpi", FAX, "miniswhite", (200, 100, 2), (200, 100), "200 x 100 dpi (fax standard): non-square"),
        ("cm-118.11", PAGE, "gray8", (118.11, 118.11, 3), None, "118.11 pixels/cm (= 300 dpi), ResolutionUnit centimetre"),
    ]:
        content = "bilevel" if kind == "miniswhite" else "gray"
        page = Page(size, content, seed=SEED + 80 + len(fx.items), lines=4)
        a = page.black.astype(np.uint8) if kind == "miniswhite" else page.gray
        base = write_base([(kind, a, {"res": res})], "res-" + name)
        file = f"tiff/res-{name}.tif"
        if kind == "miniswhite":
            tiffcp(base, fx.path(file), "-c", "g4", "-r", str(size[1]))
            entry = page_entry(size, 1, dpi, "bilevel", False, True, True, "ccitt", "gray", 1, textLines=page.lines)
        else:
            tiffcp(base, fx.path(file), "-c", "lzw:2")
            entry = page_entry(size, 1, dpi, "gray", False, False, False, "image", "gray", 8, textLines=page.lines)
        if name == "cm-118.11":  # what the file really holds, converted
            x = tiff_parse(fx.path(file).read_bytes())[0][282][0]
            entry["dpi"] = [round(x * 2.54, 2)] * 2
            entry["dpiUsable"] = True
        fx.add(f"tiff-res-{name}", file, "tiff", [entry], [Check(page.rgb)], description=desc,
               tiff=dict(resolution=res))


# --------------------------------------------------------------------------------------------
# PNG fixtures


def make_pngs(fx: Fixtures) -> None:
    W, H = PAGE
    icc = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    icc[24:36] = struct.pack(">6H", 2025, 1, 1, 0, 0, 0)  # LittleCMS stamps the creation time
    icc = bytes(icc)

    def add(name, data, page_or_size, dpi, mode, pt, enc_color, bpc, check, desc, **extra):
        file = f"png/{name}.png"
        fx.path(file).write_bytes(data)
        size = page_or_size
        fx.add(f"png-{name}", file, "png",
               [page_entry(size, 1, dpi, mode, False, pt, pt, "image", enc_color, bpc, **extra)],
               [check], description=desc)

    D300 = (11811 * 0.0254, 11811 * 0.0254)

    # gray at 1, 2, 4, 8, 16 bits
    p = Page(PAGE, "bilevel", seed=SEED + 101, lines=5)
    add("gray1", png_encode((~p.black).astype(np.uint8), 0, 1), PAGE, D300, "bilevel", True, "gray", 1,
        Check(p.rgb), "gray 1-bit (1 = white): IDAT passed through", textLines=p.lines)
    p = Page(PAGE, "bilevel", seed=SEED + 102, lines=4)
    add("gray1-adam7", png_encode((~p.black).astype(np.uint8), 0, 1, interlace=True), PAGE, D300, "bilevel",
        False, "gray", 1, Check(p.rgb), "gray 1-bit, Adam7-interlaced: decoded, re-encoded as G4", textLines=p.lines)
    fx.items[-1]["pages"][0]["pdfimagesEnc"] = "ccitt"
    for bits in (2, 4, 8):
        p = Page(PAGE, "gray", seed=SEED + 102 + bits, lines=4, gray_levels=None if bits == 8 else 1 << bits)
        samples = np.round(p.gray.astype(np.float64) * ((1 << bits) - 1) / 255).astype(np.uint8)
        add(f"gray{bits}", png_encode(samples, 0, bits), PAGE, D300, "gray", True, "gray", bits,
            Check(p.rgb), f"gray {bits}-bit: IDAT passed through, bpc {bits}", textLines=p.lines)
    p = Page(PAGE, "gray", seed=SEED + 116, lines=4)
    add("gray16", png_encode(p.gray16, 0, 16), PAGE, D300, "gray", True, "gray", 16,
        Check(np.repeat((p.gray16 >> 8).astype(np.uint8)[:, :, None], 3, 2), exact16=p.gray16),
        "gray 16-bit: IDAT passed through, bpc 16", textLines=p.lines)

    # RGB 8 and 16
    p = Page(PAGE, "colour", seed=SEED + 120, lines=4)
    add("rgb8", png_encode(p.rgb, 2, 8, idat_size=500, empty_idat=True), PAGE, D300, "colour", True, "rgb", 8,
        Check(p.rgb), "RGB 8-bit in 500-byte IDAT chunks, one of them empty: passed through "
        "(stream = concatenated IDAT payloads)", textLines=p.lines)
    p = Page(PAGE, "colour", seed=SEED + 121, lines=4, shading=True)
    add("rgb16", png_encode(p.rgb16, 2, 16), PAGE, D300, "colour", True, "rgb", 16,
        Check((p.rgb16 >> 8).astype(np.uint8)), "RGB 16-bit: passed through, bpc 16", textLines=p.lines)
    p = Page(PAGE, "gray", seed=SEED + 122, lines=4)
    add("rgb8-achromatic", png_encode(p.rgb, 2, 8), PAGE, D300, "gray", True, "rgb", 8, Check(p.rgb),
        "RGB 8-bit with R = G = B everywhere: the PNG pass-through rule wins, stays rgb", textLines=p.lines)

    # palette at 1, 2, 4, 8 bits
    p = Page(PAGE, "bilevel", seed=SEED + 130, lines=4)
    idx, pal = palette_of(p.rgb, 1)
    add("palette1", png_encode(idx, 3, 1, palette=pal[:2]), PAGE, D300, "bilevel", True, "index", 1,
        Check(p.rgb), "palette 1-bit [white, black] (index 1 = black): passed through", textLines=p.lines)
    for bits, levels in ((2, 4), (4, 14), (8, None)):
        p = Page(PAGE, "colour", seed=SEED + 130 + bits, lines=4, shading=True, gray_levels=levels)
        idx, pal = palette_of(p.rgb, bits)
        add(f"palette{bits}", png_encode(idx, 3, bits, palette=pal), PAGE, D300, "colour", True, "index", bits,
            Check(p.rgb), f"palette {bits}-bit, {len(pal)} entries, colour: passed through", textLines=p.lines)

    # transparency: black under a fully transparent box in the bottom-right corner
    x0, y0, x1, y1 = box(W, H, LAYOUT["transparentBox"])
    tb = {"transparentBox": LAYOUT["transparentBox"]}

    p = Page(PAGE, "colour", seed=SEED + 140, lines=4, shading=True)
    idx, pal = palette_of(p.rgb, 8)
    n = len(np.unique(idx))
    pal[n], pal[n + 1] = (0, 0, 0), (220, 30, 30)  # two transparent entries: black and red
    idx[y0:y1, x0 : (x0 + x1) // 2] = n
    idx[y0:y1, (x0 + x1) // 2 : x1] = n + 1
    trns = bytes([255] * n + [0, 0])
    add("palette8-trns", png_encode(idx, 3, 8, palette=pal, trns=trns), PAGE, D300, "colour", False, "rgb", 8,
        Check(p.rgb), "palette 8-bit with tRNS (two entries fully transparent): flattened onto white, rgb",
        textLines=p.lines, **tb)

    p = Page(PAGE, "gray", seed=SEED + 141, lines=4)
    ga = np.dstack([p.gray, np.full(p.gray.shape, 255, np.uint8)])
    ga[y0:y1, x0:x1] = (0, 0)
    add("gray-alpha8", png_encode(ga, 4, 8), PAGE, D300, "gray", False, "gray", 8, Check(p.rgb),
        "gray + alpha 8-bit: flattened onto white, gray 8", textLines=p.lines, **tb)

    p = Page(PAGE, "gray", seed=SEED + 142, lines=4)
    g = p.gray
    assert not (g == 50).any()
    g[y0:y1, x0:x1] = 50
    add("gray8-trns", png_encode(g, 0, 8, trns=struct.pack(">H", 50)), PAGE, D300, "gray", False, "gray", 8,
        Check(p.rgb), "gray 8-bit with tRNS (value 50 transparent, used only in the box): flattened, gray 8",
        textLines=p.lines, **tb)

    p = Page(PAGE, "colour", seed=SEED + 143, lines=4)
    rgba = np.dstack([p.rgb, np.full(p.gray.shape, 255, np.uint8)])
    rgba[y0:y1, x0:x1] = (0, 0, 0, 0)
    add("rgba8", png_encode(rgba, 6, 8), PAGE, D300, "colour", False, "rgb", 8, Check(flatten_white(rgba)),
        "RGBA 8-bit: flattened onto white, rgb 8", textLines=p.lines, **tb)

    p = Page(PAGE, "colour", seed=SEED + 144, lines=4, shading=True)
    rgba16 = np.dstack([p.rgb16, np.full(p.gray.shape, 65535, np.uint16)])
    rgba16[y0:y1, x0:x1] = (0, 0, 0, 0)
    add("rgba16", png_encode(rgba16, 6, 16), PAGE, D300, "colour", False, "rgb", 16,
        Check((p.rgb16 >> 8).astype(np.uint8)), "RGBA 16-bit: flattened onto white, rgb 16",
        textLines=p.lines, **tb)

    # interlaced, colour chunks, pHYs variants
    p = Page(PAGE, "colour", seed=SEED + 150, lines=4)
    add("rgb8-adam7", png_encode(p.rgb, 2, 8, interlace=True), PAGE, D300, "colour", False, "rgb", 8,
        Check(p.rgb), "RGB 8-bit, Adam7-interlaced: decoded, re-encoded as Flate rgb", textLines=p.lines)
    p = Page(PAGE, "colour", seed=SEED + 151, lines=4)
    add("rgb8-gama", png_encode(p.rgb, 2, 8, gama=45455), PAGE, D300, "colour", True, "rgb", 8, Check(p.rgb),
        "RGB 8-bit with gAMA 1/2.2", textLines=p.lines)
    p = Page(PAGE, "colour", seed=SEED + 152, lines=4)
    add("rgb8-srgb", png_encode(p.rgb, 2, 8, srgb=0, gama=45455), PAGE, D300, "colour", True, "rgb", 8,
        Check(p.rgb), "RGB 8-bit with sRGB (perceptual) and gAMA", textLines=p.lines)
    p = Page(PAGE, "colour", seed=SEED + 153, lines=4)
    add("rgb8-iccp", png_encode(p.rgb, 2, 8, iccp=icc), PAGE, D300, "colour", True, "rgb", 8, Check(p.rgb),
        f"RGB 8-bit with an iCCP chunk (LittleCMS sRGB profile, {len(icc)} bytes); pdfimages shows "
        "'icc' instead of 'rgb' if the converter carries the profile over as ICCBased", textLines=p.lines,
        iccProfile=True)
    p = Page(PAGE, "gray", seed=SEED + 154, lines=4)
    add("gray8-no-phys", png_encode(p.gray, 0, 8, phys=None), PAGE, None, "gray", True, "gray", 8,
        Check(p.rgb), "gray 8-bit without pHYs: no resolution", textLines=p.lines)
    p = Page(PAGE, "colour", seed=SEED + 155, lines=4)
    add("rgb8-phys-unit0", png_encode(p.rgb, 2, 8, phys=(1, 1, 0)), PAGE, None, "colour", True, "rgb", 8,
        Check(p.rgb), "RGB 8-bit with pHYs unit 0 (aspect ratio 1:1 only, no dpi)", textLines=p.lines)
    p = Page(FAX, "gray", seed=SEED + 156, lines=4)
    add("gray8-phys-nonsquare", png_encode(p.gray, 0, 8, phys=(11811, 5906, 1)), FAX,
        (11811 * 0.0254, 5906 * 0.0254), "gray", True, "gray", 8, Check(p.rgb),
        "gray 8-bit with pHYs 11811 x 5906 px/m (300 x 150 dpi): non-square", textLines=p.lines)


# --------------------------------------------------------------------------------------------
# JPEG fixtures


def jpeg_segments(data: bytes):
    """[(offset, marker, length)] of the marker segments before the first SOS (inclusive)."""
    pos, out = 2, []
    while pos + 4 <= len(data):
        assert data[pos] == 0xFF, pos
        marker = data[pos + 1]
        (n,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        out.append((pos, marker, n))
        if marker == 0xDA:
            break
        pos += 2 + n
    return out


def jpeg_save(im: Image.Image, **kw) -> bytes:
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=kw.pop("quality", 90), **kw)
    return buf.getvalue()


def make_jpegs(fx: Fixtures) -> None:
    def add(name, data, size, dpi, mode, color, check, desc, orientation=1, **extra):
        file = f"jpeg/{name}.jpg"
        fx.path(file).write_bytes(data)
        fx.add(f"jpeg-{name}", file, "jpeg",
               [page_entry(size, orientation, dpi, mode, extra.pop("blank", False), True, True, "jpeg", color, 8,
                           **extra)],
               [check], description=desc)

    p = Page(PAGE, "gray", seed=SEED + 201, lines=4)
    add("gray-baseline", jpeg_save(Image.fromarray(p.gray), dpi=(300, 300)), PAGE, (300, 300), "gray", "gray",
        Check(p.rgb, lossy=True), "baseline, 1 component, JFIF 300 dpi", textLines=p.lines)
    p = Page(PAGE, "colour", seed=SEED + 202, lines=4)
    add("rgb-baseline", jpeg_save(Image.fromarray(p.rgb), dpi=(300, 300)), PAGE, (300, 300), "colour", "rgb",
        Check(p.rgb, lossy=True), "baseline, YCbCr 4:2:0, JFIF 300 dpi", textLines=p.lines)
    p = Page(PAGE, "colour", seed=SEED + 203, lines=4)
    add("rgb-progressive", jpeg_save(Image.fromarray(p.rgb), dpi=(300, 300), progressive=True), PAGE,
        (300, 300), "colour", "rgb", Check(p.rgb, lossy=True), "progressive, YCbCr, JFIF 300 dpi", textLines=p.lines)
    p = Page(PAGE, "colour", seed=SEED + 204, lines=4)
    data = jpeg_save(Image.fromarray(p.rgb).convert("CMYK"), dpi=(300, 300))
    app14 = [s for s in jpeg_segments(data) if s[1] == 0xEE]
    assert app14 and data[app14[0][0] + 4 : app14[0][0] + 9] == b"Adobe", "Pillow wrote no APP14 Adobe segment"
    add("cmyk-adobe", data, PAGE, (300, 300), "colour", "cmyk", Check(p.rgb, lossy=True),
        "CMYK, Adobe-inverted, APP14 'Adobe' (transform 0), after a JFIF APP0 (Pillow writes one when "
        "given dpi): DCTDecode with Decode [1 0 1 0 1 0 1 0]",
        textLines=p.lines)
    p = Page(PAGE, "bilevel", seed=SEED + 205, lines=5)
    add("rgb-of-bw-page", jpeg_save(Image.fromarray(p.rgb), dpi=(300, 300)), PAGE, (300, 300), "gray", "rgb",
        Check(p.rgb, lossy=True), "colour JPEG of a black-and-white page: gray content, stays rgb", textLines=p.lines)
    p = Page(PAGE, "blank", seed=SEED + 206)
    add("rgb-blank", jpeg_save(Image.fromarray(p.rgb), dpi=(300, 300)), PAGE, (300, 300), "gray", "rgb",
        Check(p.rgb, lossy=True, marker=False), "blank page (white + 40 speckles) as colour JPEG: blank",
        blank=True, textLines=0)

    # EXIF orientation 2..8
    for o in range(2, 9):
        p = Page(SMALL, "colour", seed=SEED + 210 + o, lines=3 + o % 3)
        check_orientation_in_memory(p.rgb, o)
        stored = to_stored(p.rgb, o)
        exif = Image.Exif()
        exif[274] = o
        data = jpeg_save(Image.fromarray(stored), dpi=(300, 300), exif=exif.tobytes())
        sh, sw = stored.shape[:2]
        add(f"exif-orientation-{o}", data, (sw, sh), (300, 300), "colour", "rgb", Check(p.rgb, lossy=True),
            f"EXIF Orientation {o}, JFIF 300 dpi", orientation=o, textLines=p.lines)

    # resolution variants
    def patch_jfif(data: bytes, unit: int, x: int, y: int) -> bytes:
        seg = jpeg_segments(data)[0]
        assert seg[1] == 0xE0 and data[seg[0] + 4 : seg[0] + 9] == b"JFIF\0"
        b = bytearray(data)
        b[seg[0] + 11 : seg[0] + 16] = struct.pack(">BHH", unit, x, y)
        return bytes(b)

    p = Page(PAGE, "colour", seed=SEED + 221, lines=4)
    add("dpi-jfif-inch", jpeg_save(Image.fromarray(p.rgb), dpi=(300, 300)), PAGE, (300, 300), "colour", "rgb",
        Check(p.rgb, lossy=True), "JFIF density 300 x 300 dots/inch", textLines=p.lines)
    p = Page(PAGE, "colour", seed=SEED + 222, lines=4)
    add("dpi-jfif-cm", patch_jfif(jpeg_save(Image.fromarray(p.rgb)), 2, 118, 118), PAGE, (118 * 2.54, 118 * 2.54),
        "colour", "rgb", Check(p.rgb, lossy=True), "JFIF density 118 x 118 dots/cm (299.72 dpi)", textLines=p.lines)
    p = Page(PAGE, "colour", seed=SEED + 223, lines=4)
    add("dpi-jfif-aspect-only", patch_jfif(jpeg_save(Image.fromarray(p.rgb)), 0, 1, 1), PAGE, None, "colour",
        "rgb", Check(p.rgb, lossy=True), "JFIF units 0 (aspect ratio 1:1 only, no dpi)", textLines=p.lines)
    p = Page(PAGE, "colour", seed=SEED + 224, lines=4)
    exif = Image.Exif()
    exif[282] = TiffImagePlugin.IFDRational(300, 1)
    exif[283] = TiffImagePlugin.IFDRational(300, 1)
    exif[296] = 2
    data = jpeg_save(Image.fromarray(p.rgb), exif=exif.tobytes())
    seg = jpeg_segments(data)[0]
    assert seg[1] == 0xE0
    data = data[: seg[0]] + data[seg[0] + 2 + seg[2] :]  # drop the JFIF APP0 segment
    assert all(s[1] != 0xE0 for s in jpeg_segments(data))
    add("dpi-exif-only", data, PAGE, (300, 300), "colour", "rgb", Check(p.rgb, lossy=True),
        "no JFIF segment; 300 dpi only in EXIF XResolution/YResolution/ResolutionUnit", textLines=p.lines)


# --------------------------------------------------------------------------------------------
# Broken and hostile files


def make_broken(fx: Fixtures) -> None:
    rng = random.Random(SEED + 999)
    out = fx.out / "broken"
    out.mkdir(parents=True, exist_ok=True)

    def add(name, file, fmt, refusal, desc, pages=(), checks=()):
        fx.add(name, "broken/" + file, fmt, list(pages), checks, refusal=refusal, description=desc)

    # a G4 strip to reuse: from the MinIsBlack fixture's page
    g4 = (fx.out / "tiff/g4-minisblack.tif").read_bytes()
    g4_item = next(f for f in fx.items if f["name"] == "tiff-g4-minisblack")
    g4_check = fx.checks["tiff-g4-minisblack"]
    ifd = tiff_parse(g4)[0]
    strip = g4[ifd[273][0] : ifd[273][0] + ifd[279][0]]
    W, H = ifd[256][0], ifd[257][0]
    g4_tags = tiff_page_tags(W, H, "minisblack1", res=(200, 200, 2), compression=4)

    # TIFF cut off in the middle of its strip data (IFD first, so the header is intact)
    full = tiff_build([(g4_tags, strip)], ifd_first=True)
    cut = len(full) - len(strip) // 2
    (out / "tiff-truncated-g4.tif").write_bytes(full[:cut])
    add("broken-tiff-truncated-g4", "tiff-truncated-g4.tif", "tiff", "truncated",
        f"G4 single strip, IFD before the data, file cut in the middle of the strip ({len(strip)} bytes declared)")
    p = Page(PAGE, "gray", seed=SEED + 301)
    full = tiff_build([(tiff_page_tags(W, H, "gray8"), tiff_pixels("gray8", p.gray))], ifd_first=True)
    (out / "tiff-truncated-gray.tif").write_bytes(full[: len(full) - W * H // 2])
    add("broken-tiff-truncated-gray", "tiff-truncated-gray.tif", "tiff", "truncated",
        "8-bit gray uncompressed, IFD first, file cut in the middle of the strip")

    # TIFF magic followed by random bytes
    (out / "tiff-magic-random.tif").write_bytes(b"II*\0" + bytes(rng.randrange(256) for _ in range(4092)))
    add("broken-tiff-magic-random", "tiff-magic-random.tif", "tiff", "damaged",
        "II*\\0 followed by 4092 random bytes (first IFD offset far beyond the end)")

    # header claims 100000 x 100000, tiny (G4) data
    tags = tiff_page_tags(100000, 100000, "miniswhite", res=(300, 300, 2), compression=4)
    (out / "tiff-huge-dimensions.tif").write_bytes(tiff_build([(tags, strip[:64])]))
    add("broken-tiff-huge-dimensions", "tiff-huge-dimensions.tif", "tiff", "tooLarge",
        "G4 single strip claiming 100000 x 100000 pixels with 64 bytes of data")

    # IFD loop: the next-IFD offset points back at the IFD itself
    (out / "tiff-ifd-loop.tif").write_bytes(tiff_build([(g4_tags, strip)], loop=True))
    ifds = tiff_parse((out / "tiff-ifd-loop.tif").read_bytes())
    assert len(ifds) == 1
    add("broken-tiff-ifd-loop", "tiff-ifd-loop.tif", "tiff", "any-or-one-page",
        "valid G4 page whose next-IFD offset points to itself: libtiff detects the loop; "
        "the converter may refuse the file or read exactly one page",
        pages=g4_item["pages"], checks=g4_check)

    # PNGs
    p = Page(PAGE, "colour", seed=SEED + 310, lines=4)
    png = png_encode(p.rgb, 2, 8)
    chunks = png_chunks(png)
    idats = [c for c in chunks if c[1] == b"IDAT"]
    first_idat = idats[0][0]
    mid = idats[len(idats) // 2][0] + 8 + len(idats[len(idats) // 2][2]) // 2
    (out / "png-truncated.png").write_bytes(png[:mid])
    add("broken-png-truncated", "png-truncated.png", "png", "truncated", "RGB PNG cut off in the middle of an IDAT chunk")
    b = bytearray(png)
    b[first_idat + 8 + 100] ^= 0x55
    (out / "png-idat-crc.png").write_bytes(bytes(b))
    add("broken-png-idat-crc", "png-idat-crc.png", "png", "damaged",
        "one byte of the first IDAT flipped, CRC left as it was")
    b = bytearray(png)
    payload = bytearray(idats[0][2])
    for i in range(2, 60):
        payload[i] = 0xFF
    b[first_idat + 8 : first_idat + 8 + len(payload)] = payload
    b[first_idat + 8 + len(payload) : first_idat + 12 + len(payload)] = struct.pack(">I", zlib.crc32(b"IDAT" + payload))
    (out / "png-corrupt-deflate.png").write_bytes(bytes(b))
    add("broken-png-corrupt-deflate", "png-corrupt-deflate.png", "png", "damaged",
        "deflate stream broken (58 bytes of 0xFF after the zlib header), every CRC valid")
    huge = (PNG_SIG + png_chunk(b"IHDR", struct.pack(">IIBBBBB", 100000, 100000, 8, 2, 0, 0, 0))
            + png_chunk(b"pHYs", struct.pack(">IIB", 11811, 11811, 1))
            + png_chunk(b"IDAT", zlib.compress(b"\0" * 1000, 9)) + png_chunk(b"IEND", b""))
    (out / "png-huge-dimensions.png").write_bytes(huge)
    add("broken-png-huge-dimensions", "png-huge-dimensions.png", "png", "tooLarge",
        "IHDR claims 100000 x 100000 RGB 8 (valid CRCs), tiny IDAT")

    # JPEGs
    p = Page(PAGE, "colour", seed=SEED + 320, lines=5)
    jpg = jpeg_save(Image.fromarray(p.rgb), dpi=(300, 300))
    sos = [s for s in jpeg_segments(jpg) if s[1] == 0xDA][0]
    scan = sos[0] + 2 + sos[2]
    cut = scan + (len(jpg) - scan) * 2 // 3
    (out / "jpeg-truncated.jpg").write_bytes(jpg[:cut])
    add("broken-jpeg-truncated", "jpeg-truncated.jpg", "jpeg", "truncated",
        f"baseline RGB cut off two thirds into the scan ({cut} of {len(jpg)} bytes)")
    b = bytearray(jpg)
    for i in range(scan + 200, len(b) - 400, 97):
        b[i] = 0x00 if b[i] == 0xFF else 0xFF  # 0xFF + next byte: stray markers inside the scan
    (out / "jpeg-corrupt-scan.jpg").write_bytes(bytes(b))
    add("broken-jpeg-corrupt-scan", "jpeg-corrupt-scan.jpg", "jpeg", "damaged",
        "every 97th byte of the entropy-coded data replaced by 0xFF (stray markers, bad Huffman codes)")
    sof = [s for s in jpeg_segments(jpg) if s[1] == 0xC0][0]
    b = bytearray(jpg)
    b[sof[0] + 5 : sof[0] + 9] = struct.pack(">HH", 60000, 60000)
    (out / "jpeg-huge-dimensions.jpg").write_bytes(bytes(b))
    add("broken-jpeg-huge-dimensions", "jpeg-huge-dimensions.jpg", "jpeg", "tooLarge",
        "SOF0 claims 60000 x 60000 pixels, scan data of a 413 x 585 image")

    # not images at all
    # "format" of these three: what the name claims (the manifest's format is always a string)
    (out / "empty.tif").write_bytes(b"")
    add("broken-empty-tif", "empty.tif", "tiff", "notAnImage", "zero-byte file named .tif")
    (out / "letter.jpg").write_text("Kính gửi: Phòng Tiếp nhận hồ sơ.\nThis is a letter, not a scan.\n", "utf-8")
    add("broken-text-as-jpg", "letter.jpg", "jpeg", "notAnImage", "UTF-8 text file named .jpg")
    junk = bytearray(rng.randrange(256) for _ in range(4096))
    junk[0] = 0x42  # not the first byte of any image signature
    (out / "random.png").write_bytes(bytes(junk))
    add("broken-random-as-png", "random.png", "png", "notAnImage", "4096 random bytes named .png")


# --------------------------------------------------------------------------------------------
# Self-check


def decoded_rgb(im: Image.Image) -> np.ndarray:
    """A decoded page as 8-bit RGB, transparency flattened onto white."""
    if im.mode in ("I;16", "I;16B", "I;16L", "I"):
        g = (np.asarray(im).astype(np.uint32) >> 8).astype(np.uint8)
        return np.repeat(g[:, :, None], 3, 2)
    if im.mode in ("RGBA", "LA", "PA") or "transparency" in im.info:
        return flatten_white(np.asarray(im.convert("RGBA")))
    return np.asarray(im.convert("RGB"))


def marker_ok(a: np.ndarray, lossy: bool) -> str | None:
    h, w = a.shape[:2]
    g = a.astype(np.int32).sum(2) // 3
    x0, y0, x1, y1 = box(w, h, LAYOUT["marker"])
    if g[y0 + 2 : y1 - 2, x0 + 2 : x1 - 2].mean() > 40:
        return "marker not dark"
    for corner in LAYOUT["emptyCorners"]:
        cx0, cy0, cx1, cy1 = box(w, h, corner)
        if g[cy0:cy1, cx0:cx1].min() < (180 if lossy else 250):
            return f"dark pixels in corner {corner}"
    return None


def tiff_facts(data: bytes, ifd: dict) -> dict:
    return {
        "compression": ifd.get(259, [1])[0],
        "photometric": ifd.get(262, [None])[0],
        "fillorder": ifd.get(266, [1])[0],
        "strips": len(ifd[273]) if 273 in ifd else 0,
        "tiles": (ifd[322][0], ifd[323][0]) if 322 in ifd else None,
        "planar": ifd.get(284, [1])[0],
        "predictor": ifd.get(317, [1])[0],
        "orientation": ifd.get(274, [1])[0],
        "bits": ifd.get(258, [1])[0],
        "samples": ifd.get(277, [1])[0],
    }


def self_check(fx: Fixtures) -> list[str]:
    problems, lines = [], []
    have_pngfix = shutil.which("pngfix") is not None
    for item in fx.items:
        name, path = item["name"], fx.out / item["file"]
        data = path.read_bytes()
        try:
            if item["refusal"] not in (None, "any-or-one-page"):
                problem = check_refused(item, path)
                if problem:
                    problems.append(f"{name}: {problem}")
                lines.append(f"{name:32} {len(data):8d} B  refused ({item['refusal']}): {item['description']}")
                continue
            summary = check_valid(fx, item, path, data, have_pngfix)
            lines.append(f"{name:32} {len(data):8d} B  {summary}")
        except Exception as e:  # report every problem, not just the first
            problems.append(f"{name}: {type(e).__name__}: {e}")
    print("\n".join(lines))
    return problems


def check_refused(item, path: Path) -> str | None:
    with quiet_stderr():
        return _check_refused(item, path)


class quiet_stderr:
    """Silences libtiff's and Pillow's complaints about the broken files while they are checked."""

    def __enter__(self):
        sys.stderr.flush()
        self.saved = os.dup(2)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
        self.warnings = warnings.catch_warnings()
        self.warnings.__enter__()
        warnings.simplefilter("ignore")

    def __exit__(self, *exc):
        self.warnings.__exit__(*exc)
        os.dup2(self.saved, 2)
        os.close(self.saved)


def _check_refused(item, path: Path) -> str | None:
    if item["format"] == "png" and shutil.which("pngfix"):
        r = subprocess.run(["pngfix", str(path)], capture_output=True, timeout=30)
        if r.returncode == 0 and item["refusal"] != "tooLarge":
            return "pngfix accepts it"
    try:
        with Image.open(path) as im:
            size = im.size
            for i in range(getattr(im, "n_frames", 1)):
                im.seek(i)
                im.load()
        if item["refusal"] == "tooLarge":
            return f"Pillow decoded it ({size})"
        return "Pillow decoded it"
    except Exception:
        return None


def check_valid(fx, item, path, data, have_pngfix) -> str:
    pages, checks = item["pages"], fx.checks[item["name"]]
    facts = ""
    if item["format"] == "tiff":
        ifds = tiff_parse(data)
        assert len(ifds) == len(pages), f"{len(ifds)} IFDs for {len(pages)} pages"
        f = tiff_facts(data, ifds[0])
        for key, want in fx.tiff_expect.get(item["name"], {}).items():
            if key == "pages":
                continue
            if key == "resolution":
                got = None if 282 not in ifds[0] else (ifds[0][282][0], ifds[0][283][0], ifds[0].get(296, [2])[0])
                assert (got is None) == (want is None), f"resolution {got} != {want}"
                if want:
                    assert abs(got[0] - want[0]) < 1e-3 and abs(got[1] - want[1]) < 1e-3 and got[2] == want[2], got
                continue
            assert f[key] == want, f"{key} = {f[key]}, expected {want}"
        for ifd, page in zip(ifds, pages):
            assert (ifd[256][0], ifd[257][0]) == (page["storedWidth"], page["storedHeight"])
            assert ifd.get(274, [1])[0] == page["orientation"]
            single_g4 = ifd.get(259, [1])[0] == 4 and len(ifd[273]) == 1 and 322 not in ifd
            assert single_g4 == page["passThrough"], "pass-through rule 2 disagrees with the file"
        info = subprocess.run(["tiffinfo", str(path)], capture_output=True, text=True, timeout=30)
        assert info.returncode == 0 and "Error" not in info.stderr, info.stderr
        if item["refusal"] == "any-or-one-page":
            assert "looping" in info.stderr, "libtiff does not see the IFD loop"
            facts = "libtiff: IFD looping; " 
        scheme = [l.split(":", 1)[1].strip() for l in info.stdout.splitlines() if "Compression Scheme" in l]
        photo = [l.split(":", 1)[1].strip() for l in info.stdout.splitlines() if "Photometric" in l]
        facts += f"[tiffinfo: {scheme[0]}, {photo[0]}"
        if f["fillorder"] != 1:
            facts += ", " + [l.strip() for l in info.stdout.splitlines() if "FillOrder" in l][0]
        facts += f", {'tiles %dx%d' % f['tiles'] if f['tiles'] else '%d strip(s)' % f['strips']}"
        facts += ", planar separate" if f["planar"] == 2 else ""
        facts += f", orientation {f['orientation']}" if f["orientation"] != 1 else ""
        facts += f", {len(ifds)} pages]" if len(ifds) > 1 else "]"
    elif item["format"] == "png":
        ch = png_chunks(data)
        kinds = [c[1].decode() for c in ch]
        ihdr = struct.unpack(">IIBBBBB", ch[0][2])
        interlaced, ctype, depth = ihdr[6], ihdr[3], ihdr[2]
        rule3 = not interlaced and ctype in (0, 2, 3) and "tRNS" not in kinds
        assert rule3 == pages[0]["passThrough"], "pass-through rule 3 disagrees with the file"
        if rule3:
            assert pages[0]["bitsPerComponent"] == depth
        # pngfix (libpng-tools 1.6.39) loops forever on a zero-length IDAT, which libpng itself reads
        if have_pngfix and all(len(c[2]) for c in ch if c[1] == b"IDAT"):
            r = subprocess.run(["pngfix", str(path)], capture_output=True, text=True, timeout=30)
            assert r.returncode in (0, 1), f"pngfix: {r.stdout} {r.stderr}"  # 1 = could be optimised
        extra = [k for k in dict.fromkeys(kinds) if k not in ("IHDR", "IDAT", "IEND")]
        facts = f"[type {ctype}, {depth} bit{', Adam7' if interlaced else ''}, {kinds.count('IDAT')} IDAT, {' '.join(extra)}]"
    else:
        segs = jpeg_segments(data)
        names = {0xE0: "JFIF", 0xE1: "EXIF", 0xEE: "Adobe", 0xC0: "SOF0", 0xC2: "SOF2"}
        facts = "[" + " ".join(names[s[1]] for s in segs if s[1] in names) + "]"

    with Image.open(path) as im:
        n = getattr(im, "n_frames", 1)
        assert n == len(pages), f"Pillow sees {n} pages"
        modes = []
        for i, (page, check) in enumerate(zip(pages, checks)):
            im.seek(i)
            # TIFF: Pillow 12 reports the upright size before loading and applies the Orientation
            # tag itself when loading; PNG and JPEG report the stored size.
            if item["format"] != "tiff":
                assert im.size == (page["storedWidth"], page["storedHeight"]), im.size
                o = im.getexif().get(274, 1)
                assert o == page["orientation"], f"EXIF orientation {o}"
            dpi = im.info.get("dpi")
            if page["dpi"] is None and item["format"] == "tiff":
                assert 282 not in ifds[i], "the file has XResolution"  # Pillow says (1, 1) then
            elif page["dpi"] is None:
                assert dpi is None, f"Pillow finds dpi {dpi}"
            else:
                assert dpi is not None and all(abs(a - b) < 0.01 for a, b in zip(dpi, page["dpi"])), f"dpi {dpi}"
            modes.append(im.mode)
            up = ImageOps.exif_transpose(im)
            assert up.size == (page["uprightWidth"], page["uprightHeight"]), f"upright size {up.size}"
            got = decoded_rgb(up)
            want = check.upright_rgb
            assert got.shape == want.shape, (got.shape, want.shape)
            diff = np.abs(got.astype(np.int32) - want.astype(np.int32))
            if check.lossy:
                assert diff.mean() < 4 and np.percentile(diff, 99) < 60, f"mean diff {diff.mean():.2f}"
            else:
                assert diff.max() == 0, f"pixels differ (max {diff.max()}, {np.count_nonzero(diff)} samples)"
            if check.exact16 is not None:
                assert (np.asarray(up).astype(np.uint16) == check.exact16).all(), "16-bit samples differ"
            if check.marker:
                problem = marker_ok(got, check.lossy)
                assert problem is None, problem
        if item["format"] == "tiff" and any(p["orientation"] != 1 for p in pages):
            # the stored pixels, without the tag, are the upright page turned by the inverse transform
            o = pages[0]["orientation"]
            tmp = fx.work / "orient-check.tif"
            shutil.copyfile(path, tmp)
            subprocess.run(["tiffset", "-s", "274", "1", str(tmp)], check=True, timeout=30)
            with Image.open(tmp) as raw:
                stored = decoded_rgb(raw)
            assert (stored == to_stored(checks[0].upright_rgb, o)).all(), "stored pixels"
            facts += " stored+tag=upright"
    p0 = pages[0]
    dims = f"{p0['storedWidth']}x{p0['storedHeight']}"
    if p0["orientation"] != 1:
        dims += f" o{p0['orientation']}->{p0['uprightWidth']}x{p0['uprightHeight']}"
    dpi = "no dpi" if p0["dpi"] is None else "%gx%g dpi" % tuple(p0["dpi"])
    tail = f"{p0['pdfimagesEnc']}/{p0['pdfimagesColor']}/{p0['bitsPerComponent']}"
    tail += " pass-through" if p0["passThrough"] else ""
    blank = " BLANK" if any(p["blank"] for p in pages) else ""
    return f"{dims} {dpi}{'' if p0['dpiUsable'] else ' (unusable)'} Pillow {'/'.join(dict.fromkeys(modes))} {p0['mode']}{blank} -> {tail} {facts}"


# --------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir", type=Path)
    args = parser.parse_args()
    for tool in ("tiffcp", "tiffinfo", "tiffset"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is needed (Debian: libtiff-tools)")
    start = time.monotonic()
    out: Path = args.outdir
    for sub in ("tiff", "png", "jpeg", "broken"):
        shutil.rmtree(out / sub, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="sohoa-fixtures-") as work:
        fx = Fixtures(out, Path(work))
        make_tiffs(fx)
        make_pngs(fx)
        make_jpegs(fx)
        make_broken(fx)
        manifest = {
            "generator": "Tests/Fixtures/make_image_fixtures.py",
            "layout": LAYOUT,
            "redRGB": list(RED),
            "fixtures": fx.items,
        }
        text = json.dumps(manifest, indent=1, ensure_ascii=False)
        text = re.sub(r"\[\s+([-0-9.,\s]+?)\s+\]", lambda m: "[" + re.sub(r"\s+", " ", m.group(1)) + "]", text)
        (out / "manifest.json").write_text(text + "\n", "utf-8")
        generated = time.monotonic() - start
        problems = self_check(fx)
    total = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    print(f"{len(fx.items)} fixtures, {total / 1e6:.2f} MB, generated in {generated:.1f} s, "
          f"checked in {time.monotonic() - start - generated:.1f} s")
    if problems:
        print("PROBLEMS:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
