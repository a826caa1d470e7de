"""The peer for the decoding benchmark: decode every page of every image under a folder with Pillow.

Walks the folder as `sohoa inbox` does (images only, hidden names skipped) and loads each page's
pixels, so both sides do the same work: read, check, decode.
"""
import os
import sys

from PIL import Image

EXTENSIONS = {".tif", ".tiff", ".png", ".jpg", ".jpeg"}


def main(root: str) -> None:
    pages = 0
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or os.path.splitext(name)[1].lower() not in EXTENSIONS:
                continue
            with Image.open(os.path.join(folder, name)) as image:
                for frame in range(getattr(image, "n_frames", 1)):
                    image.seek(frame)
                    image.load()
                    pages += 1
    print(pages)


if __name__ == "__main__":
    main(sys.argv[1])
