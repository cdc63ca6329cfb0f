"""The printable map PDF, proven on the real output: rasterised (pypdfium2), text extracted
(pdftotext), fonts listed (pdffonts)."""

from __future__ import annotations

import math
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image

import maps
from maps import (
    LatLon, MapFonts, MapMarker, distance_m, marker_positions, printable_map_pdf, sheet_tags,
)
from maps import printmap

REPO = Path(__file__).resolve().parents[1]
DPI = 150
PX_PER_MM = DPI / 25.4
EPOCH = 1_780_000_000

PHAN_THIET = [
    MapMarker("1", LatLon(10.92912, 108.09992), "Tháp nước Phan Thiết / Phan Thiet Water Tower"),
    MapMarker("2", LatLon(10.92872, 108.09583), "Trường Dục Thanh / Duc Thanh School"),
    MapMarker("3", LatLon(10.92276, 108.09953), "Vạn Thủy Tú / Van Thuy Tu Whale Temple"),
    MapMarker("4", LatLon(10.93549, 108.14632), "Tháp Pô Sah Inư / Po Sah Inu Cham Towers"),
    MapMarker("5", LatLon(10.93639, 108.14639), "Lầu Ông Hoàng / Lau Ong Hoang"),
    MapMarker("6", LatLon(10.92720, 108.09622), "Chùa Ông / Ong Pagoda"),
]
# Markers 1 and 3 are far from every other marker, so they are drawn on their true positions.
UNMOVED = ("1", "3")

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
    reason="poppler-utils (pdftotext, pdffonts) not installed",
)


@pytest.fixture(scope="module")
def fonts() -> MapFonts:
    folder = REPO / "generator" / "assets" / "fonts"
    return MapFonts(regular=folder / "NotoSans-Regular.ttf", bold=folder / "NotoSans-Bold.ttf")


def make_pdf(fonts: MapFonts, markers=PHAN_THIET, **options) -> bytes:
    arguments = dict(title="Bản đồ di sản Phan Thiết", legend_title="Chú giải / Legend",
                     attribution="Dữ liệu / Data: example contributors", fonts=fonts,
                     epoch=EPOCH)
    arguments.update(options)
    return printable_map_pdf(markers, **arguments)


@pytest.fixture(scope="module")
def demo_pdf(fonts) -> bytes:
    return make_pdf(fonts)


def rasterise(pdf: bytes) -> np.ndarray:
    """The single page as an RGB array at 150 dpi."""
    document = pdfium.PdfDocument(pdf)
    try:
        assert len(document) == 1
        image = document[0].render(scale=DPI / 72).to_pil().convert("RGB")
    finally:
        document.close()
    return np.asarray(image).astype(int)


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "map.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def pixel(image: np.ndarray, x_mm: float, y_mm: float) -> tuple[int, int, int]:
    return tuple(image[round(y_mm * PX_PER_MM), round(x_mm * PX_PER_MM)])


def is_colour(found, wanted, tolerance: int = 6) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(found, wanted, strict=True))


def near_colour(image, x_mm, y_mm, radius_mm, wanted, tolerance=12) -> bool:
    """Whether any pixel within radius_mm of the point has the wanted colour."""
    cx, cy, r = (round(v * PX_PER_MM) for v in (x_mm, y_mm, radius_mm))
    patch = image[cy - r:cy + r + 1, cx - r:cx + r + 1]
    return bool((np.abs(patch - np.array(wanted)).max(axis=2) <= tolerance).any())


def mm_per_metre(positions, a: MapMarker, b: MapMarker) -> float:
    (ax, ay), (bx, by) = positions[a.tag], positions[b.tag]
    return math.hypot(bx - ax, by - ay) / distance_m(a.point, b.point)


# --- the API and the package ----------------------------------------------------------------


def test_package_re_exports_the_printable_map():
    for name in ("MapFonts", "MapMarker", "marker_positions", "printable_map_pdf"):
        assert name in maps.__all__
        assert getattr(maps, name) is getattr(printmap, name)


def test_same_input_gives_the_same_bytes(fonts, demo_pdf):
    assert make_pdf(fonts) == demo_pdf
    assert demo_pdf.startswith(b"%PDF-")
    assert b"/CreationDate (D:20260528" in demo_pdf  # from the epoch, not the clock
    file_id = re.search(rb"/ID \[<([0-9A-F]+)><([0-9A-F]+)>\]", demo_pdf)
    assert file_id and file_id.group(1) == file_id.group(2)
    assert make_pdf(fonts, epoch=EPOCH + 1) != demo_pdf


