"""search: the tourists' search, an index Pagefind makes from the built pages.

Pagefind reads the published HTML, so the index is the same whatever renderer wrote it. It
makes one index per page language (`<html lang>`), matches words without their accents and
tones ("thap" finds "Tháp"), splits Chinese and Korean text into words, and the browser
fetches only the parts of the index a query needs, and only on the search page. Only what
the theme marks `data-pagefind-body` is indexed: the tourists' pages, never the editors'
guide or the site lists.

The index is kept in `.build/search/` with the digest of the pages it was made from, and made
again only when a page it reads changed.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from generator import routes
from generator.cache import code_digest
from generator.i18n import Texts
from generator.model import Language
from generator.pagedoc import PageDoc, esc
from generator.publish import copy_tree

BUNDLE = "pagefind"  # the index's folder at the site's root
UNINDEXED = frozenset({"editors", routes.BROWSE_DIR, routes.SEARCH_DIR})
# Parts of a site page that name other sites or speak to volunteers: a search for a site's
# name finds that site, not every neighbour listing it.
NOT_SEARCHED = ".heritage-nearby, .heritage-volunteers, .heritage-map, .md-source-file"


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
    return {key: esc(texts(f"search_{key}", **keep) if key != "label" else texts("search"))
            for key in ("label", "placeholder", "loading", "none", "count", "offline")}


def index_site(out: Path, languages: Sequence[str], pages: dict[str, str] | None, work: Path,
               previous: Path) -> None:
    """Put the search index of the pages in `out` into `out/pagefind/`, made again only when
    `pages` (each page's path and digest) changed since the last one. A preview passes None:
    it keeps the last index however old (a `build` makes it afresh), or makes one if none."""
    kept = work / BUNDLE
    stamp = work / "pages.sha256"
    digest = _digest(languages, pages) if pages is not None else None
    current = kept.is_dir() and stamp.is_file() and (
        digest is None or stamp.read_text("utf-8") == digest)
    if not current:
        stamp.unlink(missing_ok=True)
        shutil.rmtree(kept, ignore_errors=True)
        _run_pagefind(out, languages, kept)
        stamp.write_text(digest or "", "utf-8")  # after a preview's: "" matches no build
    # Files of an index published before become links to the site being replaced's copies.
    copy_tree(kept, out / BUNDLE, previous / BUNDLE)


def _digest(languages: Sequence[str], pages: dict[str, str]) -> str:
    mine = sorted((path, digest) for path, digest in pages.items()
                  if PurePosixPath(path).parts[0] in languages)
    text = "\n".join(f"{path} {digest}" for path, digest in mine)
    return hashlib.sha256((code_digest(Path(__file__), versions=(_version(),)) + "\n" +
                           text).encode()).hexdigest()


def _version() -> str:
    from importlib import metadata

    return metadata.version("pagefind")


def _run_pagefind(out: Path, languages: Sequence[str], target: Path) -> None:
    """Pagefind over the language folders; a failure is ours (exit 3), not the editors'."""
    glob = "{" + ",".join(languages) + "}/**/*.html" if len(languages) > 1 else \
        f"{languages[0]}/**/*.html"
    result = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(out), "--output-path", str(target),
         "--glob", glob, "--exclude-selectors", NOT_SEARCHED, "--silent"],
        capture_output=True, text=True, check=False)
    if result.returncode != 0 or not (target / "pagefind-entry.json").is_file():
        raise RuntimeError(f"pagefind failed: {result.stdout}{result.stderr}".strip())
    for unused in ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js",
                   "pagefind-modular-ui.css", "pagefind-component-ui.js",
                   "pagefind-component-ui.css", "pagefind-highlight.js"):
        (target / unused).unlink(missing_ok=True)  # the theme has its own results list
    entry = target / "pagefind-entry.json"  # Pagefind lists its languages in any order
    data = json.loads(entry.read_text("utf-8"))
    data["languages"] = dict(sorted(data["languages"].items()))
    entry.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), "utf-8")
