"""Keep script off the pages: editor Markdown is rendered and the HTML is inspected.

Checking the rendered HTML (with the same Markdown extensions MkDocs uses) rather than the
source catches every route to script: raw tags, `on*=` attributes written through attr_list,
and `javascript:` links, however they are spelled or encoded. The HTML is read by an HTML5
parser (Lexbor, through selectolax), which builds the tree a browser builds, so markup that
a simpler parser reads as a comment or as text (`<!--><img onerror=…>-->`, `<![CDATA[>…`,
an attribute that closes `<xmp>`) is seen as the element it becomes. Elements whose content a
browser reads differently with script on or off (`<noscript>`) and the other raw-text
elements are refused outright. Each finding is reported against the Markdown line that
contains it. Prose, a text without any character that Markdown makes markup from
(`is_prose`), is safe without rendering: most site texts are, and rendering is most of the
check's time.
"""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from pathlib import PurePosixPath
from typing import Any

import markdown
from selectolax.lexbor import LexborHTMLParser

from generator.core.diagnostics import Diagnostics
from generator.core.messages import Phrase, phrase
from generator.core.model import SourceRef
from generator.renderer import material

FORBIDDEN_TAGS = frozenset({
    "script", "iframe", "object", "embed", "form", "input", "button", "textarea", "select",
    "frame", "frameset", "applet", "base", "meta", "link", "style", "svg", "math", "template",
    # Raw-text elements: what is inside is not markup, so it can hide markup that is.
    "noscript", "xmp", "noembed", "noframes", "title", "plaintext", "textarea",
})
URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "data",
                            "poster", "background", "cite", "srcset"})
SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:", "geo:")
# Attributes the theme's scripts act on (a stored language choice, Material's components):
# from an editor they would steer those scripts.
THEME_ATTRIBUTES = ("data-heritage", material.ATTRIBUTE_PREFIX)
CONTROL = re.compile(r"[\x00-\x20\x7f]+")  # what browsers drop from a URL
# Markdown makes markup that can carry script only from raw HTML and autolinks (`<`), entities
# (`&`), links and images (`[`), attribute lists (`{`) and control characters (which it uses
# for its own placeholders). PROSE_EXTENSIONS add no other way: what they make from their own
# syntax is fixed markup with escaped text. So a text without those characters, rendered with
# these extensions only, is prose, and is found safe without rendering it (most site texts).
MARKUP_CHARACTERS = re.compile(r"[<&\[{\x00-\x08\x0b-\x1f\x7f]")
PROSE_EXTENSIONS = material.PROSE_EXTENSIONS


def check_markdown(
    body: str, body_line: int, rel: PurePosixPath, extensions: tuple[Any, ...],
    report: Diagnostics,
) -> int:
    """Report every construct in `body` that could run script in a reader's browser; returns
    how many were found."""
    findings = unsafe_constructs(render_markdown(body, extensions))
    lines = body.split("\n")
    for needle, problem in findings:
        line, column = _locate(lines, needle)
        report.error("unsafe-html", SourceRef(rel, body_line + line, column),
                     hint="hint.unsafe-html", problem=problem)
    return len(findings)


def is_prose(body: str, extensions: tuple[Any, ...]) -> bool:
    """Whether `body` cannot make markup that runs script (see MARKUP_CHARACTERS)."""
    names = [name for entry in extensions
             for name in (entry if isinstance(entry, dict) else [entry])]
    return (all(str(name).removeprefix("markdown.extensions.") in PROSE_EXTENSIONS
                for name in names)
            and MARKUP_CHARACTERS.search(body) is None)


def render_markdown(body: str, extensions: tuple[Any, ...]) -> str:
    """`body` as HTML with the site's own Markdown settings."""
    return _converter(json.dumps(extensions, sort_keys=True)).reset().convert(body)


