"""A printable map as a vector PDF: numbered markers, a legend, a scale bar and a north arrow.

For the wall of a visitor centre or a leaflet: it needs no network (a local tile cache is
optional, a schematic background is the default), embeds its fonts, and the same input gives
the same bytes. It takes plain values (positions, labels, font paths) and returns PDF bytes.

Layout rules, all in millimetres on the page:

- Paper is A4 or A3. Both orientations are laid out and the one that shows the markers at the
  larger scale wins; a tie goes to landscape. In landscape the legend panel is a column on the
  right of the map; in portrait it is a band below the map, with the legend in two columns.
- The page has 10 mm margins, the title on top, the attribution line at the bottom. The panel
  holds the legend box and, under it, the scale bar and the north arrow, so that nothing covers
  a marker.
- Projection: spherical Web Mercator (the tiles' projection), centred on the markers' extent and
  scaled so that every marker sits at least 12 mm inside the frame. Mercator is conformal, so
  x and y have the same scale; the scale bar is true at the map's centre latitude (on a
  town-sized map the scale changes by far less than 0.1 % across the sheet). The extent is at
  least 500 m either way, so a single marker still gets a street-level map. North is up.
- Markers are circles of 3 mm radius. Circles closer than their diameter are pushed apart (a
  deterministic relaxation, best effort for dozens of markers on one spot); a moved circle gets
  a leader line to a dot on the true position. `marker_positions` returns the drawn centres.
- Legend: number -> label, in number order, wrapped to the box; the type shrinks from 9 pt to
  5 pt until every entry fits, else ValueError (use A3); the box is as tall as its entries.
- Title (18 pt down to 9 pt) and attribution (7 pt down to 4 pt) shrink to fit one line.
- Background: with a tile cache ({z}/{x}/{y}.png, 256 px tiles, standard XYZ numbering), the zoom
  whose pixels print closest to 150 dpi is used, else the nearest neighbours (z*, z*+1, z*-1,
  z*-2, z*-3), the first whose tiles cover the whole frame. Without a complete zoom the map
  falls back to the schematic: caller's polylines in light blue over a light lat/lon graticule.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal
from itertools import combinations
from pathlib import Path

from .geo import EARTH_RADIUS_M, LatLon

__all__ = ["MapFonts", "MapMarker", "marker_positions", "printable_map_pdf"]

# Page geometry (mm). Paper sizes are (short side, long side).
_PAPERS = {"A4": (210.0, 297.0), "A3": (297.0, 420.0)}
_MARGIN = 10.0
_TITLE_H = 12.0
_GAP = 4.0
_ATTRIBUTION_H = 5.0
_PANEL_SHARE_LANDSCAPE = 0.29  # of the content width
_PANEL_SHARE_PORTRAIT = 0.30  # of the height left for map + panel
_KEY_H = 22.0  # scale bar + north arrow strip at the bottom of the panel
_NORTH_W = 14.0
_FRAME_PADDING = 12.0
_MIN_SPAN_M = 500.0
_MAX_LAT = 85.05112878  # the edge of the Web Mercator square

# Markers (mm).
MARKER_RADIUS_MM = 3.0
_MARKER_GAP = 0.8
_LEADER_MIN = 0.3

# Colours (RGB). The marker fill is used nowhere else inside the frame, so tests can find it.
MARKER_FILL = (190, 30, 45)
ROUTE_COLOUR = (45, 70, 160)
SCHEMATIC_COLOUR = (140, 190, 230)
GRID_COLOUR = (200, 200, 200)
_GRID_TEXT = (120, 120, 120)
_FRAME_COLOUR = (70, 70, 70)
_LEADER_COLOUR = (50, 50, 50)
_LEGEND_BORDER = (150, 150, 150)
_BLACK = (0, 0, 0)
_WHITE = (255, 255, 255)

# Tiles.
_TILE_PX = 256
_TARGET_PIXEL_MM = 25.4 / 150  # a tile pixel printed at 150 dpi
_MAX_ZOOM = 22

_PT = 25.4 / 72  # one point in mm
_CAP_HEIGHT = 0.714  # Noto Sans cap height / em: centres digits vertically


@dataclass(frozen=True)
class MapMarker:
    """One numbered point; the caller chooses the numbers (plaque or tour order)."""

    number: int
    point: LatLon
    label: str

    def __post_init__(self) -> None:
        if isinstance(self.number, bool) or not isinstance(self.number, int):
            raise TypeError(f"a marker number must be an int, got {self.number!r}")
        if not 1 <= self.number <= 999:
            raise ValueError(f"a marker number must be 1..999 to fit its circle, got {self.number}")
        if not isinstance(self.point, LatLon):
            raise TypeError(f"marker {self.number}: point must be a LatLon")
        if not isinstance(self.label, str) or not self.label.strip():
            raise ValueError(f"marker {self.number}: the label must be a non-empty string")


@dataclass(frozen=True)
class MapFonts:
    """TrueType fonts to embed; the caller passes fonts that cover its languages."""

    regular: Path
    bold: Path


@dataclass(frozen=True)
class _Rect:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h


@dataclass(frozen=True)
class _Layout:
    """Where each part of the page goes, for one paper and orientation."""

    orientation: str  # "L" or "P"
    page_w: float
    page_h: float
    title: _Rect
    frame: _Rect
    legend: _Rect
    key: _Rect
    attribution: _Rect
    legend_columns: int


@dataclass(frozen=True)
class _Projection:
    """Unit-sphere Web Mercator, placed so that (cx, cy) lands on the frame centre."""

    frame: _Rect
    cx: float
    cy: float
    scale: float  # mm per Mercator unit

    def to_page(self, point: LatLon) -> tuple[float, float]:
        x, y = _mercator(point)
        return (self.frame.x + self.frame.w / 2 + (x - self.cx) * self.scale,
                self.frame.y + self.frame.h / 2 - (y - self.cy) * self.scale)

    def to_mercator(self, px: float, py: float) -> tuple[float, float]:
        return (self.cx + (px - self.frame.x - self.frame.w / 2) / self.scale,
                self.cy - (py - self.frame.y - self.frame.h / 2) / self.scale)

    @property
    def centre_lat(self) -> float:
        return _inverse_lat(self.cy)

    @property
    def metres_per_mm(self) -> float:
        """Ground metres per printed mm, true at the centre latitude."""
        return EARTH_RADIUS_M * math.cos(math.radians(self.centre_lat)) / self.scale


@dataclass(frozen=True)
class _Plan:
    layout: _Layout
    projection: _Projection
    true_xy: dict[int, tuple[float, float]]
    drawn_xy: dict[int, tuple[float, float]]


# ---------------------------------------------------------------------------------------------
# Public API


def marker_positions(
    markers: Sequence[MapMarker], *, paper: str = "A4"
) -> dict[int, tuple[float, float]]:
    """Centre of each drawn marker circle, (x, y) in mm from the page's top-left corner.

    The same layout printable_map_pdf draws, so tests and callers can find markers on the page.
    """
    return dict(_plan(_check_markers(markers), _check_paper(paper)).drawn_xy)


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
    from fpdf import FPDF  # imported here: the rest of maps/ does not need fpdf2

    markers = _check_markers(markers)
    paper = _check_paper(paper)
    if isinstance(epoch, bool) or not isinstance(epoch, int) or epoch < 0:
        raise ValueError(f"epoch must be a non-negative int (Unix seconds), got {epoch!r}")
    texts = _Texts.build(markers, title, legend_title, attribution, scale_label, north_label)
    _check_glyphs(texts, fonts)
    lines = _check_schematic(schematic)
    plan = _plan(markers, paper)
    layout = plan.layout

    pdf = FPDF(orientation=layout.orientation, unit="mm", format=paper)
    pdf.set_auto_page_break(False)
    pdf.set_creation_date(datetime.fromtimestamp(epoch, tz=timezone.utc))
    pdf.set_title(texts.title)
    pdf.add_font("MapSans", "", str(fonts.regular))
    pdf.add_font("MapSans", "B", str(fonts.bold))
    pdf.add_page()

    _draw_title(pdf, layout.title, texts.title)
    mosaic = _tile_mosaic(tile_cache, plan.projection) if tile_cache is not None else None
    if mosaic is not None:
        _draw_tiles(pdf, plan.projection, mosaic)
    else:
        _draw_schematic(pdf, plan.projection, lines)
    if route:
        _draw_route(pdf, [plan.true_xy[m.number] for m in markers])
    _draw_markers(pdf, plan)
    _set_draw(pdf, _FRAME_COLOUR, 0.4)
    pdf.rect(layout.frame.x, layout.frame.y, layout.frame.w, layout.frame.h, style="D")
    _draw_legend(pdf, layout, texts)
    _draw_key(pdf, layout.key, plan.projection, texts)
    _draw_attribution(pdf, layout.attribution, texts.attribution)
    return bytes(pdf.output())


# ---------------------------------------------------------------------------------------------
# Input checks


def _check_markers(markers: Sequence[MapMarker]) -> list[MapMarker]:
    """Markers sorted by number; no markers or a repeated number is a caller error."""
    markers = list(markers)
    if not markers:
        raise ValueError("a printable map needs at least one marker; got none")
    for marker in markers:
        if not isinstance(marker, MapMarker):
            raise TypeError(f"markers must be MapMarker, got {type(marker).__name__}")
        if abs(marker.point.lat) > _MAX_LAT:
            raise ValueError(f"marker {marker.number}: latitude {marker.point.lat} is beyond "
                             f"±{_MAX_LAT:.2f}, which a Web Mercator map cannot show")
    seen: set[int] = set()
    for marker in markers:
        if marker.number in seen:
            raise ValueError(f"two markers have the number {marker.number}; numbers must be unique")
        seen.add(marker.number)
    return sorted(markers, key=lambda m: m.number)


def _check_paper(paper: str) -> str:
    if not isinstance(paper, str) or paper.upper() not in _PAPERS:
        raise ValueError(f"paper must be one of {', '.join(_PAPERS)}, got {paper!r}")
    return paper.upper()


def _check_schematic(schematic: Sequence[Sequence[LatLon]]) -> list[list[LatLon]]:
    lines = [list(line) for line in schematic]
    for index, line in enumerate(lines):
        if len(line) < 2:
            raise ValueError(f"schematic line {index} needs at least 2 points, got {len(line)}")
        for point in line:
            if not isinstance(point, LatLon):
                raise TypeError(f"schematic line {index}: points must be LatLon")
            if abs(point.lat) > _MAX_LAT:
                raise ValueError(f"schematic line {index}: latitude {point.lat} is beyond "
                                 f"±{_MAX_LAT:.2f}")
    return lines


def _clean_text(what: str, text: object) -> str:
    """NFC, stripped, no control characters: what the PDF and pdftotext should carry."""
    if not isinstance(text, str):
        raise TypeError(f"{what} must be a string, got {type(text).__name__}")
    clean = unicodedata.normalize("NFC", text).strip()
    if not clean:
        raise ValueError(f"{what} must not be empty")
    for char in clean:
        if unicodedata.category(char) == "Cc":
            raise ValueError(f"{what}: control character U+{ord(char):04X} is not allowed")
    return clean


@dataclass(frozen=True)
class _Texts:
    """Every string the page shows, cleaned once."""

    title: str
    legend_title: str
    attribution: str
    metre: str
    kilometre: str
    north: str
    labels: dict[int, str]

    @classmethod
    def build(cls, markers: list[MapMarker], title: str, legend_title: str, attribution: str,
              scale_label: str, north_label: str) -> _Texts:
        units = _clean_text("scale_label", scale_label).split("|")
        if len(units) > 2 or not all(unit.strip() for unit in units):
            raise ValueError(f"scale_label must be 'm' or 'm|km' style, got {scale_label!r}")
        metre = units[0].strip()
        kilometre = units[1].strip() if len(units) == 2 else "k" + metre
        labels = {m.number: _clean_text(f"marker {m.number} label", m.label) for m in markers}
        return cls(_clean_text("title", title), _clean_text("legend_title", legend_title),
                   _clean_text("attribution", attribution), metre, kilometre,
                   _clean_text("north_label", north_label), labels)


def _check_glyphs(texts: _Texts, fonts: MapFonts) -> None:
    """Fail on a character the font lacks, naming it, instead of printing a blank box."""
    from fontTools.ttLib import TTFont

    if not isinstance(fonts, MapFonts):
        raise TypeError("fonts must be a MapFonts")
    digits = "0123456789.°NSEW "
    needs = {
        Path(fonts.bold): [("title", texts.title), ("legend_title", texts.legend_title),
                           ("north_label", texts.north), ("marker numbers", digits)],
        Path(fonts.regular): [("attribution", texts.attribution),
                              ("scale_label", texts.metre + texts.kilometre),
                              ("grid labels", digits)]
        + [(f"marker {n} label", label) for n, label in texts.labels.items()],
    }
    for path, items in needs.items():
        if not path.is_file():
            raise FileNotFoundError(f"font file not found: {path}")
        with TTFont(path, lazy=True) as font:
            cmap = font.getBestCmap()
        for what, text in items:
            for char in text:
                if ord(char) not in cmap:
                    raise ValueError(f"{what}: character U+{ord(char):04X} {char!r} is not in "
                                     f"the font {path.name}; use a font that has it")


# ---------------------------------------------------------------------------------------------
# Layout and projection


def _mercator(point: LatLon) -> tuple[float, float]:
    """Spherical Web Mercator on the unit sphere: x = longitude in radians."""
    lat = math.radians(point.lat)
    return math.radians(point.lon), math.log(math.tan(math.pi / 4 + lat / 2))


def _inverse_lat(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)


def _layout(paper: str, orientation: str) -> _Layout:
    """Cut the page into title, map frame, legend panel and attribution line."""
    short, long_ = _PAPERS[paper]
    page_w, page_h = (long_, short) if orientation == "L" else (short, long_)
    content_w = page_w - 2 * _MARGIN
    title = _Rect(_MARGIN, _MARGIN, content_w, _TITLE_H)
    attribution = _Rect(_MARGIN, page_h - _MARGIN - _ATTRIBUTION_H, content_w, _ATTRIBUTION_H)
    top = title.bottom + _GAP / 2
    body_h = attribution.y - _GAP / 2 - top
    if orientation == "L":
        panel_w = content_w * _PANEL_SHARE_LANDSCAPE
        frame = _Rect(_MARGIN, top, content_w - panel_w - _GAP, body_h)
        panel = _Rect(frame.right + _GAP, top, panel_w, body_h)
        columns = 1
    else:
        panel_h = body_h * _PANEL_SHARE_PORTRAIT
        frame = _Rect(_MARGIN, top, content_w, body_h - panel_h - _GAP)
        panel = _Rect(_MARGIN, frame.bottom + _GAP, content_w, panel_h)
        columns = 2
    legend = _Rect(panel.x, panel.y, panel.w, panel.h - _KEY_H - _GAP / 2)
    key = _Rect(panel.x, panel.bottom - _KEY_H, panel.w, _KEY_H)
    return _Layout(orientation, page_w, page_h, title, frame, legend, key, attribution, columns)


def _fit(markers: list[MapMarker], frame: _Rect) -> _Projection:
    """Centre the markers' Mercator extent in the frame at the largest scale that fits."""
    xs, ys = zip(*(_mercator(m.point) for m in markers), strict=True)
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    metres_per_unit = EARTH_RADIUS_M * math.cos(math.radians(_inverse_lat(cy)))
    min_span = _MIN_SPAN_M / metres_per_unit
    span_x = max(max(xs) - min(xs), min_span)
    span_y = max(max(ys) - min(ys), min_span)
    scale = min((frame.w - 2 * _FRAME_PADDING) / span_x, (frame.h - 2 * _FRAME_PADDING) / span_y)
    return _Projection(frame, cx, cy, scale)


