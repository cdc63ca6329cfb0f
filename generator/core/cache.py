"""The build's content-addressed cache: outputs kept under `.cache/` by a hash of their inputs.

One entry is one file named by its key, holding one or more named byte strings and a checksum
of them all. It is written to a temporary file beside it and renamed into place, so a killed
build leaves no half entry, and two builds writing the same entry both leave a whole one. An
entry that fails its checksum (a disk fault, a truncated copy) is removed, counted in
`corrupt` and made again: a damaged cache costs time, never a failed build. Entries are
written by a thread of their own while the work goes on; `flush` waits for them.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Any

from generator.core.filedigests import FileDigests

_MAGIC = b"heritage-cache 1\n"


def cache_key(*parts: object) -> str:
    """The key of an entry made from these JSON-able inputs (order matters, dict order not)."""
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=64)
def code_digest(*paths: Path, versions: tuple[str, ...] = ()) -> str:
    """A hash of the code and data that make an entry: files, every .py file under a folder,
    and package versions. Part of a key, so a new version of any of them makes the entry anew."""
    digest = hashlib.sha256("|".join(versions).encode())
    for path in paths:
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(file.read_bytes())
    return digest.hexdigest()


class Cache:
    """Entries under `folder`, each a dict of name -> bytes; `files` gives the digests of the
    source files that keys are made of (kept in `files_record`, else for this run only).

    A cache that serves build after build in one process (the live preview) is made with
    `remember`: the entries and objects of the last build stay in memory, so an edit costs a
    province's unchanged sites no file read and no unpickling. Entries never change under
    their key, so what is remembered is what the file holds.
    """

    def __init__(self, folder: Path, files_record: Path | None = None, *,
                 remember: bool = False) -> None:
        self.folder = folder
        self.files = FileDigests(files_record)
        self.corrupt: list[str] = []  # keys of entries that failed their checksum
        self._used: set[str] = set()
        self._lock = threading.Lock()
        self._memory: dict[str, dict[str, bytes]] | None = {} if remember else None
        self._objects: dict[tuple[str, str], Any] = {}
        self._stages: dict[str, dict[Any, Any]] = {}
        self._unwritten: dict[str, dict[str, bytes]] = {}  # put, its file not yet written
        self._writer: ThreadPoolExecutor | None = None
        self._writes: list[Future[None]] = []

    def memory(self, name: str) -> dict[Any, Any] | None:
        """A dict that lives as long as this cache when it remembers (else None), for a
        stage's own results; the stage keeps in it only what the current build used."""
        if self._memory is None:
            return None
        return self._stages.setdefault(name, {})

    def used(self) -> frozenset[str]:
        """The keys asked for or stored since `begin`."""
        with self._lock:
            return frozenset(self._used)

    def keep(self, keys: frozenset[str]) -> None:
        """Count `keys` as used (entries another process's cache asked for or stored), so
        `prune` leaves them."""
        with self._lock:
            self._used |= keys

    def begin(self) -> None:
        """Start another build: forget what the last one did not ask for."""
        with self._lock:
            used, self._used = self._used, set()
            if self._memory is not None:
                self._memory = {k: v for k, v in self._memory.items() if k in used}
            self._objects = {k: v for k, v in self._objects.items() if k[0] in used}
        self.files.begin()

    def get(self, key: str) -> dict[str, bytes] | None:
        """The entry, or None when there is none or it was damaged (then it is removed)."""
        with self._lock:
            self._used.add(key)
            remembered = self._memory.get(key) if self._memory is not None else None
            if remembered is None:
                remembered = self._unwritten.get(key)
        if remembered is not None:
            return remembered
        entry = self._read(key)
        if entry is not None and self._memory is not None:
            with self._lock:
                self._memory[key] = entry
        return entry

    def load(self, key: str, name: str) -> Any | None:
        """The object pickled under `name` in the entry (see `store`), or None when there is
        none or it cannot be unpickled (a damaged or foreign entry: made again)."""
        if self._memory is not None and (key, name) in self._objects:
            with self._lock:
                self._used.add(key)
            return self._objects[key, name]
        entry = self.get(key)
        if entry is None or name not in entry:
            return None
        try:
            value = pickle.loads(entry[name])
        except Exception:  # noqa: BLE001 - whatever a damaged pickle raises
            return None
        if self._memory is not None:
            with self._lock:
                self._objects[key, name] = value
        return value

    def store(self, key: str, name: str, value: Any) -> None:
        """Keep `value` (immutable records only: a remembered one is handed out again)."""
        self.put(key, {name: pickle.dumps(value)})
        if self._memory is not None:
            with self._lock:
                self._objects[key, name] = value

    def _read(self, key: str) -> dict[str, bytes] | None:
        try:
            data = (self.folder / key).read_bytes()
        except OSError:
            return None
        entry = _unpack(data)
        if entry is None:
            with self._lock:
                self.corrupt.append(key)
            (self.folder / key).unlink(missing_ok=True)
        return entry

    def hashes(self, key: str) -> set[str]:
        """A set of hashes kept as one entry (texts found safe, pages found script-free): a
        province's thousands of unchanged items cost one read, not one file each."""
        entry = self.get(key)
        return set(entry["sha256"].decode().split()) if entry and "sha256" in entry else set()

    def put_hashes(self, key: str, hashes: set[str], known: set[str]) -> None:
        """Store `hashes` under `key` unless they are the `known` ones already stored."""
        if hashes != known:
            self.put(key, {"sha256": "\n".join(sorted(hashes)).encode()})

    def put(self, key: str, entry: dict[str, bytes]) -> None:
        """Store the entry atomically (temporary file, then rename) in a thread of its own:
        a new file costs about a millisecond on a virtual disk, and a province's first build
        stores thousands, which need not wait in line with the work. Until it is written,
        `get` finds it here. A cache that cannot be written (a read-only checkout, a full
        disk) only costs the next build time."""
        with self._lock:
            self._used.add(key)
            if self._memory is not None:
                self._memory[key] = entry
            self._unwritten[key] = entry
            if self._writer is None:
                self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cache")
            self._writes.append(self._writer.submit(self._write, key, entry))

    def flush(self) -> None:
        """Wait until every entry put is written or found unwritable (a bug in writing one is
        raised here), and end the writing thread."""
        with self._lock:
            writer, self._writer = self._writer, None
            writes, self._writes = self._writes, []
        if writer is not None:
            writer.shutdown(wait=True)
        for write in writes:
            write.result()

    def _write(self, key: str, entry: dict[str, bytes]) -> None:
        try:
            self._write_file(key, entry)
        finally:
            with self._lock:
                if self._unwritten.get(key) is entry:
                    del self._unwritten[key]

    def _write_file(self, key: str, entry: dict[str, bytes]) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
        except OSError:
            return
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(_pack(entry))
            os.replace(temporary, self.folder / key)
        except BaseException as error:
            Path(temporary).unlink(missing_ok=True)
            if not isinstance(error, OSError):
                raise

    def prune(self) -> None:
        """Remove the entries this build did not ask for, and stray temporary files."""
        self.flush()
        if not self.folder.is_dir():
            return
        for file in self.folder.iterdir():
            if file.is_file() and file.name not in self._used:
                file.unlink(missing_ok=True)


def _pack(entry: dict[str, bytes]) -> bytes:
    names = sorted(entry)
    body = b"".join(entry[name] for name in names)
    header = json.dumps({"names": names, "sizes": [len(entry[n]) for n in names],
                         "sha256": hashlib.sha256(body).hexdigest()}).encode()
    return _MAGIC + header + b"\n" + body


def _unpack(data: bytes) -> dict[str, bytes] | None:
    if not data.startswith(_MAGIC):
        return None
    head, newline, body = data[len(_MAGIC):].partition(b"\n")
    try:
        header = json.loads(head)
        names, sizes, checksum = header["names"], header["sizes"], header["sha256"]
    except (ValueError, KeyError, TypeError):
        return None
    if not newline or hashlib.sha256(body).hexdigest() != checksum or sum(sizes) != len(body):
        return None
    entry, offset = {}, 0
    for name, size in zip(names, sizes):
        entry[name] = body[offset:offset + size]
        offset += size
    return entry
