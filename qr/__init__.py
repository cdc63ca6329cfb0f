"""Leaf library for plaque QR codes: codes, payload URLs, matrices, SVG and PNG.

Takes plain values and returns strings or bytes; knows nothing about sites or languages.
"""

from .codes import ALPHABET, MAX_CODE_LENGTH, next_code, validate_code
from .matrix import QrSymbol, encode
from .payload import QR_ALPHANUMERIC, is_alphanumeric, plaque_url, short_url
from .render import to_png, to_svg

__all__ = [
    "ALPHABET",
    "MAX_CODE_LENGTH",
    "QR_ALPHANUMERIC",
    "QrSymbol",
    "encode",
    "is_alphanumeric",
    "next_code",
    "plaque_url",
    "short_url",
    "to_png",
    "to_svg",
    "validate_code",
]
