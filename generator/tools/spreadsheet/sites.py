"""The sites a spreadsheet holds: which site.yml files a row may name, and each one's cells.

Export and import read site.yml as `heritage check` does (UTF-8, YAML composed with positions,
BaseLoader text), so a cell holds the text exactly as written: `0123` and `no` stay text, and a
value that was not changed compares equal on the way back. Where the YAML holds a list or mapping
in the place of a column's single value, the column is reported as blocked rather than read, so
that an import never overwrites what the spreadsheet could not show.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import yaml

from generator.core.diagnostics import Diagnostics
from generator.load.project import SITE_FILE, SITES, site_id_problem
from generator.load.sourcefile import parse_yaml, read_text
from generator.tools.spreadsheet.columns import TAG_SEPARATOR, Column


def site_files(root: Path) -> dict[str, Path]:
    """Every site a spreadsheet row may name, by id (sorted): valid folder and a site.yml."""
    folder = root / SITES
    if not folder.is_dir():
        return {}
    return {entry.name: entry / SITE_FILE for entry in sorted(folder.iterdir())
            if entry.is_dir() and not entry.name.startswith(".")
            and site_id_problem(entry.name) is None and (entry / SITE_FILE).is_file()}


def relative(file: Path, root: Path) -> PurePosixPath:
    """The file's path as messages show it: relative to the project, with '/'."""
    return PurePosixPath(file.relative_to(root).as_posix())


def read_site(file: Path, root: Path, report: Diagnostics) -> yaml.Node | None:
    """The site.yml node tree (an empty mapping for an empty file); None once a problem with
    the file (not UTF-8, broken YAML, a duplicate key) has been reported."""
    errors = len(report.errors)
    rel = relative(file, root)
    text = read_text(file, rel, report)
    node = parse_yaml(text, rel, report) if text is not None else None
    if len(report.errors) > errors:
        return None
    return node or yaml.MappingNode("tag:yaml.org,2002:map", [])


def site_cells(node: yaml.Node, columns: tuple[Column, ...]
               ) -> tuple[dict[str, str], dict[str, str]]:
    """The text of each column present in the site, and the columns whose place in the YAML
    holds a list or mapping where a single value belongs (column -> the offending path)."""
    cells: dict[str, str] = {}
    blocked: dict[str, str] = {}
    for column in columns:
        value, blocked_at = _lookup(node, column.keys)
        if blocked_at is not None:
            blocked[column.name] = blocked_at
        elif isinstance(value, yaml.ScalarNode):
            cells[column.name] = value.value
        elif column.kind == "tags" and isinstance(value, yaml.SequenceNode) and all(
                isinstance(item, yaml.ScalarNode) for item in value.value):
            cells[column.name] = TAG_SEPARATOR.join(item.value for item in value.value)
        elif value is not None:
            blocked[column.name] = column.name
    return cells, blocked


def _lookup(node: yaml.Node, keys: tuple[str, ...]) -> tuple[yaml.Node | None, str | None]:
    """The value at `keys` (None if a key on the way is missing or empty), or else the path of
    the first value on the way that is not a mapping."""
    current: yaml.Node | None = node
    for depth, key in enumerate(keys):
        if current is None or _is_empty_scalar(current):
            return None, None
        if not isinstance(current, yaml.MappingNode):
            return None, ".".join(keys[:depth]) or SITE_FILE
        current = _value_of(current, key)
    return current, None


def _value_of(node: yaml.MappingNode, key: str) -> yaml.Node | None:
    found = None
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            found = value_node  # the last one, as PyYAML would keep; duplicates are errors
    return found


def _is_empty_scalar(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and not node.value.strip()
