"""verify: no published page can run script other than the theme's own.

The safety check refuses script in what editors write; this proves it on what is published,
whatever route the markup took (an editor's text the generator put into Markdown by mistake,
a template, a renderer's quirk). Each page is read by the HTML5 parser the safety check uses:
no element anywhere may carry an event handler or a link able to run script, and inside the
page's content (`<article>`) no element that can run or embed code may appear, except what
the generator itself writes there (a map frame from this site, the button that loads it).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path, PurePosixPath

from selectolax.lexbor import LexborHTMLParser

from generator.cache import Cache, cache_key, code_digest
from generator.diagnostics import Diagnostics
from generator.messages import Phrase, phrase
from generator.model import SourceRef
from generator.safety import FORBIDDEN_TAGS, URL_ATTRIBUTES, _safe_url
from generator.workers import parallel_map

SCAN_IN_PARALLEL_FROM = 500  # below this a process pool costs more to start than it saves
GENERATED_IN_CONTENT = frozenset({"iframe", "button"})  # see _allowed


def check_output_scripts(out: Path, origins: dict[str, SourceRef], report: Diagnostics,
                         cache: Cache | None = None) -> None:
    """Report every construct in `out/**/*.html` that could run script (see the module).

    With a cache, pages whose bytes were found clean before are not read again.
    """
    top = len(str(out)) + 1
    pages = sorted((folder[top:] + "/" + name).lstrip("/")
                   for folder, _, names in os.walk(out) for name in names
                   if name.endswith(".html"))
    digests = [hashlib.sha256((out / page).read_bytes()).hexdigest() for page in pages]
    key = cache_key("script-free", code_digest(Path(__file__), Path(__file__).with_name(
        "safety.py")))
    entry = cache.get(key) if cache is not None else None
    known = set(entry["sha256"].decode().split()) if entry else set()
    pending = [(page, digest) for page, digest in zip(pages, digests) if digest not in known]
    found = parallel_map(_scan, [out / page for page, _ in pending],
                         smallest=SCAN_IN_PARALLEL_FROM)
    unsafe = set()
    for (page, digest), problems in zip(pending, found):
        for problem in problems:
            unsafe.add(digest)
            where = origins.get(page) or SourceRef(PurePosixPath("public", page))
            report.error("unsafe-html", where, "unsafe-html.output", hint="hint.unsafe-output",
                         page=page, problem=problem)
    clean = set(digests) - unsafe
    if cache is not None and clean != known:
        cache.put(key, {"sha256": "\n".join(sorted(clean)).encode()})


def _scan(file: Path) -> list[Phrase]:
    return unsafe_in_page(file.read_text("utf-8", "replace"))


def unsafe_in_page(text: str) -> list[Phrase]:
    """What in one published page could run script that is not the theme's."""
    tree = LexborHTMLParser(text)
    article = tree.css_first("article")
    problems = []
    if article is not None:
        for node in article.traverse():
            if node.tag in FORBIDDEN_TAGS and not _allowed(node.tag, node.attributes):
                problems.append(phrase("unsafe-html.tag", tag=node.tag))
    for node in tree.root.traverse():
        for name, value in node.attributes.items():
            if name.startswith("on"):
                problems.append(phrase("unsafe-html.event", name=name))
            elif name == "srcdoc":
                problems.append(phrase("unsafe-html.attribute", name=name))
            elif name in URL_ATTRIBUTES and value and not _safe_url(value):
                problems.append(phrase("unsafe-html.scheme",
                                       scheme=value.split(":", 1)[0].strip().lower()[:20]))
    return problems


def _allowed(tag: str, attributes: dict[str, str | None]) -> bool:
    """The generator's own content elements: a map frame loading a page of this site (a
    relative address) and a plain button (the theme's script wires it)."""
    if tag not in GENERATED_IN_CONTENT:
        return False
    if tag == "iframe":
        source = attributes.get("src") or ""
        return bool(source) and ":" not in source.split("/", 1)[0] and \
            not source.startswith("//")
    return True
