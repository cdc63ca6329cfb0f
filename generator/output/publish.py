"""publish: the new site is made in a scratch folder; a verified build replaces `public/`.

The swap is two renames on one file system. A build that fails or is killed before the swap
leaves `public/` untouched; one killed between the two renames leaves `.public.old-<random>/`,
which the next build puts back before doing anything else. The replaced site is kept as
`.public.spare-<random>/`, from which the next build starts (see `assembly`). Scratch, backup
and spare folders get fresh unique names beside `public/` (never a fixed `public.new` that
might be someone's own folder), and only one build of a project runs at a time (`build_lock`).
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
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.core.filedigests import SETTLE_NS
from generator.core.model import OutputFile


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
    """A uniquely named folder beside `public`, on the same file system, to build the new
    site in: the spare (the site the last build replaced, see `assembly`) when there is one,
    else a new, empty one."""
    public.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(dir=public.parent, prefix=f".{public.name}.new-"))
    spares = _siblings(public, "spare")
    if spares:
        scratch.rmdir()
        spares[0].rename(scratch)
    return scratch


def keep_spare(folder: Path, public: Path) -> None:
    """Keep a site folder no longer needed (the one replaced, or a failed build's) as the
    spare the next build starts from; one spare is enough."""
    for extra in _siblings(public, "spare"):
        shutil.rmtree(extra)
    folder.rename(public.with_name(f".{public.name}.spare-{secrets.token_hex(6)}"))


def recover(public: Path) -> None:
    """Undo a swap that was interrupted between its two renames; remove scratch folders that
    killed builds left and spares but one (call it holding the build lock, so none is in
    use)."""
    for old in _siblings(public, "old"):
        if not public.exists():
            old.rename(public)
        else:
            shutil.rmtree(old)
    for scratch in _siblings(public, "new"):
        shutil.rmtree(scratch, ignore_errors=True)
    for spare in _siblings(public, "spare")[1:]:
        shutil.rmtree(spare, ignore_errors=True)


Stamp = tuple[int, int, int]  # inode, size, modification time (ns)


def file_stamp(status: os.stat_result) -> Stamp:
    return status.st_ino, status.st_size, status.st_mtime_ns


def sync_files(files: Iterable[OutputFile], root: Path,
               written: dict[str, tuple[Stamp, bytes]] | None = None) -> None:
    """Make `root` hold exactly these files: unchanged ones are left alone, changed and new ones
    written, others removed. For the renderer's docs tree, rebuilt on every build (thousands
    of files at a province's size: paths stay strings).

    `written`, kept by the caller from build to build (the live preview), remembers each
    file's bytes object and its inode, size and modification time: a file given as that very
    object, whose times are still those, is not read to be compared. A file changed in the
    last seconds before it was seen is not remembered (see `core.filedigests`)."""
    wanted = {file.path.as_posix(): file.content for file in files}
    known = written or {}
    seen: dict[str, tuple[Stamp, bytes]] = {}
    settled = time.time_ns() - SETTLE_NS
    top = len(str(root)) + 1  # os.walk gives folders under `root`: cut its prefix
    if root.is_dir():
        for folder, _, names in os.walk(root, topdown=False):
            prefix = folder[top:] + "/" if len(folder) >= top else ""
            for name in names:
                key, path = prefix + name, os.path.join(folder, name)
                content = wanted.get(key)
                if content is None:
                    os.unlink(path)
                    continue
                here, last = _regular_stamp(path), known.get(key)
                if here is not None and last is not None and last[0] == here and \
                        last[1] is content or same_bytes(path, content):
                    del wanted[key]
                    if here is not None and here[2] < settled:
                        seen[key] = (here, content)
            if prefix and not os.listdir(folder):
                os.rmdir(folder)
    for key, content in wanted.items():
        target = root / key
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    if written is not None:
        written.clear()
        written.update(seen)


def _regular_stamp(path: str) -> Stamp | None:
    """The stamp of a regular file at `path` (not a link), else None."""
    try:
        status = os.lstat(path)
    except OSError:
        return None
    return file_stamp(status) if stat.S_ISREG(status.st_mode) else None


def same_bytes(path: str | os.PathLike[str], content: bytes) -> bool:
    """`path` is a regular file (not a link to one elsewhere) holding exactly `content`."""
    try:
        status = os.lstat(path)
        if not stat.S_ISREG(status.st_mode) or status.st_size != len(content):
            return False
        with open(path, "rb") as file:
            return file.read() == content
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
    """Replace `public` by `built` (same file system); the replaced site is kept as the spare."""
    old = public.with_name(f".{public.name}.old-{secrets.token_hex(6)}")
    if public.exists():
        public.rename(old)
    built.rename(public)
    if old.exists():
        keep_spare(old, public)
