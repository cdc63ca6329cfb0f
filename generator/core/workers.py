"""Process pools for the work that keeps every core busy: print files, safety checks of new
texts, page scans, QR decodes.

Workers start from a fork server, not as a fork of the build: the build makes them while the
renderer's thread runs, and a fork would copy that thread's locks. As with the spawn start of
macOS and Windows, a script that calls build() needs the usual `if __name__ == "__main__":`
guard.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


def parallel_map(function: Callable[[Item], Result], items: Sequence[Item],
                 smallest: int = 1) -> Iterable[Result]:
    """function over items in order, across every core; fewer than `smallest` items (where
    starting workers costs more than it saves) run here. `function` must be a module-level
    function and items picklable."""
    workers = min(len(items), os.cpu_count() or 1)
    if len(items) < smallest or workers < 2:
        return [function(item) for item in items]
    with ProcessPoolExecutor(max_workers=workers,
                             mp_context=multiprocessing.get_context("forkserver")) as pool:
        return list(pool.map(function, items, chunksize=max(1, len(items) // (8 * workers))))
