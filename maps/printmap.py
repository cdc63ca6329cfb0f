"""A printable map as a vector PDF: numbered markers, a legend, a scale bar and a north arrow.

For the wall of a visitor centre or a leaflet: it needs no network (a local tile cache is
optional, a schematic background is the default), embeds its fonts, and the same input gives
the same bytes. It takes plain values (positions, labels, font paths) and returns PDF bytes.
This module is the public face and the page assembly: it checks the input, plans the page and
draws its parts in order, title, background, route, markers, frame, legend, key, attribution.
Each part's rules live with it: printmap_input (value types and checks), printmap_layout (paper,
orientation, projection, marker placement), printmap_background (tiles or schematic),
printmap_legend (legend, scale bar, north arrow) and printmap_style (palette and pen).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from .geo import LatLon
from .printmap_background import draw_background
from .printmap_input import (
    MapFonts,
    MapMarker,
    PageTexts,
    check_epoch,
    check_glyphs,
    check_markers,
    check_schematic,
)
from .printmap_layout import MarkerPlan, Rect, check_paper, plan_page
from .printmap_legend import draw_key, draw_legend
from .printmap_style import (
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
    numbered_circle,
    set_pen,
)

if TYPE_CHECKING:
    from fpdf import FPDF

__all__ = [
    "MapFonts",
    "MapMarker",
    "marker_positions",
    "printable_map_pdf",
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
) -> dict[int, tuple[float, float]]:
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
    """One-page PDF map of the markers; same arguments, same bytes.

    scale_label is the metre symbol; kilometres read "k" + it, or give both as "м|км".
    route=True joins the markers in number order (a walking tour). epoch (Unix seconds, e.g.
    SOURCE_DATE_EPOCH) is the PDF creation date, so the bytes do not depend on the clock.
    """
    markers = check_markers(markers)
    paper = check_paper(paper)
    check_epoch(epoch)
    texts = PageTexts.build(markers, title, legend_title, attribution, scale_label, north_label)
    check_glyphs(texts, fonts)
    lines = check_schematic(schematic)
    plan = plan_page(markers, paper)
    layout = plan.layout

    pdf = _blank_pdf(layout.orientation, paper, texts.title, fonts, epoch)
    _draw_title(pdf, layout.title, texts.title)
    draw_background(pdf, plan.projection, tile_cache, lines)
    if route:
        _draw_route(pdf, [plan.true_xy[m.number] for m in markers])
    _draw_markers(pdf, plan)
    set_pen(pdf, FRAME_COLOUR, 0.4)
    pdf.rect(layout.frame.x, layout.frame.y, layout.frame.w, layout.frame.h, style="D")
    draw_legend(pdf, layout, texts)
    draw_key(pdf, layout.key, plan.projection, texts)
    _draw_attribution(pdf, layout.attribution, texts.attribution)
    return bytes(pdf.output())


def _blank_pdf(orientation: str, paper: str, title: str, fonts: MapFonts, epoch: int) -> FPDF:
    """A one-page document with the fonts embedded and the caller's date, not the clock's."""
    from fpdf import FPDF  # imported here: the rest of maps/ does not need fpdf2

    pdf = FPDF(orientation=orientation, unit="mm", format=paper)
    pdf.set_auto_page_break(False)
    pdf.set_creation_date(datetime.fromtimestamp(epoch, tz=timezone.utc))
    pdf.set_title(title)
    pdf.add_font(FONT, "", str(fonts.regular))
    pdf.add_font(FONT, "B", str(fonts.bold))
    pdf.add_page()
    return pdf


def _draw_title(pdf: FPDF, box: Rect, title: str) -> None:
    """The title on one line, left-aligned, shrinking from 18 pt to 9 pt until it fits."""
    fit_font(pdf, "B", title, box.w, 18, 9)
    pdf.set_text_color(*BLACK)
    pdf.text(box.x, baseline(pdf, box.y + box.h / 2), title)


def _draw_attribution(pdf: FPDF, box: Rect, attribution: str) -> None:
    """The data credit on one line, right-aligned, shrinking from 7 pt to 4 pt until it fits."""
    fit_font(pdf, "", attribution, box.w, 7, 4)
    pdf.set_text_color(*GRID_TEXT)
    width = pdf.get_string_width(attribution)
    pdf.text(box.right - width, baseline(pdf, box.y + box.h / 2), attribution)


def _draw_route(pdf: FPDF, points: list[tuple[float, float]]) -> None:
    """A dashed line through the markers' true positions in number order; not closed."""
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
    for number, (x, y) in plan.drawn_xy.items():
        tx, ty = plan.true_xy[number]
        if math.hypot(x - tx, y - ty) > _LEADER_MIN:
            set_pen(pdf, LEADER_COLOUR, 0.3)
            pdf.line(tx, ty, x, y)
            pdf.set_fill_color(*LEADER_COLOUR)
            pdf.circle(tx, ty, 0.6, style="F")
    for number, (x, y) in plan.drawn_xy.items():
        numbered_circle(pdf, number, x, y, MARKER_RADIUS_MM)
