"""The one place that turns (page, language) into a docs path, an output path and a URL.

The URL scheme is a contract printed on plaques (DESIGN.md, "URLs"): `/<lang>/`,
`/<lang>/sites/<site-id>/`, `/media/<site-id>/<file>`. Change nothing here without redirects.
"""

from __future__ import annotations

import posixpath
from functools import lru_cache
from pathlib import PurePosixPath
from urllib.parse import urlsplit

SITES_DIR = "sites"
MEDIA_DIR = "media"
BROWSE_DIR = "browse"  # the site lists by filter and page: never a site id's place
OFFLINE_WORKER = "sw.js"  # at the root: its scope is the whole site
MANIFEST = "manifest.webmanifest"
SEARCH_DIR = "search"  # `/<lang>/search/?q=...`: the search page, and where forms send


@lru_cache(maxsize=65536)
def site_doc(site_id: str) -> PurePosixPath:
    """The generated Markdown file of a site page, relative to a language's docs dir."""
    return PurePosixPath(SITES_DIR, site_id, "index.md")


HOME_DOC = PurePosixPath("index.md")  # a language's home page, in its docs tree


def sites_index_doc() -> PurePosixPath:
    return PurePosixPath(SITES_DIR, "index.md")


def search_doc() -> PurePosixPath:
    return PurePosixPath(SEARCH_DIR, "index.md")


def browse_doc(facet: str, value: str | None, page: int) -> PurePosixPath:
    """A list page: the whole list ("all") or one filter value, page 1, 2, ...

    Page 1 of the whole list is the site index itself; the rest live under `browse/`:
    `browse/all/2/`, `browse/type/tower/`, `browse/ward/phuong-phu-thuy/3/`.
    """
    if facet == "all":
        return sites_index_doc() if page == 1 else PurePosixPath(BROWSE_DIR, "all", str(page),
                                                                 "index.md")
    return PurePosixPath(BROWSE_DIR, facet, str(value), *([str(page)] if page > 1 else []),
                         "index.md")


def browse_path(lang: str, facet: str, value: str | None, page: int) -> str:
    return doc_url_path(lang, browse_doc(facet, value, page))


@lru_cache(maxsize=65536)
def doc_url_path(lang: str, doc: PurePosixPath) -> str:
    """The site-relative URL path of a docs page: `about.md` in vi → `vi/about/`."""
    stem = doc.with_suffix("")
    if stem.name == "index":
        stem = stem.parent
    parts = [lang, *(p for p in stem.parts if p != ".")]
    return "/".join(parts) + "/"


@lru_cache(maxsize=65536)
def sites_index_path(lang: str) -> str:
    """`vi/sites/`: the list of every site."""
    return doc_url_path(lang, sites_index_doc())


@lru_cache(maxsize=65536)
def site_path(lang: str, site_id: str) -> str:
    """`vi/sites/<site-id>/`: the public path of a site page."""
    return doc_url_path(lang, site_doc(site_id))


def lang_home_path(lang: str) -> str:
    return f"{lang}/"


def media_path(site_id: str, file: PurePosixPath) -> str:
    """Photos are shared by every language: `media/<site-id>/<file name>`."""
    return f"{MEDIA_DIR}/{site_id}/{file.name}"


def server_path(site_url: str, path: str) -> str:
    """`path` from the server's root (`/disan/vi/` when the site lives at /disan/): for pages
    a host serves at any address, such as the not-found page."""
    return urlsplit(absolute_url(site_url, path)).path


def absolute_url(site_url: str, path: str) -> str:
    return site_url.rstrip("/") + "/" + path.lstrip("/")


def relative_url(from_path: str, to_path: str) -> str:
    """A link from the page at `from_path` (a directory URL) to `to_path`, both site-relative.

    Pure string work (posixpath.relpath asks the file system for the current folder): a
    province's pages hold a few hundred thousand of these links, nearly all different, between
    a few thousand paths (whose segments are remembered).
    """
    start, target = _segments(from_path), _segments(to_path)
    common = 0
    while common < min(len(start), len(target)) and start[common] == target[common]:
        common += 1
    rel = "/".join((("..",) * (len(start) - common)) + target[common:]) or "."
    if to_path.endswith("/") and rel != ".":
        rel += "/"
    return "./" if rel == "." else rel


@lru_cache(maxsize=65536)
def _segments(path: str) -> tuple[str, ...]:
    return tuple(part for part in posixpath.normpath(path.rstrip("/") or ".").split("/")
                 if part not in ("", "."))


def output_file(path: str) -> PurePosixPath:
    """The file that serves a URL path: directories get `index.html`."""
    return PurePosixPath(path + "index.html" if path.endswith("/") or not path else path)
