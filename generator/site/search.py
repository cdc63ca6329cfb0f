"""search: the tourists' search, an index Pagefind makes from the rendered pages.

Pagefind reads the renderer's HTML (its own folder, as soon as it is done, while the rest of
the site is made), so the index is the same whatever renderer wrote it. It
makes one index per language (`/pagefind/<lang>/`, which that language's search page loads),
matches words without their accents and tones ("thap" finds "Tháp"), splits Chinese and
Korean text into words, and the browser fetches only the parts of the index a query needs,
and only on the search page. Only what the theme marks `data-pagefind-body` is indexed: the
tourists' pages, never the editors' guide or the site lists.

Each language's index is kept in `.build/search/<lang>/` with the renderer's stamp of what its
pages were rendered from, and made again only when that changed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path, PurePosixPath

from generator.core import routes
from generator.output.assembly import Assembly
from generator.core.cache import code_digest
from generator.core.i18n import Texts
from generator.core.model import Language, OutputFile
from generator.site.pagedoc import PageDoc, esc
from generator.output.publish import sync_files
from generator.renderer import material

BUNDLE = "pagefind"  # the index's folder at the site's root
UNINDEXED = frozenset({"editors", routes.BROWSE_DIR, routes.SEARCH_DIR})
# Parts of a site page that name other sites or speak to volunteers: a search for a site's
# name finds that site, not every neighbour listing it.
NOT_SEARCHED = f".heritage-nearby, .heritage-volunteers, .heritage-map, {material.SOURCE_FILE}"


def indexed(page: PageDoc) -> bool:
    """Whether a tourist searching should find this page: not the editors' guide, not the
    site lists (each site has its own page), not the search page."""
    top = page.url_path.split("/")[1]  # `editors.md` and `editors/x.md` both: "editors"
    return top not in UNINDEXED and page.doc != routes.sites_index_doc()


def search_page(language: Language, texts: Texts) -> PageDoc:
    """The page the search forms send their query to; the theme's script shows the results
    under this text, which it hides (it says what to do where there is no script)."""
    sites = routes.relative_url(routes.doc_url_path(language.code, routes.search_doc()),
                                routes.sites_index_path(language.code))
    body = (f'<p id="heritage-search-help">{esc(texts("search_noscript"))} '
            f'<a href="{esc(sites)}">{esc(texts("sites"))}</a></p>\n\n'
            '<div id="heritage-search-results" aria-live="polite"></div>\n')
    return PageDoc(language.code, routes.search_doc(), texts("search"), body, None,
                   meta={"heritage_search": True})


def search_texts(texts: Texts) -> dict[str, str]:
    """What the theme's search form and results say, HTML-escaped (templates print them as
    they are); `{query}` and `{count}` are filled in by the script, as text."""
    keep = {"query": "{query}", "count": "{count}"}
    said = {key: esc(texts(f"search_{key}", **keep) if key != "label" else texts("search"))
            for key in ("label", "placeholder", "loading", "none", "count", "offline")}
    return {**said, "bundle": esc(f"../{bundle_path(texts.language.code)}")}  # from /<lang>/


def index_site(rendered: dict[str, tuple[Path, str | None]], work: Path) -> None:
    """Make each language's search index of its rendered pages (`rendered`: the folder, named
    by the language, and the renderer's stamp of what they came from, "" when unknown), again
    only when that stamp changed since its last one. A preview passes None for the stamp: it
    keeps the last index however old (a `build` makes it afresh), or makes one if none."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        list(pool.map(lambda lang: _index_language(*rendered[lang], work / lang), rendered))


def place_index(site: Assembly, languages: Sequence[str], work: Path) -> None:
    """Put the indexes into the new site, `pagefind/<lang>/`."""
    for lang in languages:
        site.copy_tree(work / lang / BUNDLE, f"{BUNDLE}/{lang}")
    site.remove_unplaced(BUNDLE)


def _index_language(pages: Path, stamp: str | None, work: Path) -> None:
    kept, made_from = work / BUNDLE, work / "pages.sha256"
    digest = _digest(pages.name, stamp) if stamp else None  # "": not known, so made again
    if kept.is_dir() and made_from.is_file() and (
            stamp is None or made_from.read_text("utf-8") == digest):
        return
    made_from.unlink(missing_ok=True)
    fresh = work / "new"
    shutil.rmtree(fresh, ignore_errors=True)
    _run_pagefind(pages, fresh)
    _keep_unchanged(fresh, kept)
    made_from.write_text(digest or "", "utf-8")  # after a preview's: "" matches no build


def _stage(pages: Path, staged: Path) -> None:
    """The HTML pages linked into a fresh `staged/<language>/` in the order of their names.
    Pagefind numbers pages in the order the folder lists them, which on many file systems
    (tmpfs, btrfs) is the order they were written: the renderer's folder, kept and partly
    rewritten from build to build, gave another index for the same pages."""
    shutil.rmtree(staged, ignore_errors=True)
    for page in sorted(pages.rglob("*.html")):
        link = staged / pages.name / page.relative_to(pages)
        link.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(page, link)
        except OSError:  # another file system, or one without hard links
            shutil.copyfile(page, link)


def _keep_unchanged(fresh: Path, kept: Path) -> None:
    """Make `kept` hold `fresh`'s files, leaving those with the same bytes as they were.

    Pagefind names most files by their content, so an edit changes few of them; a kept file
    left alone keeps its time, by which the next site links to the published copy of it.
    """
    sync_files((OutputFile(PurePosixPath(file.relative_to(fresh).as_posix()), file.read_bytes())
                for file in sorted(fresh.rglob("*")) if file.is_file()), kept)
    shutil.rmtree(fresh)


def bundle_path(lang: str) -> str:
    """Where a language's index loader is, from the site's root."""
    return f"{BUNDLE}/{lang}/pagefind.js"


def _digest(lang: str, stamp: str) -> str:
    return hashlib.sha256(f"{code_digest(Path(__file__), versions=(_version(),))}\n{lang}\n"
                          f"{stamp}".encode()).hexdigest()


def _version() -> str:
    from importlib import metadata

    return metadata.version("pagefind")


def _run_pagefind(pages: Path, target: Path) -> None:
    """Pagefind over one language's pages (from their parent, so the index's addresses start
    with the language); a failure is ours (exit 3), not the editors'."""
    staged = target.parent / "staged"
    _stage(pages, staged)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "pagefind", "--site", str(staged), "--output-path",
             str(target), "--glob", f"{pages.name}/**/*.html", "--exclude-selectors",
             NOT_SEARCHED, "--silent"],
            capture_output=True, text=True, check=False)
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    if result.returncode != 0 or not (target / "pagefind-entry.json").is_file():
        raise RuntimeError(f"pagefind failed: {result.stdout}{result.stderr}".strip())
    for unused in ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js",
                   "pagefind-modular-ui.css", "pagefind-component-ui.js",
                   "pagefind-component-ui.css", "pagefind-highlight.js"):
        (target / unused).unlink(missing_ok=True)  # the theme has its own results list
