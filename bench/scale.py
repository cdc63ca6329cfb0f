"""Province-scale benchmark: N generated sites in five languages, built by the project and, side by
side in the same run, the same generated Markdown built by plain MkDocs + Material.

Prints numbers; asserts nothing. Usage: python bench/scale.py [N] [--renderer zensical]
(default 1000 sites, rendered by MkDocs, the default renderer; plain stays MkDocs + Material)

- cold: empty caches (.build, .cache, public), so QR files, photos, print files are all made;
- warm: the same input again, every cache full;
- one edit: one site's vi.md changed, then built again;
- plain: `mkdocs build` on the docs tree our build generated, with stock Material (same
  Markdown extensions, same short menu, search on), one process per language, run with the
  same parallelism as ours;
- preview: what `heritage serve` does on a save, three times: another site's vi.md edited,
  then a preview build (no print files, no verify) with the cache it keeps in memory;
- serve: the real `heritage serve` on that project (the project's renderer), three saves of a site's vi.md, each
  timed from the save until the server answers the request a page holds open
  (`/.heritage/preview.json?after=N`) with the new build; then how long Ctrl+C takes;
- check: `heritage check`'s work (load + check) before the first build (nothing cached) and
  after the builds (texts already found safe are not rendered again).
Per-stage times come from the build's own progress callback ("load" includes rendering the
pages' Markdown; "mkdocs" is the renderer with the QR, map and photo work that runs beside it,
and the print files, begun on every core before them; "print" the wait for the print files
after; "verify" includes the search index, which Pagefind makes beside it). The target for a
cold build is 2× plain plus the print files, so the print files are also made alone, nothing
cached, on every core ("print files alone"), and the cold build less that time is printed.
cpu counts this process and the children it waited for; the print workers are children of a
fork server and are not counted. Peak memory is the largest resident set of this
process and of any one child.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from generator.assets.print_files import plan_print, render_print  # noqa: E402
from generator.build import build, load_project, project_cache  # noqa: E402
from generator.core.cache import Cache  # noqa: E402
from generator.renderer import RENDERERS  # noqa: E402
from generator.renderer.zensical import WORK as ZENSICAL_WORK  # noqa: E402
from province import write_province  # noqa: E402


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed_build(root: Path, label: str, renderer: str, **options: Any
                ) -> tuple[float, dict[str, float]]:
    stages: list[tuple[str, float]] = []
    start = time.perf_counter()
    cpu = cpu_seconds()
    result = build(root, renderer=renderer, **options,
                   progress=lambda stage, **_: stages.append((stage, time.perf_counter())))
    seconds = time.perf_counter() - start
    used = cpu_seconds() - cpu
    state = "published" if result.published else f"FAILED ({len(result.report.errors)} errors)"
    marks = [*stages, ("end", time.perf_counter())]
    durations: dict[str, float] = {}
    for (name, at), (_, until) in zip(marks, marks[1:]):
        durations[name] = durations.get(name, 0.0) + until - at
    split = "  ".join(f"{name} {took:.1f}" for name, took in durations.items())
    print(f"{label:<28} {seconds:8.2f} s  cpu {used / seconds * 100:4.0f} %  {state}")
    print(f"{'':<28} stages (s): {split}")
    if not result.published:
        for problem in result.report.errors[:5]:
            print("   ", problem)
    return seconds, durations


def timed_previews(root: Path, renderer: str, edits: int = 3) -> list[float]:
    """What `heritage serve` does on each save: a preview build (no print files, no output
    verification) with the cache it keeps in memory, after one site's vi.md was edited."""
    cache = project_cache(root, remember=True)
    timed_build(root, "preview, its first build", renderer, preview=True, cache=cache)
    edited = root / "sites" / "site-0011" / "vi.md"
    times = []
    for number in range(1, edits + 1):
        edited.write_text(edited.read_text("utf-8") + f"\nDòng {number}.\n", "utf-8")
        seconds, _ = timed_build(root, f"preview, edit {number}", renderer, preview=True,
                                 cache=cache)
        times.append(seconds)
    sys.stdout.flush()  # run in a pool's process, which is ended, not left to exit
    return times


def timed_serve(root: Path, saves: int = 3) -> list[float]:
    """Save -> published, as a page open in the live preview learns it (see the docstring)."""
    import json
    import queue
    import re
    import signal
    import threading
    import urllib.request

    command = [sys.executable, "-m", "generator", "--project", str(root), "serve",
               "--port", "0"]
    # Ctrl+C as at a terminal: a shell starts a job put in the background with SIGINT
    # ignored, and a Python started so never turns it into KeyboardInterrupt.
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"},
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout or ()],
                     daemon=True).start()
    times: list[float] = []
    try:
        while not (found := re.search(r"http://127\.0\.0\.1:\d+/", lines.get(timeout=900))):
            pass
        url = found.group(0) + ".heritage/preview.json?after="

        def status(after: int) -> dict[str, Any]:
            with urllib.request.urlopen(f"{url}{after}", timeout=900) as answer:
                return json.loads(answer.read())

        generation = status(-1)["generation"]
        edited = root / "sites" / "site-0013" / "vi.md"
        for number in range(1, saves + 1):
            held: queue.Queue[dict[str, Any]] = queue.Queue()
            threading.Thread(target=lambda: held.put(status(generation)), daemon=True).start()
            start = time.perf_counter()
            edited.write_text(edited.read_text("utf-8") + f"\nLưu {number}.\n", "utf-8")
            answer = held.get(timeout=900)
            seconds = time.perf_counter() - start
            generation = answer["generation"]
            state = "published" if answer["published"] else "FAILED"
            print(f"{f'serve, save {number}':<28} {seconds:8.2f} s  {state}")
            times.append(seconds)
    finally:
        start = time.perf_counter()
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
            print(f"{'serve, stopping':<28} {time.perf_counter() - start:8.2f} s")
        except subprocess.TimeoutExpired:
            process.kill()
            print(f"{'serve, stopping':<28} did not stop within 60 s of Ctrl+C: killed")
    return times


