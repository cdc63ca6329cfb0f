"""The editors' field reference, generated from the schema so it cannot drift from it.

One page per guide language (English and Vietnamese): every field of every file editors and
maintainers write, then every diagnostic code with a worked example of the mistake and its
fix. English field descriptions are the schema's `Field.doc`; Vietnamese ones live in
`fields.vi.yml`; the examples live in `examples.yml`; every other text is in messages.yml
(`guide.*`). Tests check that each field has its Vietnamese text, that each code has an
example, and that each example really makes `heritage check` report its code.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from generator.load.codes import LEDGER_FIELDS
from generator.load.config import HERITAGE_FIELDS
from generator.core.datafile import read_data
from generator.core.diagnostics import CODES
from generator.core.messages import LANGUAGES, tr
from generator.load.schema import NARRATIVE_FIELDS, PAGE_FIELDS, SITE_FIELDS, Field
from generator.load.tours import TOUR_FIELDS

HERE = Path(__file__).parent
FIELDS_VI = HERE / "fields.vi.yml"
EXAMPLES = HERE / "examples.yml"
GUIDE_LANGUAGES = LANGUAGES  # the page exists in these; others show the English one

# (key, fields): the key names the section in fields.vi.yml and its texts in messages.yml
# (guide.<key>.title, guide.<key>.intro). In the order the page shows them.
SECTIONS: tuple[tuple[str, Mapping[str, Field]], ...] = (
    ("site", SITE_FIELDS),
    ("narrative", NARRATIVE_FIELDS),
    ("page", PAGE_FIELDS),
    ("tour", TOUR_FIELDS),
    ("ledger", LEDGER_FIELDS),
    ("heritage", HERITAGE_FIELDS),
)

LOCALIZED_EXAMPLE = '{vi: "…", en: "…"}'
HOW = ("edit", "rename", "encoding", "write", "build", "import")  # see the head of examples.yml


def field_paths(fields: Mapping[str, Field], prefix: str = "") -> Iterator[tuple[str, Field]]:
    """Every field with its path as the guide writes it: `coordinates.lat`, `sources[].url`."""
    for name, field in fields.items():
        yield prefix + name, field
        if field.fields:
            child = f"{prefix}{name}[]." if field.kind == "list" else f"{prefix}{name}."
            yield from field_paths(field.fields, child)


@cache
def vi_descriptions() -> dict[str, dict[str, str]]:
    """fields.vi.yml: section → field path → Vietnamese description."""
    data = read_data(FIELDS_VI) or {}
    return {str(section): {str(path): " ".join(str(text).split())
                           for path, text in (paths or {}).items()}
            for section, paths in data.items()}


def describe(section: str, path: str, field: Field, lang: str) -> str:
    """A field's description in `lang` (English when no Vietnamese text is written yet)."""
    if lang == "vi":
        text = vi_descriptions().get(section, {}).get(path)
        if text:
            return text
    return field.doc


@dataclass(frozen=True)
class Example:
    """One worked example of a diagnostic code (see the head of examples.yml)."""

    code: str
    file: str
    mistake: str | dict[str, str]
    fix: str | dict[str, str]
    explain: dict[str, str]
    how: str = "edit"
    setup: Mapping[str, Any] | None = None
    content: Any = None
    encoding: str | None = None

    @property
    def checkable(self) -> bool:
        """Whether `heritage check` alone shows it (tests then prove it does)."""
        return self.how not in ("build", "import")

    def snippet(self, which: str, lang: str) -> str:
        value = getattr(self, which)
        text = value if isinstance(value, str) else value.get(lang) or value["en"]
        return text.rstrip("\n")

    def shown(self, which: str, lang: str) -> str:
        """The snippet as the page shows it: a renamed listing gets its folder in front."""
        text = self.snippet(which, lang)
        if self.how == "rename":
            return "\n".join(self.file + line for line in text.split("\n"))
        return text


@cache
def examples() -> dict[str, Example]:
    """examples.yml: code → its example."""
    data = read_data(EXAMPLES) or {}
    return {str(code): Example(code=str(code), **entry) for code, entry in data.items()}


