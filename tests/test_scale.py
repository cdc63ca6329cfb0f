"""A province, not a demo: 300 generated sites in five languages build, publish and stay
consistent in every output family; an edit to one site makes that site's files again only.

Timings belong to bench/scale.py; this asserts behaviour.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from generator.build import CACHE_DIR, build
from province import LANGUAGES, code, site_id, write_province

COUNT = 300
PAPERS = ("A4", "A5", "A6", "square200")


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_province(tmp_path_factory.mktemp("scale") / "province", COUNT)
    result = build(root)
    assert result.published, [str(d) for d in result.report.errors[:10]]
    return root


def pdf_text(path: Path) -> str:
    return " ".join(subprocess.run(["pdftotext", str(path), "-"], check=True,
                                   capture_output=True, text=True).stdout.split())


def pages_of(path: Path) -> int:
    document = pdfium.PdfDocument(path)
    try:
        return len(document)
    finally:
        document.close()


def test_every_site_has_a_page_in_every_language(province):
    public = province / "public"
    for index in range(COUNT):
        for lang in LANGUAGES:
            page = public / lang / "sites" / site_id(index) / "index.html"
            assert page.is_file(), page
    sample = (public / "ko" / "sites" / site_id(42) / "index.html").read_text("utf-8")
    assert '<html lang="ko"' in sample and "유적지 42" in sample


def test_every_code_has_its_plaque_page_qr_files_and_print_files(province):
    public = province / "public"
    for index in range(COUNT):
        tag = code(index)
        router = (public / "Q" / tag / "index.html").read_text("utf-8")
        for lang in LANGUAGES:
            assert f"{lang}/sites/{site_id(index)}/" in router
        assert (public / "q" / tag.lower() / "index.html").is_file()
        for suffix in ("svg", "png"):
            assert (public / "qr" / f"{tag}.{suffix}").stat().st_size > 0
        for paper in PAPERS:
            assert (public / "print" / f"{tag}-{site_id(index)}-{paper}.pdf").is_file()


def test_sticker_sheets_run_to_as_many_pages_as_codes_need(province):
    sheet = province / "public" / "print" / "stickers.pdf"
    assert pages_of(sheet) > 1
    text = pdf_text(sheet)
    assert all(code(index) in text.split() for index in range(COUNT))


def test_the_overview_map_splits_into_sheets_that_hold_every_site(province):
    for paper in ("A4", "A3"):
        overview = province / "public" / "print" / f"map-overview-{paper}.pdf"
        assert pages_of(overview) > 2  # an index page and the sheets
        words = set(pdf_text(overview).split())
        missing = [code(i) for i in range(COUNT) if code(i) not in words]
        assert not missing, missing[:10]
    tours = sorted((province / "content" / "tours").glob("*.yml"))
    for tour in tours:
        assert (province / "public" / "print" / f"map-tour-{tour.stem}-A4.pdf").is_file()


def test_open_data_lists_every_site(province):
    data = province / "public" / "data"
    geojson = json.loads((data / "sites.geojson").read_text("utf-8"))
    assert len(geojson["features"]) == COUNT
    rows = list(csv.DictReader(io.StringIO((data / "sites.csv").read_text("utf-8-sig"))))
    assert len(rows) == COUNT
    assert (data / "sites.kml").read_text("utf-8").count("<Placemark") == COUNT
    issued = json.loads((data / "issued-codes.json").read_text("utf-8"))
    assert len(issued["codes"] if isinstance(issued, dict) else issued) == COUNT
    assert len(list((data / "tours").glob("*.gpx"))) == COUNT // 25


def test_the_sitemap_names_every_page(province):
    sitemap = (province / "public" / "sitemap.xml").read_text("utf-8")
    for index in (0, 150, COUNT - 1):
        for lang in LANGUAGES:
            assert f"/{lang}/sites/{site_id(index)}/" in sitemap


def test_one_edit_makes_only_that_sites_files_again(province):
    """After one site's text changes, its print files are the only ones rendered again, the
    renderer renders only that language's pages that changed, and every other published file
    keeps its bytes and is the same file as before (a hard link, not a new copy)."""
    public = province / "public"
    before = {p: p.read_bytes() for p in public.rglob("*") if p.is_file()}
    inodes = {p: p.stat().st_ino for p in before}
    kept = province / ".build" / "site"
    stamps = {p: p.stat().st_mtime_ns for p in kept.rglob("*") if p.is_file()}
    entries = province / CACHE_DIR / "entries"
    cached = {p.name for p in entries.iterdir()}
    edited = province / "sites" / site_id(7) / "en.md"
    edited.write_text(edited.read_text("utf-8").replace("Heritage site 7", "Old school 7"),
                      "utf-8")
    result = build(province)
    assert result.published
    made = {p.name for p in entries.iterdir()} - cached
    after = {p: p.read_bytes() for p in public.rglob("*") if p.is_file()}
    changed = {p.relative_to(public).as_posix() for p in after if before.get(p) != after[p]}
    own = (site_id(7), f"print/{code(7)}-", f"print/{code(7)}/")
    assert all("print/" not in path or any(mark in path for mark in own) or "map-" in path or
               path == "print/index.html" for path in changed), changed
    assert len(changed) < 60, sorted(changed)
    assert f"en/sites/{site_id(7)}/index.html" in changed
    assert not any(f"vi/sites/{site_id(n)}/" in path for n in (100, 200) for path in changed)
    rendered = {p.relative_to(kept).as_posix() for p in kept.rglob("*")
                if p.is_file() and stamps.get(p) != p.stat().st_mtime_ns}
    pages = {path for path in rendered if path.endswith(".html") and path != "en/404.html"}
    assert f"en/sites/{site_id(7)}/index.html" in pages
    assert all(path.startswith("en/") or path.endswith(".state.json") for path in rendered), \
        sorted(rendered)
    assert len(pages) < 40, sorted(pages)  # the site's page and the list pages naming it
    new_files = {p.relative_to(public).as_posix() for p in after
                 if inodes.get(p) != p.stat().st_ino}
    assert new_files >= changed and len(new_files) < 60 + len(rendered), sorted(new_files)
    # New cache entries: the site's plaques and preview, the maps that list it, the pages
    # whose bytes changed: a few dozen, not thousands.
    assert 0 < len(made) < 80, len(made)


def test_past_the_protocol_limit_the_sitemap_becomes_an_index_of_parts():
    import xml.etree.ElementTree as ET

    from generator.site.seo import Alternate, sitemap_files

    url = "https://disan.example/"
    pages = [[Alternate(lang, lang, "", f"{url}{lang}/sites/s{n}/") for lang in LANGUAGES]
             for n in range(23)]
    assert list(sitemap_files(pages, url)) == ["sitemap.xml"]
    files = sitemap_files(pages, url, most=50)
    assert list(files) == ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml"]
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    index = ET.fromstring(files["sitemap.xml"])
    assert [loc.text for loc in index.findall("s:sitemap/s:loc", ns)] == [
        f"{url}sitemap-{n}.xml" for n in (1, 2, 3)]
    locs = [loc.text for name in list(files)[1:]
            for loc in ET.fromstring(files[name]).findall("s:url/s:loc", ns)]
    assert len(locs) == 23 * 5 == len(set(locs))
    assert all(len(ET.fromstring(files[name]).findall("s:url", ns)) <= 50
               for name in list(files)[1:])


def test_the_site_list_is_paged_and_filtered_with_plain_links(province):
    """No page lists all 300 sites; every site is on exactly one page of the whole list, and
    each filter's pages add up to the sites it names. Plain links: no JavaScript needed."""
    import re

    public = province / "public" / "en"
    first = (public / "sites" / "index.html").read_text("utf-8")
    pages = [first] + [(public / "browse" / "all" / str(n) / "index.html").read_text("utf-8")
                       for n in range(2, 8)]
    assert not (public / "browse" / "all" / "8").exists()
    listed = [re.findall(r'href="[./]*(?:sites/)?(site-\d{4})/"', page) for page in pages]
    assert all(len(ids) <= 48 for ids in listed)
    flat = [site for ids in listed for site in ids]
    assert sorted(flat) == sorted(site_id(i) for i in range(COUNT))
    assert 'rel="next"' in first and "browse/all/2/" in first
    assert 'aria-current="page"' in pages[3]
    # Types cycle through eight kinds: 300 sites give 38 or 37 of each.
    towers = public / "browse" / "type" / "tower" / "index.html"
    assert len(re.findall(r"(site-\d{4})/\"", towers.read_text("utf-8"))) == 38
    for facet, value in (("recognition", "national"), ("ward", "phuong-phu-thuy"),
                         ("period", "1800")):
        page = (public / "browse" / facet / value / "index.html").read_text("utf-8")
        assert "site-" in page, (facet, value)
    vi = (province / "public" / "vi" / "browse" / "ward" / "phuong-mui-ne" / "index.html")
    assert "Phường Mũi Né" in vi.read_text("utf-8")
