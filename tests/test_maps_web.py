"""maps.web: light, self-hosted, deterministic map pages that show editor text as text."""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from maps.geo import LatLon
from maps.web import overview_map_html, route_map_html, site_map_html, vendor_dir

TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_COPYRIGHT = "https://www.openstreetmap.org/copyright"
ATTRIBUTION = f'&copy; <a href="{OSM_COPYRIGHT}">OpenStreetMap</a> contributors'
# The map page for a site lives at /vi/sites/<id>/map.html; assets at /assets/vendor/.
SITE_BASE = "../../../assets/vendor/leaflet/"
HOSTILE = (
    "<img src=x onerror=alert(1)> `${alert(2)}` </script><script>alert(3)</script> "
    "\\1 <!-- \u2028 Dục Thanh & co"
)
WATER_TOWER = LatLon(10.92912, 108.09992)
SITES = [
    (LatLon(10.92912, 108.09992), "Tháp nước Phan Thiết", "../sites/water-tower/"),
    (LatLon(10.92872, 108.09583), "Trường Dục Thanh", "../sites/duc-thanh-school/"),
    (LatLon(10.9475, 108.1581), "Tháp Pô Sah Inư", "../sites/po-sah-inu/"),
]


def site_map(label: str = "Tháp nước Phan Thiết", **options) -> str:
    return site_map_html(
        WATER_TOWER,
        label=label,
        leaflet_base_url=SITE_BASE,
        tiles_url=TILES,
        attribution=ATTRIBUTION,
        **options,
    )


def overview_map(title: str = "Bản đồ di tích", count: int = 3, **options) -> str:
    positions = [LatLon(10.92 + i * 0.002, 108.09 + (i % 7) * 0.003) for i in range(count)]
    return overview_map_html(
        "../../data/sites.geojson",
        positions,
        label_key="name_vi",
        link_key="url_vi",
        links_from=("https://disan.example.vn/", "../../"),
        leaflet_base_url="../../assets/vendor/leaflet/",
        tiles_url=TILES,
        attribution=ATTRIBUTION,
        title=title,
        **options,
    )


def route_map(label: str = "Tháp nước", **options) -> str:
    stops = [
        (position, f"{label} {n}", href if n % 2 else None)
        for n, (position, _, href) in enumerate(SITES)
    ]
    return route_map_html(
        stops,
        leaflet_base_url="../../../assets/vendor/leaflet/",
        tiles_url=TILES,
        attribution=ATTRIBUTION,
        title="Đi bộ",
        **options,
    )


