"""QR matrices built with `qrcode`, with the error-correction policy for outdoor plaques."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import qrcode
from qrcode.constants import ERROR_CORRECT_H, ERROR_CORRECT_Q
from qrcode.exceptions import DataOverflowError
from qrcode.util import ALPHA_NUM, MODE_8BIT_BYTE, MODE_ALPHA_NUM, MODE_NUMBER, QRData

_LEVELS = {"H": ERROR_CORRECT_H, "Q": ERROR_CORRECT_Q}
_MODE_NAMES = {MODE_NUMBER: "numeric", MODE_ALPHA_NUM: "alphanumeric", MODE_8BIT_BYTE: "byte"}


@dataclass(frozen=True)
class QrSymbol:
    """An encoded QR symbol; `modules[row][col]` is True for dark, quiet zone excluded."""

    data: str
    version: int
    error: str
    modules: tuple[tuple[bool, ...], ...]
    mode: str = "byte"

    @property
    def size(self) -> int:
        """Modules per side (21 for version 1, +4 per version)."""
        return len(self.modules)


def _qr(data: str, error: str) -> qrcode.QRCode:
    """Build an unfitted QRCode holding `data` in the most compact mode.

    Data that fits the alphanumeric set (an upper-case URL) goes in as ONE segment of that
    mode (numeric if only digits): qrcode's default `optimize=20` would decide by runs and
    could split it. Other data keeps qrcode's default segmentation.
    """
    qr = qrcode.QRCode(version=None, error_correction=_LEVELS[error], border=0)
    if all(char in ALPHA_NUM for char in data.encode("utf-8")):
        qr.add_data(QRData(data))
    else:
        qr.add_data(data)
    return qr


def _version(data: str, error: str) -> int:
    """Smallest version holding `data` at `error`, or 41 when nothing holds it.

    One segment of digits or of the alphanumeric set takes as many bits as any other of its
    mode and length, so those are fitted once per (mode, length): a province's thousand
    plaque URLs are one or two lengths.
    """
    encoded = data.encode("utf-8")
    if all(char in ALPHA_NUM for char in encoded):
        return _fitted("1" * len(data) if encoded.isdigit() else "A" * len(data), error)
    return _fitted(data, error)


@lru_cache(maxsize=1024)
def _fitted(data: str, error: str) -> int:
    try:
        return _qr(data, error).best_fit()
    except (DataOverflowError, ValueError):  # qrcode 8.2 may say "Invalid version (was 41...)"
        return 41


@dataclass(frozen=True)
class QrSize:
    """What a symbol for some data will be, known without drawing it (no mask search)."""

    version: int
    error: str

    @property
    def size(self) -> int:
        """Modules per side (21 for version 1, +4 per version)."""
        return 17 + 4 * self.version


def measure(data: str, *, max_version: int | None = None) -> QrSize:
    """The version and ECC level encode() gives `data`: H when it needs no higher version than
    Q would, else Q. Outdoor plaques need Q at least (sun, salt, scratches); H is free when it
    fits the same version. Raises ValueError for empty data or data beyond `max_version`
    (default 40). About a hundred times faster than encode(), so a build can report the size
    of a thousand codes."""
    if not data:
        raise ValueError("cannot encode empty data")
    limit = 40 if max_version is None else max_version
    if not 1 <= limit <= 40:
        raise ValueError(f"max_version must be between 1 and 40, got {max_version}")
    version_q = _version(data, "Q")
    if version_q > limit:
        needs = "more than version 40" if version_q > 40 else f"version {version_q}"
        raise ValueError(f"data of {len(data)} characters needs QR {needs} at ECC Q; "
                         f"the maximum is version {limit}: shorten it")
    return QrSize(version_q, "H" if _version(data, "H") <= version_q else "Q")


@lru_cache(maxsize=4096)
def encode(data: str, *, max_version: int | None = None) -> QrSymbol:
    """Encode `data` at the version and ECC level measure() gives (the symbol is immutable,
    so repeated encodes of one payload in a build are served from memory)."""
    error = measure(data, max_version=max_version).error
    qr = _qr(data, error)
    qr.make(fit=True)
    modules = tuple(tuple(bool(cell) for cell in row) for row in qr.modules)
    modes = {_MODE_NAMES[chunk.mode] for chunk in qr.data_list}
    mode = modes.pop() if len(modes) == 1 else "mixed"
    return QrSymbol(data=data, version=qr.version, error=error, modules=modules, mode=mode)

