"""Shared fixtures: small projects written inline (Hugo's style), and the demo project."""

from __future__ import annotations

import hashlib
import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.build import BuildResult, build, load_project
from generator.core.diagnostics import Diagnostics
from generator.load.project import text_hash

REPO = Path(__file__).resolve().parent.parent

CONFIG = """\
site_name: Test Heritage
site_url: https://heritage.example.org/
theme:
  name: material
  font: false
plugins:
  - search
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - toc:
      permalink: true
extra:
  heritage:
    languages:
      - code: vi
        name: Tiếng Việt
      - code: en
        name: English
      - code: ru
        name: Русский
        fallback: [en]
    region: {south: 10.5, north: 11.4, west: 107.6, east: 108.6}
"""

SITE_YML = """\
type: tower
tags: [architecture]
coordinates:
  lat: 10.92912
  lon: 108.09992
  accuracy_m: 70
  verified: false
sources:
  - title: "A source"
    url: "https://example.org/source"
    accessed: "2026-11-27"
"""

VI_MD = """\
---
title: "Tháp nước"
summary: "Tháp nước xây 1928–1934."
---
## Lịch sử

Tháp cao 32 m.
"""

EN_MD = f"""\
---
title: "Water Tower"
summary: "A water tower built 1928–1934."
translated_from: "{text_hash(VI_MD)}"
---
## History

The tower is 32 m tall.
"""


LEDGER = """\
codes:
  - code: "2A"
    site: water-tower
    issued: "2026-11-27"
    status: active
"""


def coded_site(site_id: str = "water-tower", code: str = "2A", **overrides: str
               ) -> dict[str, str]:
    """A valid site carrying `code` (add LEDGER or your own ledger to the project)."""
    return tower_site(site_id, **{"site.yml": f'code: "{code}"\n' + SITE_YML, **overrides})


def write_files(root: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content) if content.startswith("\n") else content,
                            "utf-8")


def tower_site(site_id: str = "water-tower", **overrides: str) -> dict[str, str]:
    """The files of one valid site; override any of them by file name."""
    files = {"site.yml": SITE_YML, "vi.md": VI_MD, "en.md": EN_MD, **overrides}
    return {f"sites/{site_id}/{name}": text for name, text in files.items() if text is not None}


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[..., Path]:
    """A project folder with mkdocs.yml and the given files.

    The default is one valid site with its QR code in the ledger.
    """

    def make(files: dict[str, str | bytes] | None = None, *, config: str = CONFIG) -> Path:
        root = tmp_path / "project"
        root.mkdir()
        default = {**coded_site(), "sites/issued-codes.yml": LEDGER}
        write_files(root, {"mkdocs.yml": config, **(default if files is None else files)})
        return root

    return make


def check(root: Path) -> Diagnostics:
    return load_project(root)[2]


def build_project(root: Path) -> BuildResult:
    return build(root)


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under `folder` with the SHA-256 of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real demo project (sites/, content/, mkdocs.yml), built once: its public/ folder."""
    root = tmp_path_factory.mktemp("demo")
    for name in ("sites", "content"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    result = build(root)
    assert result.published, result.report.to_text()
    return root / "public"
