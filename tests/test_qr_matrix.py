"""Matrices, the error-correction policy, and the SVG/PNG writers' structure."""

import hashlib
import io
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from qr import QrSymbol, encode, plaque_url, to_png, to_svg

SHORT = "HTTPS://DISAN.EXAMPLE.VN/Q/7K/"
LONG_SITE = "https://di-san-van-hoa-binh-thuan.example.com/ban-do-di-san/"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(
    ("data", "version", "error", "mode"),
    [
        (SHORT, 3, "H", "alphanumeric"),
        ("HTTPS://HERITAGE.EXAMPLE.VN/Q/ZZZZ/", 3, "H", "alphanumeric"),
        # H would need v5 here, Q fits v4: Q is chosen.
        ("HTTPS://EXAMPLE.GITHUB.IO/DI-SAN-BINH-THUAN/Q/ZZZZ/", 4, "Q", "alphanumeric"),
        # a lower-case sub-path is kept as written: mixed modes, one version more
        (plaque_url(LONG_SITE, "7K"), 5, "Q", "mixed"),
        ("https://heritage.example.vn/q/thap-nuoc-phan-thiet/", 5, "Q", "byte"),
        ("12345", 1, "H", "numeric"),
    ],
)
def test_version_error_and_mode(data, version, error, mode):
    symbol = encode(data)
    assert (symbol.version, symbol.error, symbol.mode) == (version, error, mode)
    assert symbol.size == 17 + 4 * version == len(symbol.modules[0])
    assert symbol.data == data


def test_short_payload_is_small():
    assert encode(plaque_url("https://disan.example.vn/", "7K")).version <= 3


@pytest.mark.parametrize(
    ("payload", "upper", "lower"),
    [
        (SHORT, (3, "H"), (3, "Q")),
        ("HTTPS://HERITAGE.EXAMPLE.VN/Q/7K/", (3, "H"), (4, "H")),
        ("HTTPS://EXAMPLE.GITHUB.IO/DI-SAN-BINH-THUAN/Q/7K/", (4, "H"), (5, "Q")),
    ],
)
def test_lowercase_form_costs_a_version_or_the_h_level(payload, upper, lower):
    assert (encode(payload).version, encode(payload).error) == upper
    assert (encode(payload.lower()).version, encode(payload.lower()).error) == lower


def test_symbol_is_frozen_and_plain():
    symbol = encode(SHORT)
    assert isinstance(symbol.modules, tuple) and isinstance(symbol.modules[0], tuple)
    assert all(type(cell) is bool for row in symbol.modules for cell in row)
    with pytest.raises(AttributeError):
        symbol.version = 9
    # finder pattern in the top-left corner: a 7x7 dark ring
    assert symbol.modules[0][:7] == (True,) * 7 and symbol.modules[1][1:6] == (False,) * 5


@pytest.mark.parametrize(
    ("data", "max_version", "message"),
    [
        ("", None, "empty"),
        (SHORT, 2, "needs QR version 3 at ECC Q; the maximum is version 2"),
        ("x" * 3000, None, "needs QR more than version 40"),
        (SHORT, 0, "max_version must be between 1 and 40"),
    ],
)
def test_encode_errors(data, max_version, message):
    with pytest.raises(ValueError, match=message):
        encode(data, max_version=max_version)


def test_encode_at_max_version_is_fine():
    assert encode(SHORT, max_version=3).version == 3


def test_svg_structure():
    symbol = encode(SHORT)
    root = ET.fromstring(to_svg(symbol, module_mm=2.5, title='Tháp <Po> & "Sah"'))
    assert root.get("viewBox") == "0 0 37 37"
    assert (root.get("width"), root.get("height")) == ("92.5mm", "92.5mm")
    assert root.get("shape-rendering") == "crispEdges"
    title, rect, path = list(root)
    assert title.tag == SVG + "title" and title.text == 'Tháp <Po> & "Sah"'
    assert (rect.get("width"), rect.get("height"), rect.get("fill")) == ("37", "37", "#fff")
    assert path.tag == SVG + "path" and path.get("fill") == "#000"
    dark = sum(map(sum, symbol.modules))
    assert 0 < path.get("d").count("M") < dark  # runs are merged


@pytest.mark.parametrize(("quiet_zone", "side"), [(0, "29"), (2, "33"), (4, "37")])
def test_svg_without_size_or_title(quiet_zone, side):
    root = ET.fromstring(to_svg(encode(SHORT), quiet_zone=quiet_zone))
    assert root.get("viewBox") == f"0 0 {side} {side}" and root.get("width") is None
    assert [child.tag for child in root] == [SVG + "rect", SVG + "path"]


def test_png_is_one_bit_with_dpi_and_no_extra_metadata():
    image = Image.open(io.BytesIO(to_png(encode(SHORT), pixels_per_module=6, dpi=600)))
    assert image.mode == "1" and image.size == (37 * 6, 37 * 6)
    assert tuple(round(v) for v in image.info["dpi"]) == (600, 600)
    assert set(image.info) == {"dpi"}


def test_png_pixels_match_modules():
    symbol = encode(SHORT)
    image = Image.open(io.BytesIO(to_png(symbol, pixels_per_module=3, quiet_zone=1)))
    for y, row in enumerate(symbol.modules):
        for x, dark in enumerate(row):
            assert image.getpixel((3 * (x + 1) + 1, 3 * (y + 1) + 1)) == (0 if dark else 255)
    assert image.getpixel((0, 0)) == 255


def test_output_is_deterministic():
    first, second = encode(SHORT), encode(SHORT)
    assert first == second
    assert to_png(first) == to_png(second)
    assert to_svg(first, module_mm=2.76, title="x") == to_svg(second, module_mm=2.76, title="x")


def test_known_digest_guards_against_silent_changes():
    # If qrcode changes its mask choice this fails: re-check decoding, then update the digest.
    digest = hashlib.sha256(to_svg(encode(SHORT)).encode()).hexdigest()
    assert digest == EXPECTED_SVG_SHA256


@pytest.mark.parametrize(
    "kwargs", [{"module_mm": 0}, {"module_mm": -1.0}, {"quiet_zone": -1}]
)
def test_svg_rejects_bad_sizes(kwargs):
    with pytest.raises(ValueError):
        to_svg(encode(SHORT), **kwargs)


@pytest.mark.parametrize("kwargs", [{"pixels_per_module": 0}, {"quiet_zone": -1}, {"dpi": 0}])
def test_png_rejects_bad_sizes(kwargs):
    with pytest.raises(ValueError):
        to_png(encode(SHORT), **kwargs)


def test_symbol_can_be_built_by_hand():
    symbol = QrSymbol(data="x", version=1, error="Q", modules=((True, False), (False, True)))
    assert symbol.size == 2
    assert to_svg(symbol, quiet_zone=0).count("M") == 2


EXPECTED_SVG_SHA256 = "af5270847fa3c0d5867ecce917eed571dce8012c83876403915ce9ae3a94541f"


@pytest.mark.parametrize("alphabet", ["0123456789", "HTTPS://DISAN.VN/Q/2E", "https://đ.vn/ü"])
def test_measure_agrees_with_encode_at_every_length(alphabet):
    """measure() fits digits and alphanumeric text by mode and length alone: it must give what
    encoding the very data gives, across the versions plaques use and beyond."""
    from qr import measure

    for length in range(1, 160, 3):
        data = (alphabet * length)[:length]
        symbol = encode(data)
        assert (measure(data).version, measure(data).error) == (symbol.version, symbol.error)
