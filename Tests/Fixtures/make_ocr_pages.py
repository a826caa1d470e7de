#!/usr/bin/env python3
"""Generate scanned-looking pages of Vietnamese administrative text, with known ground truth, for
OCR accuracy tests.

Usage (from the repository root):

    .build/venv/bin/python Tests/Fixtures/make_ocr_pages.py OUTDIR [--only NAME[,NAME...]]

Writes 30 images (5 variants x 2 resolutions x 3 formats), one `<stem>.txt` ground truth beside
each, and OUTDIR/manifest.json. Prints one line per file written. `--only` limits the run to the
named stems (`vb01-300dpi-clean`; a file name or an fnmatch pattern such as `*-clean` works too);
the manifest then lists only those files. Everything is deterministic: every page's noise is seeded
from its stem, so a file's bytes do not depend on which other files are generated.

Pages: A4 portrait (1654 x 2339 px at 200 dpi, 2480 x 3508 px at 300 dpi), 20 mm margins, one of
six short Vietnamese documents (vb01..vb06) in Liberation Serif or Sans, 11-14 pt, all text NFC.
Variants:

    clean   the page as rendered (anti-aliased)
    noisy   paper tone, Gaussian noise (sigma about 9 gray levels) and a few specks, kept away
            from the words
    skew2   the page rotated 2 degrees clockwise about its centre, same size, paper-coloured fill
    rot90   the page turned 90 degrees clockwise (landscape image, as a page scanned sideways)
    rot180  the page upside down

Formats: TIFF CCITT Group 4 (bilevel, darkness thresholded at 50 %), 8-bit gray PNG (white paper,
black ink) and RGB JPEG (quality 90; off-white paper, dark blue-black ink), each with its dpi
(TIFF resolution tags, PNG pHYs, JFIF density).

Ground truth `<stem>.txt`: the page's lines, one per line, words separated by single spaces, NFC,
UTF-8, ending with a newline. Blank vertical gaps are not lines.

manifest.json is a list with one object per image:

    file, truth          image and ground-truth file names (in OUTDIR)
    text                 which document (vb01..vb06)
    dpi, variant, format ("tiff" | "png" | "jpeg"), mode (Pillow mode: "1" | "L" | "RGB")
    width, height        pixels of the image as written
    rotation             0, 90 or 180: how far the written image is turned clockwise from upright
    skew                 0 or 2: degrees the page is rotated clockwise (about the page centre)
    upright_width, upright_height
                         pixels of the upright, unskewed page (same for both orientations of A4)
    upright_to_image     [[a, b, c], [d, e, f]]: maps a point (x, y) of the upright unskewed page
                         to (a*x + b*y + c, d*x + e*y + f) in the written image (continuous pixel
                         coordinates: a pixel's centre is at +0.5)
    font, body_pt        the body font (file stem) and size in points
    lines                [{"text", "box"}]: each truth line and the union of its word boxes
    words                [{"text", "box", "line"}]: every word of the page, in reading order, with
                         the index of its truth line

Boxes are [x0, y0, x1, y1] in pixels of the UPRIGHT, UNSKEWED page, top-left origin, exactly as
Pillow's ImageDraw.textbbox returns them for the word as drawn (x1 and y1 exclusive, so
`page.crop(box)` is the word's ink); for rotated or skewed images map them with upright_to_image,
or turn the image upright first.

Needs Pillow and numpy (scripts/requirements.txt) and the Liberation fonts in
/usr/share/fonts/truetype/liberation2/ (Debian package fonts-liberation2).
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import math
import sys
import time
import unicodedata
import zlib
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

SEED = 20250610

FONT_DIR = Path("/usr/share/fonts/truetype/liberation2")
FONT_FILES = {
    ("serif", False): "LiberationSerif-Regular.ttf",
    ("serif", True): "LiberationSerif-Bold.ttf",
    ("sans", False): "LiberationSans-Regular.ttf",
    ("sans", True): "LiberationSans-Bold.ttf",
}

A4_MM = (210.0, 297.0)
MARGIN_MM = 20.0
DPIS = (200, 300)
VARIANTS = ("clean", "noisy", "skew2", "rot90", "rot180")
FORMATS = (("tif", "tiff", "1"), ("png", "png", "L"), ("jpg", "jpeg", "RGB"))
SKEW_DEGREES = 2
ROTATIONS = {"rot90": 90, "rot180": 180}

PAPER_RGB = (246, 243, 234)  # JPEG paper: slightly warm off-white
INK_RGB = (22, 27, 58)  # JPEG ink: dark blue-black
NOISE_PAPER = 0.04  # noisy variant: paper darkness (about gray 245)
NOISE_SIGMA = 0.035  # noisy variant: Gaussian noise, in darkness units (about 9 gray levels)
JPEG_QUALITY = 90

LINE_PITCH = 1.38  # baseline to baseline, in multiples of the font size
WRAP_SLACK = 0.97  # wrapped lines use at most this fraction of the text width

# Documents. Each is a font family, sizes in points, and blocks:
#   head   bold, centred (national heading)       motto  bold, centred
#   title  bold, title size, centred, wrapped     to     regular, centred ("Kính gửi: ...")
#   p      regular, left, wrapped (body text)     date   regular, right-aligned
#   sig    bold, centred on the right half        name   regular, centred on the right half
#   gap    vertical space, in body line pitches
HEAD = [("head", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), ("motto", "Độc lập - Tự do - Hạnh phúc")]

DOCUMENTS: dict[str, dict] = {
    "vb01": {
        "family": "serif", "body": 12, "head": 13, "title": 14,
        "blocks": HEAD + [
            ("gap", 1.2),
            ("title", "GIẤY KHAI SINH"),
            ("gap", 0.8),
            ("p", "Họ, chữ đệm, tên: NGUYỄN THỊ LẤP LÁNH ÁNH"),
            ("p", "Ngày, tháng, năm sinh: 12/05/2019; ghi bằng chữ: ngày mười hai, tháng năm, "
                  "năm hai nghìn không trăm mười chín"),
            ("p", "Giới tính: Nữ; Dân tộc: Kinh; Quốc tịch: Việt Nam"),
            ("p", "Nơi sinh: Bệnh viện Từ Dũ, Thành phố Hồ Chí Minh"),
            ("p", "Quê quán: xã Hải Thượng, huyện Hải Lăng, tỉnh Quảng Trị"),
            ("p", "Số định danh cá nhân: 079319004512"),
            ("p", "Họ, chữ đệm, tên người mẹ: TRẦN THỊ BÌNH; năm sinh: 1990; dân tộc: Kinh"),
            ("p", "Nơi cư trú: 45 đường Lê Lợi, phường Bến Thành, quận 1, Thành phố Hồ Chí Minh"),
            ("p", "Họ, chữ đệm, tên người cha: NGUYỄN VĂN KHOA; năm sinh: 1987; dân tộc: Kinh"),
            ("p", "Nơi cư trú: 45 đường Lê Lợi, phường Bến Thành, quận 1, Thành phố Hồ Chí Minh"),
            ("p", "Người đi khai sinh: Trần Thị Bình; quan hệ với người được khai sinh: mẹ đẻ"),
            ("p", "Nơi đăng ký khai sinh: Ủy ban nhân dân phường Bến Thành, quận 1, "
                  "Thành phố Hồ Chí Minh"),
            ("p", "Ngày, tháng, năm đăng ký: 20/05/2019. Số: 215/2019; Quyển số: 03/2019"),
            ("gap", 0.6),
            ("date", "Thành phố Hồ Chí Minh, ngày 20 tháng 5 năm 2019"),
            ("sig", "NGƯỜI KÝ GIẤY KHAI SINH"),
            ("gap", 2.5),
            ("name", "Phạm Đức Dũng"),
        ],
    },
    "vb02": {
        "family": "sans", "body": 12, "head": 13, "title": 14,
        "blocks": HEAD + [
            ("gap", 1.2),
            ("title", "ĐƠN ĐỀ NGHỊ CẤP GIẤY XÁC NHẬN TÌNH TRẠNG HÔN NHÂN"),
            ("gap", 0.5),
            ("to", "Kính gửi: Ủy ban nhân dân phường Ba Đình, Thành phố Hà Nội"),
            ("gap", 0.5),
            ("p", "Họ, chữ đệm, tên người yêu cầu: Lê Văn Cường"),
            ("p", "Ngày, tháng, năm sinh: 03/11/1988; giới tính: Nam; dân tộc: Kinh; "
                  "quốc tịch: Việt Nam"),
            ("p", "Số định danh cá nhân: 001088023467"),
            ("p", "Nơi cư trú: số 18 phố Đội Cấn, phường Ba Đình, Hà Nội"),
            ("p", "Quan hệ với người được cấp Giấy xác nhận tình trạng hôn nhân: bản thân"),
            ("p", "Trong thời gian cư trú tại số 7 ngõ 12 phố Nguyễn Thái Học, phường Ba Đình, "
                  "Hà Nội, từ ngày 01/01/2015 đến ngày 31/12/2020, tôi chưa đăng ký kết hôn "
                  "với ai."),
            ("p", "Mục đích sử dụng Giấy xác nhận tình trạng hôn nhân: để làm thủ tục đăng ký kết "
                  "hôn với bà Huỳnh Thị Quỳnh Như, sinh năm 1991, số định danh cá nhân "
                  "052191006738."),
            ("p", "Tôi cam đoan những nội dung khai trên đây là đúng sự thật và chịu trách nhiệm "
                  "trước pháp luật về lời cam đoan của mình."),
            ("gap", 0.6),
            ("date", "Hà Nội, ngày 15 tháng 3 năm 2024"),
            ("sig", "NGƯỜI YÊU CẦU"),
            ("gap", 2.5),
            ("name", "Lê Văn Cường"),
        ],
    },
    "vb03": {
        "family": "serif", "body": 13, "head": 13, "title": 14,
        "blocks": HEAD + [
            ("gap", 1.2),
            ("title", "GIẤY XÁC NHẬN THÔNG TIN VỀ CƯ TRÚ"),
            ("gap", 0.8),
            ("p", "Công an phường Hải Châu, thành phố Đà Nẵng xác nhận:"),
            ("p", "Ông: Phạm Đức Dũng; giới tính: Nam; sinh ngày 27/08/1979"),
            ("p", "Số định danh cá nhân: 048079001236"),
            ("p", "Nơi thường trú: tổ 15, số 112 đường Lê Duẩn, phường Hải Châu, "
                  "thành phố Đà Nẵng"),
            ("p", "Nơi tạm trú: không có"),
            ("p", "Nơi ở hiện tại: số 9 kiệt 34 đường Hoàng Diệu, phường Hải Châu, "
                  "thành phố Đà Nẵng"),
            ("p", "Thông tin về chủ hộ: Phạm Đức Dũng; quan hệ với chủ hộ: chủ hộ"),
            ("p", "Những người cùng hộ: Vũ Thị Kỷ, sinh năm 1982, quan hệ: vợ; Phạm Gia Hữu, "
                  "sinh năm 2008, quan hệ: con; Phạm Ngọc Diễm, sinh năm 2012, quan hệ: con."),
            ("p", "Giấy xác nhận này có giá trị 30 ngày kể từ ngày cấp và sẽ được kiểm tra "
                  "khi cần thiết."),
            ("gap", 0.6),
            ("date", "Đà Nẵng, ngày 04 tháng 9 năm 2023"),
            ("sig", "TRƯỞNG CÔNG AN PHƯỜNG"),
            ("gap", 2.5),
            ("name", "Thượng tá Đỗ Minh Khôi"),
        ],
    },
    "vb04": {
        "family": "sans", "body": 11, "head": 12, "title": 14,
        "blocks": HEAD + [
            ("gap", 1.2),
            ("title", "GIẤY ỦY QUYỀN"),
            ("gap", 0.8),
            ("p", "Căn cứ Bộ luật Dân sự năm 2015 và các văn bản pháp luật có liên quan, hôm nay, "
                  "ngày 08 tháng 6 năm 2022, tại Thành phố Hồ Chí Minh, chúng tôi gồm:"),
            ("p", "Bên ủy quyền: bà Nguyễn Thị Lấp Lánh Ánh, sinh ngày 19/02/1985"),
            ("p", "Số định danh cá nhân: 079185012345; cấp ngày 10/07/2021 tại Cục Cảnh sát "
                  "quản lý hành chính về trật tự xã hội"),
            ("p", "Địa chỉ thường trú: 27 đường Nguyễn Huệ, phường Bến Nghé, quận 1, "
                  "Thành phố Hồ Chí Minh"),
            ("p", "Bên được ủy quyền: ông Trần Quốc Bảo, sinh ngày 02/12/1983"),
            ("p", "Số định danh cá nhân: 079083067890; cấp ngày 22/03/2022"),
            ("p", "Địa chỉ thường trú: 156 đường Lý Tự Trọng, phường Bến Thành, "
                  "Thành phố Hồ Chí Minh"),
            ("p", "Nội dung ủy quyền: bên được ủy quyền thay mặt bên ủy quyền nộp hồ sơ, nhận kết "
                  "quả và ký các giấy tờ liên quan đến thủ tục cấp Giấy chứng nhận quyền sử dụng "
                  "đất tại Ủy ban nhân dân quận 1, theo hướng dẫn của cơ quan có thẩm quyền."),
            ("p", "Thời hạn ủy quyền: từ ngày ký đến hết ngày 31/12/2022."),
            ("p", "Hai bên cam kết chịu trách nhiệm trước pháp luật về mọi thông tin ủy quyền "
                  "ở trên và khẳng định không có tranh chấp."),
            ("gap", 0.6),
            ("sig", "BÊN ỦY QUYỀN"),
            ("gap", 2.5),
            ("name", "Nguyễn Thị Lấp Lánh Ánh"),
        ],
    },
    "vb05": {
        "family": "serif", "body": 14, "head": 14, "title": 14,
        "blocks": HEAD + [
            ("gap", 1.0),
            ("title", "TỜ KHAI ĐĂNG KÝ KẾT HÔN"),
            ("gap", 0.5),
            ("to", "Kính gửi: Ủy ban nhân dân phường Ba Đình, Thành phố Hà Nội"),
            ("gap", 0.5),
            ("p", "Bên nữ: Trần Thị Bình; sinh ngày 14/04/1992; dân tộc: Kinh; "
                  "quốc tịch: Việt Nam"),
            ("p", "Nơi cư trú: số 3 ngõ 95 phố Quán Thánh, phường Ba Đình, Hà Nội"),
            ("p", "Số định danh cá nhân: 001192034589"),
            ("p", "Bên nam: Phạm Đức Dũng; sinh ngày 30/10/1990; dân tộc: Kinh"),
            ("p", "Nơi cư trú: số 21 phố Hàng Bún, phường Ba Đình, Hà Nội"),
            ("p", "Số định danh cá nhân: 001090056712"),
            ("p", "Kết hôn lần thứ: nhất. Chúng tôi cam đoan những lời khai trên đây là đúng sự "
                  "thật, việc kết hôn của chúng tôi là tự nguyện, không vi phạm quy định của Luật "
                  "Hôn nhân và gia đình Việt Nam."),
            ("p", "Chúng tôi chịu trách nhiệm trước pháp luật về lời cam đoan của mình."),
            ("p", "Người làm chứng: bà Đinh Thị Mỵ, tổ trưởng tổ dân phố số 5."),
            ("gap", 0.6),
            ("date", "Hà Nội, ngày 22 tháng 12 năm 2023"),
            ("sig", "BÊN NỮ"),
            ("gap", 2.5),
            ("name", "Trần Thị Bình"),
        ],
    },
    "vb06": {
        "family": "sans", "body": 12, "head": 13, "title": 14,
        "blocks": HEAD + [
            ("gap", 1.2),
            ("title", "BIÊN BẢN BÀN GIAO TÀI SẢN"),
            ("gap", 0.8),
            ("p", "Hôm nay, vào lúc 14 giờ 30 phút ngày 17 tháng 10 năm 2024, tại trụ sở Công ty "
                  "Trách nhiệm hữu hạn Kỹ thuật Mỹ Thuận, số 88 đường Trần Hưng Đạo, phường Cầu "
                  "Ông Lãnh, Thành phố Hồ Chí Minh, chúng tôi gồm:"),
            ("p", "Bên giao: ông Hoàng Văn Thẳng, thủ quỹ, số định danh cá nhân: "
                  "036082009451"),
            ("p", "Bên nhận: bà Vũ Thị Ngọc Hà, kế toán trưởng, số định danh cá nhân: "
                  "034186011278"),
            ("p", "Hai bên thống nhất bàn giao các tài sản sau đây:"),
            ("p", "1. Máy tính xách tay, số sê-ri PF3K9XQ2, còn sử dụng tốt; số lượng: 01 chiếc."),
            ("p", "2. Máy in laser đen trắng, kèm hai hộp mực dự phòng; số lượng: 01 bộ."),
            ("p", "3. Tủ hồ sơ bằng thép, có khóa, không hư hỏng hay đổ vỡ; số lượng: 02 chiếc."),
            ("p", "4. Con dấu, sổ sách kế toán và chứng từ gốc từ năm 2021 đến năm 2023."),
            ("p", "Biên bản được lập thành hai bản có giá trị pháp lý như nhau, mỗi bên giữ một "
                  "bản. Sau khi đọc lại biên bản, hai bên đồng ý và cùng ký tên dưới đây."),
            ("gap", 0.6),
            ("date", "Thành phố Hồ Chí Minh, ngày 17 tháng 10 năm 2024"),
            ("sig", "BÊN NHẬN"),
            ("gap", 2.5),
            ("name", "Vũ Thị Ngọc Hà"),
        ],
    },
}
TEXT_IDS = sorted(DOCUMENTS)

STYLE = {  # kind -> (bold, size key, alignment, wrapped)
    "head": (True, "head", "centre", False),
    "motto": (True, "head", "centre", False),
    "title": (True, "title", "centre", True),
    "to": (False, "body", "centre", True),
    "p": (False, "body", "left", True),
    "date": (False, "body", "right", False),
    "sig": (True, "body", "right-half", False),
    "name": (False, "body", "right-half", False),
}

MIN_BODY_LINES, MAX_BODY_LINES = 10, 20


class FixtureError(Exception):
    pass


# ---------------------------------------------------------------------------------------------
# Fonts


_font_cache: dict[tuple[str, bool, float], ImageFont.FreeTypeFont] = {}


def font(family: str, bold: bool, size_px: float) -> ImageFont.FreeTypeFont:
    key = (family, bold, size_px)
    if key not in _font_cache:
        # Basic layout (FreeType, with kerning) rather than Raqm, so that the output does not
        # depend on whether Pillow was built with Raqm. NFC Vietnamese needs no shaping: every
        # precomposed letter has its own glyph in the Liberation fonts (checked below).
        _font_cache[key] = ImageFont.truetype(
            str(FONT_DIR / FONT_FILES[(family, bold)]), size_px,
            layout_engine=ImageFont.Layout.BASIC)
    return _font_cache[key]


def check_fonts() -> None:
    missing = [name for name in sorted(set(FONT_FILES.values())) if not (FONT_DIR / name).is_file()]
    if missing:
        raise FixtureError(
            f"font(s) missing: {', '.join(str(FONT_DIR / m) for m in missing)} "
            "(install the Debian package fonts-liberation2)")


def check_glyphs() -> None:
    """Every character of every document must have a real glyph (not .notdef) in its font."""
    used: dict[tuple[str, bool], set[str]] = {}
    for doc in DOCUMENTS.values():
        for kind, text in doc["blocks"]:
            if kind == "gap":
                continue
            used.setdefault((doc["family"], STYLE[kind][0]), set()).update(text.replace(" ", ""))
    for (family, bold), chars in sorted(used.items()):
        f = font(family, bold, 48)

        def signature(ch: str) -> tuple:
            mask = f.getmask(ch)
            return (mask.size, bytes(mask), f.getbbox(ch))

        notdef = signature("\U0010FFFD")  # a private-use code point no Liberation font maps
        bad = sorted(ch for ch in chars if signature(ch) == notdef)
        if bad:
            raise FixtureError(
                f"{FONT_FILES[(family, bold)]} has no glyph for: "
                + ", ".join(f"{ch} (U+{ord(ch):04X})" for ch in bad))


def check_texts() -> None:
    for text_id, doc in DOCUMENTS.items():
        for kind, text in doc["blocks"]:
            if kind == "gap":
                continue
            if unicodedata.normalize("NFC", text) != text:
                raise FixtureError(f"{text_id}: not NFC: {text!r}")
            if text != " ".join(text.split()) or any(ch.isspace() and ch != " " for ch in text):
                raise FixtureError(f"{text_id}: words must be separated by single spaces: {text!r}")


# ---------------------------------------------------------------------------------------------
# Layout (in points, independent of the resolution, so both resolutions have the same lines)

PT_PER_MM = 72 / 25.4
PAGE_PT = (A4_MM[0] * PT_PER_MM, A4_MM[1] * PT_PER_MM)
MARGIN_PT = MARGIN_MM * PT_PER_MM
TEXT_WIDTH_PT = PAGE_PT[0] - 2 * MARGIN_PT
MEASURE_SCALE = 10  # measure widths with fonts of 10 px per point (720 dpi)


def width_pt(text: str, family: str, bold: bool, size_pt: float) -> float:
    return font(family, bold, size_pt * MEASURE_SCALE).getlength(text) / MEASURE_SCALE


def wrap(text: str, family: str, bold: bool, size_pt: float, limit_pt: float) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if current and width_pt(candidate, family, bold, size_pt) > limit_pt:
            lines.append(current)
            current = word
        else:
            current = candidate
    lines.append(current)
    return lines


def layout(text_id: str) -> list[dict]:
    """The page's lines: text, style and baseline (points from the top of the page)."""
    doc = DOCUMENTS[text_id]
    family = doc["family"]
    pitch_body = doc["body"] * LINE_PITCH
    out: list[dict] = []
    y = MARGIN_PT
    previous_size = None
    pending_gap = 0.0
    body_lines = 0
    for kind, value in doc["blocks"]:
        if kind == "gap":
            pending_gap += float(value) * pitch_body
            continue
        bold, size_key, align, wrapped = STYLE[kind]
        size = float(doc[size_key])
        limit = TEXT_WIDTH_PT * (WRAP_SLACK if align != "right-half" else 0.48)
        if wrapped:
            lines = wrap(value, family, bold, size, limit * (0.9 if kind == "title" else 1.0))
        else:
            lines = [value]
        for line in lines:
            if width_pt(line, family, bold, size) > limit:
                raise FixtureError(f"{text_id}: line too wide: {line!r}")
            if previous_size is None:
                y += size * 0.95  # first baseline: about one ascent below the top margin
            else:
                y += max(size, previous_size) * LINE_PITCH
            y += pending_gap
            pending_gap = 0.0
            previous_size = size
            out.append({"text": line, "kind": kind, "bold": bold, "size": size, "align": align,
                        "baseline": y})
            body_lines += kind == "p"
    if y + previous_size * 0.3 > PAGE_PT[1] - MARGIN_PT:
        raise FixtureError(f"{text_id}: text runs into the bottom margin ({y:.1f} pt)")
    if not MIN_BODY_LINES <= body_lines <= MAX_BODY_LINES:
        raise FixtureError(f"{text_id}: {body_lines} body lines, want "
                           f"{MIN_BODY_LINES}-{MAX_BODY_LINES}")
    return out


