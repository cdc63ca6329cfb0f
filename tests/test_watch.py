"""The live preview's watcher: a save wakes it at once (the kernel tells), files beside the
project's own (public/, .cache/) do not, and a watched folder that goes away leaves it
polling, still seeing saves. Each wait runs in a thread the test joins with a timeout."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.tools import watch
from generator.tools.watch import Watcher

TIMEOUT = 30.0  # a save is seen in milliseconds; this only bounds a broken watcher


def project(root: Path) -> Path:
    (root / "sites" / "water-tower").mkdir(parents=True)
    (root / "sites" / "water-tower" / "vi.md").write_text("Tháp nước\n", "utf-8")
    (root / "content" / "vi").mkdir(parents=True)
    (root / "mkdocs.yml").write_text("site_name: Di sản\n", "utf-8")
    return root


@pytest.fixture
def watchers(monkeypatch) -> Iterator[list[Watcher]]:
    """Watchers a test makes, stopped after it however it ends; a polling one looks 20
    times a second, not once (the same code, sooner)."""
    monkeypatch.setattr(watch, "POLL_SECONDS", 0.05)
    made: list[Watcher] = []
    yield made
    for watcher in made:
        watcher.stop()


class Waiting(threading.Thread):
    """watcher.wait() in a thread; `paths` is what it returned."""

    def __init__(self, watcher: Watcher) -> None:
        super().__init__(daemon=True)
        self.watcher, self.paths = watcher, None
        self.start()

    def run(self) -> None:
        self.paths = self.watcher.wait()

    def seen(self) -> list[str] | None:
        self.join(TIMEOUT)
        return self.paths


@pytest.mark.parametrize("change", [
    ("sites/water-tower/vi.md", lambda path: path.write_text("Tháp cổ\n", "utf-8")),
    ("sites/water-tower/en.md", lambda path: path.write_text("Tower\n", "utf-8")),
    ("sites/water-tower/vi.md", lambda path: path.unlink()),
    ("content/vi/about.md", lambda path: path.write_text("Giới thiệu\n", "utf-8")),
    ("mkdocs.yml", lambda path: path.write_text("site_name: Di sản tỉnh\n", "utf-8")),
], ids=["edit", "new file", "deleted", "content", "mkdocs.yml"])
@pytest.mark.parametrize("notify", [True, False], ids=["told", "polling"])
def test_a_save_wakes_the_watcher_and_names_the_file(tmp_path, watchers, change, notify):
    watcher = Watcher(project(tmp_path), notify=notify)
    watchers.append(watcher)
    assert watcher.notified is notify
    waiting = Waiting(watcher)
    name, save = change
    save(tmp_path / name)
    assert waiting.seen() == [name]


def test_the_builds_own_files_beside_the_project_wake_nothing(tmp_path, watchers):
    # Events come in order: had any of these woken the watcher, it would have returned their
    # path, alone (the 50 ms of quiet after them) or with the save that follows.
    root = project(tmp_path)
    watcher = Watcher(root)
    watchers.append(watcher)
    waiting = Waiting(watcher)
    (root / ".cache").mkdir()
    (root / ".cache" / "entry").write_bytes(b"x")
    (root / "public.new").mkdir()
    (root / "public.new" / "index.html").write_text("<html>", "utf-8")
    (root / "public.new").rename(root / "public")
    (root / "public" / "index.html").write_text("<html lang=vi>", "utf-8")
    (root / "notes.txt").write_text("not the site's\n", "utf-8")
    (root / "mkdocs.yml").read_text("utf-8")  # read (as every build does), not changed
    (root / "sites" / "water-tower" / "vi.md").write_text("Tháp cổ\n", "utf-8")
    assert waiting.seen() == ["sites/water-tower/vi.md"]


def test_a_save_during_a_rebuild_is_not_lost(tmp_path, watchers):
    root = project(tmp_path)
    watcher = Watcher(root)
    watchers.append(watcher)
    waiting = Waiting(watcher)
    (root / "sites" / "water-tower" / "vi.md").write_text("Tháp cổ\n", "utf-8")
    assert waiting.seen() == ["sites/water-tower/vi.md"]
    # the preview is rebuilding now; the editor saves again before it calls wait()
    (root / "sites" / "water-tower" / "site.yml").write_text("type: tower\n", "utf-8")
    assert Waiting(watcher).seen() == ["sites/water-tower/site.yml"]


@pytest.mark.parametrize("notify", [True, False], ids=["told", "polling"])
def test_a_sites_folder_moved_away_and_back_is_still_watched(tmp_path, watchers, notify):
    root = project(tmp_path)
    watcher = Watcher(root, notify=notify)
    watchers.append(watcher)
    waiting = Waiting(watcher)
    shutil.move(root / "sites", root / "sites-old")
    gone = waiting.seen() or []
    assert "sites" in gone or "sites/water-tower/vi.md" in gone  # the folder, or its file
    assert not watcher.notified  # polling from now
    waiting = Waiting(watcher)
    shutil.move(root / "sites-old", root / "sites")
    assert waiting.seen() == ["sites/water-tower/vi.md"]
    waiting = Waiting(watcher)
    (root / "sites" / "water-tower" / "vi.md").write_text("Tháp cổ\n", "utf-8")
    assert waiting.seen() == ["sites/water-tower/vi.md"]
