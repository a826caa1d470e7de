#!/usr/bin/env python3
"""Generate the inputs of the `sohoa assemble` benchmark.

Usage (from the repository root):

    .build/venv/bin/python scripts/make-bench-inputs.py OUTDIR [--time-img2pdf]

The same 100 scanned-looking A4 pages at 300 dpi (2480 x 3508 pixels), in three forms:

    OUTDIR/g4.tif                    100 pages, bilevel CCITT G4, one strip per page, MinIsWhite, 300 dpi
    OUTDIR/jpeg/page-001.jpg ... 100 RGB baseline JPEG, quality 85, JFIF 300 dpi
    OUTDIR/png/page-01.png ... 20    the first 20 pages as RGB 8-bit non-interlaced PNG, pHYs 300 dpi

Six distinct page bitmaps are rendered (Vietnamese administrative text, a table, a red seal on
some); each of the 100 pages is one of them shifted by a few pixels and stamped with its own page
number, then toned like paper and given a fixed, faint scanner noise (colour forms) or a few
speckles (bilevel form). Deterministic: fixed seeds, no timestamps in any file.

With --time-img2pdf, runs `img2pdf -o OUT.pdf INPUTS` once on each set (plain img2pdf: each page
takes its size from the image's dpi, which gives A4 here) and prints the wall-clock times.

Needs Pillow and numpy (scripts/requirements.txt) and tiffcp (libtiff-tools).
"""

from __future__ import annotations

import argparse
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

SEED = 20251124
W, H, DPI = 2480, 3508, 300  # A4 at 300 dpi
PAGES, PNG_PAGES, DISTINCT = 100, 20, 6
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
INK = (28, 28, 36)
SEAL = (200, 36, 48)
PAPER = np.array([247, 245, 239], np.float32)  # slightly warm paper
NOISE_SIGMA = 1.0  # scanner noise, in 8-bit levels

WORDS = (
    "ủy ban nhân dân phường quận thành phố hồ sơ đề nghị cấp giấy chứng nhận quyền sử dụng đất "
    "căn cứ luật đất đai nghị định thông tư hướng dẫn thi hành công dân số định danh cá nhân "
    "nơi thường trú tạm trú bản sao chứng thực hợp đồng chuyển nhượng tặng cho thừa kế "
    "diện tích thửa đất tờ bản đồ mục đích sử dụng thời hạn nguồn gốc tài sản gắn liền "
    "người nộp hồ sơ cán bộ tiếp nhận ngày tháng năm kết quả giải quyết thủ tục hành chính "
    "bộ phận một cửa trả kết quả theo quy định lệ phí thẩm định xác minh kiểm tra niêm yết"
).split()


def font(name: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_DIR / name), size, layout_engine=ImageFont.Layout.BASIC)


def sentence(rng: random.Random, n: int) -> str:
    s = " ".join(rng.choice(WORDS) for _ in range(n))
    return s[0].upper() + s[1:] + "."


