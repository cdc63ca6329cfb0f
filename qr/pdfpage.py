"""PDF building blocks shared by plaques and sticker sheets (fpdf2, millimetres, top-left origin).

Everything a print master needs and fpdf2 leaves to the caller: fixed dates and ids for
byte-identical output, TrimBox/BleedBox, crop marks, a vector QR on an explicit white quiet
zone, text that is NFC-normalised, checked against the font and fitted to a width, and a
DRAFT watermark. Positions are in mm from the page's top-left corner, as fpdf2 uses them.
"""

from __future__ import annotations

import io
import math
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import cast

from fpdf import FPDF
from fpdf.drawing import GraphicsContext, PaintedPath

import pdftext

from .matrix import QrSymbol
from .render import _runs

MM_PER_PT = 25.4 / 72
BLEED_MM = 3.0
CROP_MARK_OFFSET_MM = 1.0  # gap between trim corner and marks: no mark shows after cutting
CROP_MARK_WIDTH_MM = 0.25 * MM_PER_PT  # 0.25 pt hairline, the usual weight for crop marks
QUIET_ZONE = 4  # modules, ISO/IEC 18004
LINE_HEIGHT = 1.3  # baseline-to-baseline, in font sizes: room for stacked Vietnamese marks
ASCENT = 1.0  # baseline below a line's top, in font sizes (Noto: caps and single marks fit)
SIZE_STEP_PT = 0.5
FAMILY = "print"
DRAFT_GREY = 215  # light enough that text over it stays readable


class PrintError(ValueError):
    """A text or value that cannot be printed; `field` and `text` let the caller say which."""

    def __init__(self, field: str, text: str, problem: str):
        super().__init__(f"{field} {text!r}: {problem}")
        self.field = field
        self.text = text
        self.problem = problem

    def __reduce__(self):
        """Rebuild from the three fields, so the error survives a process pool."""
        return type(self), (self.field, self.text, self.problem)


@dataclass(frozen=True)
class Fonts:
    """Font files for regular and bold text, and fallbacks for the characters they lack: each
    a (file, face number) pair, such as Noto Sans CJK for Hán and Hangul (a collection whose
    face 3 has the traditional forms). The caller owns them. A fallback is loaded, and embedded
    as a subset, only by a document whose text needs it."""

    regular: Path
    bold: Path
    fallback: tuple[tuple[Path, int], ...] = ()


@dataclass(frozen=True)
class TextStyle:
    """How one kind of text may be fitted: size range in pt, line limit, weight."""

    max_pt: float
    min_pt: float
    max_lines: int = 1
    bold: bool = False

    def scaled(self, factor: float, floor_pt: float) -> TextStyle:
        """The style for a paper `factor` times A5, never below `floor_pt`."""
        return TextStyle(max(_half(self.max_pt * factor), floor_pt),
                         max(_half(self.min_pt * factor), floor_pt), self.max_lines, self.bold)

    def capped(self, max_pt: float) -> TextStyle:
        """The style with its maximum lowered to `max_pt` (never below its minimum)."""
        return TextStyle(max(min(self.max_pt, _half(max_pt)), self.min_pt), self.min_pt,
                         self.max_lines, self.bold)


@dataclass(frozen=True)
class Block:
    """Text fitted to a width: its lines and the size they are drawn at."""

    lines: tuple[str, ...]
    size_pt: float
    bold: bool

    @property
    def line_mm(self) -> float:
        return self.size_pt * MM_PER_PT * LINE_HEIGHT

    @property
    def height(self) -> float:
        return len(self.lines) * self.line_mm


def _half(value: float) -> float:
    """Round a size to half points, so scaled sizes stay on the fitting steps."""
    return round(value * 2) / 2


def new_document(fonts: Fonts, epoch: int) -> FPDF:
    """An fpdf2 document in mm with fixed creation date: same input, same bytes."""
    pdf = FPDF(unit="mm")
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.set_creation_date(datetime.fromtimestamp(epoch, timezone.utc))
    pdftext.add_font(pdf, FAMILY, "", fonts.regular)
    pdftext.add_font(pdf, FAMILY, "B", fonts.bold)
    pdftext.attach(pdf, FAMILY, fonts.fallback)
    return pdf


