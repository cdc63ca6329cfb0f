"""Maps, tours, directions and open data in a built site (inline projects)."""

from __future__ import annotations

import csv
import io
import json
import re

import gpxpy
import pytest
from lxml import etree

from conftest import CONFIG, EN_MD, LEDGER, REPO, SITE_YML, build_project, check, coded_site
from conftest import tower_site, write_files

REPO_SCHEMAS = REPO / "tests" / "schemas"

HOSTILE = "<img src=x onerror=alert(1)> `${alert(2)}` </script><script>alert(3)</script>"
TOUR = """\
name: {vi: "Dạo phố", en: "Town walk"}
description: {en: "Two sites."}
stops: [water-tower, school]
"""


def school_files(**overrides):
    yml = SITE_YML.replace("type: tower", "type: school").replace(
        "10.92912", "10.92872").replace("108.09992", "108.09583")
    return tower_site("school", **{"site.yml": yml, **overrides})


@pytest.fixture(scope="module")
def mapped(tmp_path_factory):
    root = tmp_path_factory.mktemp("mapped")
    hostile_en = EN_MD.replace('title: "Water Tower"', "title: " + json.dumps(HOSTILE))
    write_files(root, {"mkdocs.yml": CONFIG, **coded_site(**{"en.md": hostile_en}),
                       "sites/issued-codes.yml": LEDGER, **school_files(),
                       **tower_site("lost", **{"site.yml": SITE_YML.split("coordinates:")[0]
                                               + "sources:" + SITE_YML.split("sources:")[1]}),
                       "content/tours/town-walk.yml": TOUR})
    result = build_project(root)
    assert result.published, result.report.to_text()
    return root / "public"


def read(public, path):
    return (public / path).read_text("utf-8")


def test_site_page_loads_no_map_until_asked(mapped):
    html = read(mapped, "vi/sites/school/index.html")
    assert 'data-src="map.html"' in html and "<iframe" not in html
    assert "leaflet" not in html.lower()
    assert (mapped / "vi/sites/school/map.html").is_file()
    assert (mapped / "vendor/leaflet/leaflet.js").is_file()
    assert (mapped / "vendor/leaflet/LICENSE").is_file()


def test_directions_links(mapped):
    html = read(mapped, "en/sites/school/index.html")
    assert 'href="geo:10.928720,108.095830"' in html
    assert "https://www.openstreetmap.org/directions?route=%3B10.928720%2C108.095830" in html
    assert "https://www.google.com/maps/dir/?api=1&amp;destination=10.928720%2C108.095830" in html


def test_site_without_coordinates_is_left_off_maps(mapped):
    assert not (mapped / "en/sites/lost/map.html").exists()
    assert "lost" not in read(mapped, "data/sites.geojson")
    assert "lost/" not in read(mapped, "en/map/map.html")


def test_overview_map_reads_every_language_from_the_one_geojson_file(mapped):
    geo = json.loads(read(mapped, "data/sites.geojson"))
    for lang in ("vi", "en", "ru"):
        html = read(mapped, f"{lang}/map/map.html")
        assert f'"label":"name_{lang}","link":"url_{lang}"' in html
        assert '"url":"../../data/sites.geojson"' in html
        assert "school" not in html  # no marker inline
        names = {f["properties"][f"name_{lang}"] for f in geo["features"]}
        assert len(geo["features"]) == 2 and not any(name in html for name in names)
        assert "https://" not in re.sub(r"https://(tile\.openstreetmap\.org|www\.openstreetmap"
                                        r"\.org|leafletjs\.com)[^\"'\s]*", "",
                                        html.replace('"base":"https://', '"base":"'))


def test_hostile_name_is_escaped_in_map_pages(mapped):
    for path in ("en/map/map.html", "en/sites/water-tower/map.html",
                 "en/tours/town-walk/map.html"):
        html = read(mapped, path)
        assert "<img src=x" not in html and "<script>alert(3)" not in html, path
        assert html.count("</script>") == html.count("<script")  # nothing closed early


def test_tour_page_lists_stops_with_distances_and_gpx(mapped):
    html = read(mapped, "en/tours/town-walk/index.html")
    stops = re.findall(r'<li value="(\d)"><a href="([^"]+)">', html)
    assert stops == [("1", "../../sites/water-tower/"), ("2", "../../sites/school/")]
    assert "(450 m from the previous stop)" in html and "Total: 450 m" in html
    assert 'href="../../../data/tours/town-walk.gpx"' in html
    assert "Town walk" in read(mapped, "en/tours/index.html")


def test_open_data_match_the_site_records(mapped):
    geo = json.loads(read(mapped, "data/sites.geojson"))
    coords = {f["id"] if "id" in f else f["properties"].get("id"): f["geometry"]["coordinates"]
              for f in geo["features"]}
    assert coords == {"school": [108.09583, 10.92872], "water-tower": [108.09992, 10.92912]}
    assert geo["license"] == "CC BY-SA 4.0"
    rows = list(csv.DictReader(io.StringIO(read(mapped, "data/sites.csv").lstrip("\ufeff"))))
    assert [(r["id"], r["lat"], r["lon"], r["code"]) for r in rows] == [
        ("school", "10.92872", "108.09583", ""), ("water-tower", "10.92912", "108.09992", "2A")]
    assert rows[1]["url_ru"] == "https://heritage.example.org/ru/sites/water-tower/"
    gpx = gpxpy.parse(read(mapped, "data/tours/town-walk.gpx"))
    assert [(p.latitude, p.longitude) for p in gpx.routes[0].points] == [
        (10.92912, 108.09992), (10.92872, 108.09583)]
    schema = etree.XMLSchema(etree.parse(str(REPO_SCHEMAS / "gpx_1_1/gpx.xsd")))
    schema.assertValid(etree.fromstring((mapped / "data/tours/town-walk.gpx").read_bytes()))
    kml = etree.fromstring((mapped / "data/sites.kml").read_bytes())
    assert len(kml.findall(".//{http://www.opengis.net/kml/2.2}Placemark")) == 2
    codes = json.loads(read(mapped, "data/issued-codes.json"))
    assert codes == [{"code": "2A", "site": "water-tower", "issued": "2026-11-27",
                      "status": "active"}]
    data_page = read(mapped, "en/data/index.html")
    assert 'href="../../data/sites.geojson"' in data_page


