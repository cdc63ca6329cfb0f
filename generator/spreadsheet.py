"""The spreadsheet round trip: every site's facts as one CSV row, and an edited CSV back.

`export_csv` writes one row per site, sorted by id: the column `id`, then one column per
single-value field of `SITE_FIELDS` in schema order, flattened with dots (`coordinates.lat`,
`coordinates.note.en`, `address.street`, `period.label.vi`, `hours.ru`, ...). A text per
language gets one column per configured language; `tags` is one cell joined with ", ".
Cells hold the text exactly as written in site.yml (BaseLoader: `0123` and `no` stay text).

Lists of entries (`sources`, `recognition`, `media`) are not in the spreadsheet: an entry has
required fields of its own and no identity but its position, so adding, removing or reordering
entries through numbered columns would silently shift one entry's facts onto another. They are
edited in site.yml. `code` is exported but read-only: it is the permanent QR code, which only
`heritage codes assign` issues (together with the ledger).

`import_csv` compares every cell with site.yml and checks each changed one with the schema's
own rules (`validate` on a small node carrying the cell's position), so the messages and hints
are the ones editors know, positioned as `file.csv:row:column` (row 1 is the header; a row is a
CSV record, which is a spreadsheet row). Only when nothing is wrong are the changed values
written, through ruamel.yaml round-trip: comments, key order and the quoting of untouched values
are kept; a new key is added at the end of its mapping (creating missing parent mappings); an
emptied cell removes its key (and a mapping it leaves empty). ruamel's changes are then laid
over the original lines, so every line no change touches stays byte for byte (where ruamel's
output does not line up with the file, its own output is used). Every rewritten file is read
back and compared with the intended values before any file is written.
"""

from __future__ import annotations

import csv
import dataclasses
import difflib
import io
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.emitter import Emitter
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import ScalarNode as RuamelScalarNode
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString, FoldedScalarString, LiteralScalarString,
    SingleQuotedScalarString,
)

from generator.config import ProjectConfig
from generator.diagnostics import Diagnostics
from generator.load import SITE_FILE, SITES, site_id_problem
from generator.model import SourceRef
from generator.schema import SITE_FIELDS, TRUE_WORDS, Field, validate
from generator.sourcefile import parse_yaml, read_text

ID = "id"
TAG_SEPARATOR = ", "
LIST_FIELDS = tuple(name for name, fld in SITE_FIELDS.items() if fld.kind == "list")
LEADING_ZERO = re.compile(r"^[-+]?0[0-9_]")
NEW_KEY_QUOTED = {"text", "date", "url", "localized"}  # new text is written in double quotes


@dataclass(frozen=True)
class Change:
    """One cell written into a site.yml: `old`/`new` are None where the key is absent."""

    site: str
    field: str
    old: str | None
    new: str | None


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


def _columns(spec: dict[str, Field], prefix: tuple[str, ...], languages: tuple[str, ...]
             ) -> Iterator[Column]:
    for name, fld in spec.items():
        keys = (*prefix, name)
        if fld.kind == "list":
            continue
        if fld.kind == "map":
            yield from _columns(dict(fld.fields), keys, languages)
        elif fld.kind == "localized":
            for lang in languages:
                yield Column(".".join((*keys, lang)), (*keys, lang), fld)
        else:
            yield Column(".".join(keys), keys, fld)


# --- export -----------------------------------------------------------------------------------

def export_csv(config: ProjectConfig, root: Path, report: Diagnostics | None = None) -> str:
    """Every site's facts as CSV text: UTF-8 BOM first (for Excel), RFC 4180, CRLF rows.

    A site.yml that cannot be read (not UTF-8, broken YAML) is reported to `report` and left
    out: a row of empty cells would remove its values when imported once the file is fixed.
    """
    report = report if report is not None else Diagnostics()
    columns = site_columns(config)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([ID, *(column.name for column in columns)])
    for site_id, file in site_files(root).items():
        errors = len(report.errors)
        node = _read_node(file, root, report)
        if len(report.errors) > errors:
            continue
        cells, _ = _cells(node, columns)
        writer.writerow([site_id, *(cells.get(column.name, "") for column in columns)])
    return "\ufeff" + out.getvalue()


