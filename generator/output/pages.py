"""The built site as the output checks read it: every file, and each page read once.

A page is parsed by the HTML5 parser the safety check uses (Lexbor, through selectolax), and
one walk over its elements gives what every check needs: its ids and the links it makes
(verify: links and anchors) and what in it could run script (verify_scripts, whose module
says what counts). A province's first build has thousands of pages: they are read on every
core, once for both checks, and the pages a check asks for again are not read again.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from generator.check.safety import CONTROL, FORBIDDEN_TAGS, attribute_problems
from generator.core.messages import Phrase, phrase
from generator.core.workers import parallel_map
from generator.renderer import material

LINK_ATTRIBUTES = {"a": "href", "link": "href", "img": "src", "script": "src",
                   "iframe": "src", "source": "src"}
SKIPPED_RELS = {"preconnect", "dns-prefetch"}
SCAN_IN_PARALLEL_FROM = 500  # below this a process pool costs more to start than it saves
GENERATED_IN_CONTENT = frozenset({"iframe", "button"})  # see _allowed


@dataclass
class Page:
    """What the checks need of one page."""

    ids: set[str] = field(default_factory=set)
    links: list[str] = field(default_factory=list)
    unsafe: list[Phrase] = field(default_factory=list)  # what could run script


def read_page(text: str) -> Page:
    tree = LexborHTMLParser(text)
    page = Page()
    if tree.root is None:
        return page
    theirs = {node.mem_id for part in tree.css(material.CONTENT_PARTS)
              for node in part.traverse() if node.tag in material.CONTENT_PART_TAGS}
    content = {node.mem_id for article in tree.css("article") for node in article.traverse()}
    in_content: list[Phrase] = []  # elements that can run or embed code, in an <article>
    anywhere: list[Phrase] = []  # <base>, a refresh to elsewhere, attributes that run script
    for node in tree.root.traverse():
        tag, attributes = node.tag or "", node.attributes
        _note_links(page, tag, attributes)
        if tag in FORBIDDEN_TAGS and node.mem_id in content and node.mem_id not in theirs \
                and not _allowed(tag, attributes):
            in_content.append(phrase("unsafe-html.tag", tag=tag))
        if tag == "base" or tag == "meta" and _redirects_away(attributes):
            anywhere.append(phrase("unsafe-html.tag", tag=tag))
        for name, value in attributes.items():
            anywhere += [problem for _, problem in attribute_problems(name, value)]
    page.unsafe = in_content + anywhere
    return page


def _note_links(page: Page, tag: str, attributes: dict[str, str | None]) -> None:
    for key in ("id", "name") if tag == "a" else ("id",):
        if value := attributes.get(key):
            page.ids.add(value)
    attribute = LINK_ATTRIBUTES.get(tag)
    if attribute and (link := attributes.get(attribute)) and \
            attributes.get("rel") not in SKIPPED_RELS:
        page.links.append(link)
    if tag in ("img", "source") and (srcset := attributes.get("srcset")):
        page.links += [entry.split()[0] for entry in srcset.split(",") if entry.strip()]
    if tag == "meta" and attributes.get("property") == "og:url" and \
            (url := attributes.get("content")):
        page.links.append(url)


def _allowed(tag: str, attributes: dict[str, str | None]) -> bool:
    """The generator's own content elements: a map frame loading a page of this site (a
    relative address) and a plain button (the theme's script wires it)."""
    if tag not in GENERATED_IN_CONTENT:
        return False
    if tag == "iframe":
        return _this_site(attributes.get("src") or "") and "srcdoc" not in attributes
    return True


def _redirects_away(attributes: dict[str, str | None]) -> bool:
    """A <meta http-equiv=refresh> to another site (the routing pages' own go to a page of
    this one)."""
    if (attributes.get("http-equiv") or "").strip().lower() != "refresh":
        return False
    target = (attributes.get("content") or "").partition(";")[2].strip()
    target = target[4:] if target.lower().startswith("url=") else target
    return not _this_site(target.strip("'\""))


def _this_site(address: str) -> bool:
    """A relative address, read as a browser reads it (no spaces or controls, \\ is /)."""
    address = CONTROL.sub("", address).replace("\\", "/")
    return bool(address) and ":" not in address.split("/", 1)[0] and \
        not address.startswith("//")


def _read_file(file: Path) -> Page:
    return read_page(file.read_text("utf-8", "replace"))


@dataclass(frozen=True)
class Listing:
    """A built folder as the output checks see it: every file, each page's SHA-256 (read
    once for all the checks: the cache knows pages by their bytes), and the pages read."""

    out: Path
    files: frozenset[str]
    digests: dict[str, str]  # page path → digest, sorted by path: every page, pages only
    _read: dict[str, Page] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, out: Path, digests: dict[str, str]) -> Listing:
        """From every file's digest, as the build placed them in `out`."""
        return cls(out, frozenset(digests), {path: digests[path] for path in sorted(digests)
                                             if path.endswith(".html")})

    def read(self, paths: Sequence[str]) -> None:
        """Read these pages ahead, on every core when they are many."""
        missing = [path for path in paths if path not in self._read]
        self._read.update(zip(missing, parallel_map(
            _read_file, [self.out / p for p in missing], smallest=SCAN_IN_PARALLEL_FROM)))

    def page(self, path: str) -> Page:
        if path not in self._read:
            self._read[path] = _read_file(self.out / path)
        return self._read[path]


def _digest(file: Path) -> str:
    return hashlib.sha256(file.read_bytes()).hexdigest()


def list_output(out: Path) -> Listing:
    top = len(str(out)) + 1  # os.walk gives folders under `out`: cut its prefix, no relpath
    files = frozenset((folder[top:] + "/" + name).lstrip("/")
                      for folder, _, names in os.walk(out) for name in names)
    pages = sorted(path for path in files if path.endswith(".html"))
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:  # hashlib frees the GIL
        digests = pool.map(lambda path: _digest(out / path), pages, chunksize=64)
        return Listing(out, files, dict(zip(pages, digests)))

