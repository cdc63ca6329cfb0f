"""verify: every internal link and anchor in the built HTML resolves, before anything is published.

Links are checked on the output, not the Markdown, so links written by templates, the generator
and editors are all covered, absolute ones to our own `site_url` included.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path, PurePosixPath
from urllib.parse import SplitResult, unquote, urlsplit

import qr
from generator.core.cache import Cache, cache_key, code_digest
from generator.load.config import ProjectConfig
from generator.core.diagnostics import Diagnostics
from generator.core.messages import Phrase, phrase
from generator.core.model import LedgerEntry, SourceRef
from generator.site.code_pages import asset_paths
from generator.core.workers import parallel_map
from generator.output import pages
from generator.output.pages import Listing, list_output

DECODE_IN_PARALLEL_FROM = 50  # below this a process pool costs more to start than it saves


def check_links(out: Path, site_url: str, origins: dict[str, SourceRef],
                report: Diagnostics, cache: Cache | None = None,
                listing: Listing | None = None) -> None:
    """Report every link in `out/**/*.html` to a missing file or anchor of this site.

    With a cache, only pages that changed since the last build whose links all held are
    checked (see _unchanged); a link is resolved once per folder it is written in.
    """
    site = urlsplit(site_url)
    listing = listing or list_output(out)
    digests = listing.digests
    key = cache_key("verified", site_url, code_digest(Path(__file__), Path(pages.__file__)))
    entry = cache.get(key) if cache else None
    before = json.loads(entry["manifest"]) if entry else None
    skipped = _unchanged(before, listing.files, digests) if before else set()
    listing.read([path for path in digests if path not in skipped])
    manifest: dict[str, list[object]] = {}
    resolved: dict[tuple[str, str], tuple[Phrase | None, str | None]] = {}
    failed = False
    for path in digests:
        if before is not None and path in skipped:
            manifest[path] = before["pages"][path]
            continue
        anchored = set()
        folder = posixpath.dirname(path)
        for link in listing.page(path).links:
            here = folder if _split(link).path else path
            if (here, link) not in resolved:
                resolved[here, link] = _problem(path, link, site, listing)
            problem, target = resolved[here, link]
            if target and target != path:
                anchored.add(target)
            if problem:
                failed = True
                where = origins.get(path) or SourceRef(PurePosixPath("public", path))
                report.error("broken-link", where, "broken-link.output", hint="hint.fix-link",
                             problem=problem, page=path)
        manifest[path] = [digests[path], sorted(anchored)]
    if cache is not None and not failed:
        cache.put(key, {"manifest": json.dumps(
            {"files": sorted(listing.files), "pages": manifest}).encode()})


def _unchanged(before: dict, files: frozenset[str], digests: dict[str, str]) -> set[str]:
    """Pages whose links are known to hold without looking: their bytes are those of the last
    build whose links all held, so are those of every page they link to with an #anchor, and
    no file of that build is gone (a new file cannot break a link)."""
    if not files.issuperset(before["files"]):
        return set()
    pages = before["pages"]
    same = {path for path, digest in digests.items()
            if path in pages and pages[path][0] == digest}
    return {path for path in same if all(target in same for target in pages[path][1])}


@lru_cache(maxsize=65536)
def _split(link: str) -> SplitResult:
    return urlsplit(link)


def _problem(path: str, link: str, site: SplitResult,
             listing: Listing) -> tuple[Phrase | None, str | None]:
    """What is wrong with the link (None if nothing), and the page it needs an anchor of."""
    parts = _split(link)
    if parts.scheme in ("mailto", "tel", "geo", "data"):
        return None, None
    if parts.scheme or parts.netloc or parts.path.startswith("/"):
        if parts.netloc and (parts.scheme, parts.netloc) != (site.scheme, site.netloc):
            return None, None  # another site: not ours to check offline
        if not parts.path.startswith(site.path):
            return phrase("broken-link.outside", link=link), None
        target = parts.path[len(site.path):]
    elif parts.path:
        joined = _join(_folder(posixpath.dirname(path)), parts.path)
        if joined is None:
            return phrase("broken-link.above", link=link), None
        target = joined
    else:
        target = path  # a link to an anchor on the same page
    file = _resolve(listing.files, unquote(target))
    if file is None:
        return phrase("broken-link.missing", link=link), None
    if parts.fragment and file in listing.digests:  # a page
        if unquote(parts.fragment) not in listing.page(file).ids:
            return phrase("broken-link.missing-anchor", link=link, anchor=parts.fragment), file
        return None, file
    return None, None


@lru_cache(maxsize=65536)
def _folder(folder: str) -> tuple[str, ...]:
    return tuple(part for part in folder.split("/") if part)


def _join(start: tuple[str, ...], relative: str) -> str | None:
    """`relative` followed from the folder `start` (as posixpath.normpath would), or None
    when it climbs above the site's root. Pure string work: a province has 300,000 links."""
    parts = list(start)
    for part in relative.split("/"):
        if part == "..":
            if not parts:
                return None
            parts.pop()
        elif part and part != ".":
            parts.append(part)
    return "/".join(parts)


def _resolve(files: frozenset[str], target: str) -> str | None:
    """The built file that serves `target`: the file itself or its folder's index.html."""
    normal = _join((), target)
    if normal is None:
        return None
    for candidate in (normal, f"{normal}/index.html" if normal else "index.html"):
        if candidate and candidate in files:
            return candidate
    return None


def check_qr_assets(config: ProjectConfig, ledger: Sequence[LedgerEntry], out: Path,
                    report: Diagnostics, cache: Cache | None = None) -> None:
    """Every active code's PNG and SVG, decoded with a real decoder, gives its ledger URL.

    A file whose very bytes were decoded to that URL before (the cache says so) is not
    decoded again; the others are decoded on every core."""
    to_decode = []
    for entry in ledger:
        if entry.status != "active" or qr.validate_code(entry.code):
            continue
        expected = qr.plaque_url(config.site_url, entry.code)
        for path in asset_paths(entry.code):
            file = out / path
            if not file.is_file():
                continue  # the site is gone: check_codes reported it
            data = file.read_bytes()
            key = cache_key("decoded", hashlib.sha256(data).hexdigest(), expected, path[-4:])
            if cache is None or cache.get(key) is None:
                to_decode.append((entry, path, expected, key, data))
    found_texts = parallel_map(_decode, [(path, data) for _, path, _, _, data in to_decode],
                               smallest=DECODE_IN_PARALLEL_FROM)
    for (entry, path, expected, key, _), found in zip(to_decode, found_texts):
        if found == [expected] and cache is not None:
            cache.put(key, {})
        if found != [expected]:
            report.error("qr-unreadable", entry.source, hint="hint.tool-bug", file=path,
                         found=str(found), expected=expected)


def _decode(item: tuple[str, bytes]) -> list[str]:
    path, data = item
    image = qr.open_png(data) if path.endswith(".png") else qr.rasterise_svg(data.decode(), 8)
    return qr.decode_texts(image)
