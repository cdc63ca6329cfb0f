"""Zensical, the second renderer behind the door (`extra.heritage.renderer: zensical`).

Zensical, by the makers of Material for MkDocs, reads MkDocs configs and runs Material's
theme overrides with MiniJinja, so it renders the very configs and docs trees `mkdocs`
writes, under `.build/zensical/`: switching renderers never mixes their pages. Each language
is one Zensical process, all in parallel, rendering into an emptied folder; a language whose
inputs did not change is not run (Zensical keeps its own cache beside the configs). Its
warnings (a link to a missing page or anchor) become the same diagnostics as MkDocs's, at
the editor's line.

What it lacks, reported rather than skipped: MkDocs hooks (a project's own are a
configuration error, see `load.config`). Its own search is turned off and its sitemap left
out, as MkDocs's are: the search is Pagefind's and the sitemap the site's.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path, PurePosixPath
from typing import Any

from generator.core.cache import code_digest
from generator.core.diagnostics import Diagnostics
from generator.core.model import SourceRef
from generator.load.config import ProjectConfig
from generator.output.assembly import Assembly
from generator.renderer import mkdocs
from generator.renderer.mkdocs import SITEMAPS, LanguageBuild, locate, rendered_stamp
from generator.site.pagedoc import PageDoc

__all__ = ["LanguageBuild", "place_rendered", "rendered_stamp", "run_builds", "write_configs"]

WORK = "zensical"  # under .build/
LEFT_OUT = SITEMAPS | {"search.json"}
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# "Warning: page does not exist" then, a line below, "╭─[ visiting.md:65:9 ]"
_WARNING = re.compile(r"^Warning:\s*(.+?)\s*\n[^\n]*\[\s*([^\]\s]+):(\d+):(\d+)\s*\]", re.M)
_TARGET = re.compile(r"[^)\s\"'>]+")


def write_configs(config: ProjectConfig, pages: list[PageDoc], work: Path,
                  memory: dict[Any, Any] | None = None) -> list[LanguageBuild]:
    """The MkDocs configs and docs trees, kept apart under `work/zensical`, with Zensical's
    own search turned off (it is on unless a config says otherwise; the search is Pagefind's,
    and Zensical's would fetch an index on every page)."""
    return mkdocs.write_configs(config, pages, work / WORK, memory, plugins=[
        *_entries(config.plugins), {"search": {"enabled": False}}])


def _entries(plugins: Any) -> list[Any]:
    """The project's plugins but search, as a list of names and one-entry mappings."""
    kept = mkdocs.without_search(plugins)
    if kept is None:
        kept = tuple(plugins.items()) if isinstance(plugins, dict) else tuple(plugins or ())
    return [{entry[0]: entry[1]} if isinstance(entry, tuple) else entry for entry in kept]


def run_builds(builds: list[LanguageBuild], origins: dict[PurePosixPath, SourceRef],
               root: Path, report: Diagnostics) -> None:
    """Render every language in parallel; turn Zensical's warnings into diagnostics."""
    env = {**os.environ, "NO_COLOR": "1"}
    for build, (code, output) in zip(builds, mkdocs.each_language(
            builds, lambda b: _render(b, env))):
        for message, doc, line, column in _warnings(output):
            origin = origins.get(PurePosixPath(build.lang, doc)) or SourceRef(PurePosixPath(doc))
            target = _target(build.docs_dir / doc, int(line), int(column))
            report.error("broken-link", locate(root, origin, target),
                         "broken-link.anchor" if "anchor" in message else "broken-link.page",
                         hint="hint.link-md", link=target)
        mkdocs.report_failure(build.lang, code, output, report)


def place_rendered(builds: list[LanguageBuild], site: Assembly) -> None:
    """Each language's pages into the new site, without Zensical's sitemap and search."""
    for build in builds:
        site.copy_tree(build.site_dir, build.lang, skip=LEFT_OUT)


def _render(build: LanguageBuild, env: dict[str, str]) -> tuple[int, str]:
    inputs = hashlib.sha256((mkdocs.render_inputs(build, build.stamps) +
                             code_digest(Path(__file__))).encode()).hexdigest()
    state = mkdocs.last_render(build, inputs)
    if state is not None and state["docs"] == build.stamps:
        code, output = 0, ""
    else:
        shutil.rmtree(build.site_dir, ignore_errors=True)  # no page of a removed file stays
        result = subprocess.run([sys.executable, "-m", "zensical", "build", "-f",
                                 str(build.config_file)], capture_output=True, text=True,
                                env=env, check=False)
        code, output = result.returncode, _ANSI.sub("", result.stdout + result.stderr)
    if code == 0 and not _warnings(output):
        mkdocs.keep_render(build, inputs)
    return code, output


def _warnings(output: str) -> list[tuple[str, str, str, str]]:
    """(message, docs file, line, column) of each warning Zensical printed."""
    return _WARNING.findall(output)


def _target(doc: Path, line: int, column: int) -> str:
    """The link target a warning points at: it starts at `column` of `line`."""
    try:
        text = doc.read_text("utf-8").split("\n")[line - 1]
    except (OSError, UnicodeDecodeError, IndexError):
        return ""
    match = _TARGET.match(text, max(column - 1, 0))
    return match.group(0) if match else ""
