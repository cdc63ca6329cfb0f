"""A page of a language's docs tree before it is written, and the helpers every page uses."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import PurePosixPath

from generator.core import routes
from generator.core.i18n import Texts
from generator.core.model import Language, SourceRef
from generator.renderer import material


@dataclass(frozen=True)
class PageDoc:
    """A Markdown page of one language's docs tree, before it is written."""

    lang: str
    doc: PurePosixPath  # relative to the language's docs dir
    title: str  # plain text
    body: str  # Markdown
    origin: SourceRef | None
    menu: float | None = None  # position in the site menu; None: reached through links
    meta: dict[str, object] = field(default_factory=dict)

    @cached_property
    def url_path(self) -> str:
        return routes.doc_url_path(self.lang, self.doc)

    def markdown(self) -> bytes:
        """The page's file. Kept on the page: the live preview hands out the very page
        records of unchanged sites again, so their files are not made again."""
        return self._markdown

    @cached_property
    def _markdown(self) -> bytes:
        # JSON is YAML; ASCII-escaped so no exotic line break can split the front matter.
        front = json.dumps(self.meta, ensure_ascii=True, sort_keys=True)
        return f"---\n{front}\n---\n\n{self.body.rstrip()}\n".encode()


@lru_cache(maxsize=1 << 16)
def esc(text: str) -> str:
    """Text for HTML (and for front matter, which Material prints as HTML). Remembered: a
    province's pages repeat the same names and labels hundreds of thousands of times."""
    return html.escape(text, quote=True)


def fallback_notice(texts: Texts, shown: Language) -> str:
    """The visible note on a page shown in another language, in the reader's language."""
    notice = texts("fallback_notice", language=texts.language.name, shown=shown.name)
    return material.notice(esc(texts("fallback_title")), esc(notice))

