"""The edits a row makes to its site, and the checks they must pass before anything is written.

A cell is an edit only when it means something other than what site.yml says: a spreadsheet
rewrites values it opens (70.0 for 70, FALSE for false, `a,b` for `a, b`), and that must not
turn into changes. Each edited cell is checked with the schema's own rules at its own position
(see `columns.check_cell`); then the row as a whole is checked for required values
that its edits empty, or leave out of a mapping they create. What site.yml means after the edits
(`applied`) is also what the writer verifies the rewritten file against.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.core.diagnostics import Diagnostics
from generator.core.model import SourceRef
from generator.load.schema import TRUE_WORDS, Field
from generator.tools.spreadsheet.columns import TAG_SEPARATOR, Column, check_cell, fields_at, split_tags
from generator.tools.spreadsheet.table import Table, clean_cell
from generator.tools.spreadsheet.trees import get, plain, put


@dataclass(frozen=True)
class CellEdit:
    """A changed cell: the column's value goes from `old` to `new` (None: no key)."""

    column: Column
    row: int
    col: int
    old: str | None
    new: str | None  # None: remove the key

    @property
    def value(self) -> Any:
        """The new value as a plain tree holds it (tags as a list); None removes the key."""
        if self.new is None:
            return None
        return split_tags(self.new) if self.column.kind == "tags" else self.new


@dataclass
class SiteUpdate:
    """A site a row names: its site.yml, what the file holds, and the row's edits."""

    id: str
    file: Path
    node: yaml.Node
    cells: dict[str, str]  # column -> text, as `sites.site_cells` reads them
    blocked: dict[str, str]  # column -> the path that holds a list or mapping in its place
    edits: list[CellEdit] = field(default_factory=list)


def row_edits(site: SiteUpdate, columns: dict[int, Column], cells: list[str], row: int
              ) -> list[CellEdit]:
    """The cells of the row that change the site, in column order."""
    edits = (_edit(site, column, cells[index], row, index + 1)
             for index, column in columns.items())
    return [edit for edit in edits if edit is not None]


def _edit(site: SiteUpdate, column: Column, cell: str, row: int, col: int) -> CellEdit | None:
    old = site.cells.get(column.name)
    if column.name in site.blocked and not cell.strip():
        return None
    if _same(column.kind, old or "", cell):
        return None
    if column.kind == "tags":
        new: str | None = TAG_SEPARATOR.join(split_tags(cell)) or None
    else:
        new = cell.strip() or None
    return CellEdit(column, row, col, old, new)


def _same(kind: str, old: str, new: str) -> bool:
    """Whether a cell means what site.yml says (a spreadsheet may write 70.0, FALSE, a,b)."""
    old, new = clean_cell(old).strip(), new.strip()
    if kind == "tags":
        return split_tags(old) == split_tags(new)
    if kind == "number":
        try:
            return float(old) == float(new)
        except ValueError:
            pass
    if kind == "bool" and old.lower() in TRUE_WORDS and new.lower() in TRUE_WORDS:
        return TRUE_WORDS[old.lower()] == TRUE_WORDS[new.lower()]
    return old == new


def applied(tree: Any, edits: list[CellEdit]) -> Any:
    """A copy of the plain tree `tree` with the edits made."""
    tree = copy.deepcopy(tree)
    for edit in edits:
        put(tree, edit.column.keys, edit.value)
    return tree


def check_edits(site: SiteUpdate, table: Table, languages: tuple[str, ...],
                report: Diagnostics) -> None:
    """Check a row's changed cells with the schema, and what the changes leave missing."""
    for edit in site.edits:
        where = SourceRef(table.rel, edit.row, edit.col)
        name = edit.column.name
        if name == "code":
            if edit.old:
                report.error("code-ledger", where, "code-ledger.csv", hint="hint.csv-code-back",
                             code=edit.old)
            else:
                report.error("code-ledger", where, "code-ledger.csv",
                             hint="hint.csv-code-empty")
        elif name in site.blocked:
            report.error("wrong-type", where, "wrong-type.csv", hint="hint.fix-yaml-first",
                         field=name, path=site.blocked[name], site=site.id)
        elif edit.new is not None:
            check_cell(edit.column, edit.new, where, languages, report)
    _check_required(site, table, report)


def _check_required(site: SiteUpdate, table: Table, report: Diagnostics) -> None:
    """A required value the changes empty, or leave out of a mapping they create."""
    before = plain(site.node)
    if not isinstance(before, dict):
        return  # the edits were reported as wrong-type already
    after = applied(before, site.edits)
    col_of = {column.name: index + 1 for index, column in table.columns.items()}
    blocks: dict[tuple[str, ...], CellEdit] = {}  # each mapping the edits reach: its first edit
    for edit in site.edits:
        keys = edit.column.field_keys
        for depth in range(len(keys)):
            blocks.setdefault(keys[:depth], edit)
    for keys, first in blocks.items():
        for name in _newly_missing(fields_at(keys), get(after, keys), get(before, keys)):
            path = ".".join((*keys, name))
            where = SourceRef(table.rel, first.row, col_of.get(path, first.col))
            if keys:
                report.error("missing-field", where, hint="hint.csv-required-block",
                             field=path, block=".".join(keys))
            else:
                report.error("missing-field", where, hint="hint.csv-required", field=path)


def _newly_missing(spec: Mapping[str, Field], now: Any, then: Any) -> Iterator[str]:
    """The required single values of a mapping that the edits empty, or leave out of it when
    they create it; one already missing before is `heritage check`'s to report."""
    if not isinstance(now, dict):
        return
    existed = isinstance(then, dict)
    for name, fld in spec.items():
        if not fld.required or fld.kind in ("list", "map", "localized"):
            continue
        if not _filled(now.get(name)) and not (existed and not _filled(then.get(name))):
            yield name


def _filled(value: Any) -> bool:
    return value is not None and (not isinstance(value, str) or bool(value.strip()))
