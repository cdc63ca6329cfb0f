"""Page weight on first view, as a phone on a weak signal would fetch it (DESIGN.md budgets:
a site page at or below a stock Material page, ~77 KB gzip; the plaque routing page 2 KB).

Builds the demo site, serves it on 127.0.0.1, opens pages in headless Chromium and prints the
bytes of every request, raw and gzip -6. Prints numbers; asserts nothing.
Usage: python bench/page_weight.py
"""

from __future__ import annotations

import gzip
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from browser import browser, serve  # noqa: E402
from generator.build import build  # noqa: E402

PAGES = ["Q/2E/", "vi/sites/phan-thiet-water-tower/", "en/", "vi/map/"]


def weigh(chromium, url: str, public: Path, base: str) -> tuple[int, int, int]:
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    context.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    page = context.new_page()
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    page.goto(url)
    page.wait_for_timeout(1500)
    context.close()
    raw = packed = 0
    for address in urls:
        if not address.startswith(base):
            continue
        path = address[len(base):].split("#")[0].split("?")[0]
        file = public / path / "index.html" if path.endswith("/") or not path else public / path
        if file.is_file():
            data = file.read_bytes()
            raw += len(data)
            packed += len(gzip.compress(data, 6))
    return len(urls), raw, packed


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for name in ("sites", "content"):
            shutil.copytree(REPO / name, root / name)
        shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
        assert build(root).published
        with serve(root / "public") as base, browser() as chromium:
            print(f"{'page':<40} {'requests':>8} {'raw KB':>8} {'gzip KB':>8}")
            for page in PAGES:
                count, raw, packed = weigh(chromium, base + page, root / "public", base)
                print(f"/{page:<39} {count:>8} {raw / 1000:>8.1f} {packed / 1000:>8.1f}")


if __name__ == "__main__":
    main()
