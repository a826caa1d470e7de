#!/usr/bin/env python3
"""Generate synthetic scanned documents for Sohoa's intake inbox.

Usage (from the repository root):

    make samples      (or: .build/venv/bin/python scripts/make-samples.py [--out Samples])

The output tree mimics what the scanning area of a public-administration
service centre drops into the intake inbox:

    <owner-id>/<case-id>/<document>.<ext>      single-file document
    <owner-id>/<case-id>/<document>/page-NNN.png + .ready   folder document
    <owner-id>/<case-id>/<document>.json       sidecar (next to file / folder)

Every page is an A4 sheet (210 x 297 mm) rendered at 200 or 300 dpi, with
Vietnamese administrative text, a slight skew, sparse speckles, an uneven
paper tone and a faint shadow band near one edge.  All names and numbers are
fictitious.  The output is deterministic: a fixed seed, and no encoder writes
a timestamp (Pillow writes no TIFF DateTime, no PNG tIME, no EXIF).

Only Pillow is required (pinned in scripts/requirements.txt, installed into .build/venv by make).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import math
import random
import re
import shutil
import sys
import unicodedata
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFont

SEED = 20251124

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = {
    "serif": "DejaVuSerif.ttf",
    "serif-bold": "DejaVuSerif-Bold.ttf",
    "serif-italic": "DejaVuSerif-Italic.ttf",
    "serif-bolditalic": "DejaVuSerif-BoldItalic.ttf",
    "sans": "DejaVuSans.ttf",
    "sans-bold": "DejaVuSans-Bold.ttf",
    "sans-oblique": "DejaVuSans-Oblique.ttf",
    "mono": "DejaVuSansMono.ttf",
}
# Fallbacks when only fonts-dejavu-core's regular faces are present.
FONT_FALLBACK = {
    "serif-bold": "serif",
    "serif-italic": "serif",
    "serif-bolditalic": "serif",
    "sans-bold": "sans",
    "sans-oblique": "sans",
    "mono": "sans",
}

# Sidecar naming: "<document>.json" where <document> is the document name
# without its image extension ("don-de-nghi.tif" -> "don-de-nghi.json"),
# the same rule as for a folder document ("so-ho-khau/" -> "so-ho-khau.json").
SIDECAR_KEYS = ("documentType", "issueDate", "title")

A4_MM = (210.0, 297.0)
INK = (28, 28, 32)
BLUE_INK = (25, 45, 150)
STAMP_RED = (205, 35, 45)
STAMP_PURPLE = (80, 55, 150)


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


@functools.lru_cache(maxsize=None)
def load_font(style: str, size_px: int) -> ImageFont.FreeTypeFont:
    path = FONT_DIR / FONT_FILES[style]
    if not path.exists() and style in FONT_FALLBACK:
        return load_font(FONT_FALLBACK[style], size_px)
    # BASIC layout: Vietnamese is written with precomposed (NFC) letters that
    # DejaVu covers, so no shaping engine is needed and output does not depend
    # on whether libraqm is available.
    return ImageFont.truetype(str(path), size_px, layout_engine=ImageFont.Layout.BASIC)


# ---------------------------------------------------------------------------
# Identifiers


def tax_code_check_digit(first9: str) -> int | None:
    weights = (31, 29, 23, 19, 17, 13, 7, 5, 3)
    total = sum(w * int(d) for w, d in zip(weights, first9))
    d10 = 10 - total % 11
    return d10 if 0 <= d10 <= 9 else None


def valid_owner_id(owner: str) -> bool:
    if re.fullmatch(r"\d{12}", owner):
        return True
    if re.fullmatch(r"\d{10}", owner):
        return tax_code_check_digit(owner[:9]) == int(owner[9])
    return False


CASE_RE = re.compile(r"^[0-9A-Z]+(?:\.[0-9A-Z]+)*-(\d{6})-(\d{4})$")


def valid_case_id(case: str) -> bool:
    m = CASE_RE.match(case)
    if not m:
        return False
    try:
        dt.datetime.strptime(m.group(1), "%y%m%d")
    except ValueError:
        return False
    return True


DOC_NAME_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


# ---------------------------------------------------------------------------
# Page canvas and layout helpers


class Page:
    """An upright A4 page drawn in RGB; `kind` decides the final pixel format."""

    def __init__(self, dpi: int, kind: str, rng: random.Random,
                 margins_mm=(30, 20, 18, 18)):
        assert kind in ("bilevel", "gray", "rgb")
        self.dpi = dpi
        self.kind = kind
        self.rng = rng
        self.w = self.px(A4_MM[0])
        self.h = self.px(A4_MM[1])
        self.img = Image.new("RGB", (self.w, self.h), (255, 255, 255))
        self.d = ImageDraw.Draw(self.img)
        ml, mt, mr, mb = margins_mm
        self.set_frame(self.px(ml), self.px(mt), self.w - self.px(mr), self.h - self.px(mb))

    # units -------------------------------------------------------------
    def px(self, mm: float) -> int:
        return round(mm * self.dpi / 25.4)

    def font(self, style: str, pt: float) -> ImageFont.FreeTypeFont:
        return load_font(style, max(6, round(pt * self.dpi / 72)))

    def fit_font(self, style: str, pt: float, text: str, width: int) -> ImageFont.FreeTypeFont:
        while pt > 5:
            f = self.font(style, pt)
            if f.getlength(nfc(text)) <= width:
                return f
            pt -= 0.25
        return self.font(style, pt)

    def set_frame(self, left: int, top: int, right: int, bottom: int) -> None:
        self.left, self.top, self.right, self.bottom = left, top, right, bottom
        self.y = top

    @staticmethod
    def lh(font, spacing: float = 1.42) -> int:
        return round(font.size * spacing)

    def gap(self, mm: float) -> None:
        self.y += self.px(mm)

    # text --------------------------------------------------------------
    def text(self, xy, s: str, font, fill=INK, anchor: str = "la") -> None:
        self.d.text(xy, nfc(s), font=font, fill=fill, anchor=anchor)

    def center(self, s: str, font, x0=None, x1=None, fill=INK, underline: float = 0.0,
               spacing: float = 1.42) -> None:
        x0 = self.left if x0 is None else x0
        x1 = self.right if x1 is None else x1
        cx = (x0 + x1) // 2
        self.text((cx, self.y), s, font, fill, anchor="ma")
        if underline:
            w = font.getlength(nfc(s)) * underline
            uy = self.y + round(font.size * 1.22)
            self.d.line([(cx - w / 2, uy), (cx + w / 2, uy)], fill=fill,
                        width=max(1, self.px(0.25)))
        self.y += self.lh(font, spacing)

    def line(self, s: str, font, x=None, fill=INK, spacing: float = 1.42) -> None:
        self.text((self.left if x is None else x, self.y), s, font, fill)
        self.y += self.lh(font, spacing)

    def wrap(self, words, font, first_width: int, width: int):
        lines, cur = [], []
        for w in words:
            avail = first_width if not lines else width
            if cur and font.getlength(nfc(" ".join(cur + [w]))) > avail:
                lines.append(cur)
                cur = [w]
            else:
                cur.append(w)
        if cur:
            lines.append(cur)
        return lines

    def paragraph(self, s: str, font, indent_mm: float = 10, justify: bool = True,
                  x0=None, x1=None, fill=INK, spacing: float = 1.42, after_mm: float = 1.2) -> None:
        x0 = self.left if x0 is None else x0
        x1 = self.right if x1 is None else x1
        indent = self.px(indent_mm)
        lines = self.wrap(nfc(s).split(), font, x1 - x0 - indent, x1 - x0)
        for i, ws in enumerate(lines):
            xs = x0 + (indent if i == 0 else 0)
            if justify and i < len(lines) - 1 and len(ws) > 1:
                widths = [font.getlength(w) for w in ws]
                gap = (x1 - xs - sum(widths)) / (len(ws) - 1)
                x = xs
                for w, wd in zip(ws, widths):
                    self.text((round(x), self.y), w, font, fill)
                    x += wd + gap
            else:
                self.text((xs, self.y), " ".join(ws), font, fill)
            self.y += self.lh(font, spacing)
        self.y += self.px(after_mm)

    def field(self, label: str, value: str, font, vfont=None, x0=None, x1=None,
              leader: bool = True, advance: bool = True, fill=INK, vfill=INK,
              spacing: float = 1.5) -> int:
        """`label` followed by `value`, wrapping onto continuation lines, and
        a dotted leader to the end of the line as on a printed form."""
        vfont = vfont or font
        x0 = self.left if x0 is None else x0
        x1 = self.right if x1 is None else x1
        label, value = nfc(label), nfc(value)
        y = self.y
        self.text((x0, y), label, font, fill)
        x = x0 + font.getlength(label + " ")
        for word in value.split():
            wl = vfont.getlength(word)
            if x + wl > x1:
                if leader:
                    self.dots(x, x1, y, font)
                y += self.lh(font, spacing)
                x = x0
            self.text((round(x), y), word, vfont, vfill)
            x += wl + vfont.getlength(" ")
        if leader:
            self.dots(x, x1, y, font)
        if advance:
            self.y = y + self.lh(font, spacing)
        return y

    def dots(self, xa: float, xb: float, y: int, font) -> None:
        dot = font.getlength(".")
        n = int((xb - xa) / dot)
        if n > 2:
            self.text((round(xb - n * dot), y), "." * n, font, (90, 90, 95))

    def checkbox(self, x: int, y: int, font, checked: bool) -> int:
        s = round(font.size * 0.72)
        top = y + round(font.size * 0.25)
        wd = max(1, self.px(0.25))
        self.d.rectangle([x, top, x + s, top + s], outline=INK, width=wd)
        if checked:
            self.d.line([(x + 2 * wd, top + 2 * wd), (x + s - 2 * wd, top + s - 2 * wd)], fill=INK, width=2 * wd)
            self.d.line([(x + 2 * wd, top + s - 2 * wd), (x + s - 2 * wd, top + 2 * wd)], fill=INK, width=2 * wd)
        return x + s + round(font.size * 0.45)

    def footer(self, s: str) -> None:
        f = self.font("serif-italic", 9)
        self.text(((self.left + self.right) // 2, self.h - self.px(10)), s, f, INK, anchor="ms")

    # tables --------------------------------------------------------------
    def table(self, widths_mm, rows, font, bold_font=None, header_rows: int = 1,
              header_fill=None, aligns=None, pad_mm: float = 1.2, line_w=None,
              x0=None, fill_by_row=None, bold_rows=(), spacing: float = 1.3) -> None:
        bold_font = bold_font or font
        x0 = self.left if x0 is None else x0
        total = sum(widths_mm)
        scale = (self.right - x0) / self.px(total) if self.px(total) > self.right - x0 else 1.0
        xs = [x0]
        for wmm in widths_mm:
            xs.append(xs[-1] + round(self.px(wmm) * scale))
        pad = self.px(pad_mm)
        lw = line_w or max(1, self.px(0.22))
        aligns = aligns or ["l"] * len(widths_mm)
        fill_by_row = fill_by_row or {}
        y = self.y
        self.d.line([(xs[0], y), (xs[-1], y)], fill=INK, width=lw)
        for r, row in enumerate(rows):
            is_head = r < header_rows
            f = bold_font if (is_head or r in bold_rows) else font
            cells = []
            indents = []
            for c, cell in enumerate(row):
                raw = nfc(str(cell))
                ind = round((len(raw) - len(raw.lstrip(" "))) * f.getlength(" ") * 1.6)
                indents.append(ind)
                width = xs[c + 1] - xs[c] - 2 * pad - ind
                cells.append([" ".join(ws) for ws in self.wrap(raw.split(), f, width, width)] or [""])
            n = max(len(c) for c in cells)
            rh = n * self.lh(f, spacing) + 2 * pad
            fill = header_fill if is_head and header_fill else fill_by_row.get(r)
            if fill:
                self.d.rectangle([xs[0] + lw, y + lw, xs[-1] - lw, y + rh - 1], fill=fill)
            for c, lines in enumerate(cells):
                al = "c" if is_head else aligns[c]
                for i, ln in enumerate(lines):
                    ty = y + pad + i * self.lh(f, spacing)
                    if al == "c":
                        self.text(((xs[c] + xs[c + 1]) // 2, ty), ln, f, anchor="ma")
                    elif al == "r":
                        self.text((xs[c + 1] - pad, ty), ln, f, anchor="ra")
                    else:
                        self.text((xs[c] + pad + indents[c], ty), ln, f)
            y += rh
            self.d.line([(xs[0], y), (xs[-1], y)], fill=INK, width=lw)
        for x in xs:
            self.d.line([(x, self.y), (x, y)], fill=INK, width=lw)
        self.y = y + self.px(2)


# ---------------------------------------------------------------------------
# Recurring blocks: header, signature, stamp


MOTTO_1 = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"


def national_header(pg: Page, agency=None, number=None, place_date=None,
                    left_mm: float = 66, pt: float = 12) -> None:
    y0 = pg.y
    if agency:
        lx0, lx1 = pg.left - pg.px(8), pg.left + pg.px(left_mm - 8)
        rx0, rx1 = lx1 + pg.px(2), pg.right
    else:
        rx0, rx1 = pg.left, pg.right
    f1 = pg.fit_font("serif-bold", pt, MOTTO_1, rx1 - rx0)
    f2 = pg.font("serif-bold", f1.size * 72 / pg.dpi + 1)
    pg.y = y0
    pg.center(MOTTO_1, f1, rx0, rx1)
    pg.center(MOTTO_2, f2, rx0, rx1, underline=1.0)
    right_end = pg.y
    if place_date:
        pg.y += pg.px(2.5)
        pg.center(place_date, pg.font("serif-italic", pt), rx0, rx1)
        right_end = pg.y
    left_end = y0
    if agency:
        pg.y = y0
        for i, s in enumerate(agency):
            last = i == len(agency) - 1
            f = pg.fit_font("serif-bold" if last else "serif", pt, s, lx1 - lx0)
            pg.center(s, f, lx0, lx1, underline=0.45 if last else 0.0)
        if number:
            pg.y += pg.px(2.5)
            pg.center(number, pg.font("serif", pt), lx0, lx1)
        left_end = pg.y
    pg.y = max(left_end, right_end) + pg.px(7)


def signature_points(rng: random.Random, x0: float, y0: float, w: float, h: float):
    """A cursive-looking scrawl: a capital, a run of loops and humps of
    random size (a trochoid loops back when its radius is large enough),
    then a flourish.  Returns a list of strokes (pen lifts between them)."""
    strokes = []
    slant = rng.uniform(0.15, 0.5)
    base = y0 + h * rng.uniform(0.5, 0.62)

    def sl(x, y):
        return (x - (y - base) * slant, y)

    # leading capital
    capw = w * rng.uniform(0.10, 0.2)
    caph = h * rng.uniform(0.7, 1.0)
    style = rng.choice(("loop", "hook", "bar"))
    cap = []
    for i in range(49):
        t = i / 48
        if style == "loop":
            a = t * 2 * math.pi * 1.15
            cap.append(sl(x0 + capw * 0.5 + math.sin(a) * capw * 0.5, base - caph * 0.5 + math.cos(a) * caph * 0.5))
        elif style == "hook":
            cap.append(sl(x0 + capw * t, base - caph * math.sin(math.pi * t) * (1 - 0.4 * t)))
        else:
            cap.append(sl(x0 + capw * (0.5 + 0.5 * math.sin(3 * math.pi * t)), base - caph * (1 - t)))
    strokes.append(cap)
    # body
    x = x0 + capw * rng.uniform(0.6, 1.1)
    y = base
    body = []
    n = rng.randint(3, 7)
    for _ in range(n):
        lw = (w * 0.7 - capw) / n * rng.uniform(0.6, 1.4)
        lh = h * rng.uniform(0.18, 0.42) * (1.8 if rng.random() < 0.25 else 1.0)
        loop = rng.random() < 0.6
        r = lw / (2 * math.pi) * (rng.uniform(1.4, 2.4) if loop else rng.uniform(0.2, 0.7))
        drift = h * rng.uniform(-0.06, 0.06)
        for i in range(28):
            t = i / 27
            a = 2 * math.pi * t
            body.append(sl(x + lw * t - r * math.sin(a), y + drift * t - lh * (1 - math.cos(a)) / 2))
        x += lw
        y += drift
    strokes.append(body)
    # flourish
    sx, sy = body[-1]
    kind = rng.choice(("under", "tail", "cross"))
    if kind == "under":
        cx_, cy_ = x0 + w * rng.uniform(0.9, 1.1), y0 + h * 1.15
        ex, ey = x0 + w * rng.uniform(0.0, 0.2), y0 + h * rng.uniform(0.8, 0.98)
    elif kind == "tail":
        cx_, cy_ = sx + w * 0.12, sy + h * 0.3
        ex, ey = sx + w * rng.uniform(0.15, 0.3), sy - h * rng.uniform(0.2, 0.45)
    else:
        sx, sy = x0 + w * rng.uniform(0.05, 0.2), base - h * rng.uniform(0.1, 0.3)
        cx_, cy_ = x0 + w * 0.5, base - h * rng.uniform(0.2, 0.5)
        ex, ey = x0 + w * rng.uniform(0.8, 1.0), base - h * rng.uniform(0.0, 0.35)
    fl = []
    for i in range(41):
        t = i / 40
        fl.append(((1 - t) ** 2 * sx + 2 * (1 - t) * t * cx_ + t * t * ex,
                   (1 - t) ** 2 * sy + 2 * (1 - t) * t * cy_ + t * t * ey))
    strokes.append(fl)
    return strokes


def draw_signature(pg: Page, x: int, y: int, w: int, h: int, color=INK) -> None:
    width = max(2, pg.px(0.38))
    for stroke in signature_points(pg.rng, x, y, w, h):
        pg.d.line([(round(a), round(b)) for a, b in stroke], fill=color, width=width, joint="curve")


def star_polygon(cx: float, cy: float, r: float, rot: float = -90.0):
    pts = []
    for i in range(10):
        rr = r if i % 2 == 0 else r * 0.40
        a = math.radians(rot + i * 36)
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    return pts


def smooth_field(rng: random.Random, size, grid, lo: int, hi: int) -> Image.Image:
    small = Image.new("L", grid)
    small.putdata([rng.randint(lo, hi) for _ in range(grid[0] * grid[1])])
    return small.resize(size, Image.Resampling.BICUBIC)


def draw_stamp(pg: Page, cx: int, cy: int, ring_text: str, center_lines=(), star: bool = True,
               diameter_mm: float = 36, color=STAMP_RED) -> None:
    """Round rubber stamp: double ring, text all around, star and/or text in
    the middle, uneven ink, multiplied onto the page like real ink."""
    rng = pg.rng
    d_px = pg.px(diameter_mm)
    size = d_px + pg.px(4)
    c = size / 2
    r = d_px / 2
    mask = Image.new("L", (size, size), 0)
    md = ImageDraw.Draw(mask)
    ring_w = max(2, pg.px(0.8))
    md.ellipse([c - r, c - r, c + r, c + r], outline=255, width=ring_w)
    r2 = r - pg.px(6.2)
    md.ellipse([c - r2, c - r2, c + r2, c + r2], outline=255, width=max(1, pg.px(0.35)))
    # ring text, clockwise all around
    text = nfc(ring_text)
    band = r - ring_w - r2
    pt = band * 0.62 * 72 / pg.dpi
    while True:
        f = pg.font("sans-bold", pt)
        rt = r2 + band * 0.47
        total = sum(f.getlength(ch) for ch in text)
        if total / rt <= 2 * math.pi * 0.93 or pt < 4:
            break
        pt -= 0.25
    extra = (2 * math.pi - total / rt) / len(text)
    theta = -math.pi / 2 - math.pi * 0.85
    cs = round(f.size * 1.6)
    for ch in text:
        wch = f.getlength(ch)
        theta += (wch / rt + extra) / 2
        if ch != " ":
            g = Image.new("L", (cs, cs), 0)
            ImageDraw.Draw(g).text((cs / 2, cs / 2), ch, font=f, fill=255, anchor="mm")
            g = g.rotate(-(math.degrees(theta) + 90), resample=Image.Resampling.BICUBIC)
            px_ = c + rt * math.cos(theta) - cs / 2
            py_ = c + rt * math.sin(theta) - cs / 2
            mask.paste(255, (round(px_), round(py_)), g)
        theta += (wch / rt + extra) / 2
    # centre
    lines = [nfc(s) for s in center_lines]
    if star:
        sy = c - (pg.px(3.5) if lines else 0)
        md.polygon(star_polygon(c, sy, pg.px(4.2)), fill=255)
        ty = sy + pg.px(5.5)
    else:
        ty = c - len(lines) * pg.px(3.6) / 2
    for s in lines:
        fc = pg.font("sans-bold", 7)
        while fc.getlength(s) > 2 * r2 * 0.85 and fc.size > 8:
            fc = load_font("sans-bold", fc.size - 1)
        md.text((c, ty), s, font=fc, fill=255, anchor="ma")
        ty += pg.px(3.6)
    mask = mask.rotate(rng.uniform(-25, 25), resample=Image.Resampling.BICUBIC)
    # uneven inking: smooth density variation plus a few dry spots
    density = smooth_field(rng, (size, size), (4, 4), 110, 255)
    mask = ImageChops.multiply(mask, density)
    dd = ImageDraw.Draw(mask)
    for _ in range(rng.randint(25, 60)):
        x, y = rng.uniform(0, size), rng.uniform(0, size)
        rr = rng.uniform(0.6, 2.2) * pg.dpi / 200
        dd.ellipse([x - rr, y - rr, x + rr, y + rr], fill=0)
    colour = Image.new("RGB", (size, size), color)
    white = Image.new("RGB", (size, size), (255, 255, 255))
    ink = Image.composite(colour, white, mask)
    box = (round(cx - c), round(cy - c), round(cx - c) + size, round(cy - c) + size)
    region = pg.img.crop(box)
    pg.img.paste(ImageChops.multiply(region, ink), box)


def signature_block(pg: Page, cx: int, y: int, roles, name: str, note=None,
                    ink=INK, stamp=None, sig_h_mm: float = 22) -> int:
    """Roles (bold), note (italic), scrawl, optional stamp, name (bold).
    Returns the y after the block."""
    pg.y = y
    f = pg.font("serif-bold", 12)
    for s in roles:
        pg.center(s, f, cx - pg.px(45), cx + pg.px(45))
    if note:
        pg.center(note, pg.font("serif-italic", 11), cx - pg.px(45), cx + pg.px(45))
    sig_top = pg.y + pg.px(2)
    sig_h = pg.px(sig_h_mm)
    sig_w = pg.px(pg.rng.uniform(30, 42))
    draw_signature(pg, cx - sig_w // 2, sig_top, sig_w, round(sig_h * 0.8), ink)
    if stamp:
        ring, center_lines, star, color = stamp
        draw_stamp(pg, cx - pg.px(17), sig_top + sig_h // 2, ring, center_lines, star, color=color)
    pg.y = sig_top + sig_h + pg.px(2)
    pg.center(name, f, cx - pg.px(45), cx + pg.px(45))
    return pg.y


# ---------------------------------------------------------------------------
# Scanner simulation


def illumination(pg: Page, rng: random.Random, paper: bool) -> Image.Image:
    """Low-frequency multiplier (255 = unchanged): uneven paper tone plus a
    shadow band along one edge.  Built at 1/8 scale and upscaled, so it is
    smooth and compresses well."""
    lw, lh = max(8, pg.w // 8), max(8, pg.h // 8)
    if paper:
        base = smooth_field(rng, (lw, lh), (4, 6), 236, 249)
        bp = base.load()
    edge = rng.choice(("left", "top", "right", "bottom"))
    depth = (pg.px(rng.uniform(3.0, 6.0)) if pg.kind == "bilevel" else pg.px(rng.uniform(8, 16))) / 8
    darkest = rng.uniform(0.15, 0.3) if pg.kind == "bilevel" else rng.uniform(0.72, 0.84)
    wob = [rng.uniform(0.6, 1.3) for _ in range(7)]
    out = Image.new("L", (lw, lh))
    op = out.load()
    along_n = lh if edge in ("left", "right") else lw
    for y in range(lh):
        for x in range(lw):
            dist = {"left": x, "right": lw - 1 - x, "top": y, "bottom": lh - 1 - y}[edge]
            along = (y if edge in ("left", "right") else x) / along_n * (len(wob) - 1)
            k = min(int(along), len(wob) - 2)
            fr = along - k
            dep = depth * (wob[k] * (1 - fr) + wob[k + 1] * fr)
            s = 1.0
            if dist < dep:
                u = 1 - dist / dep
                s = 1 - (1 - darkest) * u * u
            v = (bp[x, y] if paper else 255) * s
            op[x, y] = max(0, min(255, round(v)))
    return out.resize((pg.w, pg.h), Image.Resampling.BICUBIC)


def speckle(img: Image.Image, pg: Page, rng: random.Random) -> None:
    d = ImageDraw.Draw(img)
    scale = pg.dpi / 200
    rgb = img.mode == "RGB"
    n = rng.randint(160, 320)
    for _ in range(n):
        x, y = rng.uniform(0, pg.w), rng.uniform(0, pg.h)
        r = rng.uniform(0.4, 1.3) * scale
        v = rng.randint(30, 150) if pg.kind != "bilevel" else 0
        d.ellipse([x - r, y - r, x + r, y + r], fill=(v, v, v) if rgb else v)
    # a few dust clusters and one hair/fibre
    for _ in range(rng.randint(2, 5)):
        cx, cy = rng.uniform(0, pg.w), rng.uniform(0, pg.h)
        for _ in range(rng.randint(4, 12)):
            x, y = cx + rng.gauss(0, 6 * scale), cy + rng.gauss(0, 6 * scale)
            r = rng.uniform(0.5, 1.5) * scale
            v = rng.randint(40, 120) if pg.kind != "bilevel" else 0
            d.ellipse([x - r, y - r, x + r, y + r], fill=(v, v, v) if rgb else v)
    x, y = rng.uniform(0.1, 0.9) * pg.w, rng.uniform(0.1, 0.9) * pg.h
    a = rng.uniform(0, 2 * math.pi)
    pts = []
    for i in range(30):
        a += rng.uniform(-0.25, 0.25)
        x += math.cos(a) * 2.5 * scale
        y += math.sin(a) * 2.5 * scale
        pts.append((x, y))
    v = rng.randint(60, 140) if pg.kind != "bilevel" else 0
    d.line(pts, fill=(v, v, v) if rgb else v, width=max(1, round(scale)))


def scan(pg: Page, angle: float) -> Image.Image:
    """Turn the upright drawing into what the scanner produced."""
    rng = pg.rng
    if pg.kind == "rgb":
        img = pg.img
        fill = (255, 255, 255)
    else:
        img = pg.img.convert("L")
        fill = 255
    img = img.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=fill)
    field = illumination(pg, rng, paper=pg.kind != "bilevel")
    if pg.kind == "rgb":
        tint = Image.merge("RGB", (field,
                                   field.point(lambda v: max(0, v - 3)),
                                   field.point(lambda v: max(0, v - 9))))
        img = ImageChops.multiply(img, tint)
    else:
        img = ImageChops.multiply(img, field)
    speckle(img, pg, rng)
    if pg.kind == "bilevel":
        img = img.point(lambda v: 255 if v >= 150 else 0, mode="1")
    return img


# ---------------------------------------------------------------------------
# Documents


def body_fonts(pg: Page, pt: float = 12):
    return pg.font("serif", pt), pg.font("serif-bold", pt), pg.font("serif-italic", pt)


def don_de_nghi(rng: random.Random):
    """Citizen's application form, 3 pages (bilevel, 300 dpi)."""
    pages = []
    title = ["ĐƠN ĐỀ NGHỊ CẤP GIẤY XÁC NHẬN", "TÌNH TRẠNG HÔN NHÂN"]
    # page 1 -----------------------------------------------------------
    pg = Page(300, "bilevel", rng)
    f, fb, fi = body_fonts(pg)
    fv = pg.font("sans-oblique", 11.5)
    pg.gap(2)
    national_header(pg)
    pg.gap(4)
    for s in title:
        pg.center(s, pg.font("serif-bold", 14))
    pg.gap(5)
    pg.center("Kính gửi: Ủy ban nhân dân phường Ba Đình, thành phố Hà Nội", f)
    pg.gap(5)
    pg.line("I. THÔNG TIN NGƯỜI YÊU CẦU", fb)
    pg.gap(1)
    mid = pg.left + (pg.right - pg.left) * 11 // 20
    pg.field("Họ và tên:", "Nguyễn Văn An", f, fv)
    pg.field("Ngày, tháng, năm sinh:", "15/03/1985", f, fv, x1=mid, advance=False)
    pg.field("Giới tính:", "Nam", f, fv, x0=mid + pg.px(3))
    pg.field("Dân tộc:", "Kinh", f, fv, x1=mid, advance=False)
    pg.field("Quốc tịch:", "Việt Nam", f, fv, x0=mid + pg.px(3))
    pg.field("Số định danh cá nhân:", "001085012345", f, fv)
    pg.field("Nơi cư trú:", "Số 18, ngõ 42 phố Đội Cấn, phường Ba Đình, thành phố Hà Nội", f, fv)
    pg.field("Số điện thoại:", "0912 345 678", f, fv)
    pg.field("Thư điện tử:", "nguyenvanan85@example.vn", f, fv)
    pg.field("Quan hệ với người được cấp Giấy xác nhận:", "Bản thân", f, fv)
    pg.gap(3)
    pg.line("II. THÔNG TIN NGƯỜI ĐƯỢC XÁC NHẬN TÌNH TRẠNG HÔN NHÂN", fb)
    pg.gap(1)
    pg.field("Họ, chữ đệm và tên:", "NGUYỄN VĂN AN", f, fv)
    pg.field("Ngày, tháng, năm sinh:", "15/03/1985", f, fv, x1=mid, advance=False)
    pg.field("Nơi sinh:", "Hà Nội", f, fv, x0=mid + pg.px(3))
    pg.field("Số định danh cá nhân:", "001085012345", f, fv)
    pg.field("Nơi cư trú hiện tại:", "Số 18, ngõ 42 phố Đội Cấn, phường Ba Đình, thành phố Hà Nội", f, fv)
    pg.field("Thời gian đề nghị xác nhận:", "từ ngày 01/01/2015 đến ngày 24/11/2025", f, fv)
    pg.field("Tình trạng hôn nhân:", "Hiện tại chưa đăng ký kết hôn với ai", f, fv)
    pg.field("Mục đích sử dụng Giấy xác nhận:", "Làm thủ tục đăng ký kết hôn", f, fv)
    pg.field("Số lượng Giấy xác nhận đề nghị cấp:", "02 (hai) bản", f, fv)
    pg.gap(3)
    pg.paragraph("Người yêu cầu đã được cán bộ tiếp nhận hướng dẫn về thành phần hồ sơ, "
                 "thời hạn giải quyết và lệ phí theo quy định. Các thông tin nhân thân được "
                 "đối chiếu với Cơ sở dữ liệu quốc gia về dân cư khi tiếp nhận hồ sơ.", fi)
    pg.footer("Trang 1/3")
    pages.append(pg)
    # page 2 -----------------------------------------------------------
    pg = Page(300, "bilevel", rng)
    f, fb, fi = body_fonts(pg)
    pg.gap(4)
    pg.line("III. LÝ DO ĐỀ NGHỊ", fb)
    pg.gap(1)
    pg.paragraph("Tôi là Nguyễn Văn An, hiện đang cư trú tại Số 18, ngõ 42 phố Đội Cấn, phường "
                 "Ba Đình, thành phố Hà Nội. Do có nhu cầu đăng ký kết hôn với bà Phạm Thị Hồng "
                 "Nhung, sinh ngày 09/09/1990, cư trú tại phường Cầu Giấy, thành phố Hà Nội, tôi "
                 "làm đơn này kính đề nghị Ủy ban nhân dân phường Ba Đình xem xét, cấp Giấy xác "
                 "nhận tình trạng hôn nhân để tôi hoàn thiện hồ sơ đăng ký kết hôn theo quy định "
                 "của pháp luật.", f)
    pg.paragraph("Từ năm 2015 đến nay tôi thường trú liên tục tại địa chỉ nêu trên, không thay "
                 "đổi nơi cư trú. Trong thời gian đó, tôi chưa đăng ký kết hôn với bất kỳ ai, "
                 "chưa từng được cấp Giấy xác nhận tình trạng hôn nhân tại cơ quan nào khác và "
                 "không vi phạm các điều cấm của Luật Hôn nhân và gia đình.", f)
    pg.gap(3)
    pg.line("IV. QUÁ TRÌNH CƯ TRÚ", fb)
    pg.gap(1)
    pg.table([12, 38, 82, 28], [
        ["STT", "Thời gian", "Nơi cư trú", "Hình thức"],
        ["1", "03/1985 – 08/2003", "Xã Đông Hội, huyện Đông Anh, thành phố Hà Nội", "Thường trú"],
        ["2", "09/2003 – 12/2014", "Phường Dịch Vọng Hậu, quận Cầu Giấy, thành phố Hà Nội", "Tạm trú"],
        ["3", "01/2015 – nay", "Số 18, ngõ 42 phố Đội Cấn, phường Ba Đình, thành phố Hà Nội", "Thường trú"],
    ], f, fb, aligns=["c", "c", "l", "c"])
    pg.gap(3)
    pg.line("V. GIẤY TỜ KÈM THEO", fb)
    pg.gap(1)
    for s in ("1. Bản sao chứng thực thẻ Căn cước (01 bản);",
              "2. Bản sao Giấy khai sinh hoặc giấy tờ chứng minh nhân thân khác (01 bản);",
              "3. Bản cam kết về tình trạng hôn nhân trong thời gian cư trú tại các địa phương "
              "khác (01 bản);",
              "4. Giấy xác nhận thông tin về cư trú do Công an phường cấp (01 bản)."):
        pg.paragraph(s, f, indent_mm=0, x0=pg.left + pg.px(6), after_mm=0.6)
    pg.gap(3)
    pg.line("VI. HÌNH THỨC NHẬN KẾT QUẢ", fb)
    pg.gap(1)
    x = pg.checkbox(pg.left + pg.px(6), pg.y, f, True)
    pg.line("Nhận trực tiếp tại Bộ phận Một cửa phường Ba Đình", f, x=x)
    x = pg.checkbox(pg.left + pg.px(6), pg.y, f, False)
    pg.line("Nhận qua dịch vụ bưu chính công ích", f, x=x)
    x = pg.checkbox(pg.left + pg.px(6), pg.y, f, True)
    pg.line("Nhận bản điện tử qua Cổng Dịch vụ công quốc gia", f, x=x)
    pg.gap(4)
    pg.paragraph("Tôi xin cam đoan những thông tin khai trên đây là đúng sự thật, được khai trên "
                 "cơ sở tự nguyện và xin chịu hoàn toàn trách nhiệm trước pháp luật về nội dung "
                 "cam đoan của mình. Tôi đồng ý để cơ quan có thẩm quyền kiểm tra, xác minh thông "
                 "tin trong Cơ sở dữ liệu quốc gia về dân cư phục vụ việc giải quyết hồ sơ.", f)
    pg.footer("Trang 2/3")
    pages.append(pg)
    # page 3 -----------------------------------------------------------
    pg = Page(300, "bilevel", rng)
    f, fb, fi = body_fonts(pg)
    pg.gap(4)
    pg.paragraph("Trường hợp Giấy xác nhận tình trạng hôn nhân được sử dụng để đăng ký kết hôn, "
                 "Giấy xác nhận có giá trị sử dụng trong thời hạn 06 tháng kể từ ngày cấp và "
                 "chỉ được sử dụng để đăng ký kết hôn với người đã ghi trong Giấy xác nhận.", fi)
    pg.gap(8)
    cx = (pg.left + pg.right) // 2 + pg.px(38)
    pg.center("Hà Nội, ngày 24 tháng 11 năm 2025", fi, cx - pg.px(50), cx + pg.px(50))
    y = signature_block(pg, cx, pg.y, ["NGƯỜI LÀM ĐƠN"], "Nguyễn Văn An",
                        note="(Ký, ghi rõ họ tên)")
    pg.y = y + pg.px(14)
    box_top = pg.y
    pg.y += pg.px(4)
    x0, x1 = pg.left + pg.px(5), pg.right - pg.px(5)
    pg.center("PHẦN GHI CỦA BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ", fb)
    pg.gap(2)
    pg.field("Mã hồ sơ:", "000.00.01.H26-251124-0001", f, fb, x0=x0, x1=x1)
    pg.field("Ngày tiếp nhận:", "24/11/2025, lúc 09 giờ 15 phút", f, None, x0=x0, x1=x1)
    pg.field("Ngày hẹn trả kết quả:", "27/11/2025", f, None, x0=x0, x1=x1)
    pg.field("Số bộ hồ sơ:", "01 bộ, gồm 04 loại giấy tờ", f, None, x0=x0, x1=x1)
    cx = (pg.left + pg.right) // 2 + pg.px(38)
    y = signature_block(pg, cx, pg.y + pg.px(2), ["CÁN BỘ TIẾP NHẬN"], "Lê Thu Hà",
                        note="(Ký, ghi rõ họ tên)", sig_h_mm=18)
    pg.d.rectangle([pg.left, box_top, pg.right, y + pg.px(3)], outline=INK, width=pg.px(0.3))
    pg.footer("Trang 3/3")
    pages.append(pg)
    return pages


