"""The tool's own YAML files (message catalogue, interface strings, field reference).

Read with libyaml's safe loader when PyYAML has it: the catalogue alone takes half a second
with the pure-Python one, paid by every build and every `heritage check`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_data(file: Path) -> Any:
    """The file's YAML as plain Python values (None for an empty file)."""
    return yaml.load(file.read_text("utf-8"), Loader=_LOADER)  # noqa: S506 (a safe loader)