def site_files(root: Path) -> dict[str, Path]:
    """Every site a spreadsheet row may name, by id (sorted): valid folder and a site.yml."""
    folder = root / SITES
    if not folder.is_dir():
        return {}
    return {entry.name: entry / SITE_FILE for entry in sorted(folder.iterdir())
            if entry.is_dir() and not entry.name.startswith(".")
            and site_id_problem(entry.name) is None and (entry / SITE_FILE).is_file()}


def _read_node(file: Path, root: Path, report: Diagnostics) -> yaml.Node | None:
    rel = PurePosixPath(file.relative_to(root).as_posix())
    text = read_text(file, rel, report)
    return parse_yaml(text, rel, report) if text is not None else None


def _cells(node: yaml.Node | None, columns: tuple[Column, ...]
           ) -> tuple[dict[str, str], dict[str, str]]:
    """The text of each column present in the site, and the columns whose place in the YAML
    holds a list or mapping where a single value belongs (column -> the offending path)."""
    cells: dict[str, str] = {}
    blocked: dict[str, str] = {}
    for column in columns:
        current = node
        for depth, key in enumerate(column.keys):
            if current is None or _is_empty_scalar(current):
                current = None
                break
            if not isinstance(current, yaml.MappingNode):
                blocked[column.name] = ".".join(column.keys[:depth]) or SITE_FILE
                break
            current = _child(current, key)
        else:
            if current is None:
                continue
            if isinstance(current, yaml.ScalarNode):
                cells[column.name] = current.value
            elif (column.kind == "tags" and isinstance(current, yaml.SequenceNode)
                  and all(isinstance(item, yaml.ScalarNode) for item in current.value)):
                cells[column.name] = TAG_SEPARATOR.join(item.value for item in current.value)
            else:
                blocked[column.name] = column.name
    return cells, blocked


def _child(node: yaml.MappingNode, key: str) -> yaml.Node | None:
    found = None
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            found = value_node  # the last one, as PyYAML would keep; duplicates are errors
    return found


