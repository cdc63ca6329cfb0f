"""Leaf library for plaque QR codes: codes, payload URLs, matrices, SVG, PNG and print PDFs,
decoding.

Takes plain values and returns strings or bytes; knows nothing about sites or languages.
"""

from .check import decode_texts, open_png, rasterise_svg
from .codes import ALPHABET, MAX_CODE_LENGTH, CodeProblem, next_code, validate_code
from .matrix import QrSize, QrSymbol, encode, measure
from .payload import QR_ALPHANUMERIC, is_alphanumeric, plaque_url, short_url
from .pdfpage import Fonts, PrintError, preview_png
from .plaque import PAPER, PlaqueText, plaque_pdf
from .render import to_png, to_svg
from .sheet import Sticker, sticker_sheet_pdf

__all__ = [
    "ALPHABET",
    "CodeProblem",
    "Fonts",
    "MAX_CODE_LENGTH",
    "PAPER",
    "PlaqueText",
    "PrintError",
    "QR_ALPHANUMERIC",
    "QrSize",
    "QrSymbol",
    "Sticker",
    "decode_texts",
    "encode",
    "measure",
    "is_alphanumeric",
    "next_code",
    "open_png",
    "plaque_pdf",
    "plaque_url",
    "preview_png",
    "rasterise_svg",
    "short_url",
    "sticker_sheet_pdf",
    "to_png",
    "to_svg",
    "validate_code",
]