MAPS = [site_map, overview_map, route_map]
MAP_IDS = ["site", "overview", "route"]


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text of inline scripts."""

    def __init__(self, page: str):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script" and not dict(attrs).get("src")

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)

    def assets(self) -> list[str]:
        return [a["src"] for t, a in self.tags if t == "script" and a.get("src")] + [
            a["href"] for t, a in self.tags if t == "link" and a.get("rel") == "stylesheet"
        ]


def payload(page: str) -> dict:
    """The JSON the marker script is called with (last argument on its line)."""
    match = re.search(r"^\}\)\(map_\d+, (\{.*\})\);$", page, re.MULTILINE)
    assert match, "marker payload not found"
    return json.loads(match.group(1))


class TextOnly(HTMLParser):
    def __init__(self, markup: str):
        super().__init__()
        self.text = ""
        self.tags: list[str] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text += data


# --- determinism ----------------------------------------------------------------------------


@pytest.mark.parametrize("make", MAPS, ids=MAP_IDS)
def test_two_calls_give_identical_bytes(make):
    assert make().encode() == make().encode()


@pytest.mark.parametrize("make", MAPS, ids=MAP_IDS)
def test_no_random_element_ids(make):
    page = make()
    assert not re.search(r"[0-9a-f]{32}", page)
    assert "var map_2 = L.map(" in page


def test_identical_across_processes():
    """Element ids (branca: os.urandom) must not differ: a fresh interpreter must agree too."""
    code = (
        "import sys; from maps import LatLon, site_map_html;"
        f"sys.stdout.write(site_map_html(LatLon(10.92912, 108.09992), label='x',"
        f" leaflet_base_url='../l/', tiles_url={TILES!r}, attribution='a'))"
    )
    root = Path(__file__).resolve().parents[1]
    runs = [
        subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, check=True)
        for _ in range(2)
    ]
    assert runs[0].stdout == runs[1].stdout
    assert runs[0].stdout.startswith(b"<!DOCTYPE html>")


# --- no CDN, only our files -----------------------------------------------------------------


@pytest.mark.parametrize("make", MAPS, ids=MAP_IDS)
def test_only_tiles_and_attribution_are_remote(make):
    page = make(locate_label="Vị trí của tôi")
    urls = set(re.findall(r"https?://[^\s\"'<>\\]+", page))
    # The overview names its own site's address only to recognise that site's links.
    assert urls <= {TILES, OSM_COPYRIGHT, "https://disan.example.vn/"}
    lowered = page.lower()
    for word in ("cdn", "jquery", "bootstrap", "font-awesome", "fontawesome", "awesome-markers"):
        assert word not in lowered
    assert "notebook" not in lowered
    assert "$(" not in page  # folium's jQuery popups


def test_site_map_loads_leaflet_only_from_the_base_url():
    assets = Tags(site_map()).assets()
    assert assets == [SITE_BASE + "leaflet.js", SITE_BASE + "leaflet.css"]


@pytest.mark.parametrize("count", [1, 40, 1000])
def test_overview_reads_its_markers_from_the_geojson_file(count):
    page = overview_map(count=count)
    data = payload(page)
    assert data["pins"] == []
    assert data["data"] == {"url": "../../data/sites.geojson", "label": "name_vi",
                            "link": "url_vi", "base": "https://disan.example.vn/", "root": "../../"}
    south_west, north_east = data["frame"]
    assert south_west == [10.92, 108.09]
    assert north_east[0] == pytest.approx(10.92 + (count - 1) * 0.002)
    assert data["cluster"] is True
    assert any("leaflet.markercluster/" in url for url in Tags(page).assets())
    assert len(page) < 8000  # the same page for one place or a thousand


@pytest.mark.parametrize(
    "url", ["https://evil.example/sites.geojson", "//evil.example/x", "javascript:x", "",
            "../../data/", "data.geojson?x=1"],
)
def test_overview_data_must_be_a_file_on_the_site(url):
    with pytest.raises(ValueError):
        overview_map_html(url, [WATER_TOWER], label_key="n", link_key="u",
                          links_from=("https://disan.example.vn/", "../"), leaflet_base_url="../",
                          tiles_url=TILES, attribution="a", title="t")


@pytest.mark.parametrize(
    "links_from", [("javascript:", "../"), ("https://disan.example.vn", "../"),
                   ("https://disan.example.vn/", "https://evil.example/"),
                   ("https://disan.example.vn/", "//evil.example/")],
)
def test_overview_rewrites_links_only_from_its_site_to_a_relative_folder(links_from):
    with pytest.raises(ValueError):
        overview_map_html("sites.geojson", [WATER_TOWER], label_key="n", link_key="u",
                          links_from=links_from, leaflet_base_url="../", tiles_url=TILES,
                          attribution="a", title="t")


def test_locate_control_only_on_request_and_from_the_vendor_folder():
    assert "L.control.locate" not in site_map()
    page = site_map(locate_label="Vị trí của tôi")
    assert "L.control.locate" in page
    assert (
        "../../../assets/vendor/leaflet.locatecontrol/L.Control.Locate.min.js"
        in Tags(page).assets()
    )


@pytest.mark.parametrize("make", MAPS, ids=MAP_IDS)
def test_every_referenced_file_exists_when_vendor_dir_is_copied(make, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(vendor_dir(), site / "assets" / "vendor")
    pages = {site_map: "vi/sites/x/map.html", overview_map: "vi/map/index.html"}
    page_path = pages.get(make, "vi/tours/t/index.html")
    page = make(locate_label="Vị trí")
    folder = posixpath.dirname(page_path)
    urls = [*Tags(page).assets(), payload(page)["images"] + "marker-icon.png"]
    for url in urls:
        target = site / posixpath.normpath(posixpath.join(folder, url))
        assert target.is_file(), url


@pytest.mark.parametrize(
    "url",
    [
        "https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/",
        "//unpkg.com/leaflet/",
        "",
        "javascript:alert(1)//",
        "../leaflet/?v=1",
        "..\\leaflet\\",
    ],
)
def test_leaflet_base_url_must_be_on_the_site(url):
    with pytest.raises(ValueError):
        site_map_html(
            WATER_TOWER, label="x", leaflet_base_url=url, tiles_url=TILES, attribution="a"
        )


def test_leaflet_base_url_gets_a_trailing_slash():
    page = site_map_html(
        WATER_TOWER, label="x", leaflet_base_url="/assets/leaflet", tiles_url=TILES, attribution="a"
    )
    assert Tags(page).assets() == ["/assets/leaflet/leaflet.js", "/assets/leaflet/leaflet.css"]


@pytest.mark.parametrize(
    "tiles",
    ["https://tile.openstreetmap.org/", "OpenStreetMap", "javascript:{z}{x}{y}", "//t/{z}/{x}/{y}"],
)
def test_tiles_url_must_be_a_template(tiles):
    with pytest.raises(ValueError):
        site_map_html(
            WATER_TOWER, label="x", leaflet_base_url="../", tiles_url=tiles, attribution="a"
        )


# --- editor text stays text -----------------------------------------------------------------


@pytest.mark.parametrize("make", [site_map, route_map], ids=["site", "route"])
def test_hostile_label_appears_only_escaped(make):
    page = make(HOSTILE)
    tags = Tags(page)
    assert "<img" not in page.lower()
    assert "alert(3)</script>" not in page
    assert "<!--" not in page
    assert "\u2028" not in page
    # The only <script> elements are ours: Leaflet (+ plugins) and folium's two inline blocks.
    assert [t for t, _ in tags.tags].count("script") == len(
        [u for u in tags.assets() if u.endswith(".js")]
    ) + 2
    for script in tags.scripts:
        assert "</script" not in script.lower()
    for pin in payload(page)["pins"]:
        assert HOSTILE in pin["text"]
        shown = TextOnly(pin["html"])
        assert HOSTILE in shown.text
        assert set(shown.tags) <= {"a"}


@pytest.mark.parametrize("make", [site_map, overview_map], ids=["site", "overview"])
def test_title_is_escaped(make):
    page = make(HOSTILE)
    assert "<title>&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<img" not in page.lower() and "<!--" not in page


@pytest.mark.parametrize("make", MAPS, ids=MAP_IDS)
def test_inline_scripts_parse_as_javascript(make, tmp_path):
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    script = tmp_path / "map.js"
    script.write_text("\n;\n".join(Tags(make(HOSTILE)).scripts), encoding="utf-8")
    result = subprocess.run([node, "--check", str(script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# --- shapes of the three maps ---------------------------------------------------------------


def test_site_map_has_one_labelled_marker_at_the_centre():
    page = site_map()
    data = payload(page)
    assert data["labels"] is True
    assert data["fit"] == 0
    assert data["pins"] == [
        {
            "html": "Tháp nước Phan Thiết",
            "lat": 10.92912,
            "lon": 108.09992,
            "number": None,
            "text": "Tháp nước Phan Thiết",
        }
    ]
    assert "center: [10.92912, 108.09992]" in page
    assert '"zoom": 16' in page
    assert '"zoom": 12' in site_map(zoom=12)


@pytest.mark.parametrize("zoom", [-1, 20, 15.5, True])
def test_site_map_refuses_bad_zoom(zoom):
    with pytest.raises(ValueError):
        site_map(zoom=zoom)


def test_route_numbers_the_stops_in_order_and_draws_a_line():
    page = route_map(colour="#7c2d12")
    data = payload(page)
    assert [pin["number"] for pin in data["pins"]] == [1, 2, 3]
    assert [pin["text"] for pin in data["pins"]] == [
        "1. Tháp nước 0",
        "2. Tháp nước 1",
        "3. Tháp nước 2",
    ]
    assert data["pins"][0]["html"] == "1. Tháp nước 0"
    assert (
        data["pins"][1]["html"]
        == '<a href="../sites/duc-thanh-school/" target="_top">2. Tháp nước 1</a>'
    )
    assert data["line"] == "#7c2d12"
    assert ".map-stop{background:#7c2d12}" in page


def test_route_with_one_stop_has_no_line():
    page = route_map_html(
        [(WATER_TOWER, "Only", None)],
        leaflet_base_url="../",
        tiles_url=TILES,
        attribution="a",
        title="t",
    )
    assert payload(page)["line"] is None


@pytest.mark.parametrize("colour", ["red", "#fff", "#12345g", "#123456;}body{display:none"])
def test_route_refuses_odd_colours(colour):
    with pytest.raises(ValueError):
        route_map(colour=colour)


def test_empty_maps_are_refused():
    with pytest.raises(ValueError):
        route_map_html([], leaflet_base_url="../", tiles_url=TILES, attribution="a", title="t")
    with pytest.raises(ValueError):
        overview_map_html("sites.geojson", [], label_key="n", link_key="u",
                          links_from=("https://disan.example.vn/", "../"), leaflet_base_url="../",
                          tiles_url=TILES, attribution="a", title="t")


# --- vendored files -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("package", "licence", "files"),
    [
        ("leaflet", "LICENSE", ["leaflet.js", "leaflet.css", "images/marker-icon.png"]),
        ("leaflet.markercluster", "MIT-LICENCE.txt", ["leaflet.markercluster.js"]),
        ("leaflet.locatecontrol", "LICENSE.md", ["L.Control.Locate.min.js"]),
    ],
)
def test_vendored_packages_ship_with_their_licence(package, licence, files):
    folder = vendor_dir() / package
    assert "Permission" in (folder / licence).read_text(encoding="utf-8") or "Redistribution" in (
        folder / licence
    ).read_text(encoding="utf-8")
    for name in files:
        assert (folder / name).stat().st_size > 0


def test_vendored_files_match_their_recorded_checksums():
    """SHA256SUMS is written by update-leaflet.sh: a hand edit of a vendored file fails here."""
    sums = (vendor_dir() / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    listed = {}
    for line in sums:
        digest, name = line.split("  ", 1)
        listed[name] = digest
    on_disk = {
        path.relative_to(vendor_dir()).as_posix()
        for path in vendor_dir().rglob("*")
        if path.is_file() and path.parent != vendor_dir()
    }
    assert set(listed) == on_disk
    for name, digest in listed.items():
        assert hashlib.sha256((vendor_dir() / name).read_bytes()).hexdigest() == digest, name


def test_vendored_versions_are_recorded():
    versions = (vendor_dir() / "VERSIONS").read_text(encoding="utf-8")
    assert re.search(r"^leaflet 1\.9\.4 sha512-", versions, re.MULTILINE)
    assert (
        "Leaflet 1.9.4"
        in (vendor_dir() / "leaflet" / "leaflet.js").read_text(encoding="utf-8")[:200]
    )
    assert (vendor_dir() / "update-leaflet.sh").is_file()


@pytest.mark.parametrize("label", ["Tháp nước Phan Thiết", HOSTILE, "a\nb\r\nc  ", "x \u2028 y ",
                                   "@@map-title@@ @@map-payload@@",
                                   "[1.2345678901234567, 2.3456789012345678]", "古迹 / 유적지"])
def test_a_page_from_the_skeleton_is_byte_for_byte_a_full_render(label):
    """Pages are the folium skeleton of their kind with their own values put in: the same bytes
    as asking folium for each page, whatever the text, centre, zoom or kind of map."""
    from maps import web

    checks = [
        lambda: site_map(label),
        lambda: site_map(label, zoom=12, locate_label=label),
        lambda: overview_map(label, count=4),
        lambda: overview_map(label, count=1),
    ]
    for make in checks:
        web._SKELETONS.clear()
        fast_first = make()
        assert make() == fast_first  # second call: from the stored skeleton
        original = web._render
        try:
            web._render = lambda page, pins, drawing, *, title, center=None, zoom=17: \
                web._tidy(web._folium_page(
                    page, pins, drawing, title=title, zoom=zoom,
                    center=center or web._middle([p.position for p in pins])))
            full = make()
        finally:
            web._render = original
        assert fast_first == full
    stops = [(LatLon(10.92 + i / 500, 108.1), f"{label} {i}", f"../s{i}/") for i in range(3)]
    route = dict(leaflet_base_url="../x/leaflet/", tiles_url=TILES, attribution=ATTRIBUTION,
                 title=label)
    web._SKELETONS.clear()
    assert route_map_html(stops, **route) == route_map_html(stops, **route)