@needs_poppler
def test_vietnamese_text_extracts_exactly(demo_pdf, tmp_path):
    text = pdf_text(demo_pdf, tmp_path)
    for expected in ("Tháp nước Phan Thiết", "Bản đồ di sản Phan Thiết", "Chú giải / Legend",
                     "Lầu Ông Hoàng", "Vạn Thủy Tú", "Dữ liệu / Data: example contributors"):
        assert expected in text
    assert re.search(r"^\s*N\s*$", text, re.MULTILINE)  # the north label


@needs_poppler
def test_decomposed_input_is_printed_as_nfc(fonts, tmp_path):
    label = unicodedata.normalize("NFD", "Tháp nước Phan Thiết")
    assert label != "Tháp nước Phan Thiết"
    pdf = make_pdf(fonts, markers=[MapMarker("1", LatLon(10.92912, 108.09992), label)])
    assert "Tháp nước Phan Thiết" in pdf_text(pdf, tmp_path)


@needs_poppler
def test_fonts_are_embedded_as_subsets(demo_pdf, tmp_path):
    path = tmp_path / "map.pdf"
    path.write_bytes(demo_pdf)
    rows = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True,
                          text=True).stdout.splitlines()[2:]
    assert len(rows) == 2
    for row in rows:
        name, *_, emb, sub, uni, _obj, _gen = row.split()
        assert re.fullmatch(r"[A-Z]{6}\+NotoSans(Bold)?", name)
        assert (emb, sub, uni) == ("yes", "yes", "yes")


# --- geometry ---------------------------------------------------------------------------------


def test_wide_extent_is_landscape_and_a3_is_larger(fonts, demo_pdf):
    document = pdfium.PdfDocument(demo_pdf)
    assert document[0].get_size() == pytest.approx((841.89, 595.28), abs=0.01)  # A4 landscape
    document.close()
    a4 = marker_positions(PHAN_THIET)
    a3 = marker_positions(PHAN_THIET, paper="A3")
    one, three = PHAN_THIET[0], PHAN_THIET[2]
    assert mm_per_metre(a3, one, three) > 1.3 * mm_per_metre(a4, one, three)
    document = pdfium.PdfDocument(make_pdf(fonts, paper="A3"))
    assert document[0].get_size() == pytest.approx((1190.55, 841.89), abs=0.01)
    document.close()


def test_tall_extent_is_portrait(fonts):
    column = [MapMarker(str(n), LatLon(10.90 + 0.01 * n, 108.10), f"Điểm {n}") for n in (1, 2, 3)]
    document = pdfium.PdfDocument(make_pdf(fonts, markers=column))
    width, height = document[0].get_size()
    document.close()
    assert height > width
    positions = marker_positions(column)
    assert all(0 < x < 210 and 0 < y < 297 for x, y in positions.values())


@pytest.mark.parametrize("lat", [10.93, 60.0])
def test_scale_is_equal_east_and_north(lat):
    """A kilometre east and a kilometre north are the same length on paper (cos(lat) applied)."""
    here = MapMarker("1", LatLon(lat, 108.10), "a")
    east = MapMarker("2", LatLon(lat, 108.10 + 0.01 / math.cos(math.radians(lat))), "b")
    north = MapMarker("3", LatLon(lat + 0.01, 108.10), "c")
    positions = marker_positions([here, east, north])
    assert positions["2"][1] == pytest.approx(positions["1"][1])  # east is level
    assert positions["3"][0] == pytest.approx(positions["1"][0])  # north is straight up
    assert positions["3"][1] < positions["1"][1]
    assert mm_per_metre(positions, here, east) == pytest.approx(
        mm_per_metre(positions, here, north), rel=0.003)


def test_close_markers_are_spread_so_numbers_stay_readable():
    positions = marker_positions(PHAN_THIET)
    for a, b in ((a, b) for a in positions for b in positions if a < b):
        gap = math.dist(positions[a], positions[b])
        assert gap >= 2 * printmap.MARKER_RADIUS_MM, (a, b, gap)
    same_spot = [MapMarker(str(n), LatLon(10.93, 108.10), f"{n}") for n in (1, 2, 3)]
    spread = marker_positions(same_spot)
    assert len({(round(x, 3), round(y, 3)) for x, y in spread.values()}) == 3