# ---------------------------------------------------------------------------------------------
# Rendering


def page_size(dpi: int) -> tuple[int, int]:
    return (round(A4_MM[0] / 25.4 * dpi), round(A4_MM[1] / 25.4 * dpi))


_render_cache: dict[tuple[str, int], tuple[Image.Image, list[dict], list[dict]]] = {}


def render(text_id: str, dpi: int) -> tuple[Image.Image, list[dict], list[dict]]:
    """The upright page as an "L" image of ink darkness (0 paper, 255 ink), its lines and words."""
    key = (text_id, dpi)
    if key in _render_cache:
        return _render_cache[key]
    family = DOCUMENTS[text_id]["family"]
    width, height = page_size(dpi)
    scale = dpi / 72
    margin = MARGIN_PT * scale
    page = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(page)
    lines: list[dict] = []
    words: list[dict] = []
    for index, line in enumerate(layout(text_id)):
        f = font(family, line["bold"], line["size"] * scale)
        text = line["text"]
        line_width = f.getlength(text)
        if line["align"] == "left":
            x = margin
        elif line["align"] == "centre":
            x = (width - line_width) / 2
        elif line["align"] == "right":
            x = width - margin - line_width
        else:  # centred on the right half of the text area
            x = margin + (width - 2 * margin) * 0.75 - line_width / 2
        baseline = round(line["baseline"] * scale)
        # Draw word by word, each at the position it has in the whole line, so that every box
        # is exactly that of the ink drawn.
        line_words = []
        offset = 0
        for word in text.split(" "):
            wx = round(x + f.getlength(text[:offset]))
            draw.text((wx, baseline), word, font=f, fill=255, anchor="ls")
            box = list(draw.textbbox((wx, baseline), word, font=f, anchor="ls"))
            line_words.append({"text": word, "box": box, "line": index})
            offset += len(word) + 1
        lbox = [min(w["box"][0] for w in line_words), min(w["box"][1] for w in line_words),
                max(w["box"][2] for w in line_words), max(w["box"][3] for w in line_words)]
        if lbox[0] < margin - 2 or lbox[2] > width - margin + 2:
            raise FixtureError(f"{text_id} at {dpi} dpi: line outside the margins: {text!r}")
        lines.append({"text": text, "box": lbox})
        words.extend(line_words)
    _render_cache[key] = (page, lines, words)
    return _render_cache[key]


