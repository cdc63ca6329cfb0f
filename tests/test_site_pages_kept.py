"""Site pages are kept between builds: a site whose record, nearby sites, settings and code
are what they were gets the pages made before, byte for byte what a fresh render makes; any
change to one of them makes its pages again."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.site import pages as render
from generator.build import load_project, project_cache
from generator.site.nearby import Nearby
from province import site_id, write_province


@pytest.fixture
def rendered(monkeypatch) -> list[str]:
    """The id of the site of each site page actually rendered."""
    seen: list[str] = []
    real = render._site_page

    def counting(config, nearby, site, *args):
        seen.append(site.id)
        return real(config, nearby, site, *args)

    monkeypatch.setattr(render, "_site_page", counting)
    return seen


@pytest.fixture
def province(tmp_path: Path) -> Path:
    """Twelve generated sites, the second and third moved a few hundred metres from the
    first, so those three list each other as nearby sites."""
    root = write_province(tmp_path / "province", 12, photos=False)
    for index, (lat, lon) in ((1, (10.9001, 107.9001)), (2, (10.9030, 107.9040)),
                              (0, (10.9000, 107.9000))):
        _edit(root / "sites" / site_id(index) / "site.yml",
              lambda text, lat=lat, lon=lon: re.sub(
                  r"lat: [\d.]+\n  lon: [\d.]+", f"lat: {lat}\n  lon: {lon}", text))
    return root


def _edit(path: Path, change) -> None:
    path.write_text(change(path.read_text("utf-8")), "utf-8")


def listing(root: Path, index: int) -> list[str]:
    """The site and every site whose page lists it as nearby."""
    config, project, _ = load_project(root)
    nearby = Nearby(project.sites, count=config.nearby_count, max_m=config.nearby_max_m)
    return sorted({site_id(index)} | {site.id for site in project.sites if any(
        other.id == site_id(index) for other, _, _ in nearby.of(site))})


def docs(root: Path, *, kept: bool = True) -> dict[tuple[str, str], bytes]:
    config, project, report = load_project(root)
    assert config and project and not report.errors, report.errors
    cache = project_cache(root) if kept else None
    pages = render.render_docs(config, project, cache)
    if cache is not None:
        cache.flush()  # its entries are written by a thread of their own: the next run's
    return {(page.lang, page.doc.as_posix()): page.markdown() for page in pages}


def test_an_edit_renders_that_sites_pages_only(province, rendered):
    first = docs(province)
    assert sorted(set(rendered)) == [site_id(i) for i in range(12)] and len(rendered) == 60
    assert b"site-0001" in first[("vi", "sites/site-0000/index.md")]  # a nearby site
    rendered.clear()
    assert docs(province) == first and rendered == []
    _edit(province / "sites" / site_id(5) / "vi.md", lambda text: text + "\nMột dòng nữa.\n")
    edited = docs(province)
    assert sorted(rendered) == sorted(listing(province, 5) * 5)  # one page per language
    assert len(listing(province, 5)) < 12
    assert "Một dòng nữa." in edited[("vi", "sites/site-0005/index.md")].decode()
    assert edited == docs(province, kept=False)


def rendered_again(root: Path, rendered: list[str], index: int, file: str, change
                   ) -> tuple[dict, dict]:
    """The pages before and after `change` to one file of site `index`, having checked
    that exactly that site and the ones listing it were rendered again, as a fresh
    render would make them."""
    before = docs(root)
    rendered.clear()
    _edit(root / "sites" / site_id(index) / file, change)
    after = docs(root)
    assert sorted(set(rendered)) == listing(root, index)
    assert after == docs(root, kept=False)
    return before, after


def test_a_nearby_sites_new_name_renders_the_pages_that_list_it(province, rendered):
    _, edited = rendered_again(province, rendered, 1, "vi.md", lambda text: text.replace(
        'title: "Di tích số 1"', 'title: "Nhà cổ số 1"'))
    assert {site_id(0), site_id(2)} <= set(rendered)
    assert "Nhà cổ số 1" in edited[("vi", "sites/site-0000/index.md")].decode()


def test_a_nearby_site_moved_renders_the_distances_again(province, rendered):
    first, moved = rendered_again(province, rendered, 2, "site.yml", lambda text: text.replace(
        "lat: 10.903\n", "lat: 10.9032\n"))
    assert {site_id(0), site_id(1)} <= set(rendered)
    assert moved[("en", "sites/site-0000/index.md")] != first[("en", "sites/site-0000/index.md")]


def test_new_settings_render_every_site_again(province, rendered):
    docs(province)
    rendered.clear()
    _edit(province / "mkdocs.yml", lambda text: text.replace(
        "site_url: https://disan.example/", "site_url: https://heritage.other.example/"))
    changed = docs(province)
    assert len(rendered) == 60
    assert "heritage.other.example" in changed[("vi", "sites/site-0003/index.md")].decode()


def test_the_site_lists_are_kept_until_what_they_show_changes(province, monkeypatch):
    """A list shows each site's title, summary and facets: a new paragraph keeps every list,
    a new title makes its language's lists again, as a fresh render would."""
    made: list[str] = []
    real = render.index_pages

    def counting(sites, language, texts):
        made.append(language.code)
        return real(sites, language, texts)

    monkeypatch.setattr(render, "index_pages", counting)
    docs(province)
    made.clear()
    _edit(province / "sites" / site_id(3) / "vi.md", lambda text: text + "\nMột dòng nữa.\n")
    assert docs(province) == docs(province, kept=False) and made == ["vi", "en", "ko", "zh",
                                                                      "ru"]
    made.clear()
    docs(province)
    assert made == []
    _edit(province / "sites" / site_id(3) / "vi.md", lambda text: text.replace(
        'title: "Di tích số 3"', 'title: "Đình số 3"'))
    lists = docs(province)
    assert made == ["vi"]
    assert "Đình số 3" in lists[("vi", "sites/index.md")].decode()
    assert lists == docs(province, kept=False)