def test_single_marker_gets_a_street_level_map(fonts):
    only = [MapMarker("7", LatLon(10.92912, 108.09992), "Tháp nước")]
    (x, y), = marker_positions(only).values()
    assert 10 < x < 297 - 10 and 10 < y < 210
    assert make_pdf(fonts, markers=only).startswith(b"%PDF-")


# --- the proof: rasterised page -----------------------------------------------------------------


def test_markers_are_drawn_where_marker_positions_says(demo_pdf):
    image = rasterise(demo_pdf)
    positions = marker_positions(PHAN_THIET)
    for number, (x, y) in positions.items():
        ring = [pixel(image, x + 2.0 * math.cos(a), y + 2.0 * math.sin(a))
                for a in np.linspace(0, 2 * math.pi, 12, endpoint=False)]
        assert all(is_colour(found, printmap.MARKER_FILL) for found in ring), (number, ring)
    # Nowhere else inside the markers' area has the marker colour.
    xs, ys = zip(*positions.values(), strict=True)
    for x in np.arange(min(xs) - 8, max(xs) + 8, 1.0):
        for y in np.arange(min(ys) - 8, max(ys) + 8, 1.0):
            clear = printmap.MARKER_RADIUS_MM + 1
            if all(math.dist((x, y), p) > clear for p in positions.values()):
                assert not is_colour(pixel(image, x, y), printmap.MARKER_FILL, 20), (x, y)


def scale_bar(image: np.ndarray) -> float:
    """Length in mm of the longest run of black pixels on one row: the scale bar."""
    black = (image.max(axis=2) <= 60)
    best = 0
    for row in black:
        padded = np.concatenate(([0], row.astype(int), [0]))
        edges = np.flatnonzero(np.diff(padded))
        if len(edges):
            best = max(best, int((edges[1::2] - edges[::2]).max()))
    return best / PX_PER_MM


@needs_poppler
@pytest.mark.parametrize("paper", ["A4", "A3"])
def test_scale_bar_length_matches_its_label(fonts, paper, tmp_path):
    pdf = make_pdf(fonts, paper=paper)
    labels = re.findall(r"\b(\d+) (k?m)\b", pdf_text(pdf, tmp_path))
    assert len(labels) == 1, labels
    metres = int(labels[0][0]) * (1000 if labels[0][1] == "km" else 1)
    assert metres in {d * 10**p for d in (1, 2, 5) for p in range(8)}
    positions = marker_positions(PHAN_THIET, paper=paper)
    one, three = (m for m in PHAN_THIET if m.tag in UNMOVED)
    expected_mm = metres * mm_per_metre(positions, one, three)
    assert scale_bar(rasterise(pdf)) == pytest.approx(expected_mm, rel=0.02)


@needs_poppler
def test_kilometre_symbol_can_be_given(fonts, tmp_path):
    text = pdf_text(make_pdf(fonts, scale_label="м|км"), tmp_path)
    assert re.search(r"\b1 км\b", text)


def test_route_joins_markers_in_the_order_given(fonts):
    corner = [MapMarker("1", LatLon(10.93, 108.10), "A"), MapMarker("2", LatLon(10.93, 108.11), "B"),
              MapMarker("3", LatLon(10.94, 108.10), "C")]
    positions = marker_positions(corner)
    middle = {pair: ((positions[pair[0]][0] + positions[pair[1]][0]) / 2,
                     (positions[pair[0]][1] + positions[pair[1]][1]) / 2)
              for pair in (("1", "2"), ("2", "3"), ("1", "3"))}
    with_route = rasterise(make_pdf(fonts, markers=corner, route=True))
    without = rasterise(make_pdf(fonts, markers=corner))
    for pair in (("1", "2"), ("2", "3")):
        assert near_colour(with_route, *middle[pair], 2.0, printmap.ROUTE_COLOUR)
        assert not near_colour(without, *middle[pair], 2.0, printmap.ROUTE_COLOUR)
    assert not near_colour(with_route, *middle[("1", "3")], 2.0, printmap.ROUTE_COLOUR)  # not closed


# --- background -----------------------------------------------------------------------------


