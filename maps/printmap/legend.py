"""The printable map's legend panel: the legend box (tag -> label, in the caller's order, wrapped to
the box) and under it the key strip, a scale bar and a north arrow. They share the panel so that
nothing covers a marker. The legend's type shrinks from 9 pt to 5 pt in half-point steps until
every entry fits, and the box is only as tall as its entries. legend_fits tells the page planner
whether a set of markers can share one sheet at a readable size; a legend that silently dropped
entries would mislabel the map, so past 5 pt drawing fails instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pdftext import draw_text, text_width

from .style import (
    BLACK,
    CAP_HEIGHT,
    FONT,
    LEGEND_BORDER,
    PT,
    WHITE,
    fit_font,
    set_pen,
    tagged_circle,
    text_centred,
)

if TYPE_CHECKING:
    from fpdf import FPDF

    from .input import PageTexts
    from .layout import PageLayout, Projection, Rect

_LEGEND_PAD = 3.0
_NORTH_W = 14.0
_Entry = tuple[str, list[str]]  # a marker tag and its wrapped label lines
Swatch = Callable[["FPDF", str, float, float, float], None]  # tag, centre x, y, radius
READABLE_PT = 7.0  # the smallest legend type a sheet is planned for


def _line_height(size: float) -> float:
    """The legend's line pitch in mm for a type size in pt."""
    return size * PT * 1.3


def _heading_size(size: float) -> float:
    """The legend heading's type size: a little larger than the entries."""
    return size + 1.5


def _entry_height(lines: list[str], line_h: float) -> float:
    """The height one legend entry takes: its lines and a little space below."""
    return len(lines) * line_h + line_h * 0.35


def _column_width(box: Rect, columns: int) -> float:
    """The width of one legend column, with padding around and between the columns."""
    return (box.w - _LEGEND_PAD * (columns + 1)) / columns


@dataclass(frozen=True)
class _LegendFit:
    """The legend at one type size: entries per column and the height they take."""

    size: float
    columns: list[list[_Entry]]
    height: float  # of the box, padding and heading included

    @property
    def line_h(self) -> float:
        """The line pitch in mm."""
        return _line_height(self.size)

    @property
    def heading(self) -> float:
        """The heading's type size in pt."""
        return _heading_size(self.size)