def _plan(markers: list[MapMarker], paper: str) -> _Plan:
    """Choose the orientation with the larger scale (tie: landscape) and place the markers."""
    options = [(layout, _fit(markers, layout.frame))
               for layout in (_layout(paper, "L"), _layout(paper, "P"))]
    layout, projection = max(options, key=lambda option: option[1].scale)  # first max: "L"
    true_xy = {m.number: projection.to_page(m.point) for m in markers}
    return _Plan(layout, projection, true_xy, _spread(true_xy, layout.frame))


def _spread(true_xy: dict[int, tuple[float, float]],
            frame: _Rect) -> dict[int, tuple[float, float]]:
    """Push overlapping circles apart, in a fixed order, so every number stays readable."""
    numbers = sorted(true_xy)
    xy = {n: list(true_xy[n]) for n in numbers}
    least = 2 * MARKER_RADIUS_MM + _MARKER_GAP
    inset = MARKER_RADIUS_MM + 1.0
    for _ in range(200):
        moved = False
        for a, b in combinations(numbers, 2):
            dx, dy = xy[b][0] - xy[a][0], xy[b][1] - xy[a][1]
            dist = math.hypot(dx, dy)
            if dist >= least - 1e-9:
                continue
            if dist < 1e-9:  # same spot: fan out by a fixed angle per pair
                angle = (a * 137.508 + b) % 360
                dx, dy, dist = math.cos(math.radians(angle)), math.sin(math.radians(angle)), 1.0
            push = (least - math.hypot(xy[b][0] - xy[a][0], xy[b][1] - xy[a][1])) / 2 + 1e-3
            ux, uy = dx / dist, dy / dist
            xy[a][0] -= ux * push
            xy[a][1] -= uy * push
            xy[b][0] += ux * push
            xy[b][1] += uy * push
            moved = True
        for n in numbers:
            xy[n][0] = min(max(xy[n][0], frame.x + inset), frame.right - inset)
            xy[n][1] = min(max(xy[n][1], frame.y + inset), frame.bottom - inset)
        if not moved:
            break
    return {n: (xy[n][0], xy[n][1]) for n in numbers}


