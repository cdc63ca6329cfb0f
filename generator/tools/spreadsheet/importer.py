"""Import: an edited CSV's changed cells, checked, then written into the sites' site.yml files.

Nothing is written unless the whole spreadsheet is right. Every row is read and every changed
cell checked first, so that an editor sees all the problems of one spreadsheet at once, each at
`file.csv:row:column`; then every file with edits is rendered and verified; only then is each
file replaced, in one step. Sites without a row, and columns left out of the header, are not
touched, so a spreadsheet of a few sites or a few columns is a valid import.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.load.config import ProjectConfig
from generator.core.diagnostics import Diagnostics
from generator.tools.spreadsheet.columns import Column, site_columns
from generator.tools.spreadsheet.edits import SiteUpdate, check_edits, row_edits
from generator.tools.spreadsheet.sites import read_site, site_cells, site_files
from generator.tools.spreadsheet.table import Table, read_table
from generator.tools.spreadsheet.writer import rewrite, write_atomically


@dataclass(frozen=True)
class Change:
    """One cell written into a site.yml: `old`/`new` are None where the key is absent."""

    site: str
    field: str
    old: str | None
    new: str | None


def import_csv(config: ProjectConfig, root: Path, csv_text: str, csv_name: str,
               report: Diagnostics) -> list[Change]:
    """Write the changed cells of `csv_text` into the sites' site.yml files.

    Every problem is reported at `csv_name:row:column`; if anything was reported, no file is
    written and the result is empty. Sites without a row, and columns left out, are unchanged.
    """
    errors_before = len(report.errors)
    columns = site_columns(config)
    table = read_table(csv_text, PurePosixPath(csv_name), columns, config, report)
    if table is None:
        return []
    sites = _read_sites(table, columns, config, root, report)
    if len(report.errors) > errors_before:
        return []
    outputs = []
    for site in sites:
        data = rewrite(site, root, report) if site.edits else None
        if data is not None:
            outputs.append((site.file, data))
    if len(report.errors) > errors_before:
        return []
    for file, data in outputs:
        write_atomically(file, data)
    return [Change(site.id, edit.column.name, edit.old, edit.new)
            for site in sites for edit in site.edits]


def _read_sites(table: Table, columns: tuple[Column, ...], config: ProjectConfig, root: Path,
                report: Diagnostics) -> list[SiteUpdate]:
    """Each site the table's rows name, with its row's edits checked (problems reported)."""
    files = site_files(root)
    sites = []
    for row, site_id, cells in table.site_rows(files, report):
        node = read_site(files[site_id], root, report)
        if node is None:
            continue
        site = SiteUpdate(site_id, files[site_id], node, *site_cells(node, columns))
        site.edits.extend(row_edits(site, table.columns, cells, row))
        check_edits(site, table, config.lang_codes, report)
        sites.append(site)
    return sites
