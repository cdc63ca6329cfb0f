"""What the printable map shows behind its markers, clipped to the frame: tiles from an optional
local cache, else a schematic (a light latitude/longitude graticule under the caller's polylines).
The map must print without a network, so the cache is only read, never filled, and any zoom that
does not cover the whole frame is skipped rather than printed with holes. The cache is laid out
{z}/{x}/{y}.png with 256 px tiles in standard XYZ numbering, and the zoom whose pixels print
closest to 150 dpi is tried first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from pdftext import draw_text

from ..geo import LatLon
from .layout import Projection, inverse_lat
from .style import (
    FONT,
    GRID_COLOUR,
    GRID_TEXT,
    SCHEMATIC_COLOUR,
    WHITE,
    set_pen,
)

if TYPE_CHECKING:
    from fpdf import FPDF
    from PIL.Image import Image

_TILE_PX = 256
_TARGET_PIXEL_MM = 25.4 / 150  # a tile pixel printed at 150 dpi
_MAX_ZOOM = 22
_GRID_SPACING_MM = 25  # the least distance between two graticule lines


def draw_background(
    pdf: FPDF, projection: Projection, tile_cache: Path | None, lines: list[list[LatLon]]
) -> None:
    """Tiles when the cache has a zoom that covers the frame, else the schematic."""
    mosaic = _load_mosaic(tile_cache, projection) if tile_cache is not None else None
    if mosaic is not None:
        _draw_tiles(pdf, projection, mosaic)
    else:
        _draw_schematic(pdf, projection, lines)


# --- schematic ------------------------------------------------------------------------------


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
    """The multiples of step from low to high, in Decimal so that labels never read 10.9199."""
    first = math.ceil(Decimal(repr(low)) / step)
    last = math.floor(Decimal(repr(high)) / step)
    return [step * k for k in range(first, last + 1)]


def _degree_label(value: Decimal, step: Decimal, positive: str, negative: str) -> str:
    """A grid value as "10.92°N", with as many decimals as the step has."""
    exponent = step.normalize().as_tuple().exponent
    if not isinstance(exponent, int):  # "n", "N" or "F": a NaN or infinite step
        raise ValueError(f"grid step must be finite, got {step}")
    places = max(0, -exponent)
    hemisphere = positive if value >= 0 else negative
    return f"{abs(value):.{places}f}°{hemisphere}"


def _draw_schematic(pdf: FPDF, projection: Projection, lines: list[list[LatLon]]) -> None:
    """The graticule, then the caller's lines (rivers, coast) in light blue, inside the frame."""
    frame = projection.frame
    with pdf.rect_clip(frame.x, frame.y, frame.w, frame.h):
        _draw_graticule(pdf, projection)
        set_pen(pdf, SCHEMATIC_COLOUR, 0.7)
        for line in lines:
            pdf.polyline([projection.to_page(point) for point in line], style="D")


def _draw_graticule(pdf: FPDF, projection: Projection) -> None:
    """Meridians and parallels every 1-2-5 step at least 25 mm apart, labelled in degrees."""
    frame = projection.frame
    west_x, north_y = projection.to_mercator(frame.x, frame.y)
    east_x, south_y = projection.to_mercator(frame.right, frame.bottom)
    mm_per_degree = projection.scale * math.pi / 180
    lat0 = math.radians(projection.centre_lat)
    lon_step = _nice_step(_GRID_SPACING_MM / mm_per_degree)
    lat_step = _nice_step(_GRID_SPACING_MM * math.cos(lat0) / mm_per_degree)
    set_pen(pdf, GRID_COLOUR, 0.25)
    pdf.set_text_color(*GRID_TEXT)
    pdf.set_font(FONT, "", 6)
    for lon in _grid_values(math.degrees(west_x), math.degrees(east_x), lon_step):
        x, _ = projection.to_page(LatLon(projection.centre_lat, float(lon)))
        pdf.line(x, frame.y, x, frame.bottom)
        draw_text(pdf, x + 0.8, frame.bottom - 1.2, _degree_label(lon, lon_step, "E", "W"))
    for lat in _grid_values(inverse_lat(south_y), inverse_lat(north_y), lat_step):
        _, y = projection.to_page(LatLon(float(lat), 0.0))
        pdf.line(frame.x, y, frame.right, y)
        draw_text(pdf, frame.x + 1.0, y - 0.8, _degree_label(lat, lat_step, "N", "S"))


