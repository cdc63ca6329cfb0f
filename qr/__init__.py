"""Leaf library for plaque QR codes: codes, payload URLs, matrices, SVG and PNG, decoding.

Takes plain values and returns strings or bytes; knows nothing about sites or languages.
"""

from .check import decode_texts, open_png, rasterise_svg
from .codes import ALPHABET, MAX_CODE_LENGTH, CodeProblem, next_code, validate_code
from .matrix import QrSymbol, encode
from .payload import QR_ALPHANUMERIC, is_alphanumeric, plaque_url, short_url
from .render import to_png, to_svg

__all__ = [
    "ALPHABET",
    "CodeProblem",
    "MAX_CODE_LENGTH",
    "QR_ALPHANUMERIC",
    "QrSymbol",
    "decode_texts",
    "encode",
    "is_alphanumeric",
    "next_code",
    "open_png",
    "plaque_url",
    "rasterise_svg",
    "short_url",
    "to_png",
    "to_svg",
    "validate_code",
]
