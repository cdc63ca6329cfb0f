"""publish: a rebuild links the files it did not change to the old site's instead of copying
them, and never links what differs, what is not a plain file, or across the swap's safety."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from conftest import CONFIG, LEDGER, coded_site, tree_digest, write_files
from generator.build import build
from generator.model import OutputFile
from generator.publish import write_files as publish_files


def test_a_rebuild_keeps_unchanged_files_as_the_same_file_and_writes_the_rest(tmp_path):
    root = tmp_path / "project"
    write_files(root, {"mkdocs.yml": CONFIG, **coded_site(), "sites/issued-codes.yml": LEDGER})
    assert build(root).published
    public = root / "public"
    before = tree_digest(public)
    inodes = {name: (public / name).stat().st_ino for name in before}
    qr_png = "qr/2A.png"
    assert qr_png in before
    (root / "sites/water-tower/en.md").write_text(
        (root / "sites/water-tower/en.md").read_text("utf-8") + "\nOne more line.\n", "utf-8")
    assert build(root).published
    after = tree_digest(public)
    assert (public / qr_png).stat().st_ino == inodes[qr_png]  # linked, not written again
    assert (public / qr_png).stat().st_nlink == 1  # and the old site is gone
    changed = {name for name in after if before.get(name) != after[name]}
    assert "en/sites/water-tower/index.html" in changed
    for name in changed & inodes.keys():
        assert (public / name).stat().st_ino != inodes[name], name
    assert not list(root.glob(".public.*"))


def test_only_regular_files_with_the_very_bytes_are_linked(tmp_path):
    previous, out = tmp_path / "public", tmp_path / "new"
    write_files(previous, {"same.txt": "same", "other.txt": "old", "shorter.txt": "abcd"})
    outside = tmp_path / "outside.txt"
    outside.write_text("linked", "utf-8")
    os.symlink(outside, previous / "symlink.txt")
    files = [OutputFile(PurePosixPath(name), content.encode()) for name, content in
             {"same.txt": "same", "other.txt": "new", "shorter.txt": "abc",
              "symlink.txt": "linked", "fresh/new.txt": "fresh"}.items()]
    publish_files(files, out, previous=previous)
    assert {p.name: p.read_text("utf-8") for p in out.rglob("*.txt")} == {
        "same.txt": "same", "other.txt": "new", "shorter.txt": "abc", "symlink.txt": "linked",
        "new.txt": "fresh"}
    assert os.path.samefile(out / "same.txt", previous / "same.txt")
    for name in ("other.txt", "shorter.txt", "symlink.txt"):
        assert not (out / name).is_symlink()
        assert not os.path.samefile(out / name, previous / name), name
    assert not os.path.samefile(out / "symlink.txt", outside)
    assert (previous / "other.txt").read_text("utf-8") == "old"  # the old site is untouched


def test_without_an_old_site_everything_is_written(tmp_path):
    out = tmp_path / "new"
    publish_files([OutputFile(PurePosixPath("a/b.txt"), b"x")], out, previous=tmp_path / "none")
    assert (out / "a/b.txt").read_bytes() == b"x"
    assert Path(out / "a/b.txt").stat().st_nlink == 1