def transform(page: Image.Image, variant: str) -> tuple[Image.Image, list[list[float]]]:
    """The page turned or skewed for the variant, and the affine map from upright to image."""
    width, height = page.size
    if variant == "rot90":  # clockwise: the top of the page is on the right of the image
        return page.transpose(Image.Transpose.ROTATE_270), [[0, -1, height], [1, 0, 0]]
    if variant == "rot180":
        return page.transpose(Image.Transpose.ROTATE_180), [[-1, 0, width], [0, -1, height]]
    if variant == "skew2":
        # Pillow's rotate turns counter-clockwise for positive angles; the centre is (w/2, h/2).
        turned = page.rotate(-SKEW_DEGREES, resample=Image.Resampling.BICUBIC, fillcolor=0)
        t = math.radians(SKEW_DEGREES)
        c, s = math.cos(t), math.sin(t)
        cx, cy = width / 2, height / 2
        matrix = [[c, -s, cx - c * cx + s * cy], [s, c, cy - s * cx - c * cy]]
        return turned, [[round(v, 9) for v in row] for row in matrix]
    return page, [[1, 0, 0], [0, 1, 0]]


def add_noise(dark: np.ndarray, words: list[dict], dpi: int, seed_key: str) -> np.ndarray:
    """Paper tone, Gaussian noise and a few specks (kept clear of the words)."""
    rng = np.random.default_rng([SEED, zlib.crc32(seed_key.encode())])
    height, width = dark.shape
    out = dark + NOISE_PAPER + rng.normal(0.0, NOISE_SIGMA, dark.shape)
    px_per_mm = dpi / 25.4
    clearance = 2.0 * px_per_mm
    boxes = np.array([w["box"] for w in words], dtype=float)
    specks = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(specks)
    placed = 0
    count = int(rng.integers(25, 41))
    while placed < count:
        x, y = rng.uniform(0, width), rng.uniform(0, height)
        r = rng.uniform(0.12, 0.35) * px_per_mm
        level = int(rng.integers(170, 256))
        near = ((boxes[:, 0] - clearance - r <= x) & (x <= boxes[:, 2] + clearance + r)
                & (boxes[:, 1] - clearance - r <= y) & (y <= boxes[:, 3] + clearance + r))
        if near.any():
            continue
        draw.ellipse((x - r, y - r, x + r, y + r), fill=level)
        placed += 1
    out = np.maximum(out, np.asarray(specks, dtype=np.float64) / 255.0)
    return np.clip(out, 0.0, 1.0)


