"""Reading codes back: decode images with zxing-cpp, rasterise the SVGs this library writes.

Used by the build's verify stage and `heritage verify` to prove every published code scans
to its ledger URL. The SVG rasteriser understands exactly what `render.to_svg` writes
(rects, and paths of axis-aligned rectangles), so it needs no browser or Cairo.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

from PIL import Image, ImageDraw

SVG_NS = "{http://www.w3.org/2000/svg}"
_COLOURS = {"#fff": 255, "#ffffff": 255, "white": 255, "#000": 0, "#000000": 0, "black": 0}


def decode_texts(image: Image.Image) -> list[str]:
    """The texts of all QR codes zxing-cpp finds in `image`."""
    import zxingcpp  # imported here: only verification needs the decoder

    formats = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    results = zxingcpp.read_barcodes(image.convert("L"), formats=formats)
    return [result.text for result in results]


def open_png(data: bytes) -> Image.Image:
    """PNG bytes as a grey image, white = 255."""
    return Image.open(io.BytesIO(data)).convert("L")


def _path_rects(d: str) -> list[tuple[float, float, float, float]]:
    """Interpret an SVG path (M m H h V v L l Z z) and return each closed subpath as a rectangle.

    Fails when a subpath is not an axis-aligned rectangle: the renderer promises rectangles.
    """
    tokens = re.findall(r"[MmHhVvLlZz]|-?\d*\.?\d+(?:e-?\d+)?", d)
    rects: list[tuple[float, float, float, float]] = []
    points: list[tuple[float, float]] = []
    x, y, i = 0.0, 0.0, 0
    while i < len(tokens):
        cmd = tokens[i]
        i += 1
        if cmd in "Mm" or cmd in "Ll":
            dx, dy = float(tokens[i]), float(tokens[i + 1])
            i += 2
            x, y = (x + dx, y + dy) if cmd.islower() else (dx, dy)
            points = [(x, y)] if cmd in "Mm" else points + [(x, y)]
        elif cmd in "HhVv":
            value = float(tokens[i])
            i += 1
            if cmd in "Hh":
                x = x + value if cmd == "h" else value
            else:
                y = y + value if cmd == "v" else value
            points.append((x, y))
        elif cmd in "Zz":
            rects.append(_as_rect(points))
            x, y = points[0]
        else:
            raise ValueError(f"unexpected SVG path command {cmd!r}")
    return rects


def _as_rect(points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1) of a closed rectilinear 4-corner outline."""
    corners = set(points)
    xs, ys = sorted({p[0] for p in corners}), sorted({p[1] for p in corners})
    if not (len(corners) == 4 and len(xs) == 2 and len(ys) == 2):
        raise ValueError(f"SVG path piece is not a rectangle: {points}")
    return xs[0], ys[0], xs[1], ys[1]


def _attribute(element: ET.Element, name: str) -> str:
    """An attribute the element must have: the renderer always writes it."""
    value = element.get(name)
    if value is None:
        raise ValueError(f"SVG element {element.tag} has no {name} attribute")
    return value


def rasterise_svg(svg: str, scale: int) -> Image.Image:
    """Draw the SVG's <rect> and <path> elements with Pillow, `scale` pixels per viewBox unit."""
    root = ET.fromstring(svg)
    _, _, width, height = (float(v) for v in _attribute(root, "viewBox").split())
    image = Image.new("L", (round(width * scale), round(height * scale)), 128)
    draw = ImageDraw.Draw(image)
    for element in root:
        if element.get("fill") == "none":
            continue
        fill = _COLOURS[element.get("fill", "#000")]
        if element.tag == SVG_NS + "rect":
            x, y = float(element.get("x", 0)), float(element.get("y", 0))
            w, h = float(_attribute(element, "width")), float(_attribute(element, "height"))
            rects = [(x, y, x + w, y + h)]
        elif element.tag == SVG_NS + "path":
            rects = _path_rects(_attribute(element, "d"))
        else:
            continue
        for x0, y0, x1, y1 in rects:  # Pillow's rectangle includes its far edge: hence -1
            x0, y0, x1, y1 = (round(v * scale) for v in (x0, y0, x1, y1))
            draw.rectangle([x0, y0, x1 - 1, y1 - 1], fill=fill)
    return image