@lru_cache(maxsize=8)
def _converter(settings: str) -> markdown.Markdown:
    """One Markdown instance per settings (building one costs more than converting a page)."""
    extensions = json.loads(settings)
    names: list[str] = []
    configs: dict[str, Any] = {}
    for entry in extensions:
        if isinstance(entry, dict):
            for name, cfg in entry.items():
                names.append(name)
                configs[name] = cfg or {}
        else:
            names.append(str(entry))
    return markdown.Markdown(extensions=names, extension_configs=configs)


def unsafe_constructs(fragment: str) -> list[tuple[str, Phrase]]:
    """(text to look for in the source, message) for each construct in an HTML fragment, as a
    page's content, that could run script. Every element of the page counts: a `<body>` tag in
    the fragment lends its attributes to the page's own body, as in a browser."""
    tree = LexborHTMLParser("<!doctype html><html><head></head><body>"
                            f"{material.PAGE_OPEN}{fragment}{material.PAGE_CLOSE}</body></html>")
    findings: list[tuple[str, Phrase]] = []
    if _escapes(tree):
        # An end tag with no start tag in the text (</article>, </div>...) closes the page's
        # own elements, and what follows lands outside the content, where only the theme is.
        findings.append(("</", phrase("unsafe-html.escape")))
    for node in tree.root.traverse() if tree.root is not None else ():
        tag = node.tag
        if tag in FORBIDDEN_TAGS:
            findings.append((f"<{tag}", phrase("unsafe-html.tag", tag=tag)))
        for name, value in node.attributes.items():
            if name.startswith(THEME_ATTRIBUTES):
                findings.append((name, phrase("unsafe-html.attribute", name=name)))
            else:
                findings += attribute_problems(name, value)
    return findings


def attribute_problems(name: str, value: str | None) -> list[tuple[str, Phrase]]:
    """(text to look for, message) when one attribute could run script: an event handler,
    `srcdoc`, or a link whose scheme is not a safe one (as a browser reads it)."""
    if name.startswith("on"):
        return [(name, phrase("unsafe-html.event", name=name))]
    if name == "srcdoc":
        return [(name, phrase("unsafe-html.attribute", name=name))]
    if name in URL_ATTRIBUTES and value and not _safe_url(value):
        scheme = CONTROL.sub("", value).split(":", 1)[0].lower()
        return [(scheme[:10] or value[:10], phrase("unsafe-html.scheme", scheme=scheme))]
    return []




def _escapes(tree: LexborHTMLParser) -> bool:
    """Whether anything of the text ended up outside its <article>."""
    article = tree.css_first(material.CONTENT)
    if tree.body is None or article is None:
        return True
    inside = {node.mem_id for node in article.traverse(include_text=True)}
    layout = {tree.body.mem_id} | {
        node.mem_id for node in tree.body.traverse() if node.tag in ("div", "main") and
        (node.attributes.get("class") or "").startswith(material.LAYOUT_CLASS_PREFIX)}
    return any(node.mem_id not in inside and node.mem_id not in layout and
               (node.tag != "-text" or (node.text(deep=False) or "").strip())
               for node in tree.body.traverse(include_text=True))


def _safe_url(value: str) -> bool:
    compact = CONTROL.sub("", value).lower()
    if ":" not in compact.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]:
        return True  # relative link, anchor or path
    return compact.startswith(SAFE_SCHEMES)


def _locate(lines: list[str], needle: str) -> tuple[int, int]:
    """0-based line offset and 1-based column of `needle` in the source, best effort.

    Lines are also compared with entities decoded and control characters dropped, the way
    a browser reads them, so `jav&#x09;ascript:` is found as `javascript`.
    """
    lowered = needle.lower()
    for index, text in enumerate(lines):
        column = text.lower().find(lowered)
        if column >= 0:
            return index, column + 1
    for index, text in enumerate(lines):
        if lowered in CONTROL.sub("", html.unescape(text)).lower():
            return index, 1
    return 0, 1