def add_page(pdf: FPDF, trim: tuple[float, float], bleed: float) -> None:
    """A page of the trim size plus `bleed` on each side; TrimBox/BleedBox when bleed > 0.

    fpdf2 has no page-box API; its page objects serialise every public attribute, so the
    boxes are set as attributes (checked by the tests with pypdfium2 and pdfinfo).
    """
    width, height = trim[0] + 2 * bleed, trim[1] + 2 * bleed
    pdf.add_page(format=(width, height))
    if bleed > 0:
        page = pdf.pages[pdf.page]
        # PDFPage declares no such attributes, so they are set by name
        setattr(page, "trim_box", _box(bleed, bleed, width - bleed, height - bleed, pdf.k))
        setattr(page, "bleed_box", _box(0, 0, width, height, pdf.k))


def _box(x0: float, y0: float, x1: float, y1: float, k: float) -> str:
    """A PDF rectangle in points from mm (PDF's y axis is upward; symmetric boxes only)."""
    return f"[{x0 * k:.2f} {y0 * k:.2f} {x1 * k:.2f} {y1 * k:.2f}]"


def draw_crop_marks(pdf: FPDF, trim: tuple[float, float], bleed: float) -> None:
    """Hairlines on the trim lines, in the bleed margin, starting a little outside the trim."""
    pdf.set_draw_color(0)
    pdf.set_line_width(CROP_MARK_WIDTH_MM)
    xs, ys = (bleed, bleed + trim[0]), (bleed, bleed + trim[1])
    page_w, page_h = trim[0] + 2 * bleed, trim[1] + 2 * bleed
    for x, edge_x, sign_x in ((xs[0], 0, -1), (xs[1], page_w, 1)):
        for y, edge_y, sign_y in ((ys[0], 0, -1), (ys[1], page_h, 1)):
            pdf.line(x + sign_x * CROP_MARK_OFFSET_MM, y, edge_x, y)
            pdf.line(x, y + sign_y * CROP_MARK_OFFSET_MM, x, edge_y)


def draw_qr(pdf: FPDF, symbol: QrSymbol, x: float, y: float, tile: float) -> float:
    """White tile (quiet zone included) of side `tile` at (x, y), then the modules.

    Dark modules are merged into horizontal runs and filled as ONE path: no hairline seams
    between modules. Returns the module size in mm.
    """
    module = tile / (symbol.size + 2 * QUIET_ZONE)
    pdf.set_fill_color(255)
    pdf.rect(x, y, tile, tile, style="F")
    left, top = x + QUIET_ZONE * module, y + QUIET_ZONE * module
    path = PaintedPath()
    path.style.fill_color = "#000000"
    path.style.stroke_color = None
    path.style.paint_rule = "FILL_NONZERO"
    for row, cells in enumerate(symbol.modules):
        for col, run in _runs(cells):
            path.rectangle(left + col * module, top + row * module, run * module, module)
    # fpdf2 2.8 annotates draw_path's argument as GraphicsContext, but it takes a PaintedPath
    # (its docstring; the drawing context's add_item accepts both)
    pdf.draw_path(cast(GraphicsContext, path), copy=False)  # a deep copy costs ~30 ms a code
    return module