# ---------------------------------------------------------------------------------------------
# Drawing helpers


def _set_draw(pdf, colour: tuple[int, int, int], width: float) -> None:
    pdf.set_draw_color(*colour)
    pdf.set_line_width(width)


def _fit_font(pdf, style: str, text: str, width: float, largest: float, smallest: float) -> float:
    """The largest size (0.5 pt steps) at which text fits on one line, or ValueError."""
    size = largest
    while size >= smallest:
        pdf.set_font("MapSans", style, size)
        if pdf.get_string_width(text) <= width:
            return size
        size -= 0.5
    raise ValueError(f"{text[:40]!r}... is too long for one line even at {smallest} pt")


def _text_centred(pdf, text: str, cx: float, cy: float) -> None:
    """Draw text in the current font centred on (cx, cy), using the cap height."""
    width = pdf.get_string_width(text)
    pdf.text(cx - width / 2, cy + pdf.font_size * _CAP_HEIGHT / 2, text)


def _draw_title(pdf, box: _Rect, title: str) -> None:
    _fit_font(pdf, "B", title, box.w, 18, 9)
    pdf.set_text_color(*_BLACK)
    pdf.text(box.x, box.y + box.h / 2 + pdf.font_size * _CAP_HEIGHT / 2, title)


def _draw_attribution(pdf, box: _Rect, attribution: str) -> None:
    _fit_font(pdf, "", attribution, box.w, 7, 4)
    pdf.set_text_color(*_GRID_TEXT)
    width = pdf.get_string_width(attribution)
    pdf.text(box.right - width, box.y + box.h / 2 + pdf.font_size * _CAP_HEIGHT / 2, attribution)


