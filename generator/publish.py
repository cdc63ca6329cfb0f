"""write and publish: files land in a scratch folder; a verified build replaces `public/`.

The swap is two renames on one file system. A build that fails or is killed before the swap
leaves `public/` untouched; one killed between the two renames leaves `.public.old-<random>/`,
which the next build puts back before doing anything else. Scratch and backup folders get fresh
unique names beside `public/` (never a fixed `public.new` that might be someone's own folder),
and only one build of a project runs at a time (`build_lock`).
"""

from __future__ import annotations

import fcntl
import gzip
import io
import os
import secrets
import shutil
import stat
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.model import OutputFile


class BuildBusy(Exception):
    """Another build of this project is running."""


class UnsafeOutput(ValueError):
    """The output folder is, holds or lies inside the project's own files."""


KEPT = ("sites", "content", ".git", "mkdocs.yml", ".cache", ".build")
MARKER = ".heritage-output"  # in every built folder: only such a folder is ever replaced


def check_output_folder(root: Path, public: Path) -> None:
    """Refuse an output folder whose replacement would delete files we did not make: the
    project itself or a folder above it, anything inside sites/, content/ or .git, and any
    other folder with files in it that is not an earlier build's output (no MARKER)."""
    root, public = root.resolve(), public.resolve()
    if public == root or root.is_relative_to(public):
        raise UnsafeOutput(str(public))
    if public.is_relative_to(root) and public.relative_to(root).parts[0] in KEPT:
        raise UnsafeOutput(str(public))
    ours = (public / MARKER).is_file() or public == root / "public"
    if public.is_dir() and not ours and any(public.iterdir()):
        raise UnsafeOutput(str(public))


@contextmanager
def build_lock(root: Path) -> Iterator[None]:
    """Hold the project's build lock, or raise BuildBusy at once if another build holds it.

    An OS file lock (flock): it is released when the holder exits, even when killed, so a
    crashed build never leaves the project locked.
    """
    lock_dir = root / ".cache"
    lock_dir.mkdir(parents=True, exist_ok=True)
    with open(lock_dir / "build.lock", "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildBusy(str(root)) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _siblings(public: Path, kind: str) -> list[Path]:
    return sorted(public.parent.glob(f".{public.name}.{kind}-*"))


def scratch_dir(public: Path) -> Path:
    """A new, empty, uniquely named folder beside `public`, on the same file system."""
    public.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(dir=public.parent, prefix=f".{public.name}.new-"))


def recover(public: Path) -> None:
    """Undo a swap that was interrupted between its two renames; remove scratch folders that
    killed builds left (call it holding the build lock, so none is in use)."""
    for old in _siblings(public, "old"):
        if not public.exists():
            old.rename(public)
        else:
            shutil.rmtree(old)
    for scratch in _siblings(public, "new"):
        shutil.rmtree(scratch, ignore_errors=True)


def sync_files(files: Iterable[OutputFile], root: Path) -> None:
    """Make `root` hold exactly these files: unchanged ones are left alone, changed and new ones
    written, others removed. For the renderer's docs tree, rebuilt on every build."""
    wanted = {file.path.as_posix(): file.content for file in files}
    if root.is_dir():
        for folder, _, names in os.walk(root, topdown=False):
            for name in names:
                path = Path(folder, name)
                key = path.relative_to(root).as_posix()
                content = wanted.get(key)
                if content is None:
                    path.unlink()
                elif _same(path, content):
                    del wanted[key]
            if folder != str(root) and not os.listdir(folder):
                os.rmdir(folder)
    for key, content in wanted.items():
        target = root / key
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


def write_files(files: Iterable[OutputFile], root: Path, previous: Path | None = None) -> None:
    """Write the files under `root`. One whose bytes equal the same file in `previous` (the
    site being replaced) becomes a hard link to it instead: a province's photos, print and
    map files are hundreds of MB that rarely change, and a link neither writes nor, when the
    old site is removed, frees them."""
    made: set[Path] = set()
    for file in files:
        target = root / file.path
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        if previous is not None and _same(previous / file.path, file.content):
            try:
                os.link(previous / file.path, target, follow_symlinks=False)
                continue
            except OSError:  # another file system, or links not allowed: write it
                pass
        target.unlink(missing_ok=True)  # it may be a link into the old site: never write there
        target.write_bytes(file.content)


def copy_tree(source: Path, target: Path, previous: Path | None = None,
              skip: frozenset[str] = frozenset()) -> None:
    """Copy a folder that its maker keeps and rewrites in place (the renderer's) into the new
    site, leaving out top-level files named in `skip`. A file the site being replaced already
    copied unchanged (same size and modification time: the copy keeps the time, as rsync
    assumes) becomes a hard link to that copy instead."""
    for folder, folders, names in os.walk(source):
        folders.sort()
        relative = Path(folder).relative_to(source)
        (target / relative).mkdir(parents=True, exist_ok=True)
        for name in sorted(names):
            if relative == Path(".") and name in skip:
                continue
            old = previous / relative / name if previous is not None else None
            if old is not None and _copied(Path(folder, name), old):
                try:
                    os.link(old, target / relative / name, follow_symlinks=False)
                    continue
                except OSError:
                    pass
            shutil.copy2(Path(folder, name), target / relative / name)


def _copied(source: Path, old: Path) -> bool:
    try:
        new, status = os.stat(source), os.lstat(old)
    except OSError:
        return False
    return (stat.S_ISREG(status.st_mode) and status.st_size == new.st_size
            and status.st_mtime_ns == new.st_mtime_ns)


def _same(path: Path, content: bytes) -> bool:
    """`path` is a regular file (not a link to one elsewhere) holding exactly `content`."""
    try:
        status = os.lstat(path)
        if not stat.S_ISREG(status.st_mode) or status.st_size != len(content):
            return False
        return path.read_bytes() == content
    except OSError:
        return False


def gzip_bytes(data: bytes) -> bytes:
    """gzip with no timestamp or file name, so equal input gives equal bytes."""
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, filename="") as stream:
        stream.write(data)
    return buffer.getvalue()


def normalise_times(root: Path, epoch: int) -> None:
    """Give every file one modification time, so archives of the output are reproducible."""
    for path in sorted(root.rglob("*"), reverse=True):
        os.utime(path, (epoch, epoch), follow_symlinks=False)


def swap_into(built: Path, public: Path) -> None:
    """Replace `public` by `built` (same file system)."""
    old = public.with_name(f".{public.name}.old-{secrets.token_hex(6)}")
    if public.exists():
        public.rename(old)
    built.rename(public)
    if old.exists():
        shutil.rmtree(old)