def _is_empty_scalar(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and not node.value.strip()


# --- import -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Edit:
    column: Column
    row: int
    col: int
    old: str | None
    new: str | None  # None: remove the key


@dataclass
class _Site:
    id: str
    file: Path
    node: yaml.Node
    cells: dict[str, str]
    blocked: dict[str, str]
    edits: list[_Edit] = dataclasses.field(default_factory=list)


def import_csv(config: ProjectConfig, root: Path, csv_text: str, csv_name: str,
               report: Diagnostics) -> list[Change]:
    """Write the changed cells of `csv_text` into the sites' site.yml files.

    Every problem is reported at `csv_name:row:column`; if anything was reported, no file is
    written and the result is empty. Sites without a row, and columns left out, are unchanged.
    """
    errors_before = len(report.errors)
    rel = PurePosixPath(csv_name)
    rows = _read_rows(csv_text, rel, report)
    if rows is None:
        return []
    columns = site_columns(config)
    header = _read_header(rows, columns, config, rel, report)
    if header is None:
        return []
    id_col, by_index = header
    width = len(rows[0][1])
    files = site_files(root)
    sites: dict[str, _Site] = {}
    first_row: dict[str, int] = {}
    for number, cells in rows[1:]:
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != width:
            _ragged(number, cells, width, rel, report)
            continue
        site_id = cells[id_col].strip()
        if not _known_site(site_id, number, id_col, files, first_row, rel, report):
            continue
        first_row[site_id] = number
        errors = len(report.errors)
        node = _read_node(files[site_id], root, report)
        if len(report.errors) > errors:
            continue
        node = node or yaml.MappingNode("tag:yaml.org,2002:map", [])  # an empty file
        site = sites[site_id] = _Site(site_id, files[site_id], node, *_cells(node, columns))
        for index, column in by_index.items():
            edit = _edit(site, column, cells[index], number, index + 1)
            if edit is not None:
                site.edits.append(edit)
        _check_edits(site, config, by_index, rel, report)
    if len(report.errors) > errors_before:
        return []
    outputs = []
    for site in sites.values():
        if site.edits:
            data = _rewrite(site, root, report)
            if data is not None:
                outputs.append((site.file, data))
    if len(report.errors) > errors_before:
        return []
    for file, data in outputs:
        _write_bytes(file, data)
    return [Change(site.id, edit.column.name, edit.old, edit.new)
            for site in sites.values() for edit in site.edits]


def _read_rows(csv_text: str, rel: PurePosixPath, report: Diagnostics
               ) -> list[tuple[int, list[str]]] | None:
    """The CSV records, numbered from 1 (the header); a blank line is an empty record."""
    text = csv_text.removeprefix("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = ","  # Excel writes ';' (or tabs) where the decimal point is a comma
    if "," not in first and (";" in first or "\t" in first):
        delimiter = ";" if first.count(";") >= first.count("\t") else "\t"
    rows: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        for number, cells in enumerate(reader, start=1):
            rows.append((number, [_clean(cell) for cell in cells]))
    except csv.Error as exc:
        report.error("bad-csv", SourceRef(rel, len(rows) + 1, 1), hint="hint.csv-syntax",
                     row=len(rows) + 1, problem=str(exc))
        return None
    if not rows or not any(cell.strip() for cell in rows[0][1]):
        report.error("bad-csv", SourceRef(rel, 1, 1), "bad-csv.empty",
                     hint="hint.export-again")
        return None
    return rows


def _clean(cell: str) -> str:
    return unicodedata.normalize("NFC", cell.replace("\r\n", "\n").replace("\r", "\n"))


def _read_header(rows: list[tuple[int, list[str]]], columns: tuple[Column, ...],
                 config: ProjectConfig, rel: PurePosixPath, report: Diagnostics
                 ) -> tuple[int, dict[int, Column]] | None:
    """The `id` column's index and the known columns by index (unknown ones are reported
    and left out, so the rows are still checked); None without an `id` column."""
    names = [cell.strip() for cell in rows[0][1]]
    if ID not in names:
        report.error("bad-csv", SourceRef(rel, 1, 1), "bad-csv.no-id",
                     hint="hint.export-again")
        return None
    known = {column.name: column for column in columns}
    by_index: dict[int, Column] = {}
    seen: dict[str, int] = {}
    for index, name in enumerate(names):
        where = SourceRef(rel, 1, index + 1)
        if name in seen:
            report.error("duplicate-key", where, "duplicate-key.column",
                         hint="hint.duplicate-column", field=name, first=seen[name] + 1)
            continue
        seen[name] = index
        if name in known:
            by_index[index] = known[name]
        elif name == "":
            if any(len(cells) > index and cells[index].strip() for _, cells in rows[1:]):
                report.error("unknown-field", where, "unknown-field.no-name",
                             hint="hint.column-name", column=index + 1)
        elif name != ID:
            _unknown_column(name, index, known, config, rel, report)
    return seen[ID], by_index


def _unknown_column(name: str, index: int, known: dict[str, Column], config: ProjectConfig,
                    rel: PurePosixPath, report: Diagnostics) -> None:
    where = SourceRef(rel, 1, index + 1)
    parent, _, lang = name.rpartition(".")
    localized = next((c for c in known.values()
                      if c.field.kind == "localized" and ".".join(c.field_keys) == parent), None)
    if localized is not None:
        # The schema's own message for a language that is not configured.
        mark = _mark(rel, 1, index + 1)
        node = _nest(localized.field_keys, yaml.MappingNode(
            "tag:yaml.org,2002:map", [(_scalar(lang, mark), _scalar("", mark))], mark), mark)
        validate(node, _spec_for(localized), rel, report, languages=config.lang_codes)
        return
    if name.split(".")[0].split("[")[0] in LIST_FIELDS:
        report.error("unknown-field", where, hint="hint.csv-lists", field=name,
                     lists=", ".join(LIST_FIELDS))
        return
    close = difflib.get_close_matches(name, [ID, *known], n=1, cutoff=0.6)
    if close:
        report.error("unknown-field", where, hint="hint.did-you-mean", field=name,
                     suggestion=close[0])
    else:
        report.error("unknown-field", where, hint="hint.export-again", field=name)


def _ragged(number: int, cells: list[str], width: int, rel: PurePosixPath,
            report: Diagnostics) -> None:
    column = min(len(cells), width) + 1
    report.error("bad-csv", SourceRef(rel, number, column), "bad-csv.ragged",
                 hint="hint.csv-ragged", row=number, cells=len(cells), columns=width)


def _known_site(site_id: str, number: int, id_col: int, files: dict[str, Path],
                first_row: dict[str, int], rel: PurePosixPath, report: Diagnostics) -> bool:
    where = SourceRef(rel, number, id_col + 1)
    if site_id in first_row:
        report.error("duplicate-key", where, "duplicate-key.row", hint="hint.duplicate-row",
                     site=site_id, first=first_row[site_id])
        return False
    if site_id in files:
        return True
    close = difflib.get_close_matches(site_id, list(files), n=1, cutoff=0.6)
    if not site_id:
        report.error("bad-csv", where, "bad-csv.no-site-id", hint="hint.unknown-site")
    elif close:
        report.error("bad-csv", where, "bad-csv.unknown-site", hint="hint.unknown-site-suggest",
                     site=site_id, suggestion=close[0])
    else:
        report.error("bad-csv", where, "bad-csv.unknown-site", hint="hint.unknown-site",
                     site=site_id)
    return False


# --- comparing and checking cells --------------------------------------------------------------

def _edit(site: _Site, column: Column, cell: str, row: int, col: int) -> _Edit | None:
    old = site.cells.get(column.name)
    if column.name in site.blocked and not cell.strip():
        return None
    if _same(column.kind, old or "", cell):
        return None
    if column.kind == "tags":
        new: str | None = TAG_SEPARATOR.join(_tags(cell)) or None
    else:
        new = cell.strip() or None
    return _Edit(column, row, col, old, new)


def _same(kind: str, old: str, new: str) -> bool:
    """Whether a cell means what site.yml says (a spreadsheet may write 70.0, FALSE, a,b)."""
    old, new = _clean(old).strip(), new.strip()
    if kind == "tags":
        return _tags(old) == _tags(new)
    if kind == "number":
        try:
            return float(old) == float(new)
        except ValueError:
            pass
    if kind == "bool" and old.lower() in TRUE_WORDS and new.lower() in TRUE_WORDS:
        return TRUE_WORDS[old.lower()] == TRUE_WORDS[new.lower()]
    return old == new


def _tags(text: str) -> list[str]:
    return [tag.strip() for tag in text.split(",") if tag.strip()]


def _check_edits(site: _Site, config: ProjectConfig, by_index: dict[int, Column],
                 rel: PurePosixPath, report: Diagnostics) -> None:
    """Check a row's changed cells with the schema, and what the changes leave missing."""
    for edit in site.edits:
        where = SourceRef(rel, edit.row, edit.col)
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
            mark = _mark(rel, edit.row, edit.col)
            validate(_nest(edit.column.keys, _value_node(edit.column, edit.new, mark), mark),
                     _spec_for(edit.column), rel, report, languages=config.lang_codes)
    _check_required(site, by_index, rel, report)


def _check_required(site: _Site, by_index: dict[int, Column], rel: PurePosixPath,
                    report: Diagnostics) -> None:
    """A required value the changes empty, or leave out of a mapping they create."""
    before = _plain(site.node)
    if not isinstance(before, dict):
        return  # the edits were reported as wrong-type already
    after = _applied(before, site.edits)
    col_of = {column.name: index + 1 for index, column in by_index.items()}
    blocks: dict[tuple[str, ...], _Edit] = {}
    for edit in site.edits:
        keys = edit.column.field_keys
        for depth in range(len(keys)):
            blocks.setdefault(keys[:depth], edit)
    for keys, first in blocks.items():
        spec = _spec_at(keys)
        now, then = _get(after, keys), _get(before, keys)
        if spec is None or not isinstance(now, dict):
            continue
        for name, fld in spec.items():
            if not fld.required or fld.kind in ("list", "map", "localized"):
                continue
            existed = isinstance(then, dict)
            if _filled(now.get(name)) or (existed and not _filled(then.get(name))):
                continue  # there, or already missing before (that is `heritage check`'s)
            path = ".".join((*keys, name))
            where = SourceRef(rel, first.row, col_of.get(path, first.col))
            if keys:
                report.error("missing-field", where, hint="hint.csv-required-block",
                             field=path, block=".".join(keys))
            else:
                report.error("missing-field", where, hint="hint.csv-required", field=path)


def _filled(value: Any) -> bool:
    return value is not None and (not isinstance(value, str) or bool(value.strip()))


def _spec_at(keys: tuple[str, ...]) -> dict[str, Field] | None:
    spec: dict[str, Field] = SITE_FIELDS
    for key in keys:
        fld = spec.get(key)
        if fld is None or fld.kind != "map":
            return None
        spec = dict(fld.fields)
    return spec


def _field_at(keys: tuple[str, ...]) -> Field:
    fld = SITE_FIELDS[keys[0]]
    for key in keys[1:]:
        fld = fld.fields[key]
    return fld


def _spec_for(column: Column) -> dict[str, Field]:
    """SITE_FIELDS narrowed to the one path of `column` (no other required siblings)."""
    keys = column.field_keys
    fld = column.field
    for depth in range(len(keys) - 1, 0, -1):
        fld = dataclasses.replace(_field_at(keys[:depth]), required=False,
                                  fields={keys[depth]: fld})
    return {keys[0]: fld}


def _mark(rel: PurePosixPath, row: int, col: int) -> yaml.Mark:
    """A YAML position that `schema.validate` reports as `rel:row:col`."""
    return yaml.Mark(str(rel), 0, row - 1, col - 1, None, None)


def _scalar(text: str, mark: yaml.Mark) -> yaml.ScalarNode:
    return yaml.ScalarNode("tag:yaml.org,2002:str", text, mark, mark)


def _value_node(column: Column, text: str, mark: yaml.Mark) -> yaml.Node:
    if column.kind == "tags":
        return yaml.SequenceNode("tag:yaml.org,2002:seq",
                                 [_scalar(tag, mark) for tag in _tags(text)], mark, mark)
    return _scalar(text, mark)


def _nest(keys: tuple[str, ...], node: yaml.Node, mark: yaml.Mark) -> yaml.MappingNode:
    for key in reversed(keys):
        node = yaml.MappingNode("tag:yaml.org,2002:map", [(_scalar(key, mark), node)], mark,
                                mark)
    return node


# --- plain trees: what site.yml means, for checks and for verifying what is written ------------

def _plain(node: yaml.Node | None) -> Any:
    if isinstance(node, yaml.MappingNode):
        return {str(key.value): _plain(value) for key, value in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [_plain(item) for item in node.value]
    return node.value if node is not None else None


def _applied(tree: Any, edits: list[_Edit]) -> Any:
    tree = _copy(tree)
    for edit in edits:
        value = (None if edit.new is None else
                 _tags(edit.new) if edit.column.kind == "tags" else edit.new)
        _put(tree, edit.column.keys, value)
    return tree


def _copy(tree: Any) -> Any:
    if isinstance(tree, dict):
        return {key: _copy(value) for key, value in tree.items()}
    if isinstance(tree, list):
        return [_copy(item) for item in tree]
    return tree


def _put(tree: dict[str, Any], keys: tuple[str, ...], value: Any) -> None:
    """Set (or with None remove) a value; create missing mappings, drop emptied ones."""
    path = [tree]
    for key in keys[:-1]:
        child = path[-1].get(key)
        if not isinstance(child, dict):
            if value is None:
                return
            child = path[-1][key] = {}
        path.append(child)
    if value is not None:
        path[-1][keys[-1]] = value
        return
    path[-1].pop(keys[-1], None)
    for depth in range(len(keys) - 1, 0, -1):
        if path[depth]:
            break
        del path[depth - 1][keys[depth - 1]]


def _get(tree: Any, keys: tuple[str, ...]) -> Any:
    for key in keys:
        if not isinstance(tree, dict):
            return None
        tree = tree.get(key)
    return tree


def _frozen(tree: Any) -> Any:
    """A comparable form that keeps key order and ignores space around values (as checks do)."""
    if isinstance(tree, dict):
        return tuple((key, _frozen(value)) for key, value in tree.items())
    if isinstance(tree, list):
        return tuple(_frozen(item) for item in tree)
    return unicodedata.normalize("NFC", tree).strip() if isinstance(tree, str) else tree


# --- writing site.yml with ruamel.yaml ----------------------------------------------------------

class _TextResolver(VersionedResolver):
    """Resolves no implicit types, like PyYAML's BaseLoader: every scalar keeps its text."""

    @property
    def versioned_resolver(self) -> Any:
        return {}


_RESOLVERS = (yaml.resolver.Resolver(), VersionedResolver(version=(1, 2)))
_EMITTER = Emitter(None, allow_unicode=True)


def _round_trip(text: str) -> YAML:
    mapping, sequence, offset = _indents(text)
    rt = YAML(typ="rt")
    rt.Resolver = _TextResolver
    rt.preserve_quotes = True
    rt.allow_unicode = True
    rt.width = 1_000_000  # never re-wrap long lines
    rt.indent(mapping=mapping, sequence=sequence, offset=offset)
    return rt


def _indents(text: str) -> tuple[int, int, int]:
    """ruamel's (mapping, sequence, offset) indents as this file writes them (default 2, 4, 2)."""
    mapping = offset = None
    lines = [line for line in text.split("\n")
             if line.strip() and not line.lstrip().startswith("#")]
    for line, following in zip(lines, lines[1:]):
        outer, inner = _indent(line), _indent(following)
        if inner < outer or not line.rstrip().endswith(":") or line.lstrip().startswith("-"):
            continue
        if following.lstrip().startswith("- "):  # `key:` then `- item`, maybe not indented
            offset = inner - outer if offset is None else offset
        elif mapping is None and inner > outer:
            mapping = inner - outer
    offset = 2 if offset is None else offset
    return mapping or 2, offset + 2, offset


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _rewrite(site: _Site, root: Path, report: Diagnostics) -> bytes | None:
    """The new bytes of the site's file, verified to mean exactly the intended values."""
    raw = site.file.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    original = raw[3 if bom else 0:].decode("utf-8")
    crlf = "\r\n" in original
    original = original.replace("\r\n", "\n")
    rt = _round_trip(original)
    rel = PurePosixPath(site.file.relative_to(root).as_posix())
    try:
        data = rt.load(original) if original.strip() else CommentedMap()
    except YAMLError as exc:
        report.error("yaml-syntax", SourceRef(rel), hint="hint.yaml-syntax",
                     problem=str(exc).strip().splitlines()[0])
        return None
    before = _dump(rt, data)
    for edit in site.edits:
        _apply(data, edit)
    after = _dump(rt, data)
    expected = _frozen(_applied(_plain(site.node), site.edits))
    for candidate in (_merge(original, before, after, site.node), after):
        if candidate is not None and _means(candidate, rel, expected):
            text = candidate.replace("\n", "\r\n") if crlf else candidate
            return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    raise RuntimeError(f"internal error: the rewritten {rel} does not hold the imported values")


def _dump(rt: YAML, data: Any) -> str:
    out = io.StringIO()
    rt.dump(data, out)
    return out.getvalue()


def _means(text: str, rel: PurePosixPath, expected: Any) -> bool:
    scratch = Diagnostics()
    node = parse_yaml(unicodedata.normalize("NFC", text), rel, scratch)
    return not scratch.errors and _frozen(_plain(node)) == expected


def _apply(data: CommentedMap, edit: _Edit) -> None:
    keys = edit.column.keys
    path = [data]
    for key in keys[:-1]:
        child = path[-1].get(key)
        if not isinstance(child, CommentedMap):
            if edit.new is None:
                return
            child = CommentedMap()
            path[-1][key] = child  # an existing empty key keeps its place; a new one goes last
        path.append(child)
    if edit.new is not None:
        path[-1][keys[-1]] = _yaml_value(edit.column, edit.new, path[-1].get(keys[-1]))
        return
    path[-1].pop(keys[-1], None)
    for depth in range(len(keys) - 1, 0, -1):
        if len(path[depth]):
            break
        del path[depth - 1][keys[depth - 1]]


def _yaml_value(column: Column, text: str, old: Any) -> Any:
    """The new value, quoted as the old one was (or as the project writes new text), and in
    double quotes wherever a plain value would mean something else (0123, no, 12:30, dates)."""
    if column.kind == "tags":
        seq = CommentedSeq(_styled(tag, "text", "plain", flow=True) for tag in _tags(text))
        if not isinstance(old, CommentedSeq) or old.fa.flow_style() is not False:
            seq.fa.set_flow_style()  # like the old list, or [] (flow style unknown), or new
        return seq
    if isinstance(old, DoubleQuotedScalarString):
        style = '"'
    elif isinstance(old, SingleQuotedScalarString):
        style = "'"
    elif isinstance(old, LiteralScalarString):
        style = "|"
    elif isinstance(old, FoldedScalarString):
        style = '"'
    elif isinstance(old, str) and old.strip():
        style = "plain"
    else:
        style = '"' if column.kind in NEW_KEY_QUOTED else "plain"
    return _styled(text, column.kind, style)


def _styled(text: str, kind: str, style: str, *, flow: bool = False) -> Any:
    if style == "|" and "\n" in text:
        return LiteralScalarString(text)
    if style == "'" and "\n" not in text and text.isprintable():
        return SingleQuotedScalarString(text)
    if style == "plain" and _plain_keeps_meaning(text, kind, flow):
        return text
    return DoubleQuotedScalarString(text)


def _plain_keeps_meaning(text: str, kind: str, flow: bool) -> bool:
    """Whether `text` may go unquoted: YAML reads it back as the same text, and both YAML 1.1
    (PyYAML) and 1.2 readers take it for the field's kind (a yes/no flag: either of them)."""
    analysis = _EMITTER.analyze_scalar(text)
    if analysis.multiline or not (analysis.allow_flow_plain if flow
                                  else analysis.allow_block_plain):
        return False
    tags = [str(resolver.resolve(node, text, (True, False))).rsplit(":", 1)[-1]
            for resolver, node in zip(_RESOLVERS, (yaml.ScalarNode, RuamelScalarNode))]
    if kind == "bool":
        return "bool" in tags
    if kind == "number":  # 0123 is 83 to YAML 1.1 and 123 to 1.2
        return all(tag in ("int", "float") for tag in tags) and not LEADING_ZERO.match(text)
    return all(tag == "str" for tag in tags)


def _merge(original: str, before: str, after: str, node: yaml.Node) -> str | None:
    """`original` with ruamel's changes (`before` -> `after`) laid over it.

    `before` is ruamel's rendering of the untouched file, `after` of the edited one. The file is
    cut into segments, one per key or list entry (its line, what follows up to the next one),
    matched between `original` and `before` by the YAML structure. A segment no change touches
    is copied from the original, byte for byte, even where ruamel would write it differently;
    a touched one is taken line by line from the original where it lines up, else from ruamel.
    Comment and blank lines are never dropped with a removed key. New lines go above the
    comment and blank lines that end a block, as those belong to what follows; after the last
    key of the file only above a blank line (comments right under the last key, such as
    commented-out entries, belong to it). None when the two renderings do not match up.
    """
    old_lines, before_lines, after_lines = (text.split("\n") for text in
                                            (original, before, after))
    scratch = Diagnostics()
    before_node = parse_yaml(before, PurePosixPath(SITE_FILE), scratch)
    bounds = [(0, 0)]
    try:
        _anchors(node, before_node, bounds)
    except _Misaligned:
        return None
    bounds.append((len(old_lines), len(before_lines)))
    segments = []  # (old start, old end, before start, before end)
    for (old_start, before_start), (old_end, before_end) in zip(bounds, bounds[1:]):
        if old_end < old_start or before_end < before_start:
            return None
        segments.append((old_start, old_end, before_start, before_end))
    segment_of = [index for index, (_, _, start, end) in enumerate(segments)
                  for _ in range(start, end)]
    old_loose, before_loose = _loose_lines(old_lines, node), _loose_lines(before_lines,
                                                                          before_node)
    opcodes = difflib.SequenceMatcher(None, before_lines, after_lines,
                                      autojunk=False).get_opcodes()
    touched = {segment_of[i] for tag, i1, i2, _, _ in opcodes if tag != "equal"
               for i in range(i1, i2)}
    multi_line = {line for first, last in _multi_line_spans(node) for line in (first, last)}

    def line(i: int) -> tuple[str, bool, bool]:
        """Line i of `before` as the original writes it (touched, lined-up segments)."""
        old_start, old_end, start, end = segments[segment_of[i]]
        if old_end - old_start == end - start and not multi_line & set(range(old_start,
                                                                             old_end)):
            j = old_start + i - start
            return old_lines[j], j in old_loose, False
        return before_lines[i], i in before_loose, False

    out: list[tuple[str, bool, bool]] = []  # (line, comment or blank line, inserted)
    copied: set[int] = set()
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            for i in range(i1, i2):
                index = segment_of[i]
                if index in touched:
                    out.append(line(i))
                elif index not in copied:
                    copied.add(index)
                    old_start, old_end = segments[index][:2]
                    out.extend((old_lines[j], j in old_loose, False)
                               for j in range(old_start, old_end))
            continue
        out.extend((text, False, tag == "insert") for text in after_lines[j1:j2])
        out.extend(kept for kept in map(line, range(i1, i2))
                   if kept[1] and kept[0] not in after_lines[j1:j2])
    _place_insertions(out, limit=len(out) - 1 if original.endswith("\n") else len(out))
    return "\n".join(text for text, _, _ in out)


class _Misaligned(Exception):
    """The original and ruamel's rendering of it do not have the same structure."""


def _anchors(old: yaml.Node | None, before: yaml.Node | None,
             bounds: list[tuple[int, int]]) -> None:
    """The (original, ruamel) first lines of every key and block-list entry, in order."""
    if isinstance(old, yaml.CollectionNode) and old.flow_style:
        return  # a flow collection stays within the segment of its key
    if isinstance(old, yaml.MappingNode) and isinstance(before, yaml.MappingNode):
        pairs = [(old_key, before_key) for (old_key, _), (before_key, _) in
                 zip(old.value, before.value)]
        children = [(old_value, before_value) for (_, old_value), (_, before_value) in
                    zip(old.value, before.value)]
    elif isinstance(old, yaml.SequenceNode) and isinstance(before, yaml.SequenceNode):
        pairs = children = list(zip(old.value, before.value))
    elif isinstance(old, yaml.ScalarNode) and isinstance(before, yaml.ScalarNode):
        return
    else:
        raise _Misaligned
    if len(old.value) != len(before.value):
        raise _Misaligned
    for (old_item, before_item), (old_child, before_child) in zip(pairs, children):
        anchor = (old_item.start_mark.line, before_item.start_mark.line)
        if anchor[0] > bounds[-1][0] and anchor[1] > bounds[-1][1]:
            bounds.append(anchor)
        elif anchor[0] > bounds[-1][0] or anchor[1] > bounds[-1][1]:
            raise _Misaligned  # a new line in one but not the other
        _anchors(old_child, before_child, bounds)


def _loose_lines(lines: list[str], node: yaml.Node | None) -> set[int]:
    """The comment and blank lines (a '#' inside a multi-line value is text, not a comment)."""
    inside = {line for first, last in _multi_line_spans(node)
              for line in range(first + 1, last + 1)}
    return {index for index, text in enumerate(lines) if index not in inside
            and (not text.strip() or text.strip().startswith("#"))}


def _place_insertions(out: list[tuple[str, bool, bool]], limit: int) -> None:
    """Move each run of inserted lines to its place among the comment lines around it."""
    index = 0
    while index < len(out):
        if not out[index][2]:
            index += 1
            continue
        end = index
        while end < len(out) and out[end][2]:
            end += 1
        run = [(line, False, False) for line, _, _ in out[index:end]]
        del out[index:end]
        start = stop = index
        while start and out[start - 1][1]:
            start -= 1
        while stop < len(out) and out[stop][1]:
            stop += 1
        if stop >= len(out):  # nothing but comments follows: the end of the file
            start = next((k for k in range(start, min(limit, len(out)))
                          if not out[k][0].strip()), min(limit, len(out)))
        out[start:start] = run
        index = start + len(run)


def _multi_line_spans(node: yaml.Node | None) -> list[tuple[int, int]]:
    """(first, last) 0-based lines of each value written over several lines: a multi-line
    scalar or flow collection (a '#' inside one is text, not a comment)."""
    spans = []
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        start, end = current.start_mark, current.end_mark
        last = end.line if end.column > 0 else end.line - 1
        flow = isinstance(current, yaml.CollectionNode) and current.flow_style
        if (isinstance(current, yaml.ScalarNode) or flow) and last > start.line:
            spans.append((start.line, last))
        elif isinstance(current, yaml.MappingNode):
            stack.extend(item for pair in current.value for item in pair)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return spans


def _write_bytes(file: Path, data: bytes) -> None:
    """Replace the file in one step, so an interrupted import never leaves half a file."""
    temporary = file.with_name(f".{file.name}.import")
    temporary.write_bytes(data)
    os.replace(temporary, file)
