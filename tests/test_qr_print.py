"""Print PDFs: true size and page boxes, crop marks, vector QR on a white tile, text that is
extractable, embedded, fitted or refused, DRAFT marking, sticker sheets, reproducibility.

Real tools only: pypdfium2 (boxes, char boxes, rendering), poppler's pdftotext, pdffonts
and pdfinfo; the project's Noto Sans files, never machine fonts.
"""

from __future__ import annotations

import ctypes
import pickle
import re
import subprocess
import unicodedata
import zlib
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest

from conftest import REPO
from qr import (PAPER, Fonts, PlaqueText, PrintError, Sticker, encode, open_png, plaque_pdf,
                plaque_url, preview_png, sticker_sheet_pdf)
from qr.plaque import FLOOR_PT, NAME, QR_TILE_MM
from qr_helpers import decode

MM = 72 / 25.4  # points per mm
SITE = "https://disan.example.vn/"
PAYLOAD = plaque_url(SITE, "7K")
EPOCH = 1767225600  # 2026-01-01T00:00:00Z
TEXTS = (PlaqueText("Tháp nước Phan Thiết", "Bưng Kò Ke · Di tích lịch sử",
                    "Quét để xem lịch sử, bản đồ"),
         PlaqueText("Phan Thiet Water Tower", "A water tower built 1928–1934",
                    "Scan for history and map"))
FOOTER = "Hội Di sản Bình Thuận · CC BY-SA 4.0"
MIN_TILE_MM = {"A4": 110, "A5": 80, "A6": 60, "square200": 110}  # the brief's floors


@pytest.fixture(scope="module")
def fonts() -> Fonts:
    folder = REPO / "generator" / "assets" / "fonts"
    return Fonts(regular=folder / "NotoSans-Regular.ttf", bold=folder / "NotoSans-Bold.ttf")


def plaque(fonts: Fonts, *, paper: str = "A5", texts=TEXTS, draft: bool = False,
           footer: str = FOOTER, epoch: int = EPOCH) -> bytes:
    return plaque_pdf(payload=PAYLOAD, short_url="disan.example.vn/q/7k", code="7K",
                      texts=texts, footer=footer, paper=paper, fonts=fonts, draft=draft,
                      epoch=epoch)


def stickers(count: int) -> list[Sticker]:
    codes = [f"{a}{b}" for a in "23456789ABCDEFGH" for b in "23456789"][:count]
    return [Sticker(plaque_url(SITE, code), code, f"Di tích số {i} · Bưng Kò Ke")
            for i, code in enumerate(codes)]


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """pdftotext's UTF-8 text of the whole PDF."""
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def pdfium_texts(pdf: bytes) -> list[str]:
    """PDFium's text of each page (keeps rotated words whole, unlike pdftotext)."""
    document = pdfium.PdfDocument(pdf)
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def symbol_bounds(image) -> tuple[int, int, int, int]:
    """(left, top, right, bottom) pixels of the one QR symbol zxing-cpp finds."""
    results = decode(image)
    assert [r.text for r in results] == [PAYLOAD]
    p = results[0].position
    xs = [p.top_left.x, p.top_right.x, p.bottom_left.x, p.bottom_right.x]
    ys = [p.top_left.y, p.top_right.y, p.bottom_left.y, p.bottom_right.y]
    return min(xs), min(ys), max(xs), max(ys)


def poppler(tool: str, pdf: bytes, tmp_path: Path, *args: str) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    return subprocess.run([tool, *args, str(path)], check=True, capture_output=True,
                          text=True).stdout


def content_streams(pdf: bytes) -> bytes:
    """All page content streams, inflated (fpdf2 compresses them with Flate)."""
    out = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            out.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(part for part in out if b" Tj" in part or b" re" in part)


def boxes_mm(pdf: bytes, page: int = 0) -> dict[str, tuple[float, ...]]:
    document = pdfium.PdfDocument(pdf)
    try:
        p = document[page]
        return {name: tuple(v / MM for v in getter(fallback_ok=False) or ())
                for name, getter in (("media", p.get_mediabox), ("trim", p.get_trimbox),
                                     ("bleed", p.get_bleedbox))}
    finally:
        document.close()


