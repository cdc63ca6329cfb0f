"""Watch an editor's project for saves: the live preview rebuilds when `wait` returns.

The kernel tells of a change at once (inotify through watchdog): polling a province's 8,000
files once a second cost a stat of each and up to a second before a rebuild began. Where
notification cannot be had (inotify's limits reached, a file system without it) or stops
making sense (a watched folder removed, moved, or created after the start), it polls once a
second instead, comparing (mtime, size) of every watched file.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from watchdog.events import FileSystemEvent
    from watchdog.observers.api import BaseObserver

WATCHED = ("sites", "content", "mkdocs.yml")
FOLDERS = ("sites", "content")  # watched with everything in them
POLL_SECONDS = 1.0
QUIET_SECONDS = 0.05  # a save is often several events (truncate, write, close, rename)
# What a save is: watchdog's event types that change a file's bytes or its presence.
CHANGES = frozenset({"created", "modified", "deleted", "moved", "closed"})


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """(mtime, size) of every watched file: a change in any means rebuild."""
    state = {}
    for name in WATCHED:
        path = root / name
        files = [path] if path.is_file() else sorted(path.rglob("*")) if path.is_dir() else []
        for file in files:
            if file.is_file():
                stat = file.stat()
                state[str(file)] = (stat.st_mtime_ns, stat.st_size)
    return state


class Watcher:
    """`wait()` returns once a watched file changed (and the burst of events is over), with
    the paths that changed, relative to the project.

    `notify=False` polls from the start; `notified` says whether the kernel is telling of
    changes now.
    """

    def __init__(self, root: Path, *, notify: bool = True) -> None:
        self.root = root
        self._signal = threading.Event()
        self._lock = threading.Lock()
        self._last = 0.0
        self._paths: set[Path] = set()
        self._broken = False
        self._observer = self._start() if notify else None
        self._state = snapshot(root) if self._observer is None else None

    @property
    def notified(self) -> bool:
        return self._observer is not None

    def _start(self) -> BaseObserver | None:
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer

        watcher = self

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event: FileSystemEvent) -> None:
                watcher._seen(event)

        observer = Observer()
        handler = Handler()
        try:
            for name in FOLDERS:
                if (self.root / name).is_dir():
                    observer.schedule(handler, str(self.root / name), recursive=True)
            observer.schedule(handler, str(self.root), recursive=False)
            observer.start()
        except OSError:  # no inotify here, or its limit of watches reached: poll
            return None
        return observer

    def _seen(self, event: FileSystemEvent) -> None:
        if event.event_type not in CHANGES or (event.is_directory
                                                and event.event_type == "modified"):
            return
        paths = [Path(str(event.src_path)),
                 *([Path(str(event.dest_path))] if event.dest_path else [])]
        top = [path for path in paths if path.parent == self.root]
        if top and not any(path.name in WATCHED for path in top) and len(top) == len(paths):
            return  # another file beside mkdocs.yml (the build's own public/, .cache/)
        with self._lock:
            if event.is_directory and any(path.name in FOLDERS for path in top):
                self._broken = True  # a watched folder came, went or moved: poll from now
            self._paths.update(paths)
            self._last = time.monotonic()
            self._signal.set()

    def wait(self) -> list[str]:
        """Block until something watched changed; the changed paths, relative and sorted."""
        if self._observer is None:
            paths = self._poll()
        else:
            while not self._signal.wait(0.5):  # a timeout keeps Ctrl+C working
                pass
            while True:
                with self._lock:
                    quiet = time.monotonic() - self._last
                if quiet >= QUIET_SECONDS:
                    break
                time.sleep(QUIET_SECONDS - quiet)
            with self._lock:
                self._signal.clear()
                paths, self._paths = self._paths, set()
                broken = self._broken
            if broken:
                self._stop_observer()
                self._state = snapshot(self.root)
        return sorted({path.relative_to(self.root).as_posix() for path in paths
                       if path.is_relative_to(self.root)})

    def _poll(self) -> set[Path]:
        state = self._state if self._state is not None else snapshot(self.root)
        while True:
            time.sleep(POLL_SECONDS)
            current = snapshot(self.root)
            if current != state:
                self._state = current
                return {Path(name) for name in current.keys() | state.keys()
                        if current.get(name) != state.get(name)}

    def _stop_observer(self) -> None:
        if self._observer is not None:
            self._observer.stop()
            self._observer.join()
            self._observer = None

    def stop(self) -> None:
        self._stop_observer()