def id_card(pg: Page, x: int, y: int, front: bool) -> None:
    """A colour photocopy of one side of a chip-based identity card (100 %)."""
    rng = pg.rng
    w, h = pg.px(85.6), pg.px(53.98)
    card = Image.new("RGB", (w, h), (255, 255, 255))
    cd = ImageDraw.Draw(card)
    rad = pg.px(3.2)
    bg = (226, 236, 242) if front else (232, 238, 230)
    cd.rounded_rectangle([0, 0, w - 1, h - 1], rad, fill=bg, outline=(120, 130, 140), width=2)
    # guilloche background
    for k in range(14):
        pts = []
        amp = pg.px(2 + k % 4)
        ph = k * 0.7
        yb = h * (k + 1) / 15
        for i in range(0, w, 3):
            pts.append((i, yb + amp * math.sin(i / w * 6 * math.pi + ph)))
        cd.line(pts, fill=(200, 215, 228) if front else (205, 222, 205), width=1)
    cd.ellipse([w * 0.42, h * 0.18, w * 0.42 + h * 0.7, h * 0.88], fill=(236, 222, 218) if front else (226, 232, 214))
    cd.rounded_rectangle([0, 0, w - 1, h - 1], rad, outline=(120, 130, 140), width=2)

    def t(xy, s, style, pt, fill=INK, anchor="la"):
        cd.text(xy, nfc(s), font=pg.font(style, pt), fill=fill, anchor=anchor)

    if front:
        ex, ey, er = pg.px(8), pg.px(8), pg.px(5.2)
        cd.ellipse([ex - er, ey - er, ex + er, ey + er], fill=(205, 40, 40), outline=(200, 160, 40), width=3)
        cd.polygon(star_polygon(ex, ey, er * 0.7), fill=(250, 210, 50))
        cxh = (pg.px(14) + w - pg.px(16)) / 2
        hw = w - pg.px(30)
        cd.text((cxh, pg.px(3.0)), MOTTO_1, font=pg.fit_font("sans-bold", 5.6, MOTTO_1, hw), fill=INK, anchor="ma")
        t((cxh, pg.px(5.6)), "SOCIALIST REPUBLIC OF VIET NAM", "sans", 4.6, anchor="ma")
        t((cxh, pg.px(7.8)), MOTTO_2, "sans-bold", 5.2, anchor="ma")
        t((cxh, pg.px(10.0)), "Independence - Freedom - Happiness", "sans", 4.4, anchor="ma")
        t((cxh, pg.px(12.6)), "CĂN CƯỚC", "sans-bold", 9.5, fill=(190, 30, 40), anchor="ma")
        t((cxh, pg.px(16.6)), "IDENTITY CARD", "sans-bold", 5.6, fill=(40, 60, 120), anchor="ma")
        # photo
        px0, py0, pw, ph = pg.px(4), pg.px(20), pg.px(20), pg.px(26)
        cd.rectangle([px0, py0, px0 + pw, py0 + ph], fill=(196, 210, 226), outline=(110, 120, 130))
        hx = px0 + pw / 2
        cd.ellipse([hx - pw * 0.26, py0 + ph * 0.16, hx + pw * 0.26, py0 + ph * 0.58], fill=(120, 105, 95))
        cd.ellipse([hx - pw * 0.24, py0 + ph * 0.10, hx + pw * 0.24, py0 + ph * 0.34], fill=(40, 38, 40))
        cd.pieslice([hx - pw * 0.5, py0 + ph * 0.62, hx + pw * 0.5, py0 + ph * 1.38], 180, 360, fill=(45, 55, 75))
        # QR code top right
        qx, qy, m, n = w - pg.px(15), pg.px(2.5), max(2, pg.px(0.45)), 25
        for i in range(n):
            for j in range(n):
                finder = (i < 7 and j < 7) or (i < 7 and j >= n - 7) or (i >= n - 7 and j < 7)
                if finder:
                    ii, jj = i % (n - 7) if i >= 7 else i, j % (n - 7) if j >= 7 else j
                    on = ii in (0, 6) or jj in (0, 6) or (2 <= ii <= 4 and 2 <= jj <= 4)
                else:
                    on = rng.random() < 0.5
                if on:
                    cd.rectangle([qx + j * m, qy + i * m, qx + j * m + m - 1, qy + i * m + m - 1], fill=(20, 20, 25))
        fx = pg.px(27)
        t((fx, pg.px(20.5)), "Số định danh cá nhân / Personal identification number", "sans", 4.4)
        t((fx, pg.px(23.0)), "001085012345", "sans-bold", 9, fill=(170, 20, 30))
        t((fx, pg.px(28.0)), "Họ, chữ đệm và tên khai sinh / Surname, middle name and given name", "sans", 4.2)
        t((fx, pg.px(30.4)), "NGUYỄN VĂN AN", "sans-bold", 7.5)
        t((fx, pg.px(34.8)), "Ngày, tháng, năm sinh / Date of birth:", "sans", 4.4)
        t((fx + pg.px(31), pg.px(34.3)), "15/03/1985", "sans-bold", 6)
        t((fx, pg.px(38.6)), "Giới tính / Sex:", "sans", 4.4)
        t((fx + pg.px(13), pg.px(38.1)), "Nam", "sans-bold", 6)
        t((fx + pg.px(22), pg.px(38.6)), "Quốc tịch / Nationality:", "sans", 4.4)
        t((fx + pg.px(41), pg.px(38.1)), "Việt Nam", "sans-bold", 6)
    else:
        # chip
        cx0, cy0 = pg.px(5), pg.px(6)
        cd.rounded_rectangle([cx0, cy0, cx0 + pg.px(11), cy0 + pg.px(9)], pg.px(1.2), fill=(212, 178, 92), outline=(150, 120, 50), width=2)
        for k in range(1, 3):
            cd.line([(cx0 + pg.px(11) * k / 3, cy0), (cx0 + pg.px(11) * k / 3, cy0 + pg.px(9))], fill=(150, 120, 50), width=2)
        cd.line([(cx0, cy0 + pg.px(4.5)), (cx0 + pg.px(11), cy0 + pg.px(4.5))], fill=(150, 120, 50), width=2)
        fx = pg.px(20)
        t((fx, pg.px(3.2)), "Nơi cư trú / Place of residence:", "sans", 4.4)
        t((fx, pg.px(5.6)), "Số 18, ngõ 42 phố Đội Cấn, phường Ba Đình,", "sans-bold", 5.4)
        t((fx, pg.px(8.2)), "thành phố Hà Nội", "sans-bold", 5.4)
        t((fx, pg.px(11.6)), "Nơi đăng ký khai sinh / Place of birth:", "sans", 4.4)
        t((fx, pg.px(14.0)), "Xã Đông Hội, huyện Đông Anh, thành phố Hà Nội", "sans-bold", 5.4)
        t((fx, pg.px(17.6)), "Ngày, tháng, năm cấp / Date of issue:", "sans", 4.4)
        t((fx + pg.px(33), pg.px(17.2)), "02/04/2025", "sans-bold", 5.6)
        t((fx, pg.px(20.8)), "Ngày, tháng, năm hết hạn / Date of expiry:", "sans", 4.4)
        t((fx + pg.px(37), pg.px(20.4)), "15/03/2045", "sans-bold", 5.6)
        t((pg.px(11), pg.px(17.5)), "BỘ CÔNG AN", "sans-bold", 5, anchor="ma")
        t((pg.px(11), pg.px(19.8)), "MINISTRY OF", "sans", 4, anchor="ma")
        t((pg.px(11), pg.px(21.6)), "PUBLIC SECURITY", "sans", 4, anchor="ma")
        # machine readable zone
        cd.rectangle([pg.px(1.5), pg.px(33), w - pg.px(1.5), h - pg.px(2)], fill=(246, 247, 244))
        mrz = ["IDVNM0850123451001085012345<<8",
               "8503157M4503150VNM<<<<<<<<<<<6",
               "NGUYEN<<VAN<AN"]
        mf = pg.font("mono", 8.2)
        for i, s in enumerate(mrz):
            cd.text((w / 2, pg.px(35 + i * 5.4)), s.ljust(30, "<"), font=mf, fill=(25, 25, 30), anchor="ma")
    # photocopy: slightly washed out
    card = Image.blend(card, Image.new("RGB", (w, h), (255, 255, 255)), 0.12)
    mask = Image.new("L", (w, h), 0)
    ImageDraw.Draw(mask).rounded_rectangle([0, 0, w - 1, h - 1], rad, fill=255)
    pg.img.paste(card, (x, y), mask)


