"""The one module that knows MkDocs: per-language configs, running the builds, their warnings.

Each language is its own MkDocs project (docs tree, config inheriting `mkdocs.yml`, search
index), built as a separate process so the builds use every core. Swapping the renderer (for
Zensical or ProperDocs) means replacing this module only.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml

from generator import routes
from generator.config import CONFIG_FILE, ProjectConfig
from generator.diagnostics import Diagnostics
from generator.i18n import Texts
from generator.model import OutputFile, SourceRef
from generator.pagedoc import PageDoc, esc
from generator.render import HOME

THEME_DIR = Path(__file__).parent / "theme"
_DOC_WARNING = re.compile(r"Doc file '([^']+)' contains a link '([^']*)'(.*)")


@dataclass(frozen=True)
class LanguageBuild:
    lang: str
    config_file: Path
    site_dir: Path


def material_language(lang: str) -> str:
    """Material's interface language for `lang`, or English when Material lacks it."""
    import material  # located at run time: only this adapter depends on the theme package

    languages = Path(material.__file__).parent / "templates" / "partials" / "languages"
    for candidate in (lang, lang.split("-")[0]):
        if (languages / f"{candidate}.html").is_file():
            return candidate
    return "en"


def write_configs(config: ProjectConfig, pages: list[PageDoc], work: Path, out: Path
                  ) -> list[LanguageBuild]:
    """One generated MkDocs config per language under `work`, building into `out/<lang>`."""
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
            "site_dir": os.path.relpath(out / language.code, work),
            "theme": {"language": material_language(language.code),
                      "custom_dir": os.path.relpath(THEME_DIR, work)},
            "nav": nav,
            "not_in_nav": hidden,
            "extra": {"alternate": [
                {"name": esc(other.name), "lang": other.code,
                 "link": site_path + routes.lang_home_path(other.code)}
                for other in config.languages]},
        }
        file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=True), "utf-8")
        builds.append(LanguageBuild(language.code, file, out / language.code))
    return builds


def _nav(pages: list[PageDoc], lang: str, texts: Texts) -> tuple[list[dict[str, str]], str]:
    """A short menu (home, the site list, pages that ask for a place) and what stays out.

    Never one entry per site: Material renders the whole menu into every page.
    """
    mine = [page for page in pages if page.lang == lang]
    in_menu = sorted((p for p in mine if p.menu is not None), key=lambda p: (p.menu, p.doc))
    nav = [{esc(texts("home")): str(HOME)}, {esc(texts("sites")): str(routes.sites_index_doc())}]
    nav += [{esc(page.title): str(page.doc)} for page in in_menu if page.doc != HOME]
    listed = {HOME, routes.sites_index_doc(), *(page.doc for page in in_menu)}
    # Patterns, not one line per page: MkDocs tests every file against every line.
    grouped = (routes.SITES_DIR, routes.BROWSE_DIR)
    hidden = [f"/{routes.SITES_DIR}/*/index.md", f"/{routes.BROWSE_DIR}/"] + sorted(
        f"/{page.doc}" for page in mine
        if page.doc not in listed and page.doc.parts[0] not in grouped)
    return nav, "\n".join(hidden) + "\n"


def run_builds(builds: list[LanguageBuild], origins: dict[PurePosixPath, SourceRef],
               root: Path, report: Diagnostics) -> None:
    """Run every language's MkDocs build in parallel; turn their warnings into diagnostics."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        results = list(pool.map(lambda b: _run(b, env), builds))
    for build, (code, output) in zip(builds, results):
        _report_output(build.lang, output, origins, root, report)
        if code != 0:
            report.error("render-failed", SourceRef(PurePosixPath(CONFIG_FILE)),
                         hint="hint.render-failed", lang=build.lang,
                         output=(output.strip().splitlines() or ["-"])[-1])


def renderer_files(config: ProjectConfig, out: Path) -> list[OutputFile]:
    """After the builds: drop MkDocs's per-language sitemaps (the site writes one sitemap with
    every language's alternates) and serve the default language's 404 page at the root."""
    for language in config.languages:
        for name in ("sitemap.xml", "sitemap.xml.gz"):
            (out / language.code / name).unlink(missing_ok=True)
    return [OutputFile(PurePosixPath("404.html"),
                       (out / config.default_lang / "404.html").read_bytes())]


def _run(build: LanguageBuild, env: dict[str, str]) -> tuple[int, str]:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--clean", "-f", str(build.config_file)],
        capture_output=True, text=True, env=env, check=False)
    return result.returncode, result.stdout + result.stderr


def _report_output(lang: str, output: str, origins: dict[PurePosixPath, SourceRef],
                   root: Path, report: Diagnostics) -> None:
    for line in output.splitlines():
        if not line.startswith("WARNING"):
            continue
        message = line.split("-", 1)[1].strip()
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
