"""Where everything goes on the printable map, in millimetres from the page's top-left corner:
the paper and its orientation, the boxes for title, map frame, legend, key and attribution, the
Web Mercator projection into the frame, and the drawn centre of every marker. It is pure geometry,
with no PDF and no fonts, so marker_positions can answer without drawing and the drawing code
only ever asks where. The page has 10 mm margins, the title on top and the attribution line at
the bottom; the legend panel takes a column on the right in landscape and a band below the map
in portrait, so that nothing covers a marker.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import combinations

from ..geo import EARTH_RADIUS_M, LatLon
from .input import MapMarker
from .style import MARKER_RADIUS_MM

# Paper sizes are (short side, long side).
_PAPERS = {"A4": (210.0, 297.0), "A3": (297.0, 420.0)}
_MARGIN = 10.0
_TITLE_H = 12.0
_GAP = 4.0
_ATTRIBUTION_H = 5.0
_PANEL_SHARE_LANDSCAPE = 0.29  # of the content width
_PANEL_SHARE_PORTRAIT = 0.30  # of the height left for map + panel
_KEY_H = 22.0  # scale bar + north arrow strip at the bottom of the panel
_FRAME_PADDING = 12.0
_MIN_SPAN_M = 500.0

_MARKER_GAP = 0.8
_LEAST_DISTANCE = 2 * MARKER_RADIUS_MM + _MARKER_GAP  # between two drawn marker centres
_MARKER_INSET = MARKER_RADIUS_MM + 1.0  # from a marker centre to the frame edge


@dataclass(frozen=True)
class Rect:
    """A box on the page: top-left corner, width and height."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        """The x of the right edge."""
        return self.x + self.w

    @property
    def bottom(self) -> float:
        """The y of the bottom edge."""
        return self.y + self.h


@dataclass(frozen=True)
class PageLayout:
    """Where each part of the page goes, for one paper and orientation."""

    orientation: str  # "L" or "P"
    title: Rect
    frame: Rect
    legend: Rect
    key: Rect
    attribution: Rect
    legend_columns: int


def mercator(point: LatLon) -> tuple[float, float]:
    """Spherical Web Mercator, the tiles' projection, on the unit sphere: x = lon in radians."""
    lat = math.radians(point.lat)
    return math.radians(point.lon), math.log(math.tan(math.pi / 4 + lat / 2))


def inverse_lat(y: float) -> float:
    """The latitude in degrees of a unit-sphere Mercator y."""
    return math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)


def _ground_metres_per_unit(y: float) -> float:
    """Ground metres per Mercator unit at the latitude of y: Mercator stretches by 1/cos(lat)."""
    return EARTH_RADIUS_M * math.cos(math.radians(inverse_lat(y)))


@dataclass(frozen=True)
class Projection:
    """Unit-sphere Web Mercator, placed so that (cx, cy) lands on the frame centre."""

    frame: Rect
    cx: float
    cy: float
    scale: float  # mm per Mercator unit

    def to_page(self, point: LatLon) -> tuple[float, float]:
        """Page (x, y) in mm of a position; y grows downwards, so north is up."""
        x, y = mercator(point)
        return (
            self.frame.x + self.frame.w / 2 + (x - self.cx) * self.scale,
            self.frame.y + self.frame.h / 2 - (y - self.cy) * self.scale,
        )

    def to_mercator(self, px: float, py: float) -> tuple[float, float]:
        """Mercator (x, y) of a page point: the inverse of to_page."""
        return (
            self.cx + (px - self.frame.x - self.frame.w / 2) / self.scale,
            self.cy - (py - self.frame.y - self.frame.h / 2) / self.scale,
        )

    @property
    def centre_lat(self) -> float:
        """The latitude at the frame centre, where the scale bar is true."""
        return inverse_lat(self.cy)

    @property
    def metres_per_mm(self) -> float:
        """Ground metres per printed mm, true at the centre latitude."""
        return _ground_metres_per_unit(self.cy) / self.scale


@dataclass(frozen=True)
class MarkerPlan:
    """The chosen layout and projection, and each marker's true and drawn centre on the page."""

    layout: PageLayout
    projection: Projection
    true_xy: dict[str, tuple[float, float]]  # by marker tag
    drawn_xy: dict[str, tuple[float, float]]


def check_paper(paper: str) -> str:
    """The paper name in capitals; only the sizes the layout knows are allowed."""
    if not isinstance(paper, str) or paper.upper() not in _PAPERS:
        raise ValueError(f"paper must be one of {', '.join(_PAPERS)}, got {paper!r}")
    return paper.upper()