def can_cuoc_cong_dan(rng: random.Random):
    """Colour scan of a certified copy of an identity card (200 dpi JPEG)."""
    pg = Page(200, "rgb", rng)
    cw = pg.px(85.6)
    x = (pg.w - cw) // 2
    id_card(pg, x, pg.px(24), True)
    id_card(pg, x, pg.px(24 + 54 + 10), False)
    # certification stamp block (purple rubber stamp + red seal + blue signature)
    bx0, by0 = pg.px(16), pg.px(160)
    bx1 = bx0 + pg.px(90)
    inner = bx1 - bx0 - pg.px(6)
    pg.y = by0 + pg.px(3)
    head = "CHỨNG THỰC BẢN SAO ĐÚNG VỚI BẢN CHÍNH"
    num = "Số chứng thực: 2468   Quyển số: 04/2025-SCT/BS"
    pg.center(head, pg.fit_font("serif-bold", 11, head, inner), bx0, bx1, fill=STAMP_PURPLE)
    pg.center(num, pg.fit_font("serif", 10.5, num, inner), bx0, bx1, fill=STAMP_PURPLE)
    pg.center("Ngày 21 tháng 11 năm 2025", pg.font("serif-italic", 10.5), bx0, bx1, fill=STAMP_PURPLE)
    pg.d.rectangle([bx0, by0, bx1, pg.y + pg.px(1)], outline=STAMP_PURPLE, width=pg.px(0.5))
    cx = pg.w - pg.px(50)
    c0, c1 = cx - pg.px(34), cx + pg.px(34)
    rf = pg.font("serif-bold", 11)
    pg.y = by0 + pg.px(2)
    for s_ in ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"):
        pg.center(s_, rf, c0, c1, fill=STAMP_PURPLE)
    top = pg.y + pg.px(2)
    draw_signature(pg, cx - pg.px(14), top, pg.px(32), pg.px(16), BLUE_INK)
    draw_stamp(pg, cx - pg.px(17), top + pg.px(11), "ỦY BAN NHÂN DÂN PHƯỜNG BA ĐÌNH ★ TP. HÀ NỘI ★",
               (), True, color=STAMP_RED)
    pg.y = top + pg.px(25)
    pg.center("Lê Minh Quân", rf, c0, c1, fill=STAMP_PURPLE)
    # a small handwritten note in blue, as a clerk would write it
    pg.text((pg.left + pg.px(8), pg.px(222)), "Đã đối chiếu bản chính – 21/11/2025",
            pg.font("sans-oblique", 10), fill=BLUE_INK)
    return [pg]