def encode(dark: np.ndarray, fmt: str) -> Image.Image:
    if fmt == "tiff":
        return Image.fromarray(dark < 0.5)  # mode "1": True is white
    if fmt == "png":
        return Image.fromarray(np.rint(255.0 * (1.0 - dark)).astype(np.uint8), "L")
    paper = np.array(PAPER_RGB, dtype=np.float64)
    ink = np.array(INK_RGB, dtype=np.float64)
    rgb = paper + (ink - paper) * dark[:, :, None]
    return Image.fromarray(np.rint(rgb).astype(np.uint8), "RGB")


def save(image: Image.Image, path: Path, fmt: str, dpi: int) -> None:
    if fmt == "tiff":
        image.save(path, format="TIFF", compression="group4", dpi=(dpi, dpi))
    elif fmt == "png":
        image.save(path, format="PNG", dpi=(dpi, dpi))
    else:
        image.save(path, format="JPEG", quality=JPEG_QUALITY, dpi=(dpi, dpi))


# ---------------------------------------------------------------------------------------------
# The set of files


def plan() -> list[dict]:
    """One entry per image. Text = (2*variant + 3*dpi + format) mod 6, so the three formats of a
    variant at one resolution carry three different texts and every stem is unique."""
    entries = []
    for v, variant in enumerate(VARIANTS):
        for d, dpi in enumerate(DPIS):
            for f, (ext, fmt, mode) in enumerate(FORMATS):
                text_id = TEXT_IDS[(2 * v + 3 * d + f) % len(TEXT_IDS)]
                stem = f"{text_id}-{dpi}dpi-{variant}"
                entries.append({"stem": stem, "file": f"{stem}.{ext}", "text": text_id,
                                "dpi": dpi, "variant": variant, "format": fmt, "mode": mode})
    stems = [e["stem"] for e in entries]
    assert len(set(stems)) == len(stems), "stems must be unique"
    return entries