def plan_page(markers: list[MapMarker], paper: str, *, spread: bool = True) -> MarkerPlan:
    """Choose the orientation with the larger scale (tie: landscape) and place the markers.

    Markers are drawn as circles; where two would overlap they are pushed apart (see _spread),
    and the plan keeps both the true and the drawn centre so a moved marker can get a leader.
    An index page draws dots, not circles, and asks for no spreading.
    """
    options = [
        (layout, _fit(markers, layout.frame))
        for layout in (_layout(paper, "L"), _layout(paper, "P"))
    ]
    layout, projection = max(options, key=lambda option: option[1].scale)  # first max: "L"
    true_xy = {m.tag: projection.to_page(m.point) for m in markers}
    drawn_xy = _spread(true_xy, layout.frame) if spread else dict(true_xy)
    return MarkerPlan(layout, projection, true_xy, drawn_xy)


def _layout(paper: str, orientation: str) -> PageLayout:
    """Cut the page into title, map frame, legend panel and attribution line.

    Landscape puts the panel in a column right of the map, with one legend column; portrait puts
    it in a band below the map, with two. The key strip sits at the bottom of the panel.
    """
    short, long_ = _PAPERS[paper]
    page_w, page_h = (long_, short) if orientation == "L" else (short, long_)
    content_w = page_w - 2 * _MARGIN
    title = Rect(_MARGIN, _MARGIN, content_w, _TITLE_H)
    attribution = Rect(_MARGIN, page_h - _MARGIN - _ATTRIBUTION_H, content_w, _ATTRIBUTION_H)
    top = title.bottom + _GAP / 2
    body_h = attribution.y - _GAP / 2 - top
    if orientation == "L":
        panel_w = content_w * _PANEL_SHARE_LANDSCAPE
        frame = Rect(_MARGIN, top, content_w - panel_w - _GAP, body_h)
        panel = Rect(frame.right + _GAP, top, panel_w, body_h)
        columns = 1
    else:
        panel_h = body_h * _PANEL_SHARE_PORTRAIT
        frame = Rect(_MARGIN, top, content_w, body_h - panel_h - _GAP)
        panel = Rect(_MARGIN, frame.bottom + _GAP, content_w, panel_h)
        columns = 2
    legend = Rect(panel.x, panel.y, panel.w, panel.h - _KEY_H - _GAP / 2)
    key = Rect(panel.x, panel.bottom - _KEY_H, panel.w, _KEY_H)
    return PageLayout(orientation, title, frame, legend, key, attribution, columns)


def _fit(markers: list[MapMarker], frame: Rect) -> Projection:
    """Centre the markers' Mercator extent in the frame at the largest scale that fits.

    Every marker sits at least 12 mm inside the frame, and the extent is at least 500 m either
    way so that a single marker still gets a street-level map. Mercator is conformal, so x and y
    share the scale; it is true at the centre latitude and on a town-sized map changes by far
    less than 0.1 % across the sheet. North is up.
    """
    xs, ys = zip(*(mercator(m.point) for m in markers), strict=True)
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    min_span = _MIN_SPAN_M / _ground_metres_per_unit(cy)
    span_x = max(max(xs) - min(xs), min_span)
    span_y = max(max(ys) - min(ys), min_span)
    scale = min((frame.w - 2 * _FRAME_PADDING) / span_x, (frame.h - 2 * _FRAME_PADDING) / span_y)
    return Projection(frame, cx, cy, scale)


def _spread(
    true_xy: dict[str, tuple[float, float]], frame: Rect
) -> dict[str, tuple[float, float]]:
    """Push overlapping circles apart, in a fixed order, so every tag stays readable.

    Best effort: after 200 rounds, dozens of markers on one spot may still touch.
    """
    tags = list(true_xy)
    xy = {n: list(true_xy[n]) for n in tags}
    for _ in range(200):
        moved = False
        for (i, a), (j, b) in combinations(enumerate(tags, 1), 2):
            fan_deg = (i * 137.508 + j) % 360  # the golden angle spreads a pile evenly
            moved |= _push_apart(xy[a], xy[b], fan_deg)
        for n in tags:
            xy[n][0] = min(max(xy[n][0], frame.x + _MARKER_INSET), frame.right - _MARKER_INSET)
            xy[n][1] = min(max(xy[n][1], frame.y + _MARKER_INSET), frame.bottom - _MARKER_INSET)
        if not moved:
            break
    return {n: (xy[n][0], xy[n][1]) for n in tags}


def _push_apart(a: list[float], b: list[float], fan_deg: float) -> bool:
    """Move two centres that are too close for their circles apart; True if they moved.

    Each moves half the overlap, plus a hair, along the line between them. Centres on one spot
    have no such line, so they move along fan_deg, fixed per pair, so that the result depends
    on nothing but the input.
    """
    dx, dy = b[0] - a[0], b[1] - a[1]
    dist = math.hypot(dx, dy)
    if dist >= _LEAST_DISTANCE - 1e-9:
        return False
    if dist < 1e-9:
        ux, uy = math.cos(math.radians(fan_deg)), math.sin(math.radians(fan_deg))
    else:
        ux, uy = dx / dist, dy / dist
    push = (_LEAST_DISTANCE - dist) / 2 + 1e-3
    a[0] -= ux * push
    a[1] -= uy * push
    b[0] += ux * push
    b[1] += uy * push
    return True