def char_boxes_mm(pdf: bytes, page: int = 0) -> list[tuple[str, tuple[float, ...], float, float]]:
    """(char, (left, bottom, right, top) in mm, font size in pt, baseline in mm) of every
    drawn character, in drawing order.
    """
    document = pdfium.PdfDocument(pdf)
    try:
        text_page = document[page].get_textpage()
        out = []
        x, y = ctypes.c_double(), ctypes.c_double()
        for i in range(text_page.count_chars()):
            char = text_page.get_text_range(i, 1)
            if char.strip():
                box = tuple(v / MM for v in text_page.get_charbox(i))
                size = pdfium.raw.FPDFText_GetFontSize(text_page.raw, i)
                pdfium.raw.FPDFText_GetCharOrigin(text_page.raw, i, x, y)
                out.append((char, box, size, y.value / MM))
        return out
    finally:
        document.close()


# 1. True size -------------------------------------------------------------------------------

@pytest.mark.parametrize("paper", sorted(PAPER))
def test_page_is_paper_plus_3mm_bleed_with_trim_and_bleed_boxes(fonts, paper):
    w, h = PAPER[paper]
    boxes = boxes_mm(plaque(fonts, paper=paper))
    assert boxes["media"] == pytest.approx((0, 0, w + 6, h + 6), abs=0.1)
    assert boxes["trim"] == pytest.approx((3, 3, w + 3, h + 3), abs=0.1)
    assert boxes["bleed"] == pytest.approx((0, 0, w + 6, h + 6), abs=0.1)


def test_pdfinfo_reads_the_same_boxes(fonts, tmp_path):
    info = poppler("pdfinfo", plaque(fonts, paper="A5"), tmp_path, "-box")
    box = {m[1]: [float(v) / MM for v in m[2].split()]
           for m in re.finditer(r"^(\w+Box):\s+(.*)$", info, re.M)}
    assert box["MediaBox"] == pytest.approx([0, 0, 154, 216], abs=0.1)
    assert box["TrimBox"] == pytest.approx([3, 3, 151, 213], abs=0.1)
    assert box["BleedBox"] == pytest.approx([0, 0, 154, 216], abs=0.1)


def test_crop_marks_are_in_the_bleed_and_nothing_else_is(fonts):
    dpi = 300
    px = dpi / 25.4
    page = np.asarray(open_png(preview_png(plaque(fonts, paper="A5", draft=True), dpi=dpi)))
    trim_x, trim_y = (round(3 * px), round(151 * px)), (round(3 * px), round(213 * px))
    dark = page < 200
    in_bleed = np.ones_like(dark)
    in_bleed[trim_y[0]:trim_y[1], trim_x[0]:trim_x[1]] = False
    on_trim_line = np.zeros_like(dark)
    for x in trim_x:
        on_trim_line[:, x - 2:x + 2] = True
    for y in trim_y:
        on_trim_line[y - 2:y + 2, :] = True
    assert not (dark & in_bleed & ~on_trim_line).any(), "ink in the bleed off the trim lines"
    marks = dark & in_bleed & on_trim_line
    offset = round(0.8 * px)  # marks stop 1 mm short of the trim corner
    for x in trim_x:
        for y in trim_y:
            assert marks[y - 2:y + 2, :].any() and marks[:, x - 2:x + 2].any()
            assert not dark[y - offset:y + offset, x - offset:x + offset].any(), \
                "a mark touches the trim corner"
    assert marks[:, : trim_x[0]].sum() > 0 and marks[:, trim_x[1]:].sum() > 0
    assert marks[: trim_y[0], :].sum() > 0 and marks[trim_y[1]:, :].sum() > 0


# 2. QR as vector rectangles on a white tile --------------------------------------------------

def runs(modules) -> int:
    return sum(1 for row in modules for i, dark in enumerate(row)
               if dark and (i == 0 or not row[i - 1]))


def test_qr_is_merged_vector_runs_on_a_white_tile_no_images(fonts):
    pdf = plaque(fonts)
    assert b"/Subtype /Image" not in pdf
    stream = content_streams(pdf).decode("latin-1")
    rects = re.findall(r"([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+) re", stream)
    tile = QR_TILE_MM["A5"] * MM
    white_tiles = re.findall(r"1 g\n[-\d.]+ [-\d.]+ ([\d.]+) (-?[\d.]+) re f", stream)
    assert [(float(w), abs(float(h))) for w, h in white_tiles] == [
        pytest.approx((tile, tile), abs=0.05)]
    assert len(rects) == 1 + runs(encode(PAYLOAD).modules)  # the tile + one per run