def field_reference(lang: str = "en") -> str:
    """The Markdown of the field reference page in `lang` (en or vi; others get English)."""
    lang = lang if lang in GUIDE_LANGUAGES else "en"
    parts = [tr("guide.intro", lang) + "\n"]
    parts += [_section(key, fields, lang) for key, fields in SECTIONS]
    parts.append(_codes(lang))
    return "\n".join(parts)


def _section(key: str, fields: Mapping[str, Field], lang: str) -> str:
    head = "| " + " | ".join(tr(f"guide.col.{col}", lang) for col in
                             ("field", "kind", "required", "doc", "example")) + " |"
    rows = "".join(_row(key, path, field, lang) for path, field in field_paths(fields))
    return (f"## {_text(tr(f'guide.{key}.title', lang))}\n\n{_text(tr(f'guide.{key}.intro', lang))}"
            f"\n\n{head}\n|---|---|---|---|---|\n{rows}")


def _row(section: str, path: str, field: Field, lang: str) -> str:
    kind = tr(f"guide.kind.{field.kind}", lang)
    if field.choices:
        kind += ": " + ", ".join(f"`{choice}`" for choice in field.choices)
    example = field.example or (LOCALIZED_EXAMPLE if field.kind == "localized" else "")
    example = f"`{example}`" if example else ""
    required = tr("guide.yes", lang) if field.required else ""
    return (f"| `{path}` | {kind} | {required} | "
            f"{_text(describe(section, path, field, lang))} | {example} |\n")


def _codes(lang: str) -> str:
    table = "".join(
        f"| `{code}` | {_text(tr(f'code.{code}', lang))} | "
        f"[{tr('guide.codes.example-link', lang)}](#{anchor(code)}) |\n" for code in CODES)
    head = "| " + " | ".join(tr(f"guide.col.{col}", lang) for col in
                             ("code", "meaning", "example")) + " |"
    parts = [f"## {_text(tr('guide.codes.title', lang))} {{#codes}}\n\n"
             f"{_text(tr('guide.codes.intro', lang))}\n\n{head}\n|---|---|---|\n{table}"]
    known = examples()
    parts += [_example(code, known[code], lang) for code in CODES if code in known]
    return "\n".join(parts)


def anchor(code: str) -> str:
    """The id of a code's example on the page: editors/fields.md#code-<code>."""
    return f"code-{code}"


def _example(code: str, example: Example, lang: str) -> str:
    where = (tr("guide.example.in-folder", lang, folder=f"`{example.file}`")
             if example.how == "rename" else
             tr("guide.example.in-file", lang, file=f"`{example.file}`"))
    parts = [f"### `{code}` {{#{anchor(code)}}}\n", _text(tr(f"code.{code}", lang)) + "\n",
             _text(where) + "\n"]
    for which in ("mistake", "fix"):
        parts.append(f"**{tr(f'guide.example.{which}', lang)}**\n")
        parts.append(_block(example.shown(which, lang), _language(example, which)))
    parts.append(_text(example.explain.get(lang) or example.explain["en"]) + "\n")
    if not example.checkable:
        only = "import-only" if example.how == "import" else "build-only"
        parts.append(f"*{_text(tr(f'guide.example.{only}', lang))}*\n")
    return "\n".join(parts)


def _language(example: Example, which: str) -> str:
    """The code block's language: YAML or Markdown for a text written in such a file."""
    if example.how in ("rename", "encoding", "write") or not isinstance(
            getattr(example, which), str):
        return "text"
    suffix = Path(example.file).suffix
    return {".yml": "yaml", ".yaml": "yaml", ".md": "markdown"}.get(suffix, "text")


def _block(text: str, language: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{text}\n{fence}\n"


def _text(text: str) -> str:
    """Plain text for Markdown (and table cells): HTML escaped outside `code` spans."""
    pieces = text.split("`")
    if len(pieces) % 2 == 0:  # an unpaired backtick: nothing is code
        pieces = ["`".join(pieces)]
    out = [piece if index % 2 else html.escape(piece, quote=False).replace("|", "&#124;")
           for index, piece in enumerate(pieces)]
    return "`".join(out)
