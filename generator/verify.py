"""verify: every internal link and anchor in the built HTML resolves, before anything is published.

Links are checked on the output, not the Markdown, so links written by templates, the generator
and editors are all covered, absolute ones to our own `site_url` included.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import qr
from generator.config import ProjectConfig
from generator.diagnostics import Diagnostics
from generator.messages import Phrase, phrase
from generator.model import LedgerEntry, SourceRef
from generator.plaques import asset_paths

LINK_ATTRIBUTES = {"a": "href", "link": "href", "img": "src", "script": "src",
                   "iframe": "src", "source": "src"}
SKIPPED_RELS = {"preconnect", "dns-prefetch"}


@dataclass
class _Page:
    ids: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)


# The output is our own well-formed HTML, so start tags are found with regular expressions
# (about ten times faster than html.parser on Material's pages) once script bodies and
# comments, which may contain "<" of their own, are cut out.
_HIDDEN = re.compile(r"<!--.*?-->|(<script\b[^>]*>).*?</script>", re.S | re.I)
_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)(\s[^<>]*)?>")
_ATTRIBUTE = re.compile(r"""([a-zA-Z_:][-\w:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")


def _parse(file: Path) -> _Page:
    page = _Page()
    text = _HIDDEN.sub(lambda match: match.group(1) or "", file.read_text("utf-8", "replace"))
    for tag, attributes in _TAG.findall(text):
        tag = tag.lower()
        values = {name.lower(): html.unescape(a or b or c)
                  for name, a, b, c in _ATTRIBUTE.findall(attributes)}
        for key in ("id", "name") if tag == "a" else ("id",):
            if values.get(key):
                page.ids.add(values[key])
        attribute = LINK_ATTRIBUTES.get(tag)
        if attribute and values.get(attribute) and values.get("rel") not in SKIPPED_RELS:
            page.links.append(values[attribute])
        if tag in ("img", "source") and values.get("srcset"):
            page.links += [entry.split()[0] for entry in values["srcset"].split(",")
                           if entry.strip()]
        if tag == "meta" and values.get("property") == "og:url" and values.get("content"):
            page.links.append(values["content"])
    return page


def check_links(out: Path, site_url: str, origins: dict[str, SourceRef],
                report: Diagnostics) -> None:
    """Report every link in `out/**/*.html` to a missing file or anchor of this site."""
    site = urlsplit(site_url)
    pages = {file.relative_to(out).as_posix(): _parse(file) for file in sorted(out.rglob("*.html"))}
    for path, page in pages.items():
        for link in page.links:
            problem = _problem(path, link, site, out, pages)
            if problem:
                where = origins.get(path) or SourceRef(PurePosixPath("public", path))
                report.error("broken-link", where, "broken-link.output", hint="hint.fix-link",
                             problem=problem, page=path)


def _problem(path: str, link: str, site, out: Path, pages: dict[str, _Page]) -> Phrase | None:
    parts = urlsplit(link)
    if parts.scheme in ("mailto", "tel", "geo", "data"):
        return None
    if parts.scheme or parts.netloc or parts.path.startswith("/"):
        if parts.netloc and (parts.scheme, parts.netloc) != (site.scheme, site.netloc):
            return None  # another site: not ours to check offline
        if not parts.path.startswith(site.path):
            return phrase("broken-link.outside", link=link)
        target = parts.path[len(site.path):]
    elif parts.path:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(path), parts.path))
        if target.startswith(".."):
            return phrase("broken-link.above", link=link)
    else:
        target = path  # a link to an anchor on the same page
    file = _resolve(out, unquote(target))
    if file is None:
        return phrase("broken-link.missing", link=link)
    if parts.fragment and file.endswith(".html"):
        if unquote(parts.fragment) not in pages.get(file, _Page()).ids:
            return phrase("broken-link.missing-anchor", link=link, anchor=parts.fragment)
    return None


def _resolve(out: Path, target: str) -> str | None:
    """The built file that serves `target`: the file itself or its folder's index.html."""
    target = posixpath.normpath(target.strip("/") or ".")
    for candidate in (target, posixpath.join(target, "index.html")):
        candidate = posixpath.normpath(candidate)
        if candidate != "." and (out / candidate).is_file():
            return candidate
    return None


def check_qr_assets(config: ProjectConfig, ledger: Sequence[LedgerEntry], out: Path,
                    report: Diagnostics) -> None:
    """Every active code's PNG and SVG, decoded with a real decoder, gives its ledger URL."""
    for entry in ledger:
        if entry.status != "active" or qr.validate_code(entry.code):
            continue
        expected = qr.plaque_url(config.site_url, entry.code)
        svg_path, png_path = asset_paths(entry.code)
        for path in (svg_path, png_path):
            file = out / path
            if not file.is_file():
                continue  # the site is gone: check_codes reported it
            image = (qr.open_png(file.read_bytes()) if path.endswith(".png")
                     else qr.rasterise_svg(file.read_text("utf-8"), 8))
            found = qr.decode_texts(image)
            if found != [expected]:
                report.error("qr-unreadable", entry.source, hint="hint.tool-bug", file=path,
                             found=str(found), expected=expected)