def _wrap(pdf: FPDF, text: str, width: float) -> list[str]:
    """Greedy word wrap in the current font; a word wider than the line is cut."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if text_width(pdf, candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while len(word) > 1 and text_width(pdf, word) > width:
            cut = 1
            while cut < len(word) and text_width(pdf, word[: cut + 1]) <= width:
                cut += 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines


def _legend_fit(
    pdf: FPDF, box: Rect, columns: int, texts: PageTexts, size: float
) -> _LegendFit | None:
    """Entries split into columns at this type size, or None if they do not fit the box."""
    line_h = _line_height(size)
    column_w = _column_width(box, columns)
    top = _LEGEND_PAD + _heading_size(size) * PT * 1.6
    room = box.h - top - _LEGEND_PAD
    pdf.set_font(FONT, "", size)
    result: list[list[_Entry]] = [[]]
    used = tallest = 0.0
    for tag, label in texts.labels.items():
        lines = _wrap(pdf, label, column_w - line_h * 1.1 - 1.5)
        height = _entry_height(lines, line_h)
        if used + height > room and result[-1]:
            result.append([])
            used = 0.0
        if len(result) > columns or height > room:
            return None
        result[-1].append((tag, lines))
        used += height
        tallest = max(tallest, used)
    return _LegendFit(size, result, top + tallest + _LEGEND_PAD)


def legend_fits(pdf: FPDF, layout: PageLayout, texts: PageTexts) -> bool:
    """Whether every entry fits the legend box at READABLE_PT or larger."""
    return _legend_fit(pdf, layout.legend, layout.legend_columns, texts, READABLE_PT) is not None


def _shrink_legend(pdf: FPDF, layout: PageLayout, texts: PageTexts) -> _LegendFit:
    """The legend at the largest size from 9 pt down to 5 pt at which every entry fits."""
    size = 9.0
    while (fit := _legend_fit(pdf, layout.legend, layout.legend_columns, texts, size)) is None:
        size -= 0.5
        if size < 5:
            raise ValueError(
                f"the legend of {len(texts.labels)} markers does not fit even at "
                "5 pt; shorten the labels"
            )
    return fit


def draw_legend(
    pdf: FPDF, layout: PageLayout, texts: PageTexts, swatch: Swatch = tagged_circle
) -> None:
    """Legend box: the heading, then tag -> label; the type shrinks until all entries fit."""
    box = layout.legend
    fit = _shrink_legend(pdf, layout, texts)
    set_pen(pdf, LEGEND_BORDER, 0.3)
    pdf.rect(box.x, box.y, box.w, fit.height, style="D")
    fit_font(pdf, "B", texts.legend_title, box.w - 2 * _LEGEND_PAD, fit.heading, 4)
    pdf.set_text_color(*BLACK)
    draw_text(pdf, box.x + _LEGEND_PAD, box.y + _LEGEND_PAD + fit.heading * PT, texts.legend_title)
    column_w = _column_width(box, layout.legend_columns)
    for index, column in enumerate(fit.columns):
        x = box.x + _LEGEND_PAD + index * (column_w + _LEGEND_PAD)
        y = box.y + _LEGEND_PAD + fit.heading * PT * 1.6
        for entry in column:
            y = _draw_entry(pdf, fit, entry, x, y, swatch)


def _draw_entry(
    pdf: FPDF, fit: _LegendFit, entry: _Entry, x: float, y: float, swatch: Swatch
) -> float:
    """One marker swatch and its label lines from (x, y); returns the y of the next entry."""
    tag, lines = entry
    size = fit.line_h * 1.1
    swatch(pdf, tag, x + size / 2, y + fit.line_h / 2, size / 2)
    pdf.set_font(FONT, "", fit.size)
    pdf.set_text_color(*BLACK)
    for row, line in enumerate(lines):
        middle = y + row * fit.line_h + fit.line_h / 2
        draw_text(pdf, x + size + 1.5, middle + fit.size * PT * CAP_HEIGHT / 2, line)
    return y + _entry_height(lines, fit.line_h)


def _scale_bar_metres(metres_per_mm: float, longest_mm: float) -> int:
    """The longest 1-2-5 length (1 m .. 10 000 km) whose bar fits in longest_mm."""
    best = 1
    for power in range(8):
        for digit in (1, 2, 5):
            length = digit * 10**power
            if length / metres_per_mm <= longest_mm:
                best = length
    return best


def draw_key(pdf: FPDF, box: Rect, projection: Projection, texts: PageTexts) -> None:
    """Scale bar on the left of the strip, north arrow on the right."""
    longest = min(box.w - _NORTH_W - 4 * _LEGEND_PAD, 60.0)
    metres = _scale_bar_metres(projection.metres_per_mm, longest)
    length_mm = metres / projection.metres_per_mm
    label = f"{metres} {texts.metre}" if metres < 1000 else f"{metres // 1000} {texts.kilometre}"
    x, bar_y = box.x + _LEGEND_PAD, box.bottom - 6.0
    pdf.set_fill_color(*BLACK)
    pdf.rect(x, bar_y, length_mm, 1.6, style="F")
    pdf.set_font(FONT, "", 8)
    pdf.set_text_color(*BLACK)
    draw_text(pdf, x, bar_y - 2.0, "0")
    draw_text(pdf, x + length_mm - text_width(pdf, label), bar_y - 2.0, label)
    north_x = box.right - _LEGEND_PAD - _NORTH_W / 2
    _draw_north(pdf, north_x, box.y + 2.0, box.bottom - 2.0, texts.north)


def _draw_north(pdf: FPDF, cx: float, top: float, bottom: float, label: str) -> None:
    """A split arrowhead pointing up (north is up in Web Mercator), the label above it."""
    fit_font(pdf, "B", label, _NORTH_W, 10, 4)
    pdf.set_text_color(*BLACK)
    text_centred(pdf, label, cx, top + 2.5)
    tip, base, half = top + 6.5, bottom - 1.0, 3.5
    set_pen(pdf, BLACK, 0.3)
    pdf.set_fill_color(*BLACK)
    pdf.polygon([(cx, tip), (cx - half, base), (cx, base - 3.0)], style="FD")
    pdf.set_fill_color(*WHITE)
    pdf.polygon([(cx, tip), (cx + half, base), (cx, base - 3.0)], style="FD")
