"""The spreadsheet's columns: which site.yml fields become columns, and each column's schema.

After `id`, there is one column per single-value field of `SITE_FIELDS` in schema order, flattened
with dots (`coordinates.lat`, `coordinates.note.en`, `address.street`, `period.label.vi`,
`hours.ru`, ...); a text per language gets one column per configured language, and `tags` is one
cell joined with ", ". Lists of entries (`sources`, `recognition`, `media`) get no columns: an
entry has required fields of its own and no identity but its position, so adding, removing or
reordering entries through numbered columns would silently shift one entry's facts onto another.
This module also narrows the schema to a single column, so that a cell is checked by
`schema.validate` itself and editors see the messages and hints they know, at the cell.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import yaml

from generator.load.config import ProjectConfig
from generator.core.diagnostics import Diagnostics
from generator.core.model import SourceRef
from generator.load.schema import SITE_FIELDS, Field, validate

ID = "id"
TAG_SEPARATOR = ", "
LIST_FIELDS = tuple(name for name, fld in SITE_FIELDS.items() if fld.kind == "list")


@dataclass(frozen=True)
class Column:
    """One spreadsheet column: a single value in site.yml, found by `keys`."""

    name: str  # e.g. coordinates.note.en
    keys: tuple[str, ...]  # e.g. ("coordinates", "note", "en")
    field: Field  # the schema field; for a language column, the text-per-language field

    @property
    def kind(self) -> str:
        return "text" if self.field.kind == "localized" else self.field.kind

    @property
    def field_keys(self) -> tuple[str, ...]:
        """The keys of the schema field (a language column drops its language)."""
        return self.keys[:-1] if self.field.kind == "localized" else self.keys


def site_columns(config: ProjectConfig) -> tuple[Column, ...]:
    """The spreadsheet's columns after `id`, in SITE_FIELDS order."""
    return tuple(_columns(SITE_FIELDS, (), config.lang_codes))


def _columns(spec: Mapping[str, Field], prefix: tuple[str, ...], languages: tuple[str, ...]
             ) -> Iterator[Column]:
    for name, fld in spec.items():
        keys = (*prefix, name)
        if fld.kind == "list":
            continue
        if fld.kind == "map":
            yield from _columns(fld.fields, keys, languages)
        elif fld.kind == "localized":
            for lang in languages:
                yield Column(".".join((*keys, lang)), (*keys, lang), fld)
        else:
            yield Column(".".join(keys), keys, fld)


def split_tags(text: str) -> list[str]:
    """The tags of a `tags` cell: split at commas, spaces around each tag dropped."""
    return [tag.strip() for tag in text.split(",") if tag.strip()]


def fields_at(keys: tuple[str, ...]) -> Mapping[str, Field]:
    """The schema of the mapping at `keys`: SITE_FIELDS itself, or a nested map's fields."""
    return _field_at(keys).fields if keys else SITE_FIELDS


def _field_at(keys: tuple[str, ...]) -> Field:
    fld = SITE_FIELDS[keys[0]]
    for key in keys[1:]:
        fld = fld.fields[key]
    return fld


def check_cell(column: Column, text: str, where: SourceRef, languages: tuple[str, ...],
               report: Diagnostics) -> None:
    """Check a cell's value with the schema's own rules, reported at the cell (`where`)."""
    mark = yaml.Mark(str(where.path), 0, (where.line or 1) - 1, (where.column or 1) - 1,
                     None, 0)  # no buffer: the pointer into it is never read
    node = _nest(column.keys, _value_node(column, text, mark), mark)
    validate(node, _spec_for(column), where.path, report, languages=languages)


def _spec_for(column: Column) -> dict[str, Field]:
    """SITE_FIELDS narrowed to the one path of `column` (no other required siblings)."""
    keys = column.field_keys
    fld = column.field
    for depth in range(len(keys) - 1, 0, -1):
        fld = dataclasses.replace(_field_at(keys[:depth]), required=False,
                                  fields={keys[depth]: fld})
    return {keys[0]: fld}


def _scalar(text: str, mark: yaml.Mark) -> yaml.ScalarNode:
    return yaml.ScalarNode("tag:yaml.org,2002:str", text, mark, mark)


def _value_node(column: Column, text: str, mark: yaml.Mark) -> yaml.Node:
    if column.kind == "tags":
        return yaml.SequenceNode("tag:yaml.org,2002:seq",
                                 [_scalar(tag, mark) for tag in split_tags(text)], mark, mark)
    return _scalar(text, mark)


def _nest(keys: tuple[str, ...], node: yaml.Node, mark: yaml.Mark) -> yaml.Node:
    for key in reversed(keys):
        node = yaml.MappingNode("tag:yaml.org,2002:map", [(_scalar(key, mark), node)], mark,
                                mark)
    return node