def zoom_colour(zoom: int) -> tuple[int, int, int]:
    return (250 - 3 * zoom, 235, 120 + 5 * zoom)


def tile_range(lo: float, hi: float, zoom: int, to_tile) -> range:
    first, last = sorted((to_tile(lo, zoom), to_tile(hi, zoom)))
    return range(math.floor(first), math.floor(last) + 1)


def lon_tile(lon: float, zoom: int) -> float:
    return (lon + 180) / 360 * 2**zoom


def lat_tile(lat: float, zoom: int) -> float:
    y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    return (math.pi - y) / (2 * math.pi) * 2**zoom


@pytest.fixture(scope="module")
def tile_cache(tmp_path_factory) -> Path:
    """Solid 256 px tiles, one colour per zoom, over a box well around the demo markers."""
    root = tmp_path_factory.mktemp("tiles")
    for zoom in range(10, 17):
        png = root / f"colour-{zoom}.png"
        Image.new("RGB", (256, 256), zoom_colour(zoom)).save(png)
        for x in tile_range(108.06, 108.19, zoom, lon_tile):
            for y in tile_range(10.89, 10.97, zoom, lat_tile):
                target = root / str(zoom) / str(x) / f"{y}.png"
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(png, target)
    return root


def best_zoom() -> int:
    """The documented rule: tile pixels printed closest to 150 dpi."""
    positions = marker_positions(PHAN_THIET)
    one, three = (m for m in PHAN_THIET if m.tag in UNMOVED)
    metres_per_mm = 1 / mm_per_metre(positions, one, three)
    ground_m_per_px0 = 2 * math.pi * 6_371_008.8 * math.cos(math.radians(10.93)) / 256
    return round(math.log2(ground_m_per_px0 / metres_per_mm / (25.4 / DPI)))


def background_colours(image: np.ndarray) -> set[tuple[int, int, int]]:
    """Colours at points of the map area well away from the markers."""
    positions = marker_positions(PHAN_THIET)
    found = set()
    for x in range(60, 170, 10):
        for y in range(40, 180, 10):
            if all(math.dist((x, y), p) > 6 for p in positions.values()):
                found.add(pixel(image, x, y))
    return found


@needs_poppler
def test_tiles_of_the_best_zoom_fill_the_background(fonts, tile_cache, tmp_path):
    zoom = best_zoom()
    assert 10 < zoom < 16  # the fixture has a neighbour either side
    pdf = make_pdf(fonts, tile_cache=tile_cache)
    assert make_pdf(fonts, tile_cache=tile_cache) == pdf
    assert background_colours(rasterise(pdf)) == {zoom_colour(zoom)}
    assert "°N" not in pdf_text(pdf, tmp_path)  # no graticule over tiles
    positions = marker_positions(PHAN_THIET)
    image = rasterise(pdf)
    for x, y in positions.values():
        assert is_colour(pixel(image, x + 2, y), printmap.MARKER_FILL)


def test_a_missing_zoom_falls_back_to_its_neighbour(fonts, tile_cache, tmp_path):
    partial = tmp_path / "tiles"
    shutil.copytree(tile_cache, partial)
    zoom = best_zoom()
    shutil.rmtree(partial / str(zoom))
    image = rasterise(make_pdf(fonts, tile_cache=partial))
    assert background_colours(image) == {zoom_colour(zoom + 1)}


@needs_poppler
def test_without_tiles_the_graticule_and_schematic_lines_are_drawn(fonts, tmp_path):
    one, three = (m for m in PHAN_THIET if m.tag in UNMOVED)
    river = [one.point, three.point]
    empty_cache = tmp_path / "empty"
    empty_cache.mkdir()
    pdf = make_pdf(fonts, schematic=[river], tile_cache=empty_cache)
    image = rasterise(pdf)
    text = pdf_text(pdf, tmp_path)
    assert re.search(r"10\.9\d°N", text) and re.search(r"108\.1\d°E", text)
    grid = (np.abs(image - np.array(printmap.GRID_COLOUR)).max(axis=2) <= 8).sum()
    assert grid > 2000  # several full-height and full-width light lines
    positions = marker_positions(PHAN_THIET)
    middle = np.mean([positions[one.tag], positions[three.tag]], axis=0)
    assert near_colour(image, *middle, 0.8, printmap.SCHEMATIC_COLOUR)
    assert not any(near_colour(image, x, y, 1, printmap.SCHEMATIC_COLOUR)
                   for x, y in [(100, 60), (150, 150)])