def render_page(k: int) -> Image.Image:
    """One distinct page, RGB on pure white: header, title, paragraphs, a table, a signature block."""
    rng = random.Random(SEED + k)
    im = Image.new("RGB", (W, H), "white")
    d = ImageDraw.Draw(im)
    body, bold, title = font("DejaVuSerif.ttf", 42), font("DejaVuSerif-Bold.ttf", 42), font("DejaVuSerif-Bold.ttf", 58)
    left, right = 300, W - 240
    d.text((left, 200), "ỦY BAN NHÂN DÂN", font=bold, fill=INK)
    d.text((left, 260), f"PHƯỜNG {rng.randrange(1, 15)}", font=bold, fill=INK)
    d.text((1280, 200), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", font=bold, fill=INK)
    d.text((1430, 260), "Độc lập - Tự do - Hạnh phúc", font=bold, fill=INK)
    d.line((1450, 320, 2010, 320), fill=INK, width=4)
    t = ["GIẤY ĐỀ NGHỊ", "BIÊN BẢN", "QUYẾT ĐỊNH", "THÔNG BÁO", "TỜ KHAI", "GIẤY XÁC NHẬN"][k % 6]
    d.text(((W - d.textlength(t, font=title)) / 2, 480), t, font=title, fill=INK)
    y = 640
    lines = 0
    while y < 1700:  # paragraphs, greedily wrapped
        words = sentence(rng, rng.randrange(40, 90)).split()
        line, x0 = "", left + 90
        for w in words:
            trial = (line + " " + w).strip()
            if d.textlength(trial, font=body) > right - x0:
                d.text((x0, y), line, font=body, fill=INK)
                y, line, x0, lines = y + 62, w, left, lines + 1
            else:
                line = trial
        d.text((x0, y), line, font=body, fill=INK)
        y += 62 + 30
    # a table
    y += 20
    rows, cols = rng.randrange(4, 8), [left, left + 160, left + 1000, left + 1500, right]
    for r in range(rows + 1):
        d.line((left, y + r * 70, right, y + r * 70), fill=INK, width=3)
    for c in cols:
        d.line((c, y, c, y + rows * 70), fill=INK, width=3)
    for r in range(rows):
        cells = [str(r + 1), sentence(rng, 4)[:34], f"{rng.randrange(20, 900)},{rng.randrange(10)} m²", f"{rng.randrange(1, 99):02d}"]
        for c, text in enumerate(cells):
            d.text((cols[c] + 20, y + r * 70 + 12), text, font=body, fill=INK)
    y += rows * 70 + 120
    # signature block, and on every other distinct page a red seal over it
    d.text((1500, y), "TM. ỦY BAN NHÂN DÂN", font=bold, fill=INK)
    d.text((1620, y + 60), "CHỦ TỊCH", font=bold, fill=INK)
    sx, sy = 1620, y + 160
    for i in range(3):  # a scribble
        d.arc((sx + i * 60, sy, sx + 260 + i * 60, sy + 120), 200, 340, fill=INK, width=5)
    d.text((1560, y + 330), "Nguyễn Văn " + rng.choice(["An", "Bình", "Cường", "Dũng", "Hải", "Minh"]), font=bold, fill=INK)
    if k % 2 == 0:
        cx, cy, r = 1600, y + 180, 190
        d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=SEAL, width=12)
        d.ellipse((cx - r + 40, cy - r + 40, cx + r - 40, cy + r - 40), outline=SEAL, width=6)
        d.regular_polygon((cx, cy, 60), 5, fill=SEAL)
    return im


def stamp_number(a: np.ndarray, i: int) -> None:
    """Write "Trang i/100" at the bottom centre, in place (RGB uint8 or bilevel bool, True = black)."""
    band = a[H - 260 : H - 160]
    strip = Image.fromarray(band if band.dtype == np.uint8 else np.where(band, 0, 255).astype(np.uint8))
    d = ImageDraw.Draw(strip)
    text = f"Trang {i}/{PAGES}"
    f = font("DejaVuSerif.ttf", 38)
    d.text(((W - d.textlength(text, font=f)) / 2, 20), text, font=f, fill=INK if strip.mode == "RGB" else 0)
    drawn = np.asarray(strip)
    a[H - 260 : H - 160] = drawn if band.dtype == np.uint8 else drawn < 140


class BilevelTIFF:
    """An uncompressed multi-page bilevel TIFF, MinIsWhite (1 = black), one strip per page,
    300 dpi, written page by page (tiffcp then compresses it to G4)."""

    def __init__(self, path: Path):
        self.f = open(path, "wb")
        self.f.write(b"II*\0\0\0\0\0")
        self.offsets: list[int] = []

    def add(self, black: np.ndarray) -> None:
        self.offsets.append(self.f.tell())
        self.f.write(np.packbits(black, axis=1).tobytes())

    def close(self) -> None:
        f, row_bytes, n_tags = self.f, (W + 7) // 8, 12
        ifd_at = f.tell()
        ifd_size = 2 + 12 * n_tags + 4 + 16  # and two RATIONALs after it
        for i, off in enumerate(self.offsets):
            at = ifd_at + i * ifd_size
            rational_at = at + 2 + 12 * n_tags + 4
            nxt = at + ifd_size if i + 1 < len(self.offsets) else 0
            tags = [
                (256, 4, W), (257, 4, H), (258, 3, 1), (259, 3, 1), (262, 3, 0), (273, 4, off),
                (277, 3, 1), (278, 4, H), (279, 4, row_bytes * H), (282, 5, rational_at),
                (283, 5, rational_at + 8), (296, 3, 2),
            ]
            f.write(struct.pack("<H", n_tags))
            for tag, kind, value in tags:
                f.write(struct.pack("<HHI", tag, kind, 1))
                f.write(struct.pack("<HH", value, 0) if kind == 3 else struct.pack("<I", value))
            f.write(struct.pack("<I", nxt) + struct.pack("<IIII", DPI, 1, DPI, 1))
        f.seek(4)
        f.write(struct.pack("<I", ifd_at))
        f.close()


