"""Shared helpers for the qr tests: a real decoder, image degradations, an SVG rasteriser."""

from __future__ import annotations

import numpy as np
import zxingcpp
from PIL import Image

from qr.check import open_png, rasterise_svg  # noqa: F401  (re-exported for the tests)


def decode(image: Image.Image) -> list:
    """All QR codes zxing-cpp finds in `image` (converted to 8-bit grey)."""
    return zxingcpp.read_barcodes(image.convert("L"), formats=zxingcpp.BarcodeFormat.QRCode)


def decoded_texts(image: Image.Image) -> list[str]:
    """The decoded texts only, for one-line assertions."""
    return [result.text for result in decode(image)]


def pad(image: Image.Image, margin: int) -> Image.Image:
    """Paste `image` onto a white margin, as a photo always has surroundings."""
    out = Image.new("L", (image.width + 2 * margin, image.height + 2 * margin), 255)
    out.paste(image, (margin, margin))
    return out


def perspective_coeffs(dest: list[tuple[float, float]], src: list[tuple[float, float]]) -> list:
    """Coefficients for Image.transform(PERSPECTIVE) mapping output points `dest` to `src`."""
    rows, rhs = [], []
    for (x, y), (u, v) in zip(dest, src):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs += [u, v]
    return list(np.linalg.solve(np.array(rows, float), np.array(rhs, float)))