def _draw_route(pdf, points: list[tuple[float, float]]) -> None:
    if len(points) < 2:
        return
    _set_draw(pdf, ROUTE_COLOUR, 0.8)
    pdf.set_dash_pattern(dash=2.0, gap=1.2)
    pdf.polyline(points, style="D")
    pdf.set_dash_pattern()


def _draw_markers(pdf, plan: _Plan) -> None:
    """Leader lines first, then the circles, so a circle is never crossed by a line."""
    for number, (x, y) in plan.drawn_xy.items():
        tx, ty = plan.true_xy[number]
        if math.hypot(x - tx, y - ty) > _LEADER_MIN:
            _set_draw(pdf, _LEADER_COLOUR, 0.3)
            pdf.line(tx, ty, x, y)
            pdf.set_fill_color(*_LEADER_COLOUR)
            pdf.circle(tx, ty, 0.6, style="F")
    for number, (x, y) in plan.drawn_xy.items():
        _numbered_circle(pdf, number, x, y, MARKER_RADIUS_MM)


def _numbered_circle(pdf, number: int, x: float, y: float, radius: float) -> None:
    _set_draw(pdf, _WHITE, radius * 0.15)
    pdf.set_fill_color(*MARKER_FILL)
    pdf.circle(x, y, radius, style="FD")
    text = str(number)
    _fit_font(pdf, "B", text, radius * 1.5, radius * 2.9, 3)
    pdf.set_text_color(*_WHITE)
    _text_centred(pdf, text, x, y)


