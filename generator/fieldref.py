"""The editors' field reference, generated from the schema so it cannot drift from it."""

from __future__ import annotations

import html
from collections.abc import Mapping

from generator.config import HERITAGE_FIELDS
from generator.diagnostics import CODES
from generator.messages import tr
from generator.schema import NARRATIVE_FIELDS, PAGE_FIELDS, SITE_FIELDS, Field

KINDS = {
    "text": "text", "localized": "text per language", "date": "date (YYYY, YYYY-MM or "
    "YYYY-MM-DD, in quotes)", "number": "number", "bool": "true or false", "url": "web address",
    "choice": "one of a list", "tags": "list of words", "map": "group of fields",
    "list": "list of entries",
}


LOCALIZED_EXAMPLE = {"localized": '{vi: "…", en: "…"}'}


def field_reference() -> str:
    """The Markdown of the field reference page (English)."""
    parts = [
        "Every field the tool reads, generated from its own checks. *Required* fields must be "
        "there; others may be left out. Put text that contains a colon, or looks like a "
        "number, date or yes/no, in double quotes.\n",
        _section("sites/&lt;site-id&gt;/site.yml", "The facts of one site, shared by every "
                 "language.", SITE_FIELDS),
        _section("sites/&lt;site-id&gt;/&lt;lang&gt;.md", "The front matter (between the two "
                 "`---` lines) of each language's text. The Markdown body follows it.",
                 NARRATIVE_FIELDS),
        _section("content/&lt;lang&gt;/*.md", "Hand-written pages such as About.", PAGE_FIELDS),
        _section("mkdocs.yml: extra.heritage", "Project settings (for maintainers).",
                 HERITAGE_FIELDS),
        "## Problem codes {#codes}\n\nEach problem the tool reports names one of these codes.\n",
        "| Code | Meaning |\n|---|---|\n" + "".join(
            f"| `{code}` | {html.escape(tr(f'code.{code}'))} |\n" for code in CODES),
    ]
    return "\n".join(parts)


def _section(title: str, intro: str, fields: Mapping[str, Field]) -> str:
    rows = "".join(_rows(fields, ""))
    return (f"## {title}\n\n{intro}\n\n| Field | Kind | Required | What it is | Example |\n"
            f"|---|---|---|---|---|\n{rows}")


def _rows(fields: Mapping[str, Field], prefix: str) -> list[str]:
    rows = []
    for name, field in fields.items():
        kind = KINDS[field.kind]
        if field.choices:
            kind += ": " + ", ".join(f"`{choice}`" for choice in field.choices)
        example = field.example or LOCALIZED_EXAMPLE.get(field.kind, "")
        example = f"`{example}`" if example else ""
        rows.append(f"| `{prefix}{name}` | {kind} | {'yes' if field.required else ''} | "
                    f"{html.escape(field.doc)} | {example} |\n")
        if field.fields:
            child = f"{prefix}{name}[]." if field.kind == "list" else f"{prefix}{name}."
            rows += _rows(field.fields, child)
    return rows
