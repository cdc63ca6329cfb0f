"""The one module that knows MkDocs: per-language docs trees and configs, running the builds,
their warnings (with the event hook it adds to every config, `mkdocs_hooks`).

Each language is its own MkDocs project (docs tree, config inheriting `mkdocs.yml`), built
as a separate process so the builds use every core. Swapping the renderer (for Zensical or
ProperDocs) happens in this package only.

Each language renders into a folder kept between builds (`.build/site/<lang>`), beside a state
file naming what it was rendered from. When only pages' Markdown changed since a clean render,
MkDocs re-renders just those pages (`--dirty`); when nothing changed, the language is not run
at all; anything else (config, theme, packages, a page added or removed, a warning last time)
renders the language afresh.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from generator.core import routes
from generator.output.assembly import Assembly
from generator.core.cache import code_digest
from generator.load.config import CONFIG_FILE, ProjectConfig
from generator.core.diagnostics import Diagnostics
from generator.core.i18n import Texts
from generator.core.model import OutputFile, SourceRef
from generator.site.pagedoc import PageDoc, esc
from generator.output.publish import sync_files
from generator.site.search import search_texts

THEME_DIR = Path(__file__).parent / "theme"
HOOKS = Path(__file__).parent / "mkdocs_hooks.py"  # ours, before the project's own
_DOC_WARNING = re.compile(r"Doc file '([^']+)' contains a link '([^']*)'(.*)")
_DIRTY_NOTICE = "A 'dirty' build is being performed"  # MkDocs's WARNING about --dirty itself
SITEMAPS = frozenset({"sitemap.xml", "sitemap.xml.gz"})  # per language: the site writes one
_ANCHORED_LINK = re.compile(r"\]\([^)\s]*\.md#|href=[\"'][^\"']*\.md#")  # to a page's #anchor
_HOOK = re.compile(r"^\s*-\s*['\"]?([^'\"\s#]+\.py)", re.M)  # hooks: [- hooks/x.py]
_ENV = re.compile(r"!ENV\s*\[?\s*['\"]?([A-Za-z_][A-Za-z0-9_]*)")
_ID = re.compile(r"""\sid=["']?([^"'\s>]+)""")


@dataclass(frozen=True)
class LanguageBuild:
    lang: str
    config_file: Path
    docs_dir: Path
    site_dir: Path
    inherited: Path
    stamps: dict[str, str]  # the SHA-256 of each file of the docs tree, by its path there

    @property
    def state_file(self) -> Path:
        return self.site_dir.with_name(f"{self.lang}.state.json")


def material_language(lang: str) -> str:
    """Material's interface language for `lang`, or English when Material lacks it."""
    import material  # located at run time: only this adapter depends on the theme package

    languages = Path(material.__file__).parent / "templates" / "partials" / "languages"
    for candidate in (lang, lang.split("-")[0]):
        if (languages / f"{candidate}.html").is_file():
            return candidate
    return "en"


def write_configs(config: ProjectConfig, pages: list[PageDoc], work: Path,
                  memory: dict[Any, Any] | None = None, plugins: list[Any] | None = None
                  ) -> list[LanguageBuild]:
    """One generated MkDocs config per language under `work`, rendering into
    `work/site/<lang>`, from the docs tree `work/docs/<lang>`, which is written here (only
    the files that changed: MkDocs re-renders by content, see `_render`; `memory`, kept by
    the caller between builds, spares reading the unchanged ones). `plugins`, when given,
    replaces the project's plugins (by default, those but MkDocs's search)."""
    docs: dict[str, dict[str, bytes]] = {language.code: {} for language in config.languages}
    for page in pages:
        docs[page.lang][page.doc.as_posix()] = page.markdown()
    sync_files((OutputFile(PurePosixPath(lang, doc), content)
                for lang, files in docs.items() for doc, content in files.items()),
               work / "docs", memory)
    builds = []
    site_path = "/" + config.site_url.split("://", 1)[1].split("/", 1)[1]
    for language in config.languages:
        texts = Texts(language)
        file = work / f"mkdocs.{language.code}.yml"
        nav, hidden = _nav(pages, language.code, texts)
        data = {
            "INHERIT": os.path.relpath(config.root / CONFIG_FILE, work),
            "site_name": texts("site_name"),
            "site_url": routes.absolute_url(config.site_url, routes.lang_home_path(language.code)),
            "docs_dir": f"docs/{language.code}",
            "site_dir": f"site/{language.code}",
            "theme": {"language": material_language(language.code),
                      "custom_dir": os.path.relpath(THEME_DIR, work)},
            "nav": nav,
            "not_in_nav": hidden,
            "hooks": [os.path.relpath(HOOKS, work), *(  # MkDocs reads them relative to this file
                os.path.relpath(config.root / hook, work) for hook in config.hooks)],
            **({"plugins": list(chosen)} if (chosen := without_search(config.plugins)
                                              if plugins is None else plugins) is not None
               else {}),
            "extra": {"heritage_search": search_texts(texts), "alternate": [
                {"name": esc(other.name), "lang": other.code,
                 "link": site_path + routes.lang_home_path(other.code)}
                for other in config.languages]},
        }
        file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=True), "utf-8")
        stamps = {doc: hashlib.sha256(content).hexdigest()
                  for doc, content in sorted(docs[language.code].items())}
        builds.append(LanguageBuild(language.code, file, work / "docs" / language.code,
                                    work / "site" / language.code, config.root / CONFIG_FILE,
                                    stamps))
    return builds


