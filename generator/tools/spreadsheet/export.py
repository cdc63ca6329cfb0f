"""Export: every site's facts as one CSV row, in the form spreadsheets open without questions.

The text starts with a UTF-8 BOM (so Excel reads Vietnamese as UTF-8) and follows RFC 4180 with
CRLF rows: the header (`id`, then the columns of `columns`), then one row per site,
sorted by id, each cell the text as written in site.yml (one that a spreadsheet would run as a
formula, starting with = + - @, gets a leading apostrophe, which the import takes off again,
so LibreOffice and Excel show the text instead). `code` is exported although the
import will not change it: it is the permanent QR code, which only `heritage codes assign` issues
(together with the ledger).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from generator.load.config import ProjectConfig
from generator.core.diagnostics import Diagnostics
from generator.tools.spreadsheet.columns import ID, site_columns
from generator.tools.spreadsheet.sites import read_site, site_cells, site_files
from maps.export import inert_cell


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
        node = read_site(file, root, report)
        if node is not None:
            cells, _ = site_cells(node, columns)
            writer.writerow([site_id, *(inert_cell(cells.get(column.name, ""))
                                        for column in columns)])
    return "\ufeff" + out.getvalue()