# ---------------------------------------------------------------------------------------------
# Background: schematic


def _nice_step(minimum: float) -> Decimal:
    """The smallest 1-2-5 step (in degrees) at least minimum."""
    exponent = math.floor(math.log10(minimum))
    for power in (exponent, exponent + 1):
        for digit in (1, 2, 5):
            step = Decimal(digit).scaleb(power)
            if step >= Decimal(repr(minimum)):
                return step
    return Decimal(10).scaleb(exponent + 1)  # pragma: no cover - unreachable


def _grid_values(low: float, high: float, step: Decimal) -> list[Decimal]:
    first = math.ceil(Decimal(repr(low)) / step)
    last = math.floor(Decimal(repr(high)) / step)
    return [step * k for k in range(first, last + 1)]


def _degree_label(value: Decimal, step: Decimal, positive: str, negative: str) -> str:
    places = max(0, -step.normalize().as_tuple().exponent)
    hemisphere = positive if value >= 0 else negative
    return f"{abs(value):.{places}f}°{hemisphere}"


def _draw_schematic(pdf, projection: _Projection, lines: list[list[LatLon]]) -> None:
    """A graticule every 1-2-5 step (at least 25 mm apart) and the caller's lines."""
    frame = projection.frame
    west_x, north_y = projection.to_mercator(frame.x, frame.y)
    east_x, south_y = projection.to_mercator(frame.right, frame.bottom)
    mm_per_degree = projection.scale * math.pi / 180
    lat0 = math.radians(projection.centre_lat)
    lon_step = _nice_step(25 / mm_per_degree)
    lat_step = _nice_step(25 * math.cos(lat0) / mm_per_degree)
    with pdf.rect_clip(frame.x, frame.y, frame.w, frame.h):
        _set_draw(pdf, GRID_COLOUR, 0.25)
        pdf.set_text_color(*_GRID_TEXT)
        pdf.set_font("MapSans", "", 6)
        for lon in _grid_values(math.degrees(west_x), math.degrees(east_x), lon_step):
            x, _ = projection.to_page(LatLon(projection.centre_lat, float(lon)))
            pdf.line(x, frame.y, x, frame.bottom)
            pdf.text(x + 0.8, frame.bottom - 1.2, _degree_label(lon, lon_step, "E", "W"))
        for lat in _grid_values(_inverse_lat(south_y), _inverse_lat(north_y), lat_step):
            _, y = projection.to_page(LatLon(float(lat), 0.0))
            pdf.line(frame.x, y, frame.right, y)
            pdf.text(frame.x + 1.0, y - 0.8, _degree_label(lat, lat_step, "N", "S"))
        _set_draw(pdf, SCHEMATIC_COLOUR, 0.7)
        for line in lines:
            pdf.polyline([projection.to_page(point) for point in line], style="D")


