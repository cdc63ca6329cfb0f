"""The spreadsheet round trip: every site's facts as one CSV row, and an edited CSV back.

This module is the round trip's public face (`export_csv`, `import_csv`, `site_columns`,
`site_files`, `Change`); each part lives in a module of its own: `spreadsheet_columns` (which
fields become columns, and each column's schema), `spreadsheet_sites` (which site.yml files a
row may name, and their cells), `spreadsheet_export`, `spreadsheet_table` (reading the CSV),
`spreadsheet_edits` (which cells change a site, and their checks), `spreadsheet_import` (the
import from reading to writing), `spreadsheet_writer` (ruamel.yaml round trip),
`spreadsheet_overlay` (keeping untouched lines byte for byte) and `spreadsheet_trees` (what a
file means, for checks and verification).
"""

from __future__ import annotations

from generator.spreadsheet_columns import Column, site_columns
from generator.spreadsheet_export import export_csv
from generator.spreadsheet_import import Change, import_csv
from generator.spreadsheet_sites import site_files

__all__ = ["Change", "Column", "export_csv", "import_csv", "site_columns", "site_files"]
