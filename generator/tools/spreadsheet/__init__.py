"""The spreadsheet round trip: every site's facts as one CSV row, and an edited CSV back.

This module is the round trip's public face (`export_csv`, `import_csv`, `site_columns`,
`site_files`, `Change`); each part lives in a module of its own: `columns` (which
fields become columns, and each column's schema), `sites` (which site.yml files a
row may name, and their cells), `export`, `table` (reading the CSV),
`edits` (which cells change a site, and their checks), `importer` (the
import from reading to writing), `writer` (ruamel.yaml round trip),
`overlay` (keeping untouched lines byte for byte) and `trees` (what a
file means, for checks and verification).
"""

from __future__ import annotations

from generator.tools.spreadsheet.columns import Column, site_columns
from generator.tools.spreadsheet.export import export_csv
from generator.tools.spreadsheet.importer import Change, import_csv
from generator.tools.spreadsheet.sites import site_files

__all__ = ["Change", "Column", "export_csv", "import_csv", "site_columns", "site_files"]
