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
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


def parallel_map(function: Callable[[Item], Result], items: Sequence[Item],
                 smallest: int = 1) -> list[Result]:
    """function over items in order, across every core; fewer than `smallest` items (where
    starting workers costs more than it saves) run here. `function` must be a module-level
    function and items picklable."""
    with started_map(function, items, smallest) as results:
        return results()


@contextmanager
def started_map(function: Callable[[Item], Result], items: Sequence[Item],
                smallest: int = 1) -> Iterator[Callable[[], list[Result]]]:
    """parallel_map begun at once, for a caller with other work to do meanwhile: it calls
    what it is given for the results, which waits for them (too few items for workers are
    only worked through then, here). Leaving the block cancels the
    items not begun and waits for the rest, so no worker outlives it. Items go out in small
    batches, so that no core is left idle while the other finishes a long one; put the
    longest items first."""
    workers = min(len(items), os.cpu_count() or 1)
    if len(items) < smallest or workers < 2:
        yield lambda: [function(item) for item in items]
        return
    pool = ProcessPoolExecutor(max_workers=workers,
                               mp_context=multiprocessing.get_context("forkserver"))
    try:
        results = pool.map(function, items, chunksize=max(1, len(items) // (32 * workers)))
        yield lambda: list(results)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