def human(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--time-img2pdf", action="store_true", help="time plain img2pdf on each set")
    args = parser.parse_args()
    if not shutil.which("tiffcp"):
        sys.exit("tiffcp is needed (Debian: libtiff-tools)")
    out: Path = args.outdir
    start = time.monotonic()
    for sub in ("jpeg", "png"):
        shutil.rmtree(out / sub, ignore_errors=True)
        (out / sub).mkdir(parents=True)

    # the distinct pages, once: a bilevel version (threshold of the clean page) and a scanned-looking
    # colour version (paper tone and sensor noise)
    nrng = np.random.default_rng(SEED)
    blacks, scans = [], []
    for k in range(DISTINCT):
        clean = np.asarray(render_page(k))
        blacks.append(clean.mean(axis=2) < 140)
        noise = np.round(nrng.normal(0, NOISE_SIGMA, (H, W, 1))).astype(np.float32)
        scans.append(np.clip(clean * (PAPER / 255) + noise, 0, 255).astype(np.uint8))
        del clean, noise
    rendered = time.monotonic()

    with tempfile.TemporaryDirectory(prefix="sohoa-bench-") as work:
        base = Path(work) / "bilevel.tif"
        bilevel = BilevelTIFF(base)
        for i in range(1, PAGES + 1):
            # page i: distinct page (i - 1) % 6, shifted by a few pixels, with its own number
            rng = random.Random(SEED * 1000 + i)
            shift = (rng.randrange(-20, 21), rng.randrange(-14, 15))
            scan = np.roll(scans[(i - 1) % DISTINCT], shift, axis=(0, 1))  # a copy
            stamp_number(scan, i)
            im = Image.fromarray(scan)
            im.save(out / "jpeg" / f"page-{i:03d}.jpg", quality=85, dpi=(DPI, DPI))
            if i <= PNG_PAGES:
                im.save(out / "png" / f"page-{i:02d}.png", dpi=(DPI, DPI))
            black = np.roll(blacks[(i - 1) % DISTINCT], shift, axis=(0, 1))
            stamp_number(black, i)
            for _ in range(rng.randrange(20, 60)):  # a few speckles
                x, y = rng.randrange(W - 2), rng.randrange(H - 2)
                black[y : y + rng.choice((1, 2)), x : x + rng.choice((1, 2))] = True
            bilevel.add(black)
        bilevel.close()
        subprocess.run(["tiffcp", "-c", "g4", "-r", str(H), str(base), str(out / "g4.tif")], check=True)
    done = time.monotonic()

    # check what was written
    with Image.open(out / "g4.tif") as im:
        assert im.n_frames == PAGES and im.size == (W, H) and im.info.get("dpi") == (DPI, DPI)
    info = subprocess.run(["tiffinfo", str(out / "g4.tif")], capture_output=True, text=True).stdout
    assert info.count("CCITT Group 4") == PAGES and info.count("min-is-white") == PAGES
    assert info.count(f"Rows/Strip: {H}") == PAGES
    for p in (out / "jpeg" / "page-001.jpg", out / "png" / "page-01.png"):
        with Image.open(p) as im:
            assert im.size == (W, H) and im.mode == "RGB" and round(im.info["dpi"][0]) == DPI, p
            assert not im.info.get("progressive") and not im.info.get("interlace"), p

    sizes = {
        "g4.tif": (out / "g4.tif").stat().st_size,
        "jpeg/": sum(p.stat().st_size for p in (out / "jpeg").iterdir()),
        "png/": sum(p.stat().st_size for p in (out / "png").iterdir()),
    }
    print(f"rendered {DISTINCT} distinct pages in {rendered - start:.1f} s, wrote everything in {done - start:.1f} s")
    print(f"  g4.tif        {PAGES} pages   {human(sizes['g4.tif']):>9}  ({sizes['g4.tif'] / PAGES / 1e3:.0f} kB/page)")
    print(f"  jpeg/         {PAGES} files   {human(sizes['jpeg/']):>9}  ({sizes['jpeg/'] / PAGES / 1e3:.0f} kB/page)")
    print(f"  png/          {PNG_PAGES} files    {human(sizes['png/']):>9}  ({sizes['png/'] / PNG_PAGES / 1e6:.2f} MB/page)")
    print(f"  total                  {human(sum(sizes.values())):>9}")

    if args.time_img2pdf:
        img2pdf = shutil.which("img2pdf") or str(Path(sys.executable).parent / "img2pdf")
        with tempfile.TemporaryDirectory(prefix="sohoa-bench-") as work:
            for label, inputs in [
                ("g4.tif", [out / "g4.tif"]),
                ("jpeg/", sorted((out / "jpeg").iterdir())),
                ("png/", sorted((out / "png").iterdir())),
            ]:
                pdf = Path(work) / "out.pdf"
                t = time.monotonic()
                subprocess.run([img2pdf, "-o", str(pdf), *map(str, inputs)], check=True)
                took = time.monotonic() - t
                print(f"  img2pdf {label:8} {took:6.2f} s -> {human(pdf.stat().st_size)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
