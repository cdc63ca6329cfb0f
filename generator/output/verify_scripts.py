"""verify: no published page can run script other than the theme's own.

The safety check refuses script in what editors write (and any text that would leave the
page's content); this proves it on what is published, whatever route the markup took: an
editor's text the generator put into Markdown by mistake, a renderer's quirk. Each page is
read by the HTML5 parser the safety check uses. Anywhere in the page: no event handler, no
link able to run script, no `<base>`, no `<meta http-equiv=refresh>`. Inside the content
(every `<article>`): no element that can run or embed code, except what the generator
writes there (a map frame from this site, the button that loads it) and the parts Material
adds to it (edit buttons, the feedback form, file dates: icons and form fields, never a
script or a frame). Scripts outside the content are the theme's: the templates are
the project's own code, reviewed as code.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from selectolax.lexbor import LexborHTMLParser

from generator.core.cache import Cache, cache_key, code_digest
from generator.core.diagnostics import Diagnostics
from generator.core.messages import Phrase, phrase
from generator.core.model import SourceRef
from generator.check import safety
from generator.check.safety import CONTROL, FORBIDDEN_TAGS, attribute_problems
from generator.output.verify import Listing, list_output
from generator.core.workers import parallel_map
from generator.renderer import material

SCAN_IN_PARALLEL_FROM = 500  # below this a process pool costs more to start than it saves
GENERATED_IN_CONTENT = frozenset({"iframe", "button"})  # see _allowed
MATERIAL_PARTS, MATERIAL_PART_TAGS = material.CONTENT_PARTS, material.CONTENT_PART_TAGS


def check_output_scripts(out: Path, origins: dict[str, SourceRef], report: Diagnostics,
                         cache: Cache | None = None, listing: Listing | None = None) -> None:
    """Report every construct in `out/**/*.html` that could run script (see the module).

    With a cache, pages whose bytes were found clean before are not read again.
    """
    listing = listing or list_output(out)
    pages, digests = list(listing.digests), list(listing.digests.values())
    key = cache_key("script-free", code_digest(Path(__file__), Path(safety.__file__)))
    known = cache.hashes(key) if cache is not None else set()
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
    if cache is not None:
        cache.put_hashes(key, set(digests) - unsafe, known)


def _scan(file: Path) -> list[Phrase]:
    return unsafe_in_page(file.read_text("utf-8", "replace"))


def unsafe_in_page(text: str) -> list[Phrase]:
    """What in one published page could run script that is not the theme's."""
    tree = LexborHTMLParser(text)
    problems = []
    material = {node.mem_id for part in tree.css(MATERIAL_PARTS)
                for node in part.traverse() if node.tag in MATERIAL_PART_TAGS}
    for article in tree.css("article"):
        for node in article.traverse():
            if node.tag in FORBIDDEN_TAGS and node.mem_id not in material and \
                    not _allowed(node.tag, node.attributes):
                problems.append(phrase("unsafe-html.tag", tag=node.tag))
    for node in tree.root.traverse() if tree.root is not None else ():
        if node.tag == "base" or node.tag == "meta" and _redirects_away(node.attributes):
            problems.append(phrase("unsafe-html.tag", tag=node.tag))
        for name, value in node.attributes.items():
            problems += [problem for _, problem in attribute_problems(name, value)]
    return problems


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