def timed_print(root: Path) -> float:
    """The print files alone, nothing cached, on every core, as the build makes them: what
    the cold build's target adds to twice the plain renderer."""
    config, project, report = load_project(root)
    assert config is not None and project is not None
    jobs = plan_print(config, project, report)
    with tempfile.TemporaryDirectory() as folder:
        cache = Cache(Path(folder) / "entries", Path(folder) / "files.json")
        start = time.perf_counter()
        files = render_print(jobs, cache, report)
        cache.flush()
        seconds = time.perf_counter() - start
    print(f"{'print files alone':<28} {seconds:8.2f} s  {len(files)} files")
    return seconds


def timed_check(root: Path) -> float:
    start = time.perf_counter()
    load_project(root)
    return time.perf_counter() - start


def plain_build(root: Path, renderer: str) -> float:
    """The Markdown our build generated, built by stock MkDocs + Material per language."""
    work = root / ".build" / (ZENSICAL_WORK if renderer == "zensical" else "")
    plain = root / ".plain"
    shutil.rmtree(plain, ignore_errors=True)
    shutil.copytree(work / "docs", plain / "docs")
    base = yaml.safe_load((root / "mkdocs.yml").read_text("utf-8"))
    configs = []
    for generated in sorted(work.glob("mkdocs.*.yml")):
        lang = generated.name.split(".")[1]
        ours = yaml.safe_load(generated.read_text("utf-8"))
        config = {"site_name": ours["site_name"], "site_url": ours["site_url"],
                  "docs_dir": f"docs/{lang}", "site_dir": f"site/{lang}",
                  "theme": {"name": "material", "language": ours["theme"]["language"],
                            "font": False},
                  "plugins": ["search"], "markdown_extensions": base["markdown_extensions"],
                  "nav": ours["nav"], "not_in_nav": ours["not_in_nav"]}
        file = plain / f"mkdocs.{lang}.yml"
        file.write_text(yaml.safe_dump(config, allow_unicode=True), "utf-8")
        configs.append(file)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}

    def run(file: Path) -> int:
        return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(file)],
                              env=env, capture_output=True, check=False).returncode

    start = time.perf_counter()
    cpu = cpu_seconds()
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        codes = list(pool.map(run, configs))
    seconds = time.perf_counter() - start
    used = cpu_seconds() - cpu
    pages = sum(1 for _ in (plain / "docs").rglob("*.md"))
    print(f"{'plain MkDocs + Material':<28} {seconds:8.2f} s  cpu {used / seconds * 100:4.0f} %  "
          f"{pages} pages, {len(configs)} languages"
          f"{'' if not any(codes) else '  (a language FAILED)'}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description="Province-scale benchmark")
    parser.add_argument("count", type=int, nargs="?", default=1000)
    parser.add_argument("--renderer", choices=RENDERERS, default=RENDERERS[0])
    options = parser.parse_args()
    count, renderer = options.count, options.renderer
    print(f"bench/scale.py: {count} sites, 5 languages, {os.cpu_count()} cores, "
          f"rendered by {renderer}")
    with tempfile.TemporaryDirectory() as folder:
        root = write_province(Path(folder) / "province", count)
        check = timed_check(root)
        cold, _ = timed_build(root, "cold build", renderer)
        warm, _ = timed_build(root, "warm build", renderer)
        edited = root / "sites" / "site-0007" / "vi.md"
        edited.write_text(edited.read_text("utf-8") + "\nMột dòng nữa.\n", "utf-8")
        one, _ = timed_build(root, "one site edited", renderer)
        plain = plain_build(root, renderer)
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"{'check, nothing cached':<28} {check:8.2f} s")
        print(f"{'check, after a build':<28} {timed_check(root):8.2f} s")
        printing = timed_print(root)
        without_print = cold - printing
        print(f"{'cold, less the print files':<28} {without_print:8.2f} s")
        print(f"warm / plain {warm / plain:.2f}×   cold / plain {cold / plain:.2f}×   "
              f"cold less print / plain {without_print / plain:.2f}×   "
              f"one edit / plain {one / plain:.2f}×")
        print(f"peak memory: this process {own:.0f} MB, largest child {child:.0f} MB")
        # in a process of its own, as `heritage serve` is: not beside this one's builds
        sys.stdout.flush()
        with multiprocessing.get_context("spawn").Pool(1) as pool:
            previews = pool.apply(timed_previews, (root, renderer))
        print(f"{'preview of an edit, median':<28} {statistics.median(previews):8.2f} s")
        served = timed_serve(root)
        print(f"{'serve, save to page, median':<28} {statistics.median(served):8.2f} s")


if __name__ == "__main__":
    main()