def without_search(plugins: Any) -> tuple[Any, ...] | None:
    """The project's MkDocs plugins without MkDocs's own search, or None when it has none
    (`plugins` None: mkdocs.yml has no such line, and MkDocs then adds search).

    The site's search is Pagefind's; MkDocs's would load a second, accent-bound search index
    on every page.
    """
    if plugins is None:
        return ()
    entries = list(plugins.items()) if isinstance(plugins, dict) else list(plugins)
    names = [entry if isinstance(entry, str) else
             next(iter(entry)) if isinstance(entry, dict) and entry else
             entry[0] if isinstance(entry, tuple) else None for entry in entries]
    if "search" not in names:
        return None
    return tuple(entry if not isinstance(entry, tuple) else {entry[0]: entry[1]}
                 for entry, name in zip(entries, names) if name != "search")


def _nav(pages: list[PageDoc], lang: str, texts: Texts) -> tuple[list[dict[str, str]], str]:
    """A short menu (home, the site list, pages that ask for a place) and what stays out.

    Never one entry per site: Material renders the whole menu into every page.
    """
    mine = [page for page in pages if page.lang == lang]
    in_menu = sorted((p for p in mine if p.menu is not None), key=lambda p: (p.menu, p.doc))
    nav = [{esc(texts("home")): str(routes.HOME_DOC)},
           {esc(texts("sites")): str(routes.sites_index_doc())}]
    nav += [{esc(page.title): str(page.doc)} for page in in_menu if page.doc != routes.HOME_DOC]
    listed = {routes.HOME_DOC, routes.sites_index_doc(), *(page.doc for page in in_menu)}
    # Patterns, not one line per page: MkDocs tests every file against every line.
    grouped = (routes.SITES_DIR, routes.BROWSE_DIR)
    hidden = [f"/{routes.SITES_DIR}/*/index.md", f"/{routes.BROWSE_DIR}/"] + sorted(
        f"/{page.doc}" for page in mine
        if page.doc not in listed and page.doc.parts[0] not in grouped)
    return nav, "\n".join(hidden) + "\n"


def run_builds(builds: list[LanguageBuild], origins: dict[PurePosixPath, SourceRef],
               root: Path, report: Diagnostics) -> None:
    """Render every language in parallel; turn the renderer's warnings into diagnostics."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    _packages()  # once, before the threads would each look
    for build, (code, output) in zip(builds, each_language(builds, lambda b: _render(b, env))):
        _report_output(build.lang, output, origins, root, report)
        report_failure(build.lang, code, output, report)


def each_language(builds: list[LanguageBuild],
                  render: Callable[[LanguageBuild], tuple[int, str]]) -> list[tuple[int, str]]:
    """`render` for every language at once, one thread (and its child process) each."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return list(pool.map(render, builds))


def report_failure(lang: str, code: int, output: str, report: Diagnostics) -> None:
    """A renderer that exited with an error: its last line, at mkdocs.yml."""
    if code != 0:
        report.error("render-failed", SourceRef(PurePosixPath(CONFIG_FILE)),
                     hint="hint.render-failed", lang=lang,
                     output=(output.strip().splitlines() or ["-"])[-1])


def place_rendered(builds: list[LanguageBuild], site: Assembly) -> None:
    """Put each language's rendered pages into the new site without MkDocs's per-language
    sitemaps (the site writes one with every language's alternates)."""
    for build in builds:
        site.copy_tree(build.site_dir, build.lang, skip=SITEMAPS)


def rendered_stamp(build: LanguageBuild) -> str:
    """A digest of everything a language's rendered pages came from, or "" when that is not
    known (its last render was not a clean one)."""
    try:
        return hashlib.sha256(build.state_file.read_bytes()).hexdigest()
    except OSError:
        return ""


def last_render(build: LanguageBuild, inputs: str) -> dict[str, Any] | None:
    """The state of the language's last clean render ({"inputs", "docs"}) when it was made
    from `inputs` and its pages are there, else None. The state file goes either way: it
    comes back (`keep_render`) only when this render ends cleanly."""
    try:
        state = json.loads(build.state_file.read_text("utf-8"))
    except (OSError, ValueError):
        state = {}
    build.state_file.unlink(missing_ok=True)
    return state if state.get("inputs") == inputs and build.site_dir.is_dir() else None


def keep_render(build: LanguageBuild, inputs: str) -> None:
    """Record a clean render of the language from `inputs` and its docs tree."""
    build.state_file.write_text(json.dumps({"inputs": inputs, "docs": build.stamps}), "utf-8")


