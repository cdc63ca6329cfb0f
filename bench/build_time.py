"""Build-time benchmark: the demo site cold (empty print cache) and warm, and a generated
project of many sites, to watch the per-site cost and the nav rule (DESIGN.md, performance).

Prints numbers; asserts nothing. Usage: python bench/build_time.py [number-of-sites]
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.build import build  # noqa: E402


def timed(root: Path, label: str) -> None:
    start = time.perf_counter()
    result = build(root)
    seconds = time.perf_counter() - start
    state = "published" if result.published else "FAILED"
    print(f"{label:<40} {seconds:7.2f} s  ({state})")


def copy_demo(target: Path) -> Path:
    for name in ("sites", "content"):
        shutil.copytree(REPO / name, target / name)
    shutil.copy(REPO / "mkdocs.yml", target / "mkdocs.yml")
    return target


def many_sites(target: Path, count: int) -> Path:
    """The demo plus `count` copies of the water tower, each with its own id (no codes)."""
    root = copy_demo(target)
    source = root / "sites" / "phan-thiet-water-tower"
    for index in range(count):
        copy = root / "sites" / f"bench-site-{index:04d}"
        shutil.copytree(source, copy)
        site_yml = copy / "site.yml"
        site_yml.write_text("\n".join(line for line in site_yml.read_text("utf-8").split("\n")
                                      if not line.startswith("code:")), "utf-8")
    return root


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with tempfile.TemporaryDirectory() as folder:
        demo = copy_demo(Path(folder) / "demo")
        timed(demo, "demo, cold (empty print cache)")
        timed(demo, "demo, warm")
        (demo / "sites/duc-thanh-school/en.md").write_text(
            (demo / "sites/duc-thanh-school/en.md").read_text("utf-8") + "\nOne more line.\n")
        timed(demo, "demo, one site edited")
        big = many_sites(Path(folder) / "big", count)
        timed(big, f"demo + {count} sites, cold")
        timed(big, f"demo + {count} sites, warm")


if __name__ == "__main__":
    main()
