"""Nearby sites without a map, and the interface texts behind them."""

from __future__ import annotations

import json
import re
from pathlib import PurePosixPath

import pytest

from conftest import CONFIG, LEDGER, REPO, build_project, coded_site
from generator.core.i18n import COMPLETE, STRINGS_DIR, string_table
from generator.core.model import Coordinates, HeritageSite, SourceRef
from generator.site.nearby import nearby_sites


def site(site_id: str, lat: float, lon: float, accuracy: float | None = None) -> HeritageSite:
    where = SourceRef(PurePosixPath("sites", site_id, "site.yml"))
    return HeritageSite(site_id, None, "tower", (), Coordinates(lat, lon, accuracy, False, None, where),
                        None, None, (), None, None, (), (), {}, where)


def test_nearest_first_with_distance_and_direction():
    here = site("tower", 10.92912, 108.09992)
    school = site("school", 10.92872, 108.09583)
    temple = site("temple", 10.92276, 108.09953)
    far = site("far", 11.3, 108.5)
    found = nearby_sites(here, [here, school, temple, far], count=5, max_m=15000)
    assert [(s.id, d, c) for s, d, c in found] == [("school", "450 m", "W"),
                                                    ("temple", "710 m", "S")]


def test_no_direction_when_the_points_are_too_uncertain():
    ruins = site("ruins", 10.93639, 108.14639, accuracy=250)
    towers = site("towers", 10.93549, 108.14632, accuracy=130)
    [(other, distance, direction)] = nearby_sites(ruins, [ruins, towers], count=5, max_m=1e5)
    assert (other.id, distance, direction) == ("towers", "100 m", None)


def test_a_site_without_coordinates_has_no_neighbours():
    lost = HeritageSite("lost", None, "ruins", (), None, None, None, (), None, None, (), (), {},
                        SourceRef(PurePosixPath("sites/lost/site.yml")))
    assert nearby_sites(lost, [lost, site("a", 10.9, 108.1)], count=5, max_m=1e5) == []


@pytest.mark.parametrize("lang", COMPLETE)
def test_complete_languages_have_every_interface_text(lang):
    keys = set(string_table("en")) | set(string_table("vi"))
    assert keys - set(string_table(lang)) == set()


def test_every_interface_text_the_code_uses_exists():
    used = set()
    for file in (REPO / "generator").rglob("*.py"):
        used |= set(re.findall(r"""texts\(\s*f?["']([a-z_.{}]+)["']""",
                               file.read_text("utf-8")))
    plain = {key for key in used if "{" not in key}
    assert plain - set(string_table("en")) == set()
    prefixes = {key.split("{")[0] for key in used if "{" in key}
    for prefix in prefixes:
        assert any(k.startswith(prefix) for k in string_table("en")), prefix


def test_placeholders_agree_across_languages():
    english = string_table("en")
    for file in sorted(STRINGS_DIR.glob("*.yml")):
        for key, text in string_table(file.stem).items():
            assert set(re.findall(r"{(\w+)}", text)) <= set(re.findall(r"{(\w+)}",
                                                                      english[key])), (file, key)


def test_the_grid_finds_exactly_what_comparing_every_pair_finds():
    """The index looks only in neighbouring cells; it must miss nothing within max_km."""
    import random

    from generator.site.nearby import Nearby
    from maps.geo import LatLon as Point, nearest

    rng = random.Random(7)
    sites = [site(f"s{n:03d}", 10.5 + rng.random() * 0.9, 107.6 + rng.random()) for n in range(300)]
    sites += [site("polar-a", 69.65, 18.95), site("polar-b", 69.66, 19.2)]
    index = Nearby(sites, count=5, max_m=15000)
    for here in sites:
        others = [(s.id, Point(s.coordinates.lat, s.coordinates.lon)) for s in sites
                  if s.id != here.id]
        expected = nearest(Point(here.coordinates.lat, here.coordinates.lon), others, limit=5,
                           max_m=15000)
        assert [found.id for found, _, _ in index.of(here)] == [key for key, _, _ in expected]


def test_a_town_adding_korean_and_chinese_gets_their_interface_and_search(make_project):
    """Bình Thuận's visitors come mostly from Korea, China and Russia: a project that adds
    ko and zh (content falling back to English) shows the interface in those languages."""
    config = CONFIG.replace("      - code: ru\n        name: Русский\n        fallback: [en]\n",
                            "      - code: ko\n        name: 한국어\n        fallback: [en]\n"
                            "      - code: zh\n        name: 中文\n        fallback: [en]\n")
    root = make_project({**coded_site(), "sites/issued-codes.yml": LEDGER}, config=config)
    assert build_project(root).published
    public = root / "public"
    for lang, words in (("ko", ("기본 정보", "좌표", "유적지 검색", "번역이 없어")),
                        ("zh", ("基本信息", "资料来源", "搜索遗址", "尚未译成"))):
        html = (public / lang / "sites" / "water-tower" / "index.html").read_text("utf-8")
        assert f'<html lang="{lang}"' in html
        for word in words:
            assert word in html, (lang, word)
        assert "Water Tower" in html  # the English text, with the notice above
    for lang in ("ko", "zh"):
        entry = json.loads((public / "pagefind" / lang / "pagefind-entry.json").read_bytes())
        assert list(entry["languages"]) == [lang]


def test_kept_neighbours_are_the_ones_found_and_a_move_finds_them_again(tmp_path, monkeypatch):
    """The answers kept for every site are read back as found; a site moved makes them anew."""
    import dataclasses

    from generator.core.cache import Cache
    from generator.site.nearby import Nearby

    cache = Cache(tmp_path / "cache")
    sites = [site(f"s{n}", 10.9 + n * 0.001, 108.1 + (n % 3) * 0.002, accuracy=n % 2 * 50 or None)
             for n in range(12)]
    fresh = Nearby(sites, count=3, max_m=1000)
    expected = {s.id: fresh.of(s) for s in sites}
    Nearby(sites, count=3, max_m=1000, cache=cache)  # finds and keeps
    with monkeypatch.context() as patch:
        patch.setattr("generator.site.nearby.nearest", None)  # read back, never searched again
        kept = Nearby(sites, count=3, max_m=1000, cache=cache)
        assert {s.id: kept.of(s) for s in sites} == expected

    moved = [dataclasses.replace(s, coordinates=dataclasses.replace(s.coordinates, lat=11.5))
             if s.id == "s0" else s for s in sites]
    again = Nearby(moved, count=3, max_m=1000, cache=cache)
    assert again.of(moved[0]) == []
    assert all(other.id != "s0" for s in moved[1:] for other, _, _ in again.of(s))
