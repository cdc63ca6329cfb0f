"""The digests of source files: read once, trusted while no edit touched the file, never
trusted for a file that may still change within one tick of the file system's clock."""

from __future__ import annotations

import hashlib
import io
import json

import pytest
from PIL import Image

from conftest import LEDGER, SITE_YML, build_project, coded_site
from generator.core import filedigests
from generator.core.filedigests import FileDigests


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


def png(colour: tuple[int, int, int]) -> bytes:
    """An uncompressed PNG: another colour gives other bytes of the same size."""
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), colour).save(buffer, "PNG", compress_level=0)
    return buffer.getvalue()


def test_a_photo_edited_in_place_to_the_same_size_is_published_anew(make_project,
                                                                    monkeypatch):
    monkeypatch.setattr(filedigests, "SETTLE_NS", 0)  # the first build may vouch for it
    media = ('media:\n  - file: media/front.png\n    alt:\n      vi: "Tháp nước"\n'
             '      en: "The water tower"\n      ru: "Водонапорная башня"\n'
             '    credit: "Nguyễn Văn A"\n    licence: "CC BY-SA 4.0"\n')
    root = make_project({**coded_site(**{"site.yml": 'code: "2A"\n' + SITE_YML + media}),
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
