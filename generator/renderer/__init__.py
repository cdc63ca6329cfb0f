"""The renderer's door: the only package that knows MkDocs, Material for MkDocs and Zensical.

`mkdocs` turns the docs trees into each language's pages (configs, runs, warnings),
`mkdocs_hooks` is the event hook it adds to every config, `theme/` overrides Material's
templates, and `material` writes the few pieces of markup the theme styles (cards, notices,
buttons) and names the theme's parts the checks must tell from editors' text. `zensical` is
the second renderer: the same configs, trees and theme, rendered by Zensical. `door` gives
the one a build uses (`extra.heritage.renderer`, or `heritage build --renderer`).
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from generator.core.diagnostics import Diagnostics
    from generator.core.model import SourceRef
    from generator.load.config import ProjectConfig
    from generator.output.assembly import Assembly
    from generator.renderer.mkdocs import LanguageBuild
    from generator.site.pagedoc import PageDoc

RENDERER_NAMES = {"mkdocs": "MkDocs", "zensical": "Zensical"}  # as the progress line says
RENDERERS = tuple(RENDERER_NAMES)  # the first is the default


class Renderer(Protocol):
    """What the pipeline asks of a renderer, in this order."""

    def write_configs(self, config: ProjectConfig, pages: list[PageDoc], work: Path,
                      memory: dict[Any, Any] | None = None) -> list[LanguageBuild]: ...

    def run_builds(self, builds: list[LanguageBuild],
                   origins: dict[PurePosixPath, SourceRef], root: Path,
                   report: Diagnostics) -> None: ...

    def place_rendered(self, builds: list[LanguageBuild], site: Assembly) -> None: ...

    def rendered_stamp(self, build: LanguageBuild) -> str: ...


def door(name: str) -> Renderer:
    """The renderer called `name` (one of RENDERERS)."""
    if name not in RENDERERS:
        raise ValueError(f"no renderer {name!r}")  # the config and the CLI allow none
    if name == "zensical":
        from generator.renderer import zensical
        return zensical
    from generator.renderer import mkdocs
    return mkdocs
