"""The SHA-256 of a source file without reading it again when no edit touched it.

A province's sources are thousands of files, most of them photos of a few megabytes each, and
every build keys its cache by their bytes: reading them all costs more than everything else a
build that changed one page does. As git's index and rsync do, a digest is taken from the
record of the last read while the file's device, inode, size, modification and change times
are the ones recorded (the change time cannot be set back by copying tools or scripts). A
file changed in the last seconds before it was read is not recorded: a second write in the
same tick of the file system's clock would leave all five as they were.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from pathlib import Path

RECORD_VERSION = 1
SETTLE_NS = 3_000_000_000  # more than any file system's clock tick (FAT: 2 s)
Stamp = tuple[int, int, int, int, int]


class FileDigests:
    """Digests of files by path, kept in `record` (a JSON file) between runs."""

    def __init__(self, record: Path | None = None) -> None:
        self.record = record  # None: remembered for this run only
        self._old: dict[str, list] | None = None  # read on first use
        self._new: dict[str, list] = {}
        self._lock = threading.Lock()

    def known(self, path: str | os.PathLike[str]) -> bytes | None:
        """The file's SHA-256 when the record vouches for it, else None; never reads it."""
        name = os.fspath(path)
        try:
            return _trusted(self._recorded().get(name), _stamp(os.stat(name)))
        except OSError:
            return None

    def sha256(self, path: str | os.PathLike[str]) -> bytes:
        """The file's SHA-256 (raw bytes); OSError when it cannot be read."""
        name = os.fspath(path)
        status = os.stat(name)
        stamp = _stamp(status)
        digest = _trusted(self._recorded().get(name), stamp)
        if digest is None:
            with open(name, "rb") as file:
                digest = hashlib.file_digest(file, "sha256").digest()
        if time.time_ns() - max(status.st_mtime_ns, status.st_ctime_ns) > SETTLE_NS:
            with self._lock:
                self._new[name] = [*stamp, digest.hex()]
        return digest

    def begin(self) -> None:
        """Start another run in this process: what it read becomes the record it trusts."""
        with self._lock:
            self._old, self._new = {**self._recorded(), **self._new}, {}

    def save(self) -> None:
        """Keep the digests of the files asked for in this run (since `begin`, or since this
        object was made; the others' files may be gone) for the next run, when they differ
        from the record read; a record that cannot be written only costs the next run the
        reading."""
        with self._lock:
            files = dict(sorted(self._new.items()))
        if self.record is None or files == self._recorded():
            return
        temporary = self.record.with_name(f".{self.record.name}.{os.getpid()}.tmp")
        try:
            self.record.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_text(json.dumps({"version": RECORD_VERSION, "files": files}),
                                 "utf-8")
            os.replace(temporary, self.record)
        except OSError:
            temporary.unlink(missing_ok=True)
            return
        self._old = files

    def _recorded(self) -> dict[str, list]:
        if self._old is None:
            self._old = _read_record(self.record) if self.record is not None else {}
        return self._old


def _read_record(record: Path) -> dict[str, list]:
    try:
        data = json.loads(record.read_text("utf-8"))
        files = data["files"] if data.get("version") == RECORD_VERSION else {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}
    return files if isinstance(files, dict) else {}


def _stamp(status: os.stat_result) -> Stamp:
    return (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns,
            status.st_ctime_ns)


def _trusted(known: object, stamp: Stamp) -> bytes | None:
    """The recorded digest when the record is of this very file, else None (a damaged
    record is one that vouches for nothing)."""
    try:
        if isinstance(known, list) and tuple(known[:5]) == stamp:
            digest = bytes.fromhex(known[5])
            return digest if len(digest) == 32 else None
    except (IndexError, TypeError, ValueError):
        pass
    return None
