"""One plaque per PDF, at true size with 3 mm bleed and crop marks.

Layout, top to bottom inside a safe margin: for each language the site name (bold) and its
one-line description; then, centred in the space left, the calls to scan, the QR on its
white quiet-zone tile, the short URL and the code; the footer sits on the bottom margin.
Nothing is drawn in the bleed but the crop marks: plaques are often printed on office
printers and cut by hand, so the art keeps a white border.

QR tile sizes (quiet zone included) per paper. Scanning distances follow the research
(qr-print.md §1.1): the 10:1 rule (symbol width / 10) and a phone-camera model needing
3 px per module (0.308 m per mm of module at 720p). "symbol" and "module" are for a v3
code (29 modules + 2 x 4 quiet zone = 37), the size of an upper-case plaque URL at ECC H;
a longer payload (v5, 45 with quiet zone) gets 18 % smaller modules and shorter distances.

| paper     | trim mm   | tile mm | v3 symbol | module  | 10:1   | 720p model | use               |
|-----------|-----------|---------|-----------|---------|--------|------------|-------------------|
| A4        | 210 x 297 | 140     | 110 mm    | 3.78 mm | 1.10 m | 1.17 m     | wall, post        |
| A5        | 148 x 210 | 104     | 82 mm     | 2.81 mm | 0.82 m | 0.87 m     | standard plaque   |
| A6        | 105 x 148 | 76      | 60 mm     | 2.05 mm | 0.60 m | 0.63 m     | table card        |
| square200 | 200 x 200 | 110     | 86 mm     | 2.97 mm | 0.86 m | 0.92 m     | post-top sign     |

Text sizes are set for A5 and scaled by min(width / 148, height / 210) for the other papers
(A4 x1.41, A6 x0.71, square200 x0.95), never below 6 pt. On A5: name 20 pt bold, shrinking
in 0.5 pt steps to 14 pt (the legible minimum for a title read at arm's length; A4 20 pt,
A6 10 pt, square200 13.5 pt) and wrapping to 2 lines at most; description and call 11 pt
down to 8.5 pt, 2 lines; short URL 13 pt down to 9 pt; code 16 pt bold; footer 7 pt down
to 6 pt, 2 lines. Each text takes the largest size that fits its lines; when the whole
stack is too tall for the paper, every maximum size and the gaps between languages are cut
to 90, 80 and then 70 % (sizes never below their minimums) before giving up with
PrintError("texts"). VI + EN fit every paper; a third language (e.g. Russian) fits too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from fpdf import FPDF

from .matrix import QrSymbol, encode
from .pdfpage import (BLEED_MM, Block, Fonts, PrintError, TextStyle, add_page, draw_block,
                      draw_crop_marks, draw_qr, draw_watermark, finish, fit, new_document)

PAPER = {"A4": (210, 297), "A5": (148, 210), "A6": (105, 148), "square200": (200, 200)}
QR_TILE_MM = {"A4": 140, "A5": 104, "A6": 76, "square200": 110}  # see the table above
A5_MM = (148, 210)
FLOOR_PT = 6.0

NAME = TextStyle(20, 14, max_lines=2, bold=True)
LINE = TextStyle(11, 8.5, max_lines=2)
CALL = TextStyle(11, 8.5, max_lines=2)
URL = TextStyle(13, 9)
CODE = TextStyle(16, 12, bold=True)
FOOTER = TextStyle(7, 6, max_lines=2)

# Vertical spacing on A5 in mm, scaled like the text.
MARGIN_MM = 8.0  # safe margin inside the trim: office printers leave 3-5 mm unprinted
LANGUAGE_GAP_MM = 5.0
NAME_GAP_MM = 0.8
CALL_GAP_MM = 1.0
TILE_GAP_MM = 0.5  # the quiet zone is already white space
MIN_GAP_MM = 4.0  # at least this above the call and above the footer
SHRINK_STEPS = (1.0, 0.9, 0.8, 0.7)  # when the texts are too tall: all maximum sizes x this


@dataclass(frozen=True)
class PlaqueText:
    """The texts of one language: site name, one-line description, call to scan."""

    name: str
    line: str
    call: str


@dataclass(frozen=True)
class _Plan:
    """Fitted blocks: the language stack at the top, the code group, the footer."""

    top: tuple[tuple[float, Block], ...]  # (gap above, block)
    calls: tuple[Block, ...]
    url: Block
    code: Block
    footer: Block


def plaque_pdf(*, payload: str, short_url: str, code: str, texts: Sequence[PlaqueText],
               footer: str, paper: str, fonts: Fonts, draft: bool, epoch: int) -> bytes:
    """The print master of one plaque; raises PrintError naming the text that cannot fit."""
    trim = _trim(paper)
    scale = min(trim[0] / A5_MM[0], trim[1] / A5_MM[1])
    symbol = _symbol(payload)
    pdf = new_document(fonts, epoch)
    width = trim[0] - 2 * MARGIN_MM * scale
    for shrink in SHRINK_STEPS:
        plan = _plan(pdf, texts, short_url, code, footer, width, scale, shrink)
        if _fits(plan, paper, trim, scale):
            break
    _check_height(plan, paper, trim, scale)
    add_page(pdf, trim, BLEED_MM)
    if draft:
        draw_watermark(pdf, BLEED_MM, BLEED_MM, *trim)
    _draw(pdf, plan, symbol, trim, QR_TILE_MM[paper], scale)
    draw_crop_marks(pdf, trim, BLEED_MM)
    return finish(pdf)


def _trim(paper: str) -> tuple[float, float]:
    if paper not in PAPER:
        raise PrintError("paper", paper, f"unknown paper; use one of {', '.join(PAPER)}")
    return PAPER[paper]


def _symbol(payload: str) -> QrSymbol:
    try:
        return encode(payload)
    except ValueError as error:
        raise PrintError("payload", payload, str(error)) from None


def _plan(pdf: FPDF, texts: Sequence[PlaqueText], short_url: str, code: str, footer: str,
          width: float, scale: float, shrink: float) -> _Plan:
    """Fit every text to the width, sizes scaled for the paper and maximum sizes (and the
    gaps between languages) cut by `shrink`; the first text that cannot fit raises PrintError.
    """
    if not texts:
        raise PrintError("texts", "", "a plaque needs at least one PlaqueText")

    def fitted(text: str, field: str, style: TextStyle) -> Block:
        paper_style = style.scaled(scale, FLOOR_PT)
        paper_style = paper_style.capped(paper_style.max_pt * shrink)
        return fit(pdf, text, field=field, style=paper_style, width=width)

    top, calls = [], []
    for i, text in enumerate(texts):
        if not text.name.strip():
            raise PrintError("name", text.name, "is empty")
        gap = (LANGUAGE_GAP_MM if i else 0) * scale * shrink
        top.append((gap, fitted(text.name, "name", NAME)))
        if text.line.strip():
            top.append((NAME_GAP_MM * scale * shrink, fitted(text.line, "line", LINE)))
        if text.call.strip():
            calls.append(fitted(text.call, "call", CALL))
    if not short_url.strip() or not code.strip():
        raise PrintError("short_url" if not short_url.strip() else "code", "", "is empty")
    return _Plan(tuple(top), tuple(calls), fitted(short_url, "short_url", URL),
                 fitted(code, "code", CODE), fitted(footer, "footer", FOOTER))


def _top_height(plan: _Plan) -> float:
    return sum(gap + block.height for gap, block in plan.top)


def _group_height(plan: _Plan, tile: float, scale: float) -> float:
    """Calls, tile, URL and code: the part kept together around the code."""
    calls = sum(block.height for block in plan.calls) + CALL_GAP_MM * scale * len(plan.calls)
    return calls + tile + 2 * TILE_GAP_MM * scale + plan.url.height + plan.code.height


def _needed(plan: _Plan, paper: str, scale: float) -> float:
    """Height of everything, with breathing room above the code group and the footer."""
    return (_top_height(plan) + _group_height(plan, QR_TILE_MM[paper], scale)
            + plan.footer.height + 2 * MIN_GAP_MM * scale)


def _fits(plan: _Plan, paper: str, trim: tuple[float, float], scale: float) -> bool:
    return _needed(plan, paper, scale) <= trim[1] - 2 * MARGIN_MM * scale


def _check_height(plan: _Plan, paper: str, trim: tuple[float, float], scale: float) -> None:
    needed, available = _needed(plan, paper, scale), trim[1] - 2 * MARGIN_MM * scale
    if needed > available:
        names = " / ".join(block.lines[0] for gap, block in plan.top if block.bold)
        raise PrintError("texts", names, f"need {needed:.1f} mm of height, {paper} has "
                         f"{available:.1f} mm: shorten the names, lines or calls, or use "
                         "a larger paper")


def _draw(pdf: FPDF, plan: _Plan, symbol: QrSymbol, trim: tuple[float, float], tile: float,
          scale: float) -> None:
    centre = BLEED_MM + trim[0] / 2
    y = BLEED_MM + MARGIN_MM * scale
    for gap, block in plan.top:
        y = draw_block(pdf, block, centre, y + gap)
    footer_top = BLEED_MM + trim[1] - MARGIN_MM * scale - plan.footer.height
    draw_block(pdf, plan.footer, centre, footer_top)
    group = _group_height(plan, tile, scale)
    y += (footer_top - y - group) / 2  # centre the code group in the space left
    for block in plan.calls:
        y = draw_block(pdf, block, centre, y) + CALL_GAP_MM * scale
    draw_qr(pdf, symbol, centre - tile / 2, y, tile)
    y = draw_block(pdf, plan.url, centre, y + tile + TILE_GAP_MM * scale)
    draw_block(pdf, plan.code, centre, y + TILE_GAP_MM * scale)