def select(entries: list[dict], only: str | None) -> list[dict]:
    if not only:
        return entries
    chosen: set[str] = set()
    for name in (n.strip() for n in only.split(",")):
        if not name:
            continue
        hits = [e["stem"] for e in entries
                if fnmatch.fnmatchcase(e["stem"], name) or fnmatch.fnmatchcase(e["file"], name)]
        if not hits:
            raise FixtureError(f"--only: no page named {name!r}; stems are: "
                               + ", ".join(e["stem"] for e in entries))
        chosen.update(hits)
    return [e for e in entries if e["stem"] in chosen]


def generate(outdir: Path, entries: list[dict]) -> None:
    outdir.mkdir(parents=True, exist_ok=True)
    manifest = []
    for entry in entries:
        page, lines, words = render(entry["text"], entry["dpi"])
        upright_w, upright_h = page.size
        turned, matrix = transform(page, entry["variant"])
        dark = np.asarray(turned, dtype=np.float64) / 255.0
        if entry["variant"] == "noisy":
            dark = add_noise(dark, words, entry["dpi"], entry["stem"])
        image = encode(dark, entry["format"])
        path = outdir / entry["file"]
        save(image, path, entry["format"], entry["dpi"])
        print(f"{path} ({image.width}x{image.height}, {entry['format']} {image.mode}, "
              f"{path.stat().st_size // 1024} KiB)", flush=True)
        truth = outdir / f"{entry['stem']}.txt"
        truth.write_bytes(("\n".join(line["text"] for line in lines) + "\n").encode("utf-8"))
        print(truth, flush=True)
        doc = DOCUMENTS[entry["text"]]
        manifest.append({
            "file": entry["file"],
            "truth": truth.name,
            "text": entry["text"],
            "dpi": entry["dpi"],
            "variant": entry["variant"],
            "format": entry["format"],
            "mode": entry["mode"],
            "width": image.width,
            "height": image.height,
            "rotation": ROTATIONS.get(entry["variant"], 0),
            "skew": SKEW_DEGREES if entry["variant"] == "skew2" else 0,
            "upright_width": upright_w,
            "upright_height": upright_h,
            "upright_to_image": matrix,
            "font": Path(FONT_FILES[(doc["family"], False)]).stem,
            "body_pt": doc["body"],
            "lines": lines,
            "words": words,
        })
    path = outdir / "manifest.json"
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(path, flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--only", metavar="NAME[,NAME...]",
                        help="generate only these stems (file names and fnmatch patterns work too)")
    args = parser.parse_args()
    started = time.monotonic()
    try:
        check_fonts()
        check_texts()
        check_glyphs()
        entries = select(plan(), args.only)
        generate(args.outdir, entries)
    except FixtureError as error:
        print(f"make_ocr_pages: {error}", file=sys.stderr)
        return 1
    print(f"make_ocr_pages: {len(entries)} pages in {time.monotonic() - started:.1f} s",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
