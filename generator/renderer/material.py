"""The markup Material for MkDocs styles, and the names of its parts, for the rest of the build.

Pages are written as Markdown and HTML that any renderer takes; the few pieces the theme gives
a look of its own (cards, notices, a facts box, buttons) are written here, and the checks read
here which parts of a rendered page are the theme's, so another theme changes this module only.
"""

from __future__ import annotations

BUTTON_CLASS = "md-button"
# What a page's content sits in, in Material's layout (the safety check rebuilds it around a
# text, so an end tag in the text meets what it would meet on the page).
PAGE_OPEN = ('<div class="md-container"><main class="md-main"><div class="md-main__inner">'
             '<div class="md-content"><article class="md-content__inner">')
PAGE_CLOSE = "</article></div></div></main></div>"
CONTENT = "article.md-content__inner"
LAYOUT_CLASS_PREFIX = "md-"  # the classes of the layout's own elements
ATTRIBUTE_PREFIX = "data-md-"  # attributes Material's scripts act on
# Material's own parts inside the content, and what they may hold besides plain markup.
CONTENT_PARTS = ".md-content__button, .md-feedback, .md-source-file"
CONTENT_PART_TAGS = frozenset({"svg", "form", "input", "button", "label", "fieldset"})
SOURCE_FILE = ".md-source-file"  # the page's "last updated" line
# The Markdown extensions of mkdocs.yml that make only fixed markup, with escaped text, from
# their own syntax (the safety check finds prose safe under these without rendering it).
PROSE_EXTENSIONS = frozenset({"admonition", "attr_list", "md_in_html", "tables", "def_list",
                              "toc", "abbr", "footnotes", "sane_lists", "smarty", "nl2br"})


def cards(items: list[str], css_class: str) -> str:
    """HTML list items (`<li>…</li>`) shown as a grid of cards."""
    return f'<div class="grid cards {css_class}"><ul>\n' + "\n".join(items) + "\n</ul></div>\n"


def notice(title: str, text: str) -> str:
    """A boxed note in Markdown; `title` and `text` are HTML-escaped already."""
    return f'!!! info "{title}"\n    {text}\n\n'


def summary_box(title: str, body: str, css_class: str) -> str:
    """A boxed summary with a title; `title` escaped, `body` HTML."""
    return (f'<div class="admonition abstract {css_class}"><p class="admonition-title">'
            f"{title}</p>\n{body}\n</div>\n")