# ---------------------------------------------------------------------------------------------
# Background: tiles


@dataclass(frozen=True)
class _Mosaic:
    image: object  # PIL.Image.Image, cropped to whole pixels around the frame
    box: tuple[float, float, float, float]  # frame edges in mosaic pixels (float)


def _ideal_zoom(projection: _Projection) -> int:
    """The zoom whose tile pixels print closest to 150 dpi at this map's scale."""
    pixel_units = 2 * math.pi / _TILE_PX  # Mercator units per pixel at zoom 0
    zoom = math.log2(pixel_units * projection.scale / _TARGET_PIXEL_MM)
    return min(max(round(zoom), 0), _MAX_ZOOM)


def _tile_mosaic(cache: Path, projection: _Projection) -> _Mosaic | None:
    """Tiles of the first zoom (nearest 150 dpi first) that covers the frame, or None."""
    best = _ideal_zoom(projection)
    for zoom in (best, best + 1, best - 1, best - 2, best - 3):
        if 0 <= zoom <= _MAX_ZOOM:
            mosaic = _mosaic_at(Path(cache), projection, zoom)
            if mosaic is not None:
                return mosaic
    return None


def _mosaic_at(cache: Path, projection: _Projection, zoom: int) -> _Mosaic | None:
    frame = projection.frame
    world = _TILE_PX * 2**zoom
    west, north = projection.to_mercator(frame.x, frame.y)
    east, south = projection.to_mercator(frame.right, frame.bottom)
    left, right = ((x + math.pi) / (2 * math.pi) * world for x in (west, east))
    top, bottom = ((math.pi - y) / (2 * math.pi) * world for y in (north, south))
    tiles_x = range(math.floor(left / _TILE_PX), math.ceil(right / _TILE_PX))
    tiles_y = range(math.floor(top / _TILE_PX), math.ceil(bottom / _TILE_PX))
    if tiles_x.start < 0 or tiles_y.start < 0 or max(tiles_x.stop, tiles_y.stop) > 2**zoom:
        return None
    paths = {(tx, ty): cache / str(zoom) / str(tx) / f"{ty}.png"
             for tx in tiles_x for ty in tiles_y}
    if not all(path.is_file() for path in paths.values()):
        return None
    from PIL import Image

    origin_x, origin_y = tiles_x.start * _TILE_PX, tiles_y.start * _TILE_PX
    canvas = Image.new("RGB", (len(tiles_x) * _TILE_PX, len(tiles_y) * _TILE_PX), _WHITE)
    for (tx, ty), path in paths.items():
        canvas.paste(_load_tile(path), ((tx - tiles_x.start) * _TILE_PX,
                                        (ty - tiles_y.start) * _TILE_PX))
    crop = (math.floor(left) - origin_x, math.floor(top) - origin_y,
            math.ceil(right) - origin_x, math.ceil(bottom) - origin_y)
    box = (left - origin_x - crop[0], top - origin_y - crop[1],
           right - origin_x - crop[0], bottom - origin_y - crop[1])
    return _Mosaic(canvas.crop(crop), box)