def _render(build: LanguageBuild, env: dict[str, str]) -> tuple[int, str]:
    """Render one language, re-rendering only what changed since its last clean render."""
    inputs = render_inputs(build, build.stamps)
    state = last_render(build, inputs)
    result: tuple[int, str] | None = None
    if state is not None:
        changed = {doc for doc, stamp in build.stamps.items()
                   if state["docs"].get(doc) != stamp}
        result = _render_pages(build, env, changed) if changed else (0, "")
    if result is None:
        result = _run(build, env, "--clean")
    code, output = result
    if code == 0 and not any(_warnings(output)):
        keep_render(build, inputs)
    return result


def _render_pages(build: LanguageBuild, env: dict[str, str], changed: set[str]
                  ) -> tuple[int, str] | None:
    """MkDocs's --dirty render of the changed pages; None when only a full render gives what
    a full render would (see below).

    MkDocs checks a link's #anchor only against pages it read in this run, so a dirty render
    is refused when a changed page links to another page's anchor, and redone in full when
    a changed page lost an anchor another page may link to. Each changed page's old output is
    removed first, so MkDocs renders it whatever the file times say.
    """
    sources = {doc: (build.docs_dir / doc).read_text("utf-8", "replace") for doc in changed
               if doc.endswith(".md")}
    if any(_ANCHORED_LINK.search(text) for text in sources.values()):
        return None
    pages = {doc: build.site_dir / _location(doc) / "index.html" for doc in sources}
    anchors = {doc: _ids(page) for doc, page in pages.items()}
    for page in pages.values():
        page.unlink(missing_ok=True)
    code, output = _run(build, env, "--dirty")
    if code == 0 and any(anchors[doc] - _ids(page) for doc, page in pages.items()):
        return None
    return code, output


def _ids(page: Path) -> set[str]:
    try:
        return set(_ID.findall(page.read_text("utf-8", "replace")))
    except OSError:
        return set()


def _location(doc: str) -> str:
    """The page address MkDocs gives a Markdown file (directory URLs)."""
    path = PurePosixPath(doc)
    parent = "" if str(path.parent) == "." else f"{path.parent}/"
    return parent if path.stem in ("index", "README") else f"{parent}{path.stem}/"


def render_inputs(build: LanguageBuild, stamps: dict[str, str]) -> str:
    """Everything but the pages' own Markdown that a rendered page depends on: the configs
    and what they name (hook files, !ENV variables), the theme, this module, every installed
    package, the build time and the list of pages."""
    theme = sorted(path for path in THEME_DIR.rglob("*") if path.is_file())
    config = build.inherited.read_bytes()
    text = config.decode("utf-8", "replace")
    hooks = sorted(build.inherited.parent / name for name in _HOOK.findall(text)
                   if (build.inherited.parent / name).is_file())
    names = sorted(set(_ENV.findall(text)) | {"SOURCE_DATE_EPOCH"})
    parts = [build.config_file.read_bytes(), config, *(hook.read_bytes() for hook in hooks),
             code_digest(Path(__file__), HOOKS, *theme, versions=_packages()).encode(),
             "\n".join(f"{name}={os.environ.get(name, '')}" for name in names).encode(),
             "\n".join(stamps).encode()]
    return hashlib.sha256(b"".join(hashlib.sha256(part).digest() for part in parts)).hexdigest()


@functools.cache
def _packages() -> tuple[str, ...]:
    """The installed packages, by the names of their metadata folders (name and version):
    reading each one's metadata would cost more than rendering a page."""
    names: set[str] = set()
    for folder in sys.path:
        try:
            names.update(name for name in os.listdir(folder or ".")
                         if name.endswith((".dist-info", ".egg-info")))
        except OSError:
            continue
    return tuple(sorted(names))


def _warnings(output: str) -> list[str]:
    """The renderer's warnings, without its notice that a --dirty render is one."""
    return [line.split("-", 1)[1].strip() for line in output.splitlines()
            if line.startswith("WARNING") and _DIRTY_NOTICE not in line]


def _run(build: LanguageBuild, env: dict[str, str], mode: str) -> tuple[int, str]:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", mode, "-f", str(build.config_file)],
        capture_output=True, text=True, env=env, check=False)
    return result.returncode, result.stdout + result.stderr


def _report_output(lang: str, output: str, origins: dict[PurePosixPath, SourceRef],
                   root: Path, report: Diagnostics) -> None:
    for message in _warnings(output):
        match = _DOC_WARNING.search(message)
        if match is None:
            report.error("render-failed", SourceRef(PurePosixPath(CONFIG_FILE)),
                         "render-failed.warning", hint="hint.render-failed", lang=lang,
                         output=message)
            continue
        doc, target, rest = match.groups()
        origin = origins.get(PurePosixPath(lang, doc)) or SourceRef(PurePosixPath(doc))
        report.error("broken-link", locate(root, origin, target),
                     "broken-link.anchor" if "anchor" in rest else "broken-link.page",
                     hint="hint.link-md", link=target)


def locate(root: Path, origin: SourceRef, needle: str) -> SourceRef:
    """The first position of `needle` in the origin file, or the origin itself."""
    try:
        lines = (root / origin.path).read_text("utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return origin
    for number, text in enumerate(lines, 1):
        if needle and needle in text:
            return SourceRef(origin.path, number, text.index(needle) + 1)
    return origin
