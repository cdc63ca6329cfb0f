"""Whole-site builds of small inline projects: what a reader and a crawler get."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import REPO, SITE_YML, VI_MD, build_project, tower_site, tree_digest
from generator.output.publish import recover


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """One small project with two sites, built once: its public/ folder."""
    from conftest import CONFIG, write_files

    root = tmp_path_factory.mktemp("built")
    second = SITE_YML.replace("type: tower", "type: school").replace(
        "10.92912", "10.92872").replace("108.09992", "108.09583")
    write_files(root, {"mkdocs.yml": CONFIG, **tower_site(),
                       **tower_site("school", **{"site.yml": second, "en.md": None}),
                       "content/vi/about.md": "---\ntitle: Giới thiệu\n---\nVề dự án.\n",
                       "content/en/about.md": "---\ntitle: About\n---\nAbout us.\n"})
    result = build_project(root)
    assert result.published, result.report.to_text()
    return root / "public"


def read(public: Path, path: str) -> str:
    return (public / path).read_text("utf-8")


def test_every_language_has_every_page(built):
    for lang in ("vi", "en", "ru"):
        for page in ("", "sites/", "sites/water-tower/", "sites/school/", "about/"):
            assert (built / lang / page / "index.html").is_file(), f"/{lang}/{page}"
    assert (built / "index.html").is_file() and (built / "404.html").is_file()


def test_page_language_and_interface_language(built):
    assert '<html lang="ru"' in read(built, "ru/sites/water-tower/index.html")
    assert 'placeholder="Tìm di tích"' in read(built, "vi/index.html")
    assert 'placeholder="Search the sites"' in read(built, "en/index.html")


def test_fallback_page_says_so_in_the_readers_language(built):
    ru = read(built, "ru/sites/water-tower/index.html")
    assert "ещё не переведена на русский язык" in ru and "English" in ru
    assert '<div lang="en">' in ru and "The tower is 32 m tall." in ru
    en = read(built, "en/sites/school/index.html")  # no en.md: falls back to Vietnamese
    assert "not yet translated into English; it is shown in Tiếng Việt" in en
    assert "not yet translated" not in read(built, "en/sites/water-tower/index.html")


def test_language_switcher_links_the_same_page(built):
    html = read(built, "en/sites/water-tower/index.html")
    links = dict(re.findall(r'<a href="([^"]+)" hreflang="(\w+)"[^>]*class="md-select__link"',
                            html))
    assert links == {"../../../vi/sites/water-tower/": "vi", "./": "en",
                     "../../../ru/sites/water-tower/": "ru"}
    assert 'data-heritage-lang="vi"' in html


def test_hreflang_alternates_and_opengraph(built):
    html = read(built, "vi/sites/water-tower/index.html")
    for lang in ("vi", "en", "ru"):
        assert (f'<link rel="alternate" hreflang="{lang}" '
                f'href="https://heritage.example.org/{lang}/sites/water-tower/">') in html
    assert '<meta property="og:title" content="Tháp nước">' in html
    assert '<meta property="og:locale" content="vi_VN">' in html
    assert '<link rel="canonical" href="https://heritage.example.org/vi/sites/water-tower/">' in html


def test_json_ld_describes_the_landmark(built):
    html = read(built, "en/sites/water-tower/index.html")
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>',
                                html, re.S).group(1))
    assert data["@type"] == ["LandmarksOrHistoricalBuildings", "TouristAttraction"]
    assert data["name"] == "Water Tower"
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 10.92912,
                           "longitude": 108.09992}
    assert data["url"] == "https://heritage.example.org/en/sites/water-tower/"


def test_facts_sources_and_nearby(built):
    html = read(built, "en/sites/water-tower/index.html")
    assert "<dt>Type</dt><dd>Tower</dd>" in html
    assert "accurate to about 70 m" in html and "not yet verified" in html
    assert '<a href="https://example.org/source" rel="nofollow noopener">A source</a>' in html
    nearby = re.search(r'<ul class="heritage-nearby">(.*?)</ul>', html, re.S).group(1)
    assert '<a href="../school/">' in nearby and "450 m west" in nearby


def test_site_index_lists_sites_without_a_nav_entry_each(built):
    html = read(built, "en/sites/index.html")
    assert '<a href="water-tower/"><strong>Water Tower</strong></a>' in html
    nav = re.search(r'<nav class="md-nav md-nav--primary".*?</nav>', html, re.S).group(0)
    assert "water-tower" not in nav


def test_one_search_index_per_language_of_tourist_pages_only(built):
    for lang in ("en", "ru", "vi"):
        entry = json.loads(read(built, f"pagefind/{lang}/pagefind-entry.json"))
        assert list(entry["languages"]) == [lang]
    site = read(built, "en/sites/water-tower/index.html")
    assert "data-pagefind-body" in site
    for page in ("en/editors/fields/index.html", "en/sites/index.html",
                 "en/search/index.html"):
        assert "data-pagefind-body" not in read(built, page), page
    assert 'action="../../search/"' in site  # every page has the form


def test_sitemap_lists_language_alternates(built):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    tree = ET.parse(built / "sitemap.xml")
    urls = {u.findtext("s:loc", namespaces=ns): u for u in tree.getroot()}
    entry = urls["https://heritage.example.org/ru/sites/water-tower/"]
    assert {link.get("hreflang") for link in entry.findall("x:link", ns)} == {"vi", "en", "ru"}
    assert not (built / "vi" / "sitemap.xml").exists()


def test_no_third_party_assets(built):
    for page in built.rglob("*.html"):
        html = page.read_text("utf-8")
        for tag, url in re.findall(r'<(script|link|img|iframe)[^>]+(?:src|href)="(https?://[^"]+)"',
                                   html):
            assert url.startswith("https://heritage.example.org/"), (page, tag, url)
        assert "fonts.googleapis" not in html


def test_root_routes_to_a_language(built):
    html = read(built, "index.html")
    assert len(html.encode()) < 2048
    assert '<noscript><meta http-equiv="refresh" content="0;url=vi/"></noscript>' in html
    assert 'href="en/" hreflang="en" lang="en">English</a>' in html


def test_title_is_escaped_everywhere(make_project):
    hostile = '<img src=x onerror=alert(1)>"'
    vi = VI_MD.replace('title: "Tháp nước"', f"title: '{hostile}'").replace(
        'summary: "Tháp nước xây 1928–1934."', "summary: '</script><script>alert(2)</script>'")
    root = make_project(tower_site(**{"vi.md": vi}))
    result = build_project(root)
    assert result.published, result.report.to_text()
    for page in (root / "public").rglob("*.html"):
        html = page.read_text("utf-8")
        assert "<img src=x" not in html and "alert(2)</script>" not in html, page
    assert "&lt;img src=x onerror=alert(1)&gt;" in (
        root / "public/vi/sites/water-tower/index.html").read_text("utf-8")


def test_two_builds_are_byte_identical(make_project, tmp_path):
    root = make_project()
    from generator.build import build

    first = build(root, tmp_path / "one")
    second = build(root, tmp_path / "two")
    assert first.published and second.published
    assert tree_digest(tmp_path / "one") == tree_digest(tmp_path / "two")


def test_failed_build_publishes_nothing(make_project):
    root = make_project()
    assert build_project(root).published
    before = tree_digest(root / "public")
    site_yml = root / "sites/water-tower/site.yml"
    site_yml.write_text(site_yml.read_text("utf-8").replace("type: tower", "type: x"), "utf-8")
    result = build_project(root)
    assert not result.published and [d.code for d in result.report.errors] == ["bad-value"]
    assert tree_digest(root / "public") == before
    assert not list(root.glob(".public.*"))


def test_broken_editor_link_fails_with_its_position(make_project):
    vi = VI_MD + "\nXem [trang khác](khong-co.md).\n"
    root = make_project(tower_site(**{"vi.md": vi}))
    result = build_project(root)
    assert not result.published
    assert [d.line() for d in result.report.errors] == [
        "sites/water-tower/vi.md:9:18: error[broken-link]: the link 'khong-co.md' points at "
        "a page that does not exist"]


def test_hand_written_page_cannot_replace_a_generated_one(make_project):
    root = make_project({**tower_site(),
                         "content/vi/sites/index.md": "---\ntitle: Mine\n---\nx\n"})
    result = build_project(root)
    assert [d.code for d in result.report.errors] == ["output-conflict"]
    assert str(result.report.errors[0].where.path) == "content/vi/sites/index.md"


def test_killed_build_leaves_public_as_it_was(make_project):
    root = make_project()
    assert build_project(root).published
    before = tree_digest(root / "public")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen([sys.executable, "-m", "generator", "build"], cwd=root, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not list(root.glob(".public.new-*")) and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert tree_digest(root / "public") == before
    assert build_project(root).published  # the next build cleans up and succeeds
    assert tree_digest(root / "public") == before
    left = [p.name for p in root.glob(".public.*")]  # only the replaced site, kept as spare
    assert len(left) == 1 and left[0].startswith(".public.spare-"), left


def test_swap_interrupted_between_renames_is_recovered(tmp_path):
    old = tmp_path / ".public.old-5e1f2a"
    old.mkdir()
    (old / "index.html").write_text("previous")
    recover(tmp_path / "public")
    assert (tmp_path / "public/index.html").read_text() == "previous"


def test_photos_are_published_with_alt_text_and_credits(make_project):
    import io

    from PIL import Image

    image = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 120, 40)).save(image, format="JPEG")
    yml = SITE_YML + ("media:\n  - file: media/front.jpg\n    alt: {vi: Mặt trước tháp, "
                      "en: Front of the tower}\n    caption: {en: Seen from the river}\n"
                      "    credit: A. Person\n    licence: CC BY-SA 4.0\n")
    root = make_project(tower_site(**{"site.yml": yml, "media/front.jpg": image.getvalue()}))
    result = build_project(root)
    assert result.published, result.report.to_text()
    html = (root / "public/en/sites/water-tower/index.html").read_text("utf-8")
    assert ('<img src="../../../media/water-tower/front-8.jpg" '
            'srcset="../../../media/water-tower/front-8.jpg 8w"') in html
    assert 'alt="Front of the tower"' in html and 'type="image/webp"' in html
    assert "Seen from the river" in html and "A. Person, CC BY-SA 4.0" in html
    published = Image.open(root / "public/media/water-tower/front.jpg")  # cleaned, same address
    assert published.size == (8, 6) and "exif" not in published.info
    assert (root / "public/media/water-tower/front-8.webp").is_file()


def test_source_date_epoch_fixes_file_times(make_project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = make_project()
    assert build_project(root).published
    times = {p.stat().st_mtime for p in (root / "public").rglob("*")}
    assert times == {1700000000}


def test_serve_rebuilds_when_an_editor_saves(make_project):
    import socket
    import urllib.request

    root = make_project()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    server = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--port", str(port)],
                              cwd=root, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/en/sites/water-tower/"

    def fetch_until(text: str) -> str:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                page = urllib.request.urlopen(url, timeout=5).read().decode()
                if text in page:
                    return page
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared at {url}")

    try:
        fetch_until("The tower is 32 m tall.")
        en = root / "sites/water-tower/en.md"
        en.write_text(en.read_text("utf-8").replace("32 m tall", "thirty-two metres tall"))
        fetch_until("The tower is thirty-two metres tall.")
    finally:
        server.terminate()
        server.wait(timeout=10)
