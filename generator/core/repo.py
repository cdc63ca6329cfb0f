"""The project's git repository, as the checks read it: the ledger's history, the source a
translation was made from, whether the build cache is tracked."""

from __future__ import annotations

import subprocess
from pathlib import Path


def git(root: Path, *args: str) -> str:
    """git's output for `args` run in `root`; CalledProcessError when git refuses (not a
    repository, a missing revision, a checkout owned by another user), OSError without git."""
    return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True,
                          check=True).stdout