@pytest.mark.parametrize("stops, message, hint", [
    ("[water-tower, scool]", "the tour stop 'scool' is not a site", "did you mean 'school'?"),
    ("[water-tower, school, water-tower]", "the site 'water-tower' is in the tour twice",
     "list each site once"),
])
def test_bad_tour_is_an_error_at_its_line(make_project, stops, message, hint):
    root = make_project({**coded_site(), "sites/issued-codes.yml": LEDGER, **school_files(),
                         "content/tours/walk.yml": TOUR.replace(
                             "[water-tower, school]", stops)})
    report = check(root)
    [error] = report.errors
    assert (error.code, error.message) == ("tour", message)
    assert str(error.where.path) == "content/tours/walk.yml" and error.where.line == 3
    assert hint in error.hint



def test_hostile_name_shows_literally_and_runs_nothing_in_a_browser(mapped):
    from browser import browser, serve

    with serve(mapped) as base, browser() as chromium:
        page = chromium.new_page()
        dialogs = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
        page.goto(base + "en/sites/water-tower/map.html")
        assert page.locator(".leaflet-tooltip").inner_text() == HOSTILE
        page.goto(base + "en/map/map.html")
        page.locator(".leaflet-marker-icon").first.wait_for()
        page.goto(base + "en/sites/water-tower/")
        assert page.locator("h1").inner_text() == HOSTILE
        page.wait_for_load_state("networkidle")
        assert dialogs == [] and page.locator("img[src='x']").count() == 0


def test_tile_server_and_attribution_come_from_mkdocs_yml(make_project):
    config = CONFIG.replace("    region:", '    map: {tiles: "https://tiles.example.net/{z}/{x}/{y}.png",'
                            ' attribution: "Tiles by Example"}\n    region:')
    root = make_project({**coded_site(), "sites/issued-codes.yml": LEDGER}, config=config)
    assert build_project(root).published
    html = (root / "public/en/map/map.html").read_text("utf-8")
    assert "https://tiles.example.net/{z}/{x}/{y}.png" in html and "Tiles by Example" in html
    assert "tile.openstreetmap.org" not in html


def test_open_data_is_made_again_only_when_what_it_holds_changes(make_project, monkeypatch):
    """A new paragraph keeps the exports; a new name is in the next GeoJSON."""
    from generator.site import map_pages

    made = []
    real = map_pages._open_data
    monkeypatch.setattr(map_pages, "_open_data",
                        lambda *args: made.append(1) or real(*args))
    root = make_project()
    assert build_project(root).published and made == [1]
    page = root / "sites" / "water-tower" / "vi.md"
    page.write_text(page.read_text("utf-8") + "\nThêm một đoạn.\n", "utf-8")
    assert build_project(root).published and made == [1]
    page.write_text(page.read_text("utf-8").replace('title: "Tháp nước"',
                                                    'title: "Tháp nước cổ"'), "utf-8")
    assert build_project(root).published and made == [1, 1]
    assert "Tháp nước cổ" in (root / "public" / "data" / "sites.geojson").read_text("utf-8")


def test_the_live_preview_makes_a_site_map_page_again_only_for_a_new_title(make_project,
                                                                           monkeypatch):
    """Its cache remembers each site's map page by everything the page shows: an edit of one
    title makes that page alone again, the same bytes a fresh build gives."""
    from generator.build import load_project, project_cache
    from generator.site import map_pages

    root = make_project({**school_files()})
    cache = project_cache(root, remember=True)
    made: list[str] = []
    real = map_pages.maps.site_map_html
    monkeypatch.setattr(map_pages.maps, "site_map_html",
                        lambda point, label, **options: made.append(label)
                        or real(point, label=label, **options))

    def pages() -> dict[str, bytes]:
        config, project, _ = load_project(root, cache)
        return {str(f.path): f.content for f in map_pages.map_files(config, project, cache)
                if f.path.name == map_pages.MAP_FILE and "/sites/" in f"/{f.path}"}

    first = pages()
    assert len(made) == len(first) > 2  # two sites in each language
    made.clear()
    assert pages() == first and made == []
    page = root / "sites" / "school" / "vi.md"
    page.write_text(page.read_text("utf-8").replace('title: "Tháp nước"',
                                                    'title: "Trường cũ"'), "utf-8")
    again = pages()
    assert made == ["Trường cũ"]
    changed = {path for path in first if again[path] != first[path]}
    assert changed == {"vi/sites/school/" + map_pages.MAP_FILE}
    config, project, _ = load_project(root)
    fresh = {str(f.path): f.content for f in map_pages.map_files(config, project)}
    assert all(fresh[path] == content for path, content in again.items())
