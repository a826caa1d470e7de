#!/usr/bin/env python3
"""Generate a drop of small, distinct scanned documents laid out as a Sohoa inbox.

Usage (from the repository root):

    .build/venv/bin/python Tests/Fixtures/make_drop.py OUTDIR COUNT [--pages N]

Writes OUTDIR/<owner>/<case>/doc-NNNN.tif for COUNT documents spread over four citizens and
cases: bilevel, CCITT G4, 200 dpi, N pages each (default 1), A6-sized so that they assemble
quickly. Every document differs (its number is drawn as a bar code on the page), so no two are
duplicates. Prints one line per document: its inbox path and SHA-256. Needs Pillow.
"""

import argparse
import hashlib
import os

from PIL import Image, ImageDraw

OWNERS = [
    ("001085012345", "000.00.01.H26-251124-0001"),
    ("079190004567", "000.00.02.H29-251123-0015"),
    ("0314409058", "000.00.03.H29-251120-0007"),
    ("001199007788", "000.00.01.H26-251124-0042"),
]


def page(number: int, index: int, size=(826, 1166)) -> Image.Image:
    image = Image.new("1", size, 1)
    draw = ImageDraw.Draw(image)
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
    arguments = parser.parse_args()
    for number in range(arguments.start, arguments.start + arguments.count):
        owner, case = OWNERS[number % len(OWNERS)]
        folder = os.path.join(arguments.out, owner, case)
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, f"doc-{number:04d}.tif")
        pages = [page(number, index) for index in range(arguments.pages)]
        pages[0].save(path, compression="group4", dpi=(200, 200), save_all=True, append_images=pages[1:])
        with open(path, "rb") as handle:
            digest = hashlib.sha256(handle.read()).hexdigest()
        print(f"{owner}/{case}/doc-{number:04d}.tif {digest}")


if __name__ == "__main__":
    main()