# --- tiles ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Mosaic:
    """Tiles stitched and cropped to whole pixels around the frame."""

    image: Image
    box: tuple[float, float, float, float]  # frame edges in mosaic pixels (float)


def _ideal_zoom(projection: Projection) -> int:
    """The zoom whose tile pixels print closest to 150 dpi at this map's scale."""
    pixel_units = 2 * math.pi / _TILE_PX  # Mercator units per pixel at zoom 0
    zoom = math.log2(pixel_units * projection.scale / _TARGET_PIXEL_MM)
    return min(max(round(zoom), 0), _MAX_ZOOM)


def _load_mosaic(cache: Path, projection: Projection) -> _Mosaic | None:
    """Tiles of the first zoom (z*, z*+1, z*-1, z*-2, z*-3) that covers the frame, or None."""
    best = _ideal_zoom(projection)
    for zoom in (best, best + 1, best - 1, best - 2, best - 3):
        if 0 <= zoom <= _MAX_ZOOM:
            mosaic = _load_mosaic_at(Path(cache), projection, zoom)
            if mosaic is not None:
                return mosaic
    return None


def _load_mosaic_at(cache: Path, projection: Projection, zoom: int) -> _Mosaic | None:
    """The frame's tiles at one zoom, or None if any is missing or beyond the world's edge."""
    left, top, right, bottom = _frame_pixels(projection, zoom)
    tiles_x = range(math.floor(left / _TILE_PX), math.ceil(right / _TILE_PX))
    tiles_y = range(math.floor(top / _TILE_PX), math.ceil(bottom / _TILE_PX))
    if tiles_x.start < 0 or tiles_y.start < 0 or max(tiles_x.stop, tiles_y.stop) > 2**zoom:
        return None
    paths = {
        (tx, ty): cache / str(zoom) / str(tx) / f"{ty}.png" for tx in tiles_x for ty in tiles_y
    }
    if not all(path.is_file() for path in paths.values()):
        return None
    canvas = _stitch(paths, tiles_x, tiles_y)
    origin_x, origin_y = tiles_x.start * _TILE_PX, tiles_y.start * _TILE_PX
    crop = (
        math.floor(left) - origin_x,
        math.floor(top) - origin_y,
        math.ceil(right) - origin_x,
        math.ceil(bottom) - origin_y,
    )
    box = (
        left - origin_x - crop[0],
        top - origin_y - crop[1],
        right - origin_x - crop[0],
        bottom - origin_y - crop[1],
    )
    return _Mosaic(canvas.crop(crop), box)


def _frame_pixels(projection: Projection, zoom: int) -> tuple[float, float, float, float]:
    """The frame's left, top, right and bottom edges in world pixels at this zoom."""
    frame = projection.frame
    world = _TILE_PX * 2**zoom
    west, north = projection.to_mercator(frame.x, frame.y)
    east, south = projection.to_mercator(frame.right, frame.bottom)
    left, right = ((x + math.pi) / (2 * math.pi) * world for x in (west, east))
    top, bottom = ((math.pi - y) / (2 * math.pi) * world for y in (north, south))
    return left, top, right, bottom


def _stitch(paths: dict[tuple[int, int], Path], tiles_x: range, tiles_y: range) -> Image:
    """One image of all the tiles, in place; the first tile is at the top-left corner."""
    from PIL import Image

    canvas = Image.new("RGB", (len(tiles_x) * _TILE_PX, len(tiles_y) * _TILE_PX), WHITE)
    for (tx, ty), path in paths.items():
        corner = ((tx - tiles_x.start) * _TILE_PX, (ty - tiles_y.start) * _TILE_PX)
        canvas.paste(_load_tile(path), corner)
    return canvas


def _load_tile(path: Path) -> Image:
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
    flat = Image.new("RGB", rgba.size, WHITE)
    flat.paste(rgba, mask=rgba.getchannel("A"))
    return flat


def _draw_tiles(pdf: FPDF, projection: Projection, mosaic: _Mosaic) -> None:
    """Place the whole-pixel mosaic so that its frame box lands exactly on the frame, clipped."""
    frame = projection.frame
    left, top, right, bottom = mosaic.box
    mm_per_px = frame.w / (right - left)
    width, height = mosaic.image.size
    with pdf.rect_clip(frame.x, frame.y, frame.w, frame.h):
        pdf.image(
            mosaic.image,
            x=frame.x - left * mm_per_px,
            y=frame.y - top * mm_per_px,
            w=width * mm_per_px,
            h=height * mm_per_px,
        )
