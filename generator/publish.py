"""write and publish: files land in a scratch folder; a verified build replaces `public/`.

The swap is two renames on one file system. A build that fails or is killed before the swap
leaves `public/` untouched; one killed between the two renames leaves `public.old/`, which the
next build puts back before doing anything else.
"""

from __future__ import annotations

import gzip
import io
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from generator.model import OutputFile


def recover(public: Path) -> None:
    """Undo a swap that was interrupted between its two renames."""
    old = public.with_name(public.name + ".old")
    if old.is_dir() and not public.exists():
        old.rename(public)
    elif old.is_dir():
        shutil.rmtree(old)


def fresh_dir(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def write_files(files: Iterable[OutputFile], root: Path) -> None:
    for file in files:
        target = root / file.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(file.content)


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
    old = public.with_name(public.name + ".old")
    if public.exists():
        public.rename(old)
    built.rename(public)
    if old.exists():
        shutil.rmtree(old)