@pytest.mark.parametrize("paper", sorted(PAPER))
def test_qr_size_follows_the_distance_table(fonts, paper):
    assert QR_TILE_MM[paper] >= MIN_TILE_MM[paper]
    symbol = encode(PAYLOAD)
    module = QR_TILE_MM[paper] / (symbol.size + 8)
    dpi = 150
    left, _, right, _ = symbol_bounds(open_png(preview_png(plaque(fonts, paper=paper), dpi=dpi)))
    assert (right - left) * 25.4 / dpi == pytest.approx(module * symbol.size, abs=module)


def test_quiet_zone_is_white_even_in_draft(fonts):
    dpi = 150
    px = dpi / 25.4
    clean_image = open_png(preview_png(plaque(fonts, draft=False), dpi=dpi))
    clean = np.asarray(clean_image)
    draft = np.asarray(open_png(preview_png(plaque(fonts, draft=True), dpi=dpi)))
    assert (clean != draft).any(), "DRAFT is visible somewhere"
    left, top, right, bottom = symbol_bounds(clean_image)
    q = int(4 * QR_TILE_MM["A5"] / 37 * px) - 2  # the quiet zone, less a pixel of rounding
    tile = (slice(top - q, bottom + q), slice(left - q, right + q))
    assert (draft[tile] == clean[tile]).all(), "DRAFT drawn over the code or quiet zone"
    ring = clean[tile].copy()
    ring[q - 1:1 - q, q - 1:1 - q] = 255  # the symbol, with its anti-aliased edge pixels
    assert ring.min() == 255, "quiet zone not white"


# 3. Text: NFC, embedded subsets, exact extraction --------------------------------------------

def test_vietnamese_extracts_exactly_and_fonts_are_embedded_subsets(fonts, tmp_path):
    nfd = tuple(PlaqueText(unicodedata.normalize("NFD", t.name),
                           unicodedata.normalize("NFD", t.line), t.call) for t in TEXTS)
    pdf = plaque(fonts, texts=nfd)
    text = pdf_text(pdf, tmp_path)
    assert "Tháp nước Phan Thiết" in text
    assert "Bưng Kò Ke" in text
    assert unicodedata.normalize("NFC", text) == text
    for expected in ("Quét để xem lịch sử, bản đồ", "Scan for history and map",
                     "disan.example.vn/q/7k", "7K", FOOTER):
        assert expected in text
    lines = poppler("pdffonts", pdf, tmp_path).splitlines()[2:]
    assert len(lines) == 2
    for line in lines:
        assert re.search(r"CID TrueType\s+Identity-H\s+yes\s+yes\s+yes", line), line
    assert {line.split()[0].split("+")[1] for line in lines} == {"NotoSans", "NotoSansBold"}


def test_short_url_is_printed_as_given(fonts, tmp_path):
    pdf = plaque_pdf(payload=PAYLOAD, short_url="disan.example.vn/q/7k", code="7K", texts=TEXTS,
                     footer="", paper="A6", fonts=fonts, draft=False, epoch=EPOCH)
    text = pdf_text(pdf, tmp_path)
    assert "disan.example.vn/q/7k" in text and "7K" in text


# 4. Fitting ---------------------------------------------------------------------------------

LONG_NAMES = [
    "Khu di tích lịch sử cách mạng Bưng Kò Ke và căn cứ Tỉnh ủy Bình Thuận "
    "thời kháng chiến",
    "Nhàthờchínhtòaphủcủagiáophậnphanthiết",  # one long word: can only shrink
]
WIDER_WORD = "vàtrườngdòngthánhgiuse"  # square200's column is wider, relative to its sizes


@pytest.mark.parametrize("paper", sorted(PAPER))
@pytest.mark.parametrize("name", LONG_NAMES, ids=["many-words", "one-word"])
def test_long_names_shrink_or_wrap_and_stay_inside_the_trim(fonts, paper, name):
    if paper == "square200" and " " not in name:
        name += WIDER_WORD
    texts = (PlaqueText(name, "Căn cứ cách mạng trong rừng ngập mặn, 1960–1975",
                        "Quét để xem lịch sử, bản đồ"),)
    pdf = plaque(fonts, paper=paper, texts=texts)
    w, h = PAPER[paper]
    chars = char_boxes_mm(pdf)
    for char, (left, bottom, right, top), _, _ in chars:
        assert 3 <= left and right <= w + 3 and 3 <= bottom and top <= h + 3, (char, paper)
    letters = name.replace(" ", "")
    name_chars = chars[:len(letters)]  # the name is drawn first
    assert "".join(c[0] for c in name_chars) == letters
    sizes = {round(c[2], 2) for c in name_chars}
    lines = {round(c[3], 2) for c in name_chars}
    style = NAME.scaled(min(w / 148, h / 210), FLOOR_PT)
    assert len(sizes) == 1 and len(lines) <= 2
    size = sizes.pop()
    assert style.min_pt <= size <= style.max_pt
    assert size < style.max_pt or len(lines) == 2, "neither shrunk nor wrapped"