def clean(text: str) -> str:
    """NFC (precomposed marks draw and extract correctly), whitespace runs as one space."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def _use(pdf: FPDF, size_pt: float, bold: bool) -> None:
    pdf.set_font(FAMILY, "B" if bold else "", size_pt)


def check_glyphs(pdf: FPDF, text: str, field: str, bold: bool) -> None:
    """Refuse characters no font has (fpdf2 would draw an empty box); the fallback fonts
    are asked only for characters the main font lacks."""
    _use(pdf, 10, bold)
    assert pdf.current_font is not None  # set_font sets a font or raises
    name = pdf.current_font.name
    for char in dict.fromkeys(text):
        if not pdftext.covered(pdf, char):
            raise PrintError(field, text, f"U+{ord(char):04X} {char!r} "
                             f"({unicodedata.name(char, 'unnamed')}) is not in the font "
                             f"{name} nor in a fallback font: remove it or replace it")


def fit(pdf: FPDF, text: str, *, field: str, style: TextStyle, width: float,
        compact: bool = False) -> Block:
    """Fit `text` into `style.max_lines` lines of at most `width` mm, stepping the size down
    to `style.min_pt`: the largest size wins, or with `compact` the fewest lines (shrink
    before wrapping, for a page short of height). Raises PrintError naming `field`.
    """
    text = clean(text)
    check_glyphs(pdf, text, field, style.bold)
    for max_lines in (range(1, style.max_lines + 1) if compact else (style.max_lines,)):
        size = style.max_pt
        while size >= style.min_pt - 1e-9:
            lines = _wrap(pdf, text, size, style.bold, width)
            if lines is not None and len(lines) <= max_lines:
                return Block(tuple(lines), size, style.bold)
            size -= SIZE_STEP_PT
    raise PrintError(field, text, f"does not fit {style.max_lines} line(s) of {width:.0f} mm "
                     f"even at {style.min_pt:g} pt: shorten it")


def _wrap(pdf: FPDF, text: str, size_pt: float, bold: bool, width: float) -> list[str] | None:
    """Greedy word wrap at `size_pt`; None when a single word is wider than `width`."""
    _use(pdf, size_pt, bold)
    lines: list[str] = []
    for word in text.split(" "):
        if pdftext.text_width(pdf, word) > width:
            return None
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and pdftext.text_width(pdf, candidate) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines


def draw_block(pdf: FPDF, block: Block, centre_x: float, top: float) -> float:
    """Draw the lines centred on `centre_x` from `top` down; return the bottom."""
    _use(pdf, block.size_pt, block.bold)
    pdf.set_text_color(0)
    for i, line in enumerate(block.lines):
        baseline = top + i * block.line_mm + ASCENT * block.size_pt * MM_PER_PT
        pdftext.draw_text(pdf, centre_x - pdftext.text_width(pdf, line) / 2, baseline, line)
    return top + block.height


def draw_watermark(pdf: FPDF, x: float, y: float, width: float, height: float) -> None:
    """A large light-grey DRAFT along the diagonal of the area; draw it first, so the white
    QR tiles drawn later cover it and the codes stay clean.
    """
    word = "DRAFT"
    diagonal = math.hypot(width, height)
    _use(pdf, 100, True)
    size = 100 * 0.7 * diagonal / pdf.get_string_width(word)
    _use(pdf, size, True)
    pdf.set_text_color(DRAFT_GREY)
    centre_x, centre_y = x + width / 2, y + height / 2
    with pdf.rotation(math.degrees(math.atan2(height, width)), centre_x, centre_y):
        pdf.text(centre_x - pdf.get_string_width(word) / 2,
                 centre_y + 0.36 * size * MM_PER_PT, word)
    pdf.set_text_color(0)


def finish(pdf: FPDF) -> bytes:
    """The document's bytes (fpdf2's /ID is a hash of the content and the fixed date)."""
    return pdftext.output(pdf)


def preview_png(pdf: bytes, *, dpi: int = 72, page: int = 0) -> bytes:
    """One page rendered by PDFium (whole MediaBox, marks included) as a PNG; same bytes
    for the same PDF, since the PNG carries no date.
    """
    import pypdfium2 as pdfium  # imported here: only previews and proofs render

    if dpi < 1:
        raise ValueError(f"dpi must be >= 1, got {dpi}")
    document = pdfium.PdfDocument(pdf)
    try:
        if not 0 <= page < len(document):
            raise ValueError(f"page {page} out of range: the PDF has {len(document)} page(s)")
        pdf_page = document[page]
        bitmap = pdf_page.render(scale=dpi / 72)
        image = bitmap.to_pil().copy()  # own the pixels before PDFium frees the bitmap
        bitmap.close()
        pdf_page.close()
    finally:
        document.close()
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