def _load_tile(path: Path):
    """One tile as a 256 px RGB image (transparency on white); a broken file is an error."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as tile:
            tile.load()
            rgba = tile.convert("RGBA")
    except (OSError, UnidentifiedImageError) as error:
        raise ValueError(f"map tile {path} is not a readable image: {error}") from error
    if rgba.size != (_TILE_PX, _TILE_PX):
        rgba = rgba.resize((_TILE_PX, _TILE_PX), Image.Resampling.LANCZOS)
    flat = Image.new("RGB", rgba.size, _WHITE)
    flat.paste(rgba, mask=rgba.getchannel("A"))
    return flat


def _draw_tiles(pdf, projection: _Projection, mosaic: _Mosaic) -> None:
    """Place the whole-pixel mosaic so that its frame box lands exactly on the frame, clipped."""
    frame = projection.frame
    left, top, right, bottom = mosaic.box
    mm_per_px = frame.w / (right - left)
    width, height = mosaic.image.size  # type: ignore[attr-defined]
    with pdf.rect_clip(frame.x, frame.y, frame.w, frame.h):
        pdf.image(mosaic.image, x=frame.x - left * mm_per_px, y=frame.y - top * mm_per_px,
                  w=width * mm_per_px, h=height * mm_per_px)


# ---------------------------------------------------------------------------------------------
# Legend, scale bar, north arrow


def _wrap(pdf, text: str, width: float) -> list[str]:
    """Greedy word wrap in the current font; a word wider than the line is cut."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if pdf.get_string_width(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while len(word) > 1 and pdf.get_string_width(word) > width:
            cut = 1
            while cut < len(word) and pdf.get_string_width(word[: cut + 1]) <= width:
                cut += 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines


_LEGEND_PAD = 3.0


@dataclass(frozen=True)
class _LegendFit:
    """The legend at one type size: entries per column and the height they take."""

    size: float
    columns: list[list[tuple[int, list[str]]]]
    height: float  # of the box, padding and heading included

    @property
    def line_h(self) -> float:
        return self.size * _PT * 1.3

    @property
    def heading(self) -> float:
        return self.size + 1.5


def _legend_fit(pdf, box: _Rect, columns: int, texts: _Texts, size: float) -> _LegendFit | None:
    """Entries split into columns at this type size, or None if they do not fit the box."""
    line_h = size * _PT * 1.3
    column_w = (box.w - _LEGEND_PAD * (columns + 1)) / columns
    top = _LEGEND_PAD + (size + 1.5) * _PT * 1.6
    room = box.h - top - _LEGEND_PAD
    pdf.set_font("MapSans", "", size)
    result: list[list[tuple[int, list[str]]]] = [[]]
    used = tallest = 0.0
    for number, label in texts.labels.items():
        lines = _wrap(pdf, label, column_w - line_h * 1.1 - 1.5)
        height = len(lines) * line_h + line_h * 0.35
        if used + height > room and result[-1]:
            result.append([])
            used = 0.0
        if len(result) > columns or height > room:
            return None
        result[-1].append((number, lines))
        used += height
        tallest = max(tallest, used)
    return _LegendFit(size, result, top + tallest + _LEGEND_PAD)