def test_one_word_name_steps_its_size_down(fonts):
    chars = char_boxes_mm(plaque(fonts, texts=(PlaqueText(LONG_NAMES[1], "", ""),)))
    name_size = chars[0][2]
    assert 14 <= name_size < 20 and name_size * 2 == int(name_size * 2)


def test_a_short_name_keeps_the_full_size(fonts):
    chars = char_boxes_mm(plaque(fonts))
    assert chars[0][0] == "T" and chars[0][2] == pytest.approx(20)


def test_a_200_character_name_is_refused_naming_the_field(fonts):
    name = ("Tháp nước Phan Thiết " * 10)[:200]
    with pytest.raises(PrintError) as caught:
        plaque(fonts, texts=(PlaqueText(name, "line", "call"),))
    assert caught.value.field == "name"
    assert caught.value.text == name.strip()
    assert "2 line(s)" in str(caught.value) and "14 pt" in str(caught.value)


@pytest.mark.parametrize("field, char", [("name", "中"), ("line", "😀"), ("call", "\u0e01")])
def test_a_character_missing_from_the_font_is_refused_by_code_point(fonts, field, char):
    values = {"name": "Tháp nước", "line": "Di tích", "call": "Quét"}
    values[field] += f" {char}"
    with pytest.raises(PrintError) as caught:
        plaque(fonts, texts=(PlaqueText(**values),))
    assert caught.value.field == field
    assert f"U+{ord(char):04X}" in str(caught.value) and repr(char) in str(caught.value)


RUSSIAN = PlaqueText("Водонапорная башня Фантьета", "Водонапорная башня 1928–1934 годов",
                     "Сканируйте: история и карта")


@pytest.mark.parametrize("paper", sorted(PAPER))
def test_three_languages_fit_every_paper(fonts, paper, tmp_path):
    pdf = plaque(fonts, paper=paper, texts=TEXTS + (RUSSIAN,))
    assert "Водонапорная башня Фантьета" in pdf_text(pdf, tmp_path)


def test_print_error_survives_pickling():
    error = pickle.loads(pickle.dumps(PrintError("name", "Tháp", "does not fit")))
    assert (error.field, error.text, error.problem) == ("name", "Tháp", "does not fit")
    assert str(error) == "name 'Tháp': does not fit"


def test_too_many_texts_for_the_height_are_refused(fonts):
    with pytest.raises(PrintError) as caught:
        plaque(fonts, paper="A6", texts=TEXTS * 5)
    assert caught.value.field == "texts" and "A6" in str(caught.value)


def test_other_bad_values_name_their_field(fonts):
    cases = [
        (dict(paper="A3"), "paper"),
        (dict(texts=()), "texts"),
        (dict(texts=(PlaqueText(" ", "x", "y"),)), "name"),
        (dict(footer="x" * 400), "footer"),
    ]
    for kwargs, field in cases:
        with pytest.raises(PrintError) as caught:
            plaque(fonts, **kwargs)
        assert caught.value.field == field, kwargs
    with pytest.raises(PrintError) as caught:
        plaque_pdf(payload="", short_url="x", code="7K", texts=TEXTS, footer="", paper="A5",
                   fonts=fonts, draft=False, epoch=0)
    assert caught.value.field == "payload" and isinstance(caught.value, ValueError)


# 5. DRAFT ----------------------------------------------------------------------------------

@pytest.mark.parametrize("paper", sorted(PAPER))
def test_draft_marks_the_plaque_and_final_does_not(fonts, paper, tmp_path):
    assert "DRAFT" in pdfium_texts(plaque(fonts, paper=paper, draft=True))[0]
    assert "DRAFT" not in pdfium_texts(plaque(fonts, paper=paper, draft=False))[0]
    assert "DRAFT" not in pdf_text(plaque(fonts, paper=paper, draft=False), tmp_path)


