"""The new site, put together file by file in a folder that held an earlier one.

A province's site is tens of thousands of files and an edit changes a few dozen of them, so a
build neither starts from an empty folder (a link and a folder made for every file, and as many
removed with the site it replaces) nor reads the published files to compare. Its folder is the
spare (`publish.scratch_dir`): the site the last build replaced, most of whose files are the
very files of `public/` (hard links). Each file is compared with `public/`'s by the digest the
record of the last publish keeps, trusted only while that file's inode, size and time are the
recorded ones (else its bytes are read). A file already the one in `public/` is left alone, one
with the same bytes becomes a link to it, any other is written anew: never into the old file,
whose other name may be a published one. What this build did not place is removed before the
checks or the search index read the folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
from pathlib import Path

from generator.output.publish import Stamp, file_stamp, same_bytes

RECORD_VERSION = 1


class Assembly:
    """The files placed into `folder` by this build (path → SHA-256) against `public`."""

    def __init__(self, folder: Path, public: Path, record: Path) -> None:
        self.folder, self.public, self.record = folder, public, record
        # Joined as strings: a province's build places tens of thousands of files, and a Path
        # made for each of them costs more than the rest of the placing.
        self._into, self._from = f"{folder}{os.sep}", f"{public}{os.sep}"
        self.digests: dict[str, str] = {}
        self._stamps: dict[str, Stamp] = {}  # of the files placed, for the record
        self._folders: set[str] = {""}
        self._recorded = _read_record(record)
        folder.mkdir(parents=True, exist_ok=True)

    def write(self, path: str, content: bytes) -> None:
        self._place(path, hashlib.sha256(content).hexdigest(), content,
                    published=self._published(path))

    def write_kept(self, path: str, source: Path, digest: str) -> None:
        """Place the file kept at `source` whose SHA-256 is `digest`, read only when it is
        not the published file already."""
        published = self._published(path)
        content = None if published is not None and published[1] == digest else \
            source.read_bytes()
        self._place(path, digest, content, published=published)

    def copy_tree(self, source: Path, under: str, skip: frozenset[str] = frozenset()) -> None:
        """Place a folder its maker keeps and rewrites in place (the renderer's, Pagefind's)
        under `under`, leaving out top-level files named in `skip`. A file with the size and
        time of the published copy is taken to be it, as rsync does: copies keep the time."""
        top = len(str(source)) + 1
        for folder, folders, names in os.walk(source):
            folders.sort()
            relative = folder[top:]
            for name in sorted(names):
                if not relative and name in skip:
                    continue
                path = "/".join(part for part in (under, relative, name) if part)
                self._copy(os.path.join(folder, name), path)

    def _copy(self, source: str, path: str) -> None:
        status = os.stat(source)
        published = self._published(path)
        if published and published[1] is not None and published[0][1:] == (
                status.st_size, status.st_mtime_ns):
            self._place(path, published[1], None, published=published)
            return
        with open(source, "rb") as file:
            content = file.read()
        self._place(path, hashlib.sha256(content).hexdigest(), content, status.st_mtime_ns,
                    published=published)

    def _published(self, path: str) -> tuple[Stamp, str | None] | None:
        """The published file at `path` (a plain file) and its recorded digest, or None
        for the digest when the record does not vouch for this very file."""
        try:
            status = os.lstat(self._from + path)
        except OSError:
            return None
        if not stat.S_ISREG(status.st_mode):
            return None
        recorded = self._recorded.get(path)
        here = file_stamp(status)
        return here, recorded[3] if recorded and tuple(recorded[:3]) == here else None

    def _place(self, path: str, digest: str, content: bytes | None, mtime_ns: int | None = None,
               *, published: tuple[Stamp, str | None] | None) -> None:
        """Make `path` hold these bytes; `published` is `_published(path)`, asked once."""
        target, source = self._into + path, self._from + path
        same = published is not None and (
            published[1] == digest if published[1] is not None else
            content is not None and same_bytes(Path(source), content))
        try:
            present: os.stat_result | None = os.lstat(target)
        except (FileNotFoundError, NotADirectoryError):  # a file where a folder goes
            present = None
        self.digests[path] = digest
        if same and published:
            self._stamps[path] = published[0]
            if present is not None and present.st_ino == published[0][0]:
                return  # already the published file
        if present is not None:
            _remove(target, present)
        else:
            self._folder(path.rpartition("/")[0])
        if same:
            try:
                os.link(source, target, follow_symlinks=False)
                return
            except OSError:  # another file system, or links not allowed: write it
                pass
        if content is None:
            with open(source, "rb") as file:
                content = file.read()
        with open(target, "wb") as file:
            file.write(content)
        if mtime_ns is not None:
            os.utime(target, ns=(mtime_ns, mtime_ns))
        self._stamps[path] = file_stamp(os.lstat(target))

    def _folder(self, folder: str) -> None:
        """Make `folder` (relative) a folder, removing a file that stands in its way."""
        if folder in self._folders:
            return
        self._folder(folder.rpartition("/")[0])
        target = self.folder / folder
        try:
            if not stat.S_ISDIR(os.lstat(target).st_mode):
                target.unlink()
                target.mkdir()
        except FileNotFoundError:
            target.mkdir()
        self._folders.add(folder)

    def remove_unplaced(self, folder: str = "", but: frozenset[str] = frozenset()) -> bool:
        """Remove every file under `folder` this build did not place, and emptied folders,
        leaving alone the top-level folders named in `but` (a later step fills them);
        whether `folder` is empty now."""
        empty = True
        try:
            entries = list(os.scandir(self.folder / folder if folder else self.folder))
        except FileNotFoundError:
            return True
        for entry in entries:
            path = f"{folder}/{entry.name}" if folder else entry.name
            if not entry.is_dir(follow_symlinks=False):  # a file or a link: placed or gone
                if path in self.digests:
                    empty = False
                else:
                    os.unlink(entry.path)
            elif not folder and entry.name in but or not self.remove_unplaced(path):
                empty = False
            else:
                os.rmdir(entry.path)
                self._folders.discard(path)
        return empty

    def save_record(self, times_changed: bool = False) -> None:
        """Record what `public/` now holds (call it once this folder has become `public/`;
        `times_changed` when the files' times were set since they were placed)."""
        files = {}
        for path, digest in sorted(self.digests.items()):
            try:
                stamp = file_stamp(os.lstat(self.public / path)) if times_changed else \
                    self._stamps[path]
            except OSError:
                continue
            files[path] = [*stamp, digest]
        temporary = self.record.with_name(self.record.name + ".tmp")
        temporary.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(json.dumps({"version": RECORD_VERSION, "files": files}), "utf-8")
        os.replace(temporary, self.record)


def _read_record(record: Path) -> dict[str, list]:
    try:
        data = json.loads(record.read_text("utf-8"))
        return data["files"] if data.get("version") == RECORD_VERSION else {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def _remove(path: str, status: os.stat_result) -> None:
    if stat.S_ISDIR(status.st_mode):
        shutil.rmtree(path)
    else:
        os.unlink(path)