def _draw_legend(pdf, layout: _Layout, texts: _Texts) -> None:
    """Legend box: the heading, then number -> label; the type shrinks until all entries fit."""
    box = layout.legend
    size = 9.0
    while (fit := _legend_fit(pdf, box, layout.legend_columns, texts, size)) is None:
        size -= 0.5
        if size < 5:
            raise ValueError(f"the legend of {len(texts.labels)} markers does not fit even at "
                             "5 pt; use paper='A3' or split the map")
    _set_draw(pdf, _LEGEND_BORDER, 0.3)
    pdf.rect(box.x, box.y, box.w, fit.height, style="D")
    _fit_font(pdf, "B", texts.legend_title, box.w - 2 * _LEGEND_PAD, fit.heading, 4)
    pdf.set_text_color(*_BLACK)
    pdf.text(box.x + _LEGEND_PAD, box.y + _LEGEND_PAD + fit.heading * _PT, texts.legend_title)
    swatch = fit.line_h * 1.1
    column_w = (box.w - _LEGEND_PAD * (layout.legend_columns + 1)) / layout.legend_columns
    for index, column in enumerate(fit.columns):
        x = box.x + _LEGEND_PAD + index * (column_w + _LEGEND_PAD)
        y = box.y + _LEGEND_PAD + fit.heading * _PT * 1.6
        for number, lines in column:
            _numbered_circle(pdf, number, x + swatch / 2, y + fit.line_h / 2, swatch / 2)
            pdf.set_font("MapSans", "", fit.size)
            pdf.set_text_color(*_BLACK)
            for row, line in enumerate(lines):
                middle = y + row * fit.line_h + fit.line_h / 2
                pdf.text(x + swatch + 1.5, middle + fit.size * _PT * _CAP_HEIGHT / 2, line)
            y += len(lines) * fit.line_h + fit.line_h * 0.35


def _scale_bar_metres(metres_per_mm: float, longest_mm: float) -> int:
    """The longest 1-2-5 length (1 m .. 10 000 km) whose bar fits in longest_mm."""
    best = 1
    for power in range(8):
        for digit in (1, 2, 5):
            length = digit * 10**power
            if length / metres_per_mm <= longest_mm:
                best = length
    return best


def _draw_key(pdf, box: _Rect, projection: _Projection, texts: _Texts) -> None:
    """Scale bar on the left of the strip, north arrow on the right."""
    longest = min(box.w - _NORTH_W - 4 * _LEGEND_PAD, 60.0)
    metres = _scale_bar_metres(projection.metres_per_mm, longest)
    length_mm = metres / projection.metres_per_mm
    label = (f"{metres} {texts.metre}" if metres < 1000
             else f"{metres // 1000} {texts.kilometre}")
    x, bar_y = box.x + _LEGEND_PAD, box.bottom - 6.0
    pdf.set_fill_color(*_BLACK)
    pdf.rect(x, bar_y, length_mm, 1.6, style="F")
    pdf.set_font("MapSans", "", 8)
    pdf.set_text_color(*_BLACK)
    pdf.text(x, bar_y - 2.0, "0")
    pdf.text(x + length_mm - pdf.get_string_width(label), bar_y - 2.0, label)
    _draw_north(pdf, box.right - _LEGEND_PAD - _NORTH_W / 2, box.y + 2.0, box.bottom - 2.0,
                texts.north)


def _draw_north(pdf, cx: float, top: float, bottom: float, label: str) -> None:
    """A split arrowhead pointing up (north is up in Web Mercator), the label above it."""
    _fit_font(pdf, "B", label, _NORTH_W, 10, 4)
    pdf.set_text_color(*_BLACK)
    _text_centred(pdf, label, cx, top + 2.5)
    tip, base, half = top + 6.5, bottom - 1.0, 3.5
    _set_draw(pdf, _BLACK, 0.3)
    pdf.set_fill_color(*_BLACK)
    pdf.polygon([(cx, tip), (cx - half, base), (cx, base - 3.0)], style="FD")
    pdf.set_fill_color(*_WHITE)
    pdf.polygon([(cx, tip), (cx + half, base), (cx, base - 3.0)], style="FD")
