"""What a build reads again: a source file only when an edit touched it (its digest is
trusted while its inode, size and times are unchanged, never for a file that may still
change within one tick of the clock), and, in the live preview, no unchanged cache entry."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest
from PIL import Image

from conftest import LEDGER, SITE_YML, build_project, coded_site
from generator.assets import photos
from generator.build import build, load_project, project_cache
from generator.core import filedigests
from generator.core.cache import Cache
from generator.core.filedigests import FileDigests
from generator.site.code_pages import render_plaques
from generator.site.pages import render_docs
from province import site_id, write_province


def rewrite_later(path, content: bytes) -> None:
    """Write `content` once the file system's clock has moved on from the file's time."""
    before = path.stat().st_mtime_ns
    while True:
        path.write_bytes(content)
        if path.stat().st_mtime_ns != before:
            return


def test_a_file_left_alone_is_not_read_again_and_an_edited_one_is(tmp_path, monkeypatch):
    monkeypatch.setattr(filedigests, "SETTLE_NS", 0)
    file, record = tmp_path / "vi.md", tmp_path / "files.json"
    file.write_bytes(b"Thap nuoc")
    first = FileDigests(record)
    assert first.sha256(file) == hashlib.sha256(b"Thap nuoc").digest()
    first.save()
    data = json.loads(record.read_text("utf-8"))
    data["files"][str(file)][5] = "ab" * 32  # what the record says is what is believed
    record.write_text(json.dumps(data), "utf-8")
    assert FileDigests(record).sha256(file) == bytes.fromhex("ab" * 32)
    rewrite_later(file, b"Thap Nuoc")  # same size, other bytes
    assert FileDigests(record).sha256(file) == hashlib.sha256(b"Thap Nuoc").digest()


def test_a_file_changed_just_now_is_not_vouched_for(tmp_path):
    file, record = tmp_path / "vi.md", tmp_path / "files.json"
    file.write_bytes(b"Thap nuoc")
    digests = FileDigests(record)
    assert digests.sha256(file) == hashlib.sha256(b"Thap nuoc").digest()
    digests.save()
    assert not record.exists() or str(file) not in json.loads(record.read_text())["files"]


@pytest.mark.parametrize("damage", ["{", '{"version": 1, "files": []}',
                                    '{"version": 1, "files": {"FILE": ["x", 1]}}',
                                    '{"version": 1, "files": {"FILE": [0, 0, 0, 0, 0, "zz"]}}'])
def test_a_damaged_record_costs_only_the_reading(tmp_path, monkeypatch, damage):
    monkeypatch.setattr(filedigests, "SETTLE_NS", 0)
    file, record = tmp_path / "vi.md", tmp_path / "files.json"
    file.write_bytes(b"Thap nuoc")
    record.write_text(damage.replace("FILE", str(file)), "utf-8")
    digests = FileDigests(record)
    assert digests.sha256(file) == hashlib.sha256(b"Thap nuoc").digest()
    digests.save()
    assert FileDigests(record).sha256(file) == hashlib.sha256(b"Thap nuoc").digest()


def test_the_record_keeps_only_the_files_asked_for(tmp_path, monkeypatch):
    monkeypatch.setattr(filedigests, "SETTLE_NS", 0)
    kept, gone, record = tmp_path / "a.md", tmp_path / "b.md", tmp_path / "files.json"
    kept.write_bytes(b"a")
    gone.write_bytes(b"b")
    both = FileDigests(record)
    both.sha256(kept), both.sha256(gone)
    both.save()
    one = FileDigests(record)
    one.sha256(kept)
    one.save()
    assert list(json.loads(record.read_text("utf-8"))["files"]) == [str(kept)]
    with pytest.raises(OSError):
        FileDigests(record).sha256(tmp_path / "missing.md")


MEDIA = ('media:\n  - file: media/front.png\n    alt:\n      vi: "Tháp nước"\n'
         '      en: "The water tower"\n      ru: "Водонапорная башня"\n'
         '    credit: "Nguyễn Văn A"\n    licence: "CC BY-SA 4.0"\n')


def png(colour: tuple[int, int, int]) -> bytes:
    """An uncompressed PNG: another colour gives other bytes of the same size."""
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), colour).save(buffer, "PNG", compress_level=0)
    return buffer.getvalue()


def test_a_photo_edited_in_place_to_the_same_size_is_published_anew(make_project,
                                                                    monkeypatch):
    monkeypatch.setattr(filedigests, "SETTLE_NS", 0)  # the first build may vouch for it
    root = make_project({**coded_site(**{"site.yml": 'code: "2A"\n' + SITE_YML + MEDIA}),
                         "sites/water-tower/media/front.png": png((20, 60, 160)),
                         "sites/issued-codes.yml": LEDGER})
    assert build_project(root).published
    source = root / "sites" / "water-tower" / "media" / "front.png"
    assert str(source) in json.loads((root / ".cache" / "files.json").read_text())["files"]
    published = root / "public" / "media" / "water-tower" / "front.png"
    before = published.read_bytes()
    red = png((200, 30, 30))
    assert len(red) == source.stat().st_size
    rewrite_later(source, red)
    assert build_project(root).published
    after = published.read_bytes()
    assert after != before
    assert Image.open(io.BytesIO(after)).getpixel((0, 0))[:3] == (200, 30, 30)


def test_a_remembering_cache_hands_out_what_it_holds_and_forgets_what_went_unused(tmp_path):
    cache = Cache(tmp_path / "entries", remember=True)
    record = ("site", (1, 2))
    cache.store("a", "site", record)
    cache.store("b", "site", ("other",))
    assert cache.load("a", "site") is record  # no unpickling: the very object
    cache.begin()  # a second build, which asks only for "a"
    assert cache.load("a", "site") is record
    cache.begin()
    assert cache._objects.keys() == {("a", "site")}  # "b" went unused: forgotten
    assert cache.load("b", "site") == ("other",)  # read again from its file
    cache.flush()  # entries are written by a thread of their own
    fresh = Cache(tmp_path / "entries")
    assert fresh.load("a", "site") == record and fresh.load("a", "site") is not record
    (tmp_path / "entries" / "a").write_bytes(b"damaged")
    assert Cache(tmp_path / "entries").load("a", "site") is None


def test_the_preview_cache_gives_the_pages_a_fresh_build_gives(tmp_path):
    root = write_province(tmp_path / "province", 12, photos=False)
    cache = project_cache(root, remember=True)

    def run():
        cache.begin()
        config, project, report = load_project(root, cache)
        assert config and project and not report.errors, report.errors
        return project, render_docs(config, project, cache)

    before, _ = run()
    edited = root / "sites" / site_id(5) / "vi.md"
    edited.write_text(edited.read_text("utf-8") + "\nMột câu mới.\n", "utf-8")
    after, pages = run()
    assert [site.id for site, old in zip(after.sites, before.sites) if site is not old] == [
        site_id(5)]  # the others are the records remembered, not read again
    config, project, _ = load_project(root)
    assert config and project
    assert {(p.lang, p.doc): p.markdown() for p in pages} == {
        (p.lang, p.doc): p.markdown() for p in render_docs(config, project, None)}
    assert any("Một câu mới." in p.body for p in pages)


def test_the_preview_hands_out_an_unchanged_photo_without_opening_it(make_project,
                                                                     monkeypatch):
    monkeypatch.setattr(filedigests, "SETTLE_NS", 0)
    root = make_project({**coded_site(**{"site.yml": 'code: "2A"\n' + SITE_YML + MEDIA}),
                         "sites/water-tower/media/front.png": png((20, 60, 160)),
                         "sites/issued-codes.yml": LEDGER})
    cache = project_cache(root, remember=True)
    for _ in range(2):  # encoded, then found in the photo cache and remembered
        assert build(root, preview=True, cache=cache).published
    opened: list[Path] = []
    real = photos._check_file
    monkeypatch.setattr(photos, "_check_file",
                        lambda file, *args, **kwargs: opened.append(file) or real(
                            file, *args, **kwargs))
    assert build(root, preview=True, cache=cache).published
    assert opened == []
    source = root / "sites" / "water-tower" / "media" / "front.png"
    rewrite_later(source, png((200, 30, 30)))
    assert build(root, preview=True, cache=cache).published
    assert set(opened) == {source}  # checked again, and so encoded again
    published = root / "public" / "media" / "water-tower" / "front.png"
    assert Image.open(published).getpixel((0, 0))[:3] == (200, 30, 30)


def test_the_preview_sitemap_follows_a_page_that_comes_and_goes(tmp_path):
    """The live preview keeps its last sitemaps while no page came or went: a page added
    must be in the next one, and gone from the one after it is removed."""
    root = write_province(tmp_path / "province", 6, photos=False)
    cache = project_cache(root, remember=True)
    extra = [root / "content" / lang / "opening-hours.md" for lang in ("vi", "en")]

    def sitemap() -> str:
        result = build(root, preview=True, cache=cache)
        assert result.published, result.report.errors
        return (root / "public" / "sitemap.xml").read_text("utf-8")

    first = sitemap()
    assert "opening-hours" not in first
    for file in extra:
        file.write_text('---\ntitle: "Giờ mở cửa"\n---\nMỗi ngày.\n', "utf-8")
    assert sitemap().count("/opening-hours/</loc>") == 5  # in every language, some by fallback
    for file in extra:
        file.unlink()
    assert sitemap() == first


def test_the_preview_routing_page_follows_a_renamed_site(tmp_path):
    """The live preview keeps each code's routing page and QR files while its entry, its
    site's title and the settings are unchanged: a new title must reach /Q/<code>/, the
    other codes' files stay what a fresh build makes."""
    from province import code

    root = write_province(tmp_path / "province", 6, photos=False)
    cache = project_cache(root, remember=True)

    def routing(index: int) -> bytes:
        return (root / "public" / "Q" / code(index) / "index.html").read_bytes()

    assert build(root, preview=True, cache=cache).published
    untouched = routing(1), (root / "public" / "qr" / f"{code(1)}.svg").read_bytes()
    vi = root / "sites" / site_id(3) / "vi.md"
    vi.write_text(vi.read_text("utf-8").replace("Di tích số 3", "Đình làng số 3"), "utf-8")
    assert build(root, preview=True, cache=cache).published
    assert "Đình làng số 3" in routing(3).decode()
    assert "Đình làng số 3" in (root / "public" / "qr" / f"{code(3)}.svg").read_text("utf-8")
    assert (routing(1), (root / "public" / "qr" / f"{code(1)}.svg").read_bytes()) == untouched
    config, project, _ = load_project(root)  # what a build without the memory makes
    assert config and project
    fresh = {str(file.path): file.content for file in render_plaques(config, project)}
    for index in range(6):
        assert routing(index) == fresh[f"Q/{code(index)}/index.html"]
