"""publish and assembly: a rebuild starts from the site it last replaced, leaves the files it
did not change as the published ones (links), never links what differs or what is not a plain
file, and never writes into a file the published site shares."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from conftest import CONFIG, LEDGER, coded_site, tree_digest, write_files
from generator.build import build
from generator.output.assembly import Assembly


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
    changed = {name for name in after if before.get(name) != after[name]}
    assert "en/sites/water-tower/index.html" in changed
    for name in changed & inodes.keys():
        assert (public / name).stat().st_ino != inodes[name], name
    spares = [p.name for p in root.glob(".public.*")]
    assert len(spares) == 1 and spares[0].startswith(".public.spare-")  # the replaced site
    page = "en/sites/water-tower/index.html"
    (root / "sites/water-tower/en.md").write_text(
        (root / "sites/water-tower/en.md").read_text("utf-8") + "\nAnd another.\n", "utf-8")
    assert build(root).published  # made in the spare, which held the site before last
    assert b"And another." in (public / page).read_bytes()
    spare = next(root.glob(".public.spare-*"))
    assert tree_digest(spare) == after and len(list(root.glob(".public.*"))) == 1
    fresh = tmp_path / "fresh"  # the same input built from nothing gives the same site
    for name in ("sites", "mkdocs.yml"):
        (shutil.copytree if (root / name).is_dir() else shutil.copy)(root / name, fresh / name)
    assert build(fresh).published
    assert tree_digest(public) == tree_digest(fresh / "public")


def place(out, public, files, record=None):
    site = Assembly(out, public, record or out.with_name("record.json"))
    for name, content in files.items():
        site.write(name, content.encode())
    site.remove_unplaced()
    return site


def test_only_regular_files_with_the_very_bytes_are_linked(tmp_path):
    public, out = tmp_path / "public", tmp_path / "new"
    write_files(public, {"same.txt": "same", "other.txt": "old", "shorter.txt": "abcd"})
    outside = tmp_path / "outside.txt"
    outside.write_text("linked", "utf-8")
    os.symlink(outside, public / "symlink.txt")
    place(out, public, {"same.txt": "same", "other.txt": "new", "shorter.txt": "abc",
                        "symlink.txt": "linked", "fresh/new.txt": "fresh"})
    assert {p.name: p.read_text("utf-8") for p in out.rglob("*.txt")} == {
        "same.txt": "same", "other.txt": "new", "shorter.txt": "abc", "symlink.txt": "linked",
        "new.txt": "fresh"}
    assert os.path.samefile(out / "same.txt", public / "same.txt")
    for name in ("other.txt", "shorter.txt", "symlink.txt"):
        assert not (out / name).is_symlink()
        assert not os.path.samefile(out / name, public / name), name
    assert not os.path.samefile(out / "symlink.txt", outside)
    assert (public / "other.txt").read_text("utf-8") == "old"  # the old site is untouched


def test_a_recycled_folder_ends_holding_exactly_the_new_site(tmp_path):
    """The spare holds an older site: stale files, files that are the published ones (links),
    a folder where a file now goes and a file where a folder now goes."""
    public, out = tmp_path / "public", tmp_path / "spare"
    write_files(public, {"kept.txt": "kept", "page.html": "published page", "gone.txt": "x"})
    write_files(out, {"stale/old.html": "old", "a": "a file", "b/inner.txt": "a folder",
                      "page.html/x": "y"})
    os.link(public / "page.html", out / "linked.html")
    os.link(public / "kept.txt", out / "kept.txt")
    os.symlink(tmp_path, out / "loop")
    before = {p.name: p.read_bytes() for p in public.iterdir()}
    site = place(out, public, {"kept.txt": "kept", "page.html": "new page", "a/b.txt": "ab",
                               "b": "b", "linked.html": "changed"})
    assert tree_digest(out) == tree_digest(_written(tmp_path / "expected", {
        "kept.txt": "kept", "page.html": "new page", "a/b.txt": "ab", "b": "b",
        "linked.html": "changed"}))
    assert {p.name: p.read_bytes() for p in public.iterdir()} == before  # never written into
    assert os.path.samefile(out / "kept.txt", public / "kept.txt")
    assert not (out / "loop").exists() and not (out / "stale").exists()
    assert set(site.digests) == {"kept.txt", "page.html", "a/b.txt", "b", "linked.html"}


def _written(root, files):
    write_files(root, files)
    return root


def test_the_record_vouches_only_for_the_very_file_it_saw(tmp_path):
    """After a publish the record names each file's digest; a file changed since (new bytes,
    a new time) is compared by its bytes, so it is never linked for a digest it lost."""
    public, record = tmp_path / "public", tmp_path / "record.json"
    site = place(tmp_path / "first", public, {"a.txt": "one", "b.txt": "two"}, record)
    (tmp_path / "first").rename(public)
    site.save_record()
    (public / "a.txt").unlink()
    (public / "a.txt").write_text("uno", "utf-8")  # same size, other bytes, new inode
    place(tmp_path / "second", public, {"a.txt": "one", "b.txt": "two"}, record)
    assert (tmp_path / "second" / "a.txt").read_text("utf-8") == "one"
    assert not os.path.samefile(tmp_path / "second" / "a.txt", public / "a.txt")
    assert os.path.samefile(tmp_path / "second" / "b.txt", public / "b.txt")
    assert (public / "a.txt").read_text("utf-8") == "uno"


def test_without_an_old_site_everything_is_written(tmp_path):
    out = tmp_path / "new"
    place(out, tmp_path / "none", {"a/b.txt": "x"})
    assert (out / "a/b.txt").read_bytes() == b"x"
    assert Path(out / "a/b.txt").stat().st_nlink == 1


def test_the_docs_tree_is_compared_without_reading_what_the_last_build_left(tmp_path,
                                                                            monkeypatch):
    """The live preview keeps what sync_files saw: a file given again as the very bytes
    object, whose inode, size and time are still those, is not read; one changed behind its
    back is read and written again, and one changed in the last seconds is not trusted."""
    from pathlib import PurePosixPath

    from generator.core.model import OutputFile
    from generator.output import publish

    root = tmp_path / "docs"
    contents = {f"vi/sites/s{n}/index.md": f"# Trang {n}\n".encode() for n in range(4)}
    old = 10**9 * 1_700_000_000  # long settled

    def files() -> list[OutputFile]:
        return [OutputFile(PurePosixPath(path), content) for path, content in contents.items()]

    publish.sync_files(files(), root)
    for path in contents:
        os.utime(root / path, ns=(old, old))
    read: list[str] = []
    real = publish.same_bytes
    monkeypatch.setattr(publish, "same_bytes",
                        lambda path, content: read.append(Path(path).parent.name)
                        or real(path, content))
    written: dict = {}
    publish.sync_files(files(), root, written)  # nothing remembered yet: all read
    assert sorted(read) == ["s0", "s1", "s2", "s3"] and len(written) == 4
    read.clear()
    publish.sync_files(files(), root, written)
    assert read == []
    (root / "vi/sites/s1/index.md").write_bytes(b"# Edited by hand\n")  # a new time
    contents["vi/sites/s2/index.md"] = b"# Trang 2\n"  # the same bytes, another object
    publish.sync_files(files(), root, written)
    assert sorted(read) == ["s1", "s2"]
    assert (root / "vi/sites/s1/index.md").read_bytes() == b"# Trang 1\n"
    assert "vi/sites/s1/index.md" not in written  # written in the last seconds: read next time
    read.clear()
    publish.sync_files(files(), root, written)
    assert read == ["s1"]
