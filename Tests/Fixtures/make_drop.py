#!/usr/bin/env python3
"""Generate a drop of small, distinct scanned documents laid out as a Sohoa inbox.

Usage (from the repository root):

    .build/venv/bin/python Tests/Fixtures/make_drop.py OUTDIR COUNT [--pages N] [--a4] [--start K]

Writes OUTDIR/<owner>/<case>/doc-NNNN.tif for COUNT documents spread over four citizens and
cases: bilevel, CCITT G4, N pages each (default 1); A6 at 200 dpi so that tests run quickly, or
with --a4 full A4 pages at 300 dpi with a page of text-like lines, one strip per page, as a
scanner makes them (needs tiffcp for the single strip). Every document differs (its number is drawn as a bar code on the page), so no two are
duplicates. Prints one line per document: its inbox path and SHA-256. Needs Pillow.
"""

import argparse
import hashlib
import os
import shutil
import subprocess

from PIL import Image, ImageDraw

OWNERS = [
    ("001085012345", "000.00.01.H26-251124-0001"),
    ("079190004567", "000.00.02.H29-251123-0015"),
    ("0314409058", "000.00.03.H29-251120-0007"),
    ("001199007788", "000.00.01.H26-251124-0042"),
]


def page(number: int, index: int, size=(826, 1166), text_lines: int = 0) -> Image.Image:
    image = Image.new("1", size, 1)
    draw = ImageDraw.Draw(image)
    # Text-like lines of "words" (for --a4), so the G4 data has the size of a real typed page.
    for line in range(text_lines):
        y = 1300 + line * 50
        x = 200
        seed = number * 7919 + index * 104729 + line * 31
        while x < size[0] - 250:
            width = 30 + (seed % 140)
            seed = (seed * 1103515245 + 12345) % (1 << 31)
            draw.rectangle((x, y, x + width, y + 22), fill=0)
            x += width + 25
    draw.rectangle((40, 40, 140, 140), fill=0)
    for bit in range(16):
        if (number >> bit) & 1:
            x = 60 + bit * 44
            draw.rectangle((x, 400, x + 30, 700), fill=0)
    for line in range(8):
        y = 760 + line * 40
        draw.rectangle((60, y, 60 + 90 * ((number + line + index) % 8 + 1), y + 12), fill=0)
    return image


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("count", type=int)
    parser.add_argument("--pages", type=int, default=1)
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--a4", action="store_true")
    arguments = parser.parse_args()
    for number in range(arguments.start, arguments.start + arguments.count):
        owner, case = OWNERS[number % len(OWNERS)]
        folder = os.path.join(arguments.out, owner, case)
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, f"doc-{number:04d}.tif")
        if arguments.a4:
            pages = [page(number, index, size=(2480, 3508), text_lines=40) for index in range(arguments.pages)]
            dpi = 300
        else:
            pages = [page(number, index) for index in range(arguments.pages)]
            dpi = 200
        pages[0].save(path, compression="group4", dpi=(dpi, dpi), save_all=True, append_images=pages[1:])
        if arguments.a4 and shutil.which("tiffcp"):
            # One strip per page, as scanners write them (and as a PDF can carry G4 as it is).
            single = path + ".strip"
            subprocess.run(["tiffcp", "-c", "g4", "-r", "100000", path, single], check=True)
            os.replace(single, path)
        with open(path, "rb") as handle:
            digest = hashlib.sha256(handle.read()).hexdigest()
        print(f"{owner}/{case}/doc-{number:04d}.tif {digest}")


if __name__ == "__main__":
    main()
