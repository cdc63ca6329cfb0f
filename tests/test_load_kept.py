"""load remembers each site: an unchanged folder is its cached record and the same problems,
and any change to its files, a photo, the project's settings or the code loads it again."""

from __future__ import annotations

import io
import shutil

import pytest
from PIL import Image

from conftest import CONFIG, SITE_YML, check, tower_site
from generator.load import project as load
@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    """The id of each site folder actually read and parsed."""
    seen: list[str] = []
    real = load._load_site

    def counting(folder, *args, **kwargs):
        seen.append(folder.name)
        return real(folder, *args, **kwargs)

    monkeypatch.setattr(load, "_load_site", counting)
    return seen


def jpeg() -> bytes:
    image = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 120, 40)).save(image, format="JPEG")
    return image.getvalue()


MEDIA = "media:\n  - file: media/front.jpg\n    alt: {vi: Mặt trước, en: Front}\n" \
        "    credit: A. Person\n    licence: CC BY-SA 4.0\n"


def lines(report) -> list[str]:
    return [f"{d.severity.name} {d.code} {d.where}" for d in report]


def test_an_unchanged_site_is_not_parsed_again_and_says_the_same(make_project, parsed):
    no_gps = SITE_YML.split("coordinates:")[0] + "sources:" + SITE_YML.split("sources:")[1]
    root = make_project({**tower_site(), **tower_site("old-school", **{"site.yml": no_gps})})
    first = check(root)
    assert sorted(parsed) == ["old-school", "water-tower"]
    assert "WARNING no-coordinates sites/old-school/site.yml:1:1" in lines(first)
    again = check(root)
    assert sorted(parsed) == ["old-school", "water-tower"]  # nothing parsed the second time
    assert lines(again) == lines(first)
    page = root / "sites" / "old-school" / "en.md"
    page.write_text(page.read_text("utf-8").replace("Water Tower", "Old School"), "utf-8")
    edited = check(root)
    assert parsed[2:] == ["old-school"]  # only the edited site
    assert lines(edited) == lines(first)


def test_a_photo_broken_under_the_same_name_is_found(make_project, parsed):
    root = make_project(tower_site(**{"site.yml": SITE_YML + MEDIA,
                                      "media/front.jpg": jpeg()}))
    assert not check(root).errors
    photo = root / "sites" / "water-tower" / "media" / "front.jpg"
    photo.write_bytes(photo.read_bytes()[:40])  # cut short, as a failed copy leaves it
    report = check(root)
    assert [d.code for d in report.errors] == ["bad-image"]
    assert parsed == ["water-tower", "water-tower"]


def test_new_settings_load_every_site_again(make_project, parsed):
    root = make_project(tower_site())
    assert not check(root).errors
    (root / "mkdocs.yml").write_text(
        CONFIG.replace("south: 10.5, north: 11.4", "south: 11.0, north: 11.4"), "utf-8")
    report = check(root)
    assert [d.code for d in report.errors] == ["bad-coordinates"]  # the site's own text: same
    assert parsed == ["water-tower", "water-tower"]



def test_a_province_read_on_every_core_says_what_one_process_says(tmp_path, monkeypatch,
                                                                   parsed):
    """Past PARALLEL_SITES unread sites, worker processes read them: the same records and
    the same problems in the same order as one process, and the entries the workers wrote
    are kept by the build's cache and serve the next run."""
    from generator.build import CACHE_DIR, load_project, project_cache
    from province import write_province

    count = load.PARALLEL_SITES + 5
    root = write_province(tmp_path / "province", count)
    site_yml = root / "sites" / "site-0017" / "site.yml"
    site_yml.write_text(site_yml.read_text("utf-8").replace("type: ", "type: castle-"),
                        "utf-8")
    (root / "sites" / "site-0090" / "media" / "front.jpg").write_bytes(b"\xff\xd8 broken")

    workers_from = load.PARALLEL_SITES
    monkeypatch.setattr(load, "PARALLEL_SITES", 10**6)
    _, alone, alone_report = load_project(root)
    assert len(parsed) == count  # this process read every site
    assert {str(d.where.path) for d in alone_report.errors} == {
        "sites/site-0017/site.yml", "sites/site-0090/site.yml"}  # the photo at its entry

    shutil.rmtree(root / CACHE_DIR)
    parsed.clear()
    monkeypatch.setattr(load, "PARALLEL_SITES", workers_from)
    cache = project_cache(root)
    _, together, together_report = load_project(root, cache)
    assert parsed == []  # the workers read them
    assert together.sites == alone.sites
    assert lines(together_report) == lines(alone_report)
    cache.flush()
    written = sorted(cache.folder.iterdir())
    assert len(written) > count  # each site's record and its photo's check
    cache.prune()  # as a build does at its end: the entries the workers wrote stay
    assert sorted(cache.folder.iterdir()) == written

    monkeypatch.setattr(load, "PARALLEL_SITES", 10**6)
    _, again, again_report = load_project(root)
    assert parsed == []  # every site from the cache
    assert again.sites == alone.sites and lines(again_report) == lines(alone_report)
