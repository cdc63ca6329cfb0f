"""The edited CSV read as a table: numbered rows, the header's columns, and each row's site.

Spreadsheets save CSV in more than one way (a BOM, ';' or tabs where the decimal point is a
comma, CR or CRLF inside cells, decomposed accents), so cells are normalized here, once, before
anything compares them. Every problem with the table itself (CSV it cannot parse, no `id` column,
an unknown or repeated column, a row of the wrong width, an unknown or repeated site) is reported
at `file.csv:row:column`, where row 1 is the header and a row is a CSV record, which is a
spreadsheet row, so that an editor can go straight to the cell.
"""

from __future__ import annotations

import csv
import difflib
import io
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.load.config import ProjectConfig
from generator.core.diagnostics import Diagnostics
from generator.core.model import SourceRef
from generator.tools.spreadsheet.columns import ID, LIST_FIELDS, Column, check_cell
from maps.export import restore_cell

Row = tuple[int, list[str]]  # the spreadsheet's row number (1 is the header), and its cells


@dataclass(frozen=True)
class Table:
    """A CSV whose header names an `id` column: its rows after the header, its known columns."""

    rel: PurePosixPath  # the CSV file, as messages name it
    rows: list[Row]
    width: int  # the number of cells in the header
    id_index: int
    columns: dict[int, Column]  # by index; unknown columns are left out

    def site_rows(self, files: dict[str, Path], report: Diagnostics
                  ) -> Iterator[tuple[int, str, list[str]]]:
        """(row number, site id, cells) of each row naming a known site for the first time;
        blank rows are skipped, the others reported."""
        first_row: dict[str, int] = {}
        for number, cells in self.rows:
            if _is_blank(cells):
                continue
            if len(cells) != self.width:
                _report_ragged(SourceRef(self.rel, number, min(len(cells), self.width) + 1),
                               len(cells), self.width, report)
                continue
            site_id = cells[self.id_index].strip()
            where = SourceRef(self.rel, number, self.id_index + 1)
            if _is_new_site(site_id, where, files, first_row, report):
                first_row[site_id] = number
                yield number, site_id, cells


def read_table(csv_text: str, rel: PurePosixPath, columns: tuple[Column, ...],
               config: ProjectConfig, report: Diagnostics) -> Table | None:
    """The CSV as a table of `columns`; None, once reported, if it cannot be read or has no
    `id` column (unknown columns are reported and left out, so the rows are still checked)."""
    rows = _read_rows(csv_text, rel, report)
    if rows is None:
        return None
    header = [cell.strip() for cell in rows[0][1]]
    if ID not in header:
        report.error("bad-csv", SourceRef(rel, 1, 1), "bad-csv.no-id", hint="hint.export-again")
        return None
    known = _known_columns(header, rows[1:], columns, config, rel, report)
    return Table(rel, rows[1:], len(header), header.index(ID), known)


def clean_cell(text: str) -> str:
    """A cell's text as site.yml text is read: NFC, with '\\n' line ends."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def _read_rows(csv_text: str, rel: PurePosixPath, report: Diagnostics) -> list[Row] | None:
    """The CSV records, numbered from 1 (the header); a blank line is an empty record."""
    text = csv_text.removeprefix("\ufeff")
    rows: list[Row] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    try:
        for number, cells in enumerate(reader, start=1):
            rows.append((number, [restore_cell(clean_cell(cell)) for cell in cells]))
    except csv.Error as exc:
        report.error("bad-csv", SourceRef(rel, len(rows) + 1, 1), hint="hint.csv-syntax",
                     row=len(rows) + 1, problem=str(exc))
        return None
    if not rows or _is_blank(rows[0][1]):
        report.error("bad-csv", SourceRef(rel, 1, 1), "bad-csv.empty", hint="hint.export-again")
        return None
    return rows


def _delimiter(text: str) -> str:
    """',' unless the first line has none but has ';' or tabs, as Excel writes where the
    decimal point is a comma."""
    first = text.split("\n", 1)[0]
    if "," not in first and (";" in first or "\t" in first):
        return ";" if first.count(";") >= first.count("\t") else "\t"
    return ","


def _is_blank(cells: list[str]) -> bool:
    return not any(cell.strip() for cell in cells)


def _known_columns(header: list[str], rows: list[Row], columns: tuple[Column, ...],
                   config: ProjectConfig, rel: PurePosixPath, report: Diagnostics
                   ) -> dict[int, Column]:
    """The header's known columns by index; repeated, unknown and unnamed ones are reported."""
    known = {column.name: column for column in columns}
    by_index: dict[int, Column] = {}
    seen: dict[str, int] = {}
    for index, name in enumerate(header):
        where = SourceRef(rel, 1, index + 1)
        if name in seen:
            report.error("duplicate-key", where, "duplicate-key.column",
                         hint="hint.duplicate-column", field=name, first=seen[name] + 1)
            continue
        seen[name] = index
        if name in known:
            by_index[index] = known[name]
        elif name == "":
            if any(len(cells) > index and cells[index].strip() for _, cells in rows):
                report.error("unknown-field", where, "unknown-field.no-name",
                             hint="hint.column-name", column=index + 1)
        elif name != ID:
            _unknown_column(name, where, known, config, report)
    return by_index


def _unknown_column(name: str, where: SourceRef, known: dict[str, Column],
                    config: ProjectConfig, report: Diagnostics) -> None:
    parent, _, lang = name.rpartition(".")
    localized = next((c for c in known.values()
                      if c.field.kind == "localized" and ".".join(c.field_keys) == parent), None)
    if localized is not None:  # the schema's own message for a language that is not configured
        column = Column(name, (*localized.field_keys, lang), localized.field)
        check_cell(column, "", where, config.lang_codes, report)
    elif name.split(".")[0].split("[")[0] in LIST_FIELDS:
        report.error("unknown-field", where, hint="hint.csv-lists", field=name,
                     lists=", ".join(LIST_FIELDS))
    else:
        close = difflib.get_close_matches(name, [ID, *known], n=1, cutoff=0.6)
        if close:
            report.error("unknown-field", where, hint="hint.did-you-mean", field=name,
                         suggestion=close[0])
        else:
            report.error("unknown-field", where, hint="hint.export-again", field=name)


def _report_ragged(where: SourceRef, cells: int, width: int, report: Diagnostics) -> None:
    report.error("bad-csv", where, "bad-csv.ragged", hint="hint.csv-ragged", row=where.line,
                 cells=cells, columns=width)


def _is_new_site(site_id: str, where: SourceRef, files: dict[str, Path],
                 first_row: dict[str, int], report: Diagnostics) -> bool:
    """Whether the row names a site that exists and has no row before it (else reported)."""
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
