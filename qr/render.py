"""SVG and PNG renderings of a QrSymbol, both with the white quiet zone drawn explicitly.

Plaques have coloured backgrounds, frames and grime at the edges; a quiet zone that is merely
"left empty" takes the colour of whatever is behind it, so it is part of the artwork here.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from PIL import Image, ImageDraw, ImageFont

from .matrix import QrSymbol


def _runs(row: tuple[bool, ...]) -> list[tuple[int, int]]:
    """(start, length) of each horizontal run of dark modules in a row."""
    runs, start = [], None
    for col, dark in enumerate(row + (False,)):
        if dark and start is None:
            start = col
        elif not dark and start is not None:
            runs.append((start, col - start))
            start = None
    return runs


def _path_data(symbol: QrSymbol, offset: int) -> str:
    """One closed rectangle per run; filled once, so no hairline seams between modules."""
    return "".join(f"M{x + offset} {y + offset}h{w}v1h-{w}z"
                   for y, row in enumerate(symbol.modules) for x, w in _runs(row))


def _mm(value: float) -> str:
    """A length in mm with at most 4 decimals and no trailing zeros (stable text)."""
    return f"{value:.4f}".rstrip("0").rstrip(".") + "mm"


CAPTION_MODULES = 5  # height of the caption band under the quiet zone, in modules


def to_svg(symbol: QrSymbol, *, module_mm: float | None = None, quiet_zone: int = 4,
           title: str | None = None, caption: str | None = None) -> str:
    """Vector SVG in module units; width/height in mm when `module_mm` is given (for print).

    A `caption` (e.g. "DRAFT") is written in a band below the quiet zone, never over it.
    """
    if quiet_zone < 0:
        raise ValueError(f"quiet_zone must be >= 0, got {quiet_zone}")
    if module_mm is not None and module_mm <= 0:
        raise ValueError(f"module_mm must be positive, got {module_mm}")
    side = symbol.size + 2 * quiet_zone
    height = side + (CAPTION_MODULES if caption else 0)
    size = ("" if module_mm is None else
            f' width="{_mm(side * module_mm)}" height="{_mm(height * module_mm)}"')
    label = "" if title is None else f"<title>{escape(title)}</title>"
    text = "" if caption is None else (
        f'<text x="{side / 2:g}" y="{side + 3.5:g}" font-family="sans-serif" '
        f'font-size="3" font-weight="bold" text-anchor="middle">{escape(caption)}</text>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {height}"{size} '
            f'shape-rendering="crispEdges">{label}'
            f'<rect width="{side}" height="{height}" fill="#fff"/>'
            f'<path fill="#000" d="{_path_data(symbol, quiet_zone)}"/>{text}</svg>\n')


def to_png(symbol: QrSymbol, *, pixels_per_module: int = 10, quiet_zone: int = 4,
           dpi: int = 300, caption: str | None = None) -> bytes:
    """1-bit PNG, an integer number of pixels per module, no metadata but the dpi."""
    if pixels_per_module < 1 or quiet_zone < 0 or dpi < 1:
        raise ValueError("pixels_per_module and dpi must be >= 1, quiet_zone >= 0")
    side = symbol.size + 2 * quiet_zone
    small = Image.new("L", (side, side), 255)
    small.putdata([0 if dark else 255 for row in _padded(symbol, quiet_zone) for dark in row])
    big = small.resize((side * pixels_per_module,) * 2, Image.Resampling.NEAREST)
    if caption:
        big = _with_caption(big, caption, pixels_per_module)
    out = io.BytesIO()
    big.convert("1", dither=Image.Dither.NONE).save(out, format="PNG", dpi=(dpi, dpi))
    return out.getvalue()


def _with_caption(image: Image.Image, caption: str, pixels_per_module: int) -> Image.Image:
    """The image with a white band below it holding `caption` (Pillow's built-in font)."""
    band = CAPTION_MODULES * pixels_per_module
    out = Image.new("L", (image.width, image.height + band), 255)
    out.paste(image, (0, 0))
    font = ImageFont.load_default(size=3 * pixels_per_module)
    ImageDraw.Draw(out).text((image.width / 2, image.height + band / 2), caption, fill=0,
                             font=font, anchor="mm")
    return out


def _padded(symbol: QrSymbol, quiet_zone: int) -> list[tuple[bool, ...]]:
    """The module rows surrounded by `quiet_zone` light modules."""
    blank = (False,) * (symbol.size + 2 * quiet_zone)
    edge = (False,) * quiet_zone
    rows = [edge + row + edge for row in symbol.modules]
    return [blank] * quiet_zone + rows + [blank] * quiet_zone