def ornamental_border(pg: Page, inset_mm: float = 10) -> None:
    a = pg.px(inset_mm)
    b = a + pg.px(1.6)
    w1, w2 = max(2, pg.px(0.7)), max(1, pg.px(0.25))
    pg.d.rectangle([a, a, pg.w - a, pg.h - a], outline=INK, width=w1)
    pg.d.rectangle([b, b, pg.w - b, pg.h - b], outline=INK, width=w2)
    step = pg.px(6)
    r = pg.px(1.1)
    for x in range(b + step, pg.w - b - step // 2, step):
        for yy in (a - pg.px(2.6), pg.h - a + pg.px(2.6)):
            pg.d.regular_polygon((x, yy, r), 4, outline=INK, width=w2)
    for yy in range(b + step, pg.h - b - step // 2, step):
        for x in (a - pg.px(2.6), pg.w - a + pg.px(2.6)):
            pg.d.regular_polygon((x, yy, r), 4, outline=INK, width=w2)


def giay_khai_sinh(rng: random.Random):
    """Birth certificate extract (grayscale 8-bit PNG, 200 dpi)."""
    pg = Page(200, "gray", rng, margins_mm=(24, 20, 20, 18))
    ornamental_border(pg)
    f, fb, fi = body_fonts(pg, 12)
    national_header(pg, agency=["ỦY BAN NHÂN DÂN", "PHƯỜNG BA ĐÌNH"], number="Số: 214/2025/BS-KS")
    pg.gap(3)
    pg.center("GIẤY KHAI SINH", pg.font("serif-bold", 20))
    pg.center("(BẢN SAO)", pg.font("serif-bold", 12))
    pg.gap(5)
    fv = pg.font("serif-bold", 12)
    mid = pg.left + (pg.right - pg.left) * 11 // 20
    pg.field("Họ, chữ đệm, tên:", "NGUYỄN MINH KHANG", f, fv)
    pg.field("Ngày, tháng, năm sinh:", "02/10/2025", f, fv, x1=mid, advance=False)
    pg.field("Giới tính:", "Nam", f, fv, x0=mid + pg.px(3))
    pg.field("Ghi bằng chữ:", "Ngày hai, tháng mười, năm hai nghìn không trăm hai mươi lăm", f, fv)
    pg.field("Nơi sinh:", "Bệnh viện Phụ sản Hà Nội, thành phố Hà Nội", f, fv)
    pg.field("Dân tộc:", "Kinh", f, fv, x1=mid, advance=False)
    pg.field("Quốc tịch:", "Việt Nam", f, fv, x0=mid + pg.px(3))
    pg.field("Quê quán:", "Xã Đông Hội, huyện Đông Anh, thành phố Hà Nội", f, fv)
    pg.field("Số định danh cá nhân:", "001225009876", f, fv)
    pg.gap(3)
    pg.field("Họ, chữ đệm, tên người mẹ:", "PHẠM THỊ HỒNG NHUNG", f, fv)
    pg.field("Năm sinh:", "1990", f, fv, x1=mid, advance=False)
    pg.field("Dân tộc:", "Kinh", f, fv, x0=mid + pg.px(3))
    pg.field("Nơi cư trú:", "Số 18, ngõ 42 phố Đội Cấn, phường Ba Đình, thành phố Hà Nội", f, fv)
    pg.gap(2)
    pg.field("Họ, chữ đệm, tên người cha:", "NGUYỄN VĂN AN", f, fv)
    pg.field("Năm sinh:", "1985", f, fv, x1=mid, advance=False)
    pg.field("Dân tộc:", "Kinh", f, fv, x0=mid + pg.px(3))
    pg.field("Nơi cư trú:", "Số 18, ngõ 42 phố Đội Cấn, phường Ba Đình, thành phố Hà Nội", f, fv)
    pg.gap(2)
    pg.field("Người đi khai sinh:", "Nguyễn Văn An", f, fv, x1=mid, advance=False)
    pg.field("Quan hệ:", "Cha", f, fv, x0=mid + pg.px(3))
    pg.field("Nơi đăng ký khai sinh:", "Ủy ban nhân dân phường Ba Đình, thành phố Hà Nội", f, fv)
    pg.field("Ngày, tháng, năm đăng ký:", "20/10/2025", f, fv)
    pg.gap(3)
    pg.paragraph("Sao từ Sổ đăng ký khai sinh số 05/2025, quyển số 02, trang 37. Bản sao có giá "
                 "trị sử dụng thay cho bản chính trong các giao dịch, trừ trường hợp pháp luật có "
                 "quy định khác.", fi)
    pg.gap(4)
    cx = (pg.left + pg.right) // 2 + pg.px(35)
    pg.center("Hà Nội, ngày 20 tháng 10 năm 2025", fi, cx - pg.px(48), cx + pg.px(48))
    signature_block(pg, cx, pg.y, ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
                    "Hoàng Thị Mai",
                    stamp=("ỦY BAN NHÂN DÂN PHƯỜNG BA ĐÌNH ★ TP. HÀ NỘI ★", (), True, STAMP_RED))
    return [pg]


def booklet(pg: Page, x_mm: float, y_mm: float, w_mm: float, h_mm: float) -> None:
    """An open household booklet lying on the scanner glass: darker paper,
    a printed frame, a gutter shadow on the spine side and a drop shadow."""
    x0, y0 = pg.px(x_mm), pg.px(y_mm)
    x1, y1 = x0 + pg.px(w_mm), y0 + pg.px(h_mm)
    sh = pg.px(2.2)
    for i in range(sh, 0, -1):  # drop shadow right and bottom
        v = 255 - round(60 * (1 - i / sh) ** 1.5)
        pg.d.rectangle([x0 + i, y0 + i, x1 + i, y1 + i], outline=(v, v, v), width=1)
    pg.d.rectangle([x0, y0, x1, y1], fill=(240, 236, 226))
    gut = pg.px(9)
    for i in range(gut):  # spine gutter on the left
        u = 1 - i / gut
        v = round(240 - 70 * u * u)
        pg.d.line([(x0 + i, y0), (x0 + i, y1)], fill=(v, v - 2, v - 8))
    m = pg.px(6)
    pg.d.rectangle([x0 + m + gut // 2, y0 + m, x1 - m, y1 - m], outline=(70, 70, 75), width=max(1, pg.px(0.3)))
    pg.set_frame(x0 + m + gut // 2 + pg.px(5), y0 + m + pg.px(5), x1 - m - pg.px(5), y1 - m - pg.px(5))


def so_ho_khau(rng: random.Random):
    """Household registration booklet, two pages as a folder document
    (grayscale PNG, 200 dpi)."""
    pages = []
    # page 1: cover page of the booklet -------------------------------------
    pg = Page(200, "gray", rng)
    booklet(pg, 14, 12, 128, 182)
    f, fb, fi = body_fonts(pg, 10)
    pg.center(MOTTO_1, pg.fit_font("serif-bold", 10, MOTTO_1, pg.right - pg.left))
    pg.center(MOTTO_2, pg.font("serif-bold", 10), underline=1.0)
    pg.gap(12)
    pg.center("SỔ HỘ KHẨU", pg.font("serif-bold", 22))
    pg.gap(3)
    pg.center("Số: 790123456", pg.font("serif-bold", 12))
    pg.gap(10)
    fv = pg.font("serif-bold", 10.5)
    pg.field("Họ và tên chủ hộ:", "TRẦN THỊ BÌNH", f, fv)
    pg.field("Chỗ ở hiện nay:", "123/4 đường Nguyễn Trãi, phường Bến Thành, quận 1, Thành phố Hồ Chí Minh", f, fv)
    pg.field("Sổ đăng ký thường trú số:", "12, tờ số 45", f, fv)
    pg.gap(8)
    cx = (pg.left + pg.right) // 2 + pg.px(18)
    pg.center("Ngày 14 tháng 8 năm 2015", fi, cx - pg.px(40), cx + pg.px(40))
    signature_block(pg, cx, pg.y, ["TRƯỞNG CÔNG AN QUẬN 1"], "Nguyễn Văn Thành",
                    stamp=("CÔNG AN QUẬN 1 ★ THÀNH PHỐ HỒ CHÍ MINH ★", (), True, STAMP_RED))
    pages.append(pg)
    # page 2: a household member ------------------------------------------
    pg = Page(200, "gray", rng)
    booklet(pg, 16, 14, 128, 182)
    f, fb, fi = body_fonts(pg, 10)
    fv = pg.font("sans-oblique", 10)
    pg.center("NHÂN KHẨU", pg.font("serif-bold", 14))
    pg.gap(4)
    mid = pg.left + (pg.right - pg.left) * 11 // 20
    pg.field("Họ và tên:", "Lê Văn Cường", f, fv)
    pg.field("Họ và tên gọi khác (nếu có):", "Không", f, fv)
    pg.field("Quan hệ với chủ hộ:", "Chồng", f, fv)
    pg.field("Sinh ngày:", "20/05/1987", f, fv, x1=mid, advance=False)
    pg.field("Giới tính:", "Nam", f, fv, x0=mid + pg.px(2))
    pg.field("Nơi sinh:", "Tỉnh Long An", f, fv)
    pg.field("Nguyên quán:", "Xã Mỹ Hạnh Nam, huyện Đức Hòa, tỉnh Long An", f, fv)
    pg.field("Dân tộc:", "Kinh", f, fv, x1=mid, advance=False)
    pg.field("Tôn giáo:", "Không", f, fv, x0=mid + pg.px(2))
    pg.field("CMND số:", "301234567", f, fv)
    pg.field("Nghề nghiệp, nơi làm việc:", "Kỹ sư xây dựng, Công ty Cổ phần Xây dựng Phú Thọ Hòa", f, fv)
    pg.field("Nơi thường trú trước khi chuyển đến:", "Xã Mỹ Hạnh Nam, huyện Đức Hòa, tỉnh Long An", f, fv)
    pg.gap(4)
    x0 = pg.left
    pg.field("Ngày chuyển đến:", "10/09/2016", f, fv)
    pg.field("Cán bộ đăng ký:", "Lâm Thanh Tú", f, fv)
    pg.gap(4)
    cx = (pg.left + pg.right) // 2 + pg.px(18)
    signature_block(pg, cx, pg.y, ["TRƯỞNG CÔNG AN QUẬN 1"], "Nguyễn Văn Thành",
                    note="(Ký, ghi rõ họ tên, đóng dấu)",
                    stamp=("CÔNG AN QUẬN 1 ★ THÀNH PHỐ HỒ CHÍ MINH ★", (), True, STAMP_RED))
    pages.append(pg)
    return pages


def xac_nhan_cu_tru(rng: random.Random):
    """Residence confirmation, form CT07 (grayscale progressive JPEG, 300 dpi)."""
    pg = Page(300, "gray", rng)
    f, fb, fi = body_fonts(pg, 12)
    pg.text((pg.right, pg.top - pg.px(8)), "Mẫu CT07 ban hành kèm theo Thông tư số 66/2023/TT-BCA",
            pg.font("serif-italic", 9), anchor="ra")
    national_header(pg, agency=["CÔNG AN TP. HỒ CHÍ MINH", "CÔNG AN PHƯỜNG BẾN THÀNH"],
                    number="Số: 2317/XN-CAP",
                    place_date="TP. Hồ Chí Minh, ngày 21 tháng 11 năm 2025")
    pg.gap(2)
    pg.center("XÁC NHẬN THÔNG TIN VỀ CƯ TRÚ", pg.font("serif-bold", 15))
    pg.gap(5)
    pg.paragraph("Công an phường Bến Thành, Thành phố Hồ Chí Minh xác nhận thông tin về cư trú "
                 "của công dân như sau:", f)
    mid = pg.left + (pg.right - pg.left) * 11 // 20
    fv = pg.font("serif-bold", 12)
    pg.field("1. Họ, chữ đệm và tên:", "TRẦN THỊ BÌNH", f, fv)
    pg.field("2. Ngày, tháng, năm sinh:", "12/06/1990", f, fv, x1=mid, advance=False)
    pg.field("3. Giới tính:", "Nữ", f, fv, x0=mid + pg.px(3))
    pg.field("4. Số định danh cá nhân:", "079190004567", f, fv)
    pg.field("5. Dân tộc:", "Kinh", f, fv, x1=mid, advance=False)
    pg.field("6. Tôn giáo:", "Không", f, fv, x0=mid + pg.px(3))
    pg.field("7. Quốc tịch:", "Việt Nam", f, fv)
    pg.field("8. Quê quán:", "Xã Tân Phú Trung, huyện Củ Chi, Thành phố Hồ Chí Minh", f, fv)
    pg.field("9. Nơi thường trú:", "123/4 đường Nguyễn Trãi, phường Bến Thành, Thành phố Hồ Chí Minh", f, fv)
    pg.field("10. Nơi tạm trú:", "Không", f, fv)
    pg.field("11. Nơi ở hiện tại:", "123/4 đường Nguyễn Trãi, phường Bến Thành, Thành phố Hồ Chí Minh", f, fv)
    pg.field("12. Họ, chữ đệm và tên chủ hộ:", "TRẦN THỊ BÌNH", f, fv, x1=mid + pg.px(20), advance=False)
    pg.field("Quan hệ:", "Chủ hộ", f, fv, x0=mid + pg.px(23))
    pg.line("13. Thông tin các thành viên khác trong hộ gia đình:", f)
    pg.gap(1)
    sf = pg.font("serif", 11)
    pg.table([10, 50, 28, 18, 38, 18], [
        ["STT", "Họ, chữ đệm và tên", "Ngày sinh", "Giới tính", "Số định danh cá nhân", "Quan hệ với chủ hộ"],
        ["1", "Lê Văn Cường", "20/05/1987", "Nam", "080087003214", "Chồng"],
        ["2", "Lê Gia Hân", "03/02/2016", "Nữ", "079316007788", "Con"],
        ["3", "Lê Minh Đức", "17/08/2019", "Nam", "079219011235", "Con"],
    ], sf, pg.font("serif-bold", 11), aligns=["c", "l", "c", "c", "c", "c"])
    pg.gap(2)
    pg.paragraph("Giấy xác nhận này có giá trị 30 ngày kể từ ngày cấp, được cấp theo đề nghị của "
                 "công dân để bổ sung hồ sơ thủ tục hành chính tại Trung tâm Phục vụ hành chính công.", fi)
    pg.gap(3)
    cx = (pg.left + pg.right) // 2 + pg.px(40)
    signature_block(pg, cx, pg.y, ["TRƯỞNG CÔNG AN PHƯỜNG"], "Thượng tá Nguyễn Hữu Phước",
                    note="(Ký, ghi rõ họ tên, đóng dấu)",
                    stamp=("CÔNG AN PHƯỜNG BẾN THÀNH ★ TP. HỒ CHÍ MINH ★", (), True, STAMP_RED))
    pg.text((pg.left, pg.bottom - pg.px(8)), "Nơi nhận:", pg.font("serif-bolditalic", 10))
    pg.text((pg.left, pg.bottom - pg.px(3.5)), "- Công dân;  - Lưu: hồ sơ cư trú.", pg.font("serif", 10))
    return [pg]


def giay_phep_kinh_doanh(rng: random.Random):
    """Business registration certificate, 2 pages (bilevel G4, 200 dpi)."""
    pages = []
    pg = Page(200, "bilevel", rng)
    f, fb, fi = body_fonts(pg, 12)
    national_header(pg, agency=["SỞ TÀI CHÍNH", "THÀNH PHỐ HỒ CHÍ MINH", "PHÒNG ĐĂNG KÝ KINH DOANH"])
    pg.gap(2)
    pg.center("GIẤY CHỨNG NHẬN ĐĂNG KÝ DOANH NGHIỆP", pg.font("serif-bold", 15))
    pg.center("CÔNG TY TRÁCH NHIỆM HỮU HẠN HAI THÀNH VIÊN TRỞ LÊN", pg.font("serif-bold", 12))
    pg.gap(3)
    pg.center("Mã số doanh nghiệp: 0314409058", pg.font("serif-bold", 13))
    pg.center("Đăng ký lần đầu: ngày 05 tháng 06 năm 2017", f)
    pg.center("Đăng ký thay đổi lần thứ: 3, ngày 12 tháng 09 năm 2025", f)
    pg.gap(5)
    pg.line("1. Tên công ty", fb)
    pg.field("Tên công ty viết bằng tiếng Việt:", "CÔNG TY TNHH THƯƠNG MẠI VÀ DỊCH VỤ SAO MAI PHƯƠNG NAM", f, fb, leader=False)
    pg.field("Tên công ty viết bằng tiếng nước ngoài:", "PHUONG NAM SAO MAI TRADING AND SERVICES COMPANY LIMITED", f, None, leader=False)
    pg.field("Tên công ty viết tắt:", "SAO MAI PN CO., LTD", f, None, leader=False)
    pg.gap(2)
    pg.line("2. Địa chỉ trụ sở chính", fb)
    pg.paragraph("Số 256 đường Nguyễn Thị Minh Khai, phường Xuân Hòa, Thành phố Hồ Chí Minh, Việt Nam", f, indent_mm=0, justify=False)
    pg.field("Điện thoại:", "028 3930 1234", f, None, leader=False, x1=pg.left + pg.px(70), advance=False)
    pg.field("Email:", "lienhe@saomaipn.example.vn", f, None, leader=False, x0=pg.left + pg.px(70))
    pg.gap(2)
    pg.line("3. Vốn điều lệ", fb)
    pg.field("Vốn điều lệ:", "5.000.000.000 đồng", f, fb, leader=False)
    pg.field("Bằng chữ:", "Năm tỷ đồng", f, None, leader=False)
    pg.gap(2)
    pg.line("4. Ngành, nghề kinh doanh chính", fb)
    pg.gap(1)
    pg.table([18, 112, 30], [
        ["STT", "Tên ngành", "Mã ngành"],
        ["1", "Bán buôn thực phẩm (chi tiết: bán buôn cà phê, chè, gạo)", "4632"],
        ["2", "Bán buôn đồ dùng khác cho gia đình", "4649"],
        ["3", "Kho bãi và lưu giữ hàng hóa", "5210"],
        ["4", "Hoạt động dịch vụ hỗ trợ kinh doanh khác còn lại chưa được phân vào đâu", "8299"],
    ], f, fb, aligns=["c", "l", "c"])
    pg.footer("Trang 1/2")
    pages.append(pg)

    pg = Page(200, "bilevel", rng)
    f, fb, fi = body_fonts(pg, 12)
    pg.gap(2)
    pg.line("5. Danh sách thành viên góp vốn", fb)
    pg.gap(1)
    sf, sfb = pg.font("serif", 10.5), pg.font("serif-bold", 10.5)
    pg.table([10, 40, 52, 32, 26], [
        ["STT", "Tên thành viên", "Số định danh cá nhân / Mã số doanh nghiệp", "Phần vốn góp (VNĐ)", "Tỷ lệ (%)"],
        ["1", "PHẠM QUỐC HÙNG", "079078001122", "3.000.000.000", "60,00"],
        ["2", "VÕ THỊ LAN", "079183004455", "2.000.000.000", "40,00"],
    ], sf, sfb, aligns=["c", "l", "c", "r", "r"])
    pg.gap(3)
    pg.line("6. Người đại diện theo pháp luật của công ty", fb)
    mid = pg.left + (pg.right - pg.left) * 11 // 20
    pg.field("Họ và tên:", "PHẠM QUỐC HÙNG", f, fb, x1=mid, advance=False, leader=False)
    pg.field("Giới tính:", "Nam", f, None, x0=mid + pg.px(3), leader=False)
    pg.field("Chức danh:", "Giám đốc", f, None, leader=False)
    pg.field("Sinh ngày:", "08/08/1978", f, None, x1=mid, advance=False, leader=False)
    pg.field("Dân tộc:", "Kinh", f, None, x0=mid + pg.px(3), leader=False)
    pg.field("Quốc tịch:", "Việt Nam", f, None, leader=False)
    pg.field("Số định danh cá nhân:", "079078001122", f, None, leader=False)
    pg.field("Địa chỉ liên lạc:", "Số 45 đường Trần Quang Khải, phường Tân Định, Thành phố Hồ Chí Minh", f, None, leader=False)
    pg.gap(6)
    cx = (pg.left + pg.right) // 2 + pg.px(38)
    signature_block(pg, cx, pg.y, ["TRƯỞNG PHÒNG"], "Đặng Minh Tuấn",
                    stamp=("PHÒNG ĐĂNG KÝ KINH DOANH ★ SỞ TÀI CHÍNH TP. HỒ CHÍ MINH ★", (), True, STAMP_RED))
    pg.footer("Trang 2/2")
    pages.append(pg)
    return pages


def vnd(n: int) -> str:
    if n == 0:
        return "-"
    s = f"{abs(n):,}".replace(",", ".")
    return f"({s})" if n < 0 else s


def bao_cao_tai_chinh(rng: random.Random):
    """Statement of financial position (colour RGB PNG, 200 dpi)."""
    pg = Page(200, "rgb", rng, margins_mm=(25, 16, 15, 15))
    f = pg.font("serif", 10)
    fb = pg.font("serif-bold", 10)
    fi = pg.font("serif-italic", 10)
    y0 = pg.y
    lx1 = pg.left + pg.px(95)
    for s, ft in (("CÔNG TY TNHH THƯƠNG MẠI VÀ DỊCH VỤ", fb), ("SAO MAI PHƯƠNG NAM", fb),
                  ("Mã số thuế: 0314409058", f),
                  ("Địa chỉ: Số 256 Nguyễn Thị Minh Khai, P. Xuân Hòa, TP. HCM", f)):
        pg.line(s, ft, spacing=1.35)
    pg.y, left_end = y0, pg.y
    for s, ft in (("Mẫu số B01a - DNN", fb),
                  ("(Ban hành theo Thông tư số 133/2016/TT-BTC", fi),
                  ("ngày 26/8/2016 của Bộ Tài chính)", fi)):
        pg.center(s, ft, lx1, pg.right, spacing=1.35)
    pg.y = max(left_end, pg.y) + pg.px(6)
    pg.center("BÁO CÁO TÌNH HÌNH TÀI CHÍNH", pg.font("serif-bold", 15))
    pg.center("Tại ngày 31 tháng 12 năm 2024", pg.font("serif-italic", 11))
    pg.text((pg.right, pg.y + pg.px(1)), "Đơn vị tính: Đồng Việt Nam", fi, anchor="ra")
    pg.gap(6)

    assets = [
        ("I. Tiền và các khoản tương đương tiền", "110", 1_248_560_000, 986_420_500),
        ("II. Đầu tư tài chính", "120", 500_000_000, 0),
        ("III. Các khoản phải thu", "130", 2_316_780_400, 1_874_300_000),
        ("    1. Phải thu của khách hàng", "131", 2_105_480_400, 1_690_100_000),
        ("    2. Trả trước cho người bán", "132", 211_300_000, 184_200_000),
        ("IV. Hàng tồn kho", "140", 3_452_900_750, 3_120_640_300),
        ("V. Tài sản cố định", "150", 1_867_250_000, 2_045_800_000),
        ("    - Nguyên giá", "151", 3_250_000_000, 3_250_000_000),
        ("    - Giá trị hao mòn lũy kế (*)", "152", -1_382_750_000, -1_204_200_000),
        ("VI. Tài sản khác", "180", 145_320_000, 98_760_000),
    ]
    tops = [a for a in assets if not a[0].startswith(" ")]
    total_assets = [sum(a[2] for a in tops), sum(a[3] for a in tops)]
    liab = [
        ("    1. Phải trả người bán", "311", 2_130_450_300, 1_905_600_000),
        ("    2. Thuế và các khoản phải nộp Nhà nước", "313", 312_640_850, 268_300_000),
        ("    3. Vay và nợ thuê tài chính", "320", 1_500_000_000, 1_200_000_000),
    ]
    total_liab = [sum(a[2] for a in liab), sum(a[3] for a in liab)]
    capital = (5_000_000_000, 4_000_000_000)
    retained = [total_assets[i] - total_liab[i] - capital[i] for i in range(2)]
    assert all(v > 0 for v in retained), retained
    equity = [capital[i] + retained[i] for i in range(2)]

    rows = [["CHỈ TIÊU", "Mã số", "Thuyết minh", "Số cuối năm", "Số đầu năm"]]
    fills, bolds = {}, set()
    section = (232, 236, 240)
    total = (252, 243, 205)

    def add(label, code, a, b, note="", fill=None, bold=False):
        rows.append([label, code, note, vnd(a), vnd(b)])
        if fill:
            fills[len(rows) - 1] = fill
        if bold:
            bolds.add(len(rows) - 1)

    rows.append(["TÀI SẢN", "", "", "", ""])
    fills[1] = section
    bolds.add(1)
    for label, code, a, b in assets:
        add(label.replace("    ", "   "), code, a, b, note="V.0" + code[1] if code.endswith("0") else "",
            bold=not label.startswith(" "))
    add("TỔNG CỘNG TÀI SẢN", "200", *total_assets, fill=total, bold=True)
    rows.append(["NGUỒN VỐN", "", "", "", ""])
    fills[len(rows) - 1] = section
    bolds.add(len(rows) - 1)
    add("I. Nợ phải trả", "300", *total_liab, bold=True)
    for label, code, a, b in liab:
        add(label.replace("    ", "   "), code, a, b)
    add("II. Vốn chủ sở hữu", "400", *equity, bold=True)
    add("   1. Vốn góp của chủ sở hữu", "411", *capital)
    add("   2. Lợi nhuận sau thuế chưa phân phối", "417", *retained)
    add("TỔNG CỘNG NGUỒN VỐN", "500", total_liab[0] + equity[0],
        total_liab[1] + equity[1], fill=total, bold=True)
    assert total_liab[0] + equity[0] == total_assets[0]

    pg.table([76, 15, 17, 31, 31], rows, f, fb, header_fill=(176, 206, 235),
             aligns=["l", "c", "c", "r", "r"], fill_by_row=fills, bold_rows=bolds, pad_mm=1.0,
             spacing=1.25)
    pg.text((pg.left, pg.y), "(*) Số liệu được ghi âm dưới hình thức ghi trong ngoặc đơn (...).", fi)
    pg.gap(8)
    cx3 = pg.right - pg.px(30)
    pg.center("Lập, ngày 28 tháng 03 năm 2025", fi, cx3 - pg.px(40), cx3 + pg.px(40))
    y = pg.y
    cols = [(pg.left + pg.px(25), "NGƯỜI LẬP BIỂU", "Nguyễn Thị Thu Trang", None),
            ((pg.left + pg.right) // 2 - pg.px(5), "KẾ TOÁN TRƯỞNG", "Bùi Văn Long", None),
            (cx3, "GIÁM ĐỐC", "Phạm Quốc Hùng",
             ("MSDN: 0314409058 ★ TP. HỒ CHÍ MINH ★", ("CÔNG TY TNHH", "SAO MAI", "PHƯƠNG NAM"), False, STAMP_RED))]
    for cx, role, name, st in cols:
        pg.y = y
        pg.center(role, fb, cx - pg.px(30), cx + pg.px(30))
        pg.center("(Ký, họ tên" + (", đóng dấu)" if st else ")"), fi, cx - pg.px(30), cx + pg.px(30))
        top = pg.y + pg.px(2)
        draw_signature(pg, cx - pg.px(14), top, pg.px(30), pg.px(15), BLUE_INK)
        if st:
            draw_stamp(pg, cx - pg.px(15), top + pg.px(7), st[0], st[1], st[2], diameter_mm=34, color=st[3])
        pg.y = top + pg.px(22)
        pg.center(name, fb, cx - pg.px(30), cx + pg.px(30))
    return [pg]


# ---------------------------------------------------------------------------
# Inbox layout


DOCUMENTS = [
    dict(owner="001085012345", case="000.00.01.H26-251124-0001", name="don-de-nghi",
         fmt="tiff-g4", dpi=300, build=don_de_nghi, documentType="application-form",
         title="Đơn đề nghị cấp Giấy xác nhận tình trạng hôn nhân", issueDate="2025-11-24"),
    dict(owner="001085012345", case="000.00.01.H26-251124-0001", name="can-cuoc-cong-dan",
         fmt="jpeg", dpi=200, build=can_cuoc_cong_dan, documentType="identity-card",
         title="Thẻ Căn cước (bản sao chứng thực)", issueDate="2025-04-02"),
    dict(owner="001085012345", case="000.00.01.H26-251124-0002", name="giay-khai-sinh",
         fmt="png", dpi=200, build=giay_khai_sinh, documentType="birth-certificate",
         title="Giấy khai sinh (bản sao) của Nguyễn Minh Khang", issueDate="2025-10-20"),
    dict(owner="079190004567", case="000.00.02.H29-251123-0015", name="so-ho-khau",
         fmt="png-folder", dpi=200, build=so_ho_khau, documentType="household-registration-book",
         title="Sổ hộ khẩu hộ bà Trần Thị Bình", issueDate="2015-08-14"),
    dict(owner="079190004567", case="000.00.02.H29-251123-0015", name="xac-nhan-cu-tru",
         fmt="jpeg-progressive", dpi=300, build=xac_nhan_cu_tru, documentType="residence-confirmation",
         title="Xác nhận thông tin về cư trú", issueDate="2025-11-21"),
    dict(owner="0314409058", case="000.00.03.H29-251120-0007", name="giay-phep-kinh-doanh",
         fmt="tiff-g4", dpi=200, build=giay_phep_kinh_doanh,
         documentType="business-registration-certificate",
         title="Giấy chứng nhận đăng ký doanh nghiệp Công ty TNHH Thương mại và Dịch vụ Sao Mai Phương Nam",
         issueDate="2025-09-12"),
    dict(owner="0314409058", case="000.00.03.H29-251120-0007", name="bao-cao-tai-chinh",
         fmt="png", dpi=200, build=bao_cao_tai_chinh, documentType="financial-statement",
         title="Báo cáo tình hình tài chính năm 2024", issueDate="2025-03-28"),
]


class SkewPicker:
    """Per-page skew angles, 0.3°-1.5° either way, never repeated."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[float] = set()

    def __call__(self) -> float:
        while True:
            a = round(self.rng.uniform(0.3, 1.5), 2)
            if a not in self.used:
                self.used.add(a)
                return a if self.rng.random() < 0.5 else -a


def save_document(doc: dict, pages: list[Image.Image], dest: Path) -> list[Path]:
    dpi = (doc["dpi"], doc["dpi"])
    fmt = doc["fmt"]
    if fmt == "tiff-g4":
        path = dest / f"{doc['name']}.tif"
        pages[0].save(path, format="TIFF", compression="group4", dpi=dpi, save_all=True,
                      append_images=pages[1:],
                      tiffinfo={262: 0},          # PhotometricInterpretation MinIsWhite
                      strip_size=2 ** 31 - 1)     # one strip per page
        return [path]
    if fmt in ("jpeg", "jpeg-progressive"):
        (page,) = pages
        path = dest / f"{doc['name']}.jpg"
        progressive = fmt == "jpeg-progressive"
        page.save(path, format="JPEG", quality=80 if progressive else 85, dpi=dpi,
                  optimize=True, progressive=progressive)
        return [path]
    if fmt == "png":
        (page,) = pages
        path = dest / f"{doc['name']}.png"
        page.save(path, format="PNG", dpi=dpi, optimize=True)
        return [path]
    if fmt == "png-folder":
        folder = dest / doc["name"]
        folder.mkdir()
        out = []
        for i, page in enumerate(pages, 1):
            p = folder / f"page-{i:03d}.png"
            page.save(p, format="PNG", dpi=dpi, optimize=True)
            out.append(p)
        ready = folder / ".ready"
        ready.write_bytes(b"")   # written last: the folder is complete
        out.append(ready)
        return out
    raise ValueError(fmt)


def write_sidecar(doc: dict, dest: Path) -> Path:
    meta = {k: nfc(doc[k]) for k in SIDECAR_KEYS}
    dt.date.fromisoformat(meta["issueDate"])
    path = dest / f"{doc['name']}.json"
    path.write_text(json.dumps(meta, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                    encoding="utf-8")
    return path


def safe_to_replace(out: Path) -> bool:
    """Only ever delete something that looks like a previous samples tree."""
    if not out.exists():
        return True
    if not out.is_dir():
        return False
    return all(re.fullmatch(r"\d{10}(\d{2})?", p.name) and p.is_dir() for p in out.iterdir())


def main(argv=None) -> int:
    repo = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=repo / "Samples",
                    help="output directory, deleted and recreated (default: %(default)s)")
    args = ap.parse_args(argv)
    out = args.out.resolve()
    if not safe_to_replace(out):
        print(f"refusing to delete {out}: it does not look like a samples tree", file=sys.stderr)
        return 2
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)

    skew = SkewPicker(random.Random(f"{SEED}:skew"))
    total = 0
    for doc in DOCUMENTS:
        assert valid_owner_id(doc["owner"]), doc["owner"]
        assert valid_case_id(doc["case"]), doc["case"]
        assert DOC_NAME_RE.match(doc["name"]), doc["name"]
        rng = random.Random(f"{SEED}:{doc['owner']}/{doc['case']}/{doc['name']}")
        pages = [scan(pg, skew()) for pg in doc["build"](rng)]
        dest = out / doc["owner"] / doc["case"]
        dest.mkdir(parents=True, exist_ok=True)
        for p in save_document(doc, pages, dest) + [write_sidecar(doc, dest)]:
            size = p.stat().st_size
            total += size
            print(f"{size:>10,}  {p.relative_to(out.parent)}")
    print(f"{total:>10,}  total")
    return 0


if __name__ == "__main__":
    sys.exit(main())