def test_draft_marks_every_sticker_page(fonts):
    draft = sticker_sheet_pdf(stickers(13), fonts=fonts, draft=True, epoch=EPOCH)
    final = sticker_sheet_pdf(stickers(13), fonts=fonts, draft=False, epoch=EPOCH)
    assert ["DRAFT" in text for text in pdfium_texts(draft)] == [True, True]
    assert ["DRAFT" in text for text in pdfium_texts(final)] == [False, False]


# 6. Sticker sheets -------------------------------------------------------------------------

def test_thirteen_stickers_make_two_a4_pages_with_labels_and_codes(fonts, tmp_path):
    items = stickers(13)
    pdf = sticker_sheet_pdf(items, fonts=fonts, draft=False, epoch=EPOCH)
    document = pdfium.PdfDocument(pdf)
    try:
        assert len(document) == 2
        for page in document:
            assert (page.get_width() / MM, page.get_height() / MM) == pytest.approx(
                (210, 297), abs=0.1)
    finally:
        document.close()
    text = pdf_text(pdf, tmp_path)
    for item in items:
        assert item.label in text and item.code in text


def test_cut_guides_are_dashed_lines_between_cells(fonts):
    pdf = sticker_sheet_pdf(stickers(12), fonts=fonts, draft=False, epoch=EPOCH)
    assert re.search(rb"\[[\d.]+ [\d.]+\] [\d.]+ d", content_streams(pdf))
    dpi = 150
    px = dpi / 25.4
    page = np.asarray(open_png(preview_png(pdf, dpi=dpi)))
    x = round((8 + 194 / 3) * px)  # first inner column boundary
    column = page[round(10 * px):round(287 * px), x - 1:x + 2].min(axis=1)
    inked = column < 230
    assert 0.3 < inked.mean() < 0.7, "guide is not dashed"
    assert np.count_nonzero(np.diff(inked.astype(int))) > 100  # many dash ends
    y = round((8 + 281 / 4) * px)  # first inner row boundary
    row = page[y - 1:y + 2, round(10 * px):round(200 * px)].min(axis=0) < 230
    assert 0.3 < row.mean() < 0.7


def test_sheet_layout_errors_name_their_field(fonts):
    for kwargs, field in [(dict(code_mm=80), "code_mm"), (dict(columns=0), "columns"),
                          (dict(rows=7), "code_mm")]:
        with pytest.raises(PrintError) as caught:
            sticker_sheet_pdf(stickers(2), fonts=fonts, draft=False, epoch=0, **kwargs)
        assert caught.value.field == field, kwargs
    with pytest.raises(PrintError) as caught:
        sticker_sheet_pdf([], fonts=fonts, draft=False, epoch=0)
    assert caught.value.field == "items"
    with pytest.raises(PrintError) as caught:
        sticker_sheet_pdf([Sticker(PAYLOAD, "7K", "Ngôi chùa 中")], fonts=fonts, draft=False,
                          epoch=0)
    assert caught.value.field == "label" and "U+4E2D" in str(caught.value)


# 7. Reproducible ---------------------------------------------------------------------------

def test_same_input_gives_identical_bytes_with_a_fixed_id_and_date(fonts):
    first, second = plaque(fonts, draft=True), plaque(fonts, draft=True)
    assert first == second
    ids = re.findall(rb"/ID \[<([0-9A-F]{32})><([0-9A-F]{32})>\]", first)
    assert len(ids) == 1 and ids[0][0] == ids[0][1]
    assert b"/CreationDate (D:20260101000000Z" in first
    other = plaque(fonts, draft=True, epoch=EPOCH + 86400)
    assert other != first and b"/CreationDate (D:20260102000000Z" in other
    sheets = [sticker_sheet_pdf(stickers(13), fonts=fonts, draft=False, epoch=EPOCH)
              for _ in range(2)]
    assert sheets[0] == sheets[1]


def test_preview_png_is_deterministic_and_sized_by_dpi(fonts):
    pdf = plaque(fonts, paper="A6")
    first = preview_png(pdf, dpi=72)
    assert first == preview_png(pdf, dpi=72)
    image = open_png(first)
    assert image.size == (round(111 * 72 / 25.4), round(154 * 72 / 25.4))
    with pytest.raises(ValueError):
        preview_png(pdf, page=1)