def tile_corner(x: int, y: int, zoom: int) -> LatLon:
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / 2**zoom))))
    return LatLon(lat, x / 2**zoom * 360 - 180)


def test_tiles_are_georeferenced(fonts, tmp_path):
    """A checkerboard of zoom-15 tiles lands where Web Mercator puts it, to within 0.8 mm."""
    zoom = 15
    x0, y0 = math.floor(lon_tile(108.09992, zoom)), math.floor(lat_tile(10.92912, zoom))
    colours = {0: (255, 255, 255), 1: (60, 150, 60)}
    for x in range(x0 - 4, x0 + 7):
        for y in range(y0 - 4, y0 + 7):
            (tmp_path / str(zoom) / str(x)).mkdir(parents=True, exist_ok=True)
            Image.new("RGB", (256, 256), colours[(x + y) % 2]).save(
                tmp_path / str(zoom) / str(x) / f"{y}.png")
    corners = [MapMarker("1", tile_corner(x0, y0, zoom), "A"),
               MapMarker("2", tile_corner(x0 + 2, y0 + 2, zoom), "B")]
    image = rasterise(make_pdf(fonts, markers=corners, tile_cache=tmp_path))
    (ax, ay), (bx, by) = marker_positions(corners).values()
    checked = 0
    # Inside the markers' box, so inside the frame; a tile is ~76 mm, so steps of 1/48 tile
    # offset by 1/96 come within 0.8 mm of every tile edge.
    steps = np.arange(-4.5, 100.5) / 48
    for tx in x0 + steps:
        for ty in y0 + steps:
            page = (ax + (tx - x0) / 2 * (bx - ax), ay + (ty - y0) / 2 * (by - ay))
            if min(math.dist(page, (ax, ay)), math.dist(page, (bx, by))) < 5:
                continue
            expected = colours[(math.floor(tx) + math.floor(ty)) % 2]
            assert is_colour(pixel(image, *page), expected), (tx, ty, page)
            checked += 1
    assert checked > 5000


def test_broken_tile_is_a_clear_error(fonts, tile_cache, tmp_path):
    broken = tmp_path / "tiles"
    shutil.copytree(tile_cache, broken)
    zoom, tower = best_zoom(), PHAN_THIET[0].point
    x, y = math.floor(lon_tile(tower.lon, zoom)), math.floor(lat_tile(tower.lat, zoom))
    victim = broken / str(zoom) / str(x) / f"{y}.png"
    assert victim.is_file()
    victim.write_bytes(b"not a png")
    with pytest.raises(ValueError, match="not a readable image"):
        make_pdf(fonts, tile_cache=broken)


# --- legend -----------------------------------------------------------------------------------


@needs_poppler
def test_long_legends_wrap_and_shrink_to_fit(fonts, tmp_path):
    many = [MapMarker(str(n), LatLon(10.90 + 0.003 * n, 108.10 + 0.001 * (n % 4)),
                      f"Địa điểm số {n} có một cái tên rất dài / Place {n} with a long name")
            for n in range(1, 25)]
    text = pdf_text(make_pdf(fonts, markers=many), tmp_path)
    assert "Địa điểm số 24" in text and "Place 1 with" in text


