"""A printable map as a vector PDF: tagged markers, a legend, a scale bar and a north arrow.

For the wall of a visitor centre or a leaflet: it needs no network (a local tile cache is
optional, a schematic background is the default), embeds its fonts, and the same input gives
the same bytes. It takes plain values (positions, labels, font paths) and returns PDF bytes.
This module is the public face and the page assembly: it checks the input, plans the page and
draws its parts in order, title, background, route, markers, frame, legend, key, attribution;
a map with more markers than a sheet holds becomes an index page and one page per area.
Each part's rules live with it: input (value types and checks), layout (paper,
orientation, projection, marker placement), background (tiles or schematic),
legend (legend, scale bar, north arrow), sheets (splitting by area) and
style (palette and pen).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import pdftext
from pdftext import draw_text, text_width

from ..geo import LatLon
from .background import draw_background
from .input import (
    MapFonts,
    MapMarker,
    PageTexts,
    check_epoch,
    check_glyphs,
    check_markers,
    check_schematic,
)
from .layout import MarkerPlan, Rect, check_paper, plan_page
from .legend import draw_key, draw_legend, legend_fits
from .sheets import MOST_PER_SHEET, split_sheets
from .style import (
    BLACK,
    FONT,
    FRAME_COLOUR,
    GRID_COLOUR,
    GRID_TEXT,
    LEADER_COLOUR,
    MARKER_FILL,
    MARKER_RADIUS_MM,
    ROUTE_COLOUR,
    SCHEMATIC_COLOUR,
    baseline,
    fit_font,
    set_pen,
    sheet_square,
    tagged_circle,
)

if TYPE_CHECKING:
    from fpdf import FPDF

__all__ = [
    "MapFonts",
    "MapMarker",
    "marker_positions",
    "printable_map_pdf",
    "sheet_tags",
    # The colours and size that tests look for on a rendered page.
    "GRID_COLOUR",
    "MARKER_FILL",
    "MARKER_RADIUS_MM",
    "ROUTE_COLOUR",
    "SCHEMATIC_COLOUR",
]

_LEADER_MIN = 0.3  # mm a marker must move before it gets a leader line to its true position


def marker_positions(
    markers: Sequence[MapMarker], *, paper: str = "A4"
) -> dict[str, tuple[float, float]]:
    """Centre of each drawn marker circle, (x, y) in mm from the page's top-left corner.

    The same layout printable_map_pdf draws, so tests and callers can find markers on the page.
    """
    return dict(plan_page(check_markers(markers), check_paper(paper)).drawn_xy)


def printable_map_pdf(
    markers: Sequence[MapMarker],
    *,
    title: str,
    legend_title: str,
    attribution: str,
    paper: str = "A4",
    route: bool = False,
    fonts: MapFonts,
    epoch: int,
    scale_label: str = "m",
    schematic: Sequence[Sequence[LatLon]] = (),
    tile_cache: Path | None = None,
    north_label: str = "N",
) -> bytes:
    """A PDF map of the markers, one page or as many as they need; same arguments, same bytes.

    Markers that fit one sheet at a readable size get one page. More are split by area
    (sheets): an index page shows where each numbered sheet lies, then one page per
    sheet, titled "title · 2/5", each with its own legend. scale_label is the metre symbol;
    kilometres read "k" + it, or give both as "м|км". route=True joins the markers in the order
    given (a walking tour). epoch (Unix seconds, e.g. SOURCE_DATE_EPOCH) is the PDF creation
    date, so the bytes do not depend on the clock.
    """
    markers = check_markers(markers)
    paper = check_paper(paper)
    check_epoch(epoch)
    texts = PageTexts.build(markers, title, legend_title, attribution, scale_label, north_label)
    check_glyphs(texts, fonts)
    lines = check_schematic(schematic)
    pdf = _blank_pdf(paper, texts.title, fonts, epoch)
    sheets = _plan_sheets(pdf, markers, texts, paper)
    if len(sheets) > 1:
        _draw_index(pdf, plan_page(markers, paper, spread=False), sheets, texts, tile_cache, lines)
    for number, group in enumerate(sheets, 1):
        heading = texts.title if len(sheets) == 1 else f"{texts.title} · {number}/{len(sheets)}"
        _draw_sheet(pdf, plan_page(group, paper), texts.only(group, heading), route,
                    tile_cache, lines)
    return pdftext.output(pdf)


def sheet_tags(markers: Sequence[MapMarker], *, paper: str = "A4", fonts: MapFonts,
               legend_title: str = "Legend") -> list[list[str]]:
    """The tags on each sheet printable_map_pdf would draw: one list for a one-page map."""
    markers = check_markers(markers)
    paper = check_paper(paper)
    texts = PageTexts.build(markers, "-", legend_title, "-", "m", "N")
    pdf = _blank_pdf(paper, "-", fonts, 0)
    return [[m.tag for m in group] for group in _plan_sheets(pdf, markers, texts, paper)]


def _plan_sheets(pdf: FPDF, markers: list[MapMarker], texts: PageTexts,
                 paper: str) -> list[list[MapMarker]]:
    """Markers grouped into sheets whose legends fit at a readable size (pdf measures text)."""

    def fits(group: list[MapMarker]) -> bool:
        return legend_fits(pdf, plan_page(group, paper, spread=False).layout, texts.only(group))

    return split_sheets(markers, fits, MOST_PER_SHEET[paper])


def _draw_sheet(pdf: FPDF, plan: MarkerPlan, texts: PageTexts, route: bool,
                tile_cache: Path | None, lines: list[list[LatLon]]) -> None:
    """One map page: title, background, route, markers, frame, legend, key, attribution."""
    layout = plan.layout
    pdf.add_page(orientation=layout.orientation)
    _draw_title(pdf, layout.title, texts.title)
    draw_background(pdf, plan.projection, tile_cache, lines)
    if route:
        _draw_route(pdf, [plan.true_xy[tag] for tag in texts.labels])
    _draw_markers(pdf, plan)
    _draw_frame(pdf, layout.frame)
    draw_legend(pdf, layout, texts)
    draw_key(pdf, layout.key, plan.projection, texts)
    _draw_attribution(pdf, layout.attribution, texts.attribution)


def _draw_index(pdf: FPDF, plan: MarkerPlan, sheets: list[list[MapMarker]], texts: PageTexts,
                tile_cache: Path | None, lines: list[list[LatLon]]) -> None:
    """The first page of a split map: every marker as a dot, and each sheet's area outlined
    with its number in a square, so a reader finds the sheet for a place at a glance."""
    layout = plan.layout
    pdf.add_page(orientation=layout.orientation)
    _draw_title(pdf, layout.title, texts.title)
    draw_background(pdf, plan.projection, tile_cache, lines)
    pdf.set_fill_color(*MARKER_FILL)
    for x, y in plan.true_xy.values():
        pdf.circle(x, y, 0.7, style="F")
    set_pen(pdf, FRAME_COLOUR, 0.3)
    for number, group in enumerate(sheets, 1):
        xs, ys = zip(*(plan.true_xy[m.tag] for m in group), strict=True)
        pad = 1.5
        pdf.rect(min(xs) - pad, min(ys) - pad, max(xs) - min(xs) + 2 * pad,
                 max(ys) - min(ys) + 2 * pad, style="D")
        sheet_square(pdf, str(number), (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2, 2.5)
    _draw_frame(pdf, layout.frame)
    draw_key(pdf, layout.key, plan.projection, texts)
    _draw_attribution(pdf, layout.attribution, texts.attribution)


def _draw_frame(pdf: FPDF, frame: Rect) -> None:
    set_pen(pdf, FRAME_COLOUR, 0.4)
    pdf.rect(frame.x, frame.y, frame.w, frame.h, style="D")


def _blank_pdf(paper: str, title: str, fonts: MapFonts, epoch: int) -> FPDF:
    """An empty document with the fonts embedded and the caller's date, not the clock's."""
    from fpdf import FPDF  # imported here: the rest of maps/ does not need fpdf2

    pdf = FPDF(unit="mm", format=paper)
    pdf.set_auto_page_break(False)
    pdf.set_creation_date(datetime.fromtimestamp(epoch, tz=timezone.utc))
    pdf.set_title(title)
    pdftext.add_font(pdf, FONT, "", fonts.regular)
    pdftext.add_font(pdf, FONT, "B", fonts.bold)
    pdftext.attach(pdf, FONT, fonts.fallback)
    return pdf


def _draw_title(pdf: FPDF, box: Rect, title: str) -> None:
    """The title on one line, left-aligned, shrinking from 18 pt to 9 pt until it fits."""
    fit_font(pdf, "B", title, box.w, 18, 9)
    pdf.set_text_color(*BLACK)
    draw_text(pdf, box.x, baseline(pdf, box.y + box.h / 2), title)


def _draw_attribution(pdf: FPDF, box: Rect, attribution: str) -> None:
    """The data credit on one line, right-aligned, shrinking from 7 pt to 4 pt until it fits."""
    fit_font(pdf, "", attribution, box.w, 7, 4)
    pdf.set_text_color(*GRID_TEXT)
    width = text_width(pdf, attribution)
    draw_text(pdf, box.right - width, baseline(pdf, box.y + box.h / 2), attribution)


def _draw_route(pdf: FPDF, points: list[tuple[float, float]]) -> None:
    """A dashed line through the markers' true positions in the order given; not closed."""
    if len(points) < 2:
        return
    set_pen(pdf, ROUTE_COLOUR, 0.8)
    pdf.set_dash_pattern(dash=2.0, gap=1.2)
    pdf.polyline(points, style="D")
    pdf.set_dash_pattern()


def _draw_markers(pdf: FPDF, plan: MarkerPlan) -> None:
    """Circles at the drawn centres; a moved one gets a leader line to a dot at its true place.

    Leader lines go first, then the circles, so a circle is never crossed by a line.
    """
    for tag, (x, y) in plan.drawn_xy.items():
        tx, ty = plan.true_xy[tag]
        if math.hypot(x - tx, y - ty) > _LEADER_MIN:
            set_pen(pdf, LEADER_COLOUR, 0.3)
            pdf.line(tx, ty, x, y)
            pdf.set_fill_color(*LEADER_COLOUR)
            pdf.circle(tx, ty, 0.6, style="F")
    for tag, (x, y) in plan.drawn_xy.items():
        tagged_circle(pdf, tag, x, y, MARKER_RADIUS_MM)