def province(count: int) -> list[MapMarker]:
    """Markers spread over a 40 km square, tagged like plaque codes, with realistic names."""
    alphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
    return [MapMarker(alphabet[n // 30] + alphabet[n % 30],
                      LatLon(10.80 + 0.37 * ((n * 7919) % 1000) / 1000,
                             107.90 + 0.37 * ((n * 104729) % 997) / 997),
                      f"Di tích số {n} ở phường Phú Thủy / Heritage site {n}")
            for n in range(count)]


@needs_poppler
def test_a_map_too_full_for_one_sheet_splits_by_area(fonts, tmp_path):
    """31 located sites made the build fail once; a province's 300 must print too."""
    many = province(300)
    sheets = sheet_tags(many, fonts=fonts)
    assert len(sheets) > 1
    assert sorted(tag for sheet in sheets for tag in sheet) == sorted(m.tag for m in many)
    assert all(len(sheet) <= 24 for sheet in sheets)
    pdf = make_pdf(fonts, markers=many)
    document = pdfium.PdfDocument(pdf)
    assert len(document) == len(sheets) + 1  # the index page, then one page per sheet
    document.close()
    (tmp_path / "map.pdf").write_bytes(pdf)
    text = " ".join(subprocess.run(["pdftotext", str(tmp_path / "map.pdf"), "-"], check=True,
                                   capture_output=True, text=True).stdout.split())
    for number in (1, len(sheets)):
        assert f"Bản đồ di sản Phan Thiết · {number}/{len(sheets)}" in text
    missing = [n for n in range(300) if not re.search(rf"Heritage site {n}\b", text)]
    assert not missing  # every place is in some sheet's legend


def test_sheets_depend_on_the_places_not_on_their_order(fonts):
    many = province(100)
    forward = sheet_tags(many, fonts=fonts)
    backward = sheet_tags(list(reversed(many)), fonts=fonts)
    assert sorted(map(sorted, forward)) == sorted(map(sorted, backward))
    assert make_pdf(fonts, markers=many) == make_pdf(fonts, markers=many)


def test_labels_too_long_for_one_sheet_split_rather_than_shrink(fonts):
    many = [MapMarker(str(n), LatLon(10.90 + 0.001 * n, 108.10), "Một cái tên rất dài " * 4)
            for n in range(1, 120)]
    sheets = sheet_tags(many, fonts=fonts)
    assert len(sheets) > 5 and sum(map(len, sheets)) == 119
    assert pdfium.PdfDocument(make_pdf(fonts, markers=many, paper="A3")) is not None


# --- bad input --------------------------------------------------------------------------------


def test_no_markers_is_an_error(fonts):
    with pytest.raises(ValueError, match="at least one marker"):
        make_pdf(fonts, markers=[])
    with pytest.raises(ValueError, match="at least one marker"):
        marker_positions([])


def test_character_missing_from_the_font_is_named(fonts):
    bad = [*PHAN_THIET[:2], MapMarker("9", LatLon(10.93, 108.10), "Chùa 中 / Pagoda")]
    with pytest.raises(ValueError, match=r"marker 9 label.*U\+4E2D.*NotoSans-Regular\.ttf"):
        make_pdf(fonts, markers=bad)
    with pytest.raises(ValueError, match=r"title.*U\+6F22"):
        make_pdf(fonts, title="漢")


def test_duplicate_tags_are_an_error(fonts):
    twice = [*PHAN_THIET, MapMarker("3", LatLon(10.93, 108.10), "Another")]
    with pytest.raises(ValueError, match="tag 3"):
        make_pdf(fonts, markers=twice)
    with pytest.raises(ValueError, match="tag 3"):
        marker_positions(twice)


@pytest.mark.parametrize("change, message", [
    (dict(paper="Letter"), "paper must be one of A4, A3"),
    (dict(epoch=-1), "epoch"),
    (dict(title="   "), "title must not be empty"),
    (dict(attribution="a\nb"), "control character U\\+000A"),
    (dict(scale_label="m|km|x"), "scale_label"),
    (dict(schematic=[[LatLon(10.9, 108.1)]]), "at least 2 points"),
    (dict(title="Bản đồ " * 60), "too long"),
])
def test_bad_options_are_clear_errors(fonts, change, message):
    with pytest.raises(ValueError, match=message):
        make_pdf(fonts, **change)


def test_bad_markers_fail_at_construction():
    with pytest.raises(ValueError, match="1 to 4 letters or digits"):
        MapMarker("2E 7", LatLon(10.9, 108.1), "x")
    with pytest.raises(ValueError, match="1 to 4 letters or digits"):
        MapMarker("", LatLon(10.9, 108.1), "x")
    with pytest.raises(TypeError):
        MapMarker(1, LatLon(10.9, 108.1), "x")
    with pytest.raises(ValueError, match="label"):
        MapMarker("1", LatLon(10.9, 108.1), " ")
    with pytest.raises(ValueError, match="Web Mercator"):
        marker_positions([MapMarker("1", LatLon(89.0, 0.0), "pole")])


def test_missing_font_file_is_reported(fonts, tmp_path):
    with pytest.raises(FileNotFoundError, match="nowhere.ttf"):
        make_pdf(MapFonts(tmp_path / "nowhere.ttf", fonts.bold))
