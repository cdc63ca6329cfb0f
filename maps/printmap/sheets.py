"""Splitting a map with too many markers into sheets by area, so no number of places breaks it.

A group of markers that cannot share one sheet at a readable size (too many for the paper, or a
legend that would shrink below READABLE_PT) is cut in two at the median of its longer side, and
each half is tried again. The cut depends only on the positions and tags, never on the order they
come in, so the same places give the same sheets. Each sheet keeps its markers in the caller's
order.
"""

from __future__ import annotations

from collections.abc import Callable

from .input import MapMarker
from .layout import mercator

# The most markers one sheet of each paper holds before it is split, whatever the legend says:
# past that the circles crowd each other even where the labels are short.
MOST_PER_SHEET = {"A4": 24, "A3": 48}


def split_sheets(
    markers: list[MapMarker], fits: Callable[[list[MapMarker]], bool], most: int
) -> list[list[MapMarker]]:
    """The markers in one or more groups, each of at most `most` markers for which fits() holds.

    Groups come west to east within each cut (south to north on a vertical one), so sheet
    numbers run in reading order of the cuts. A single marker is always one sheet.
    """
    order = {marker.tag: index for index, marker in enumerate(markers)}
    done: list[list[MapMarker]] = []
    _split(markers, fits, most, done)
    return [sorted(group, key=lambda m: order[m.tag]) for group in done]


def _split(group: list[MapMarker], fits: Callable[[list[MapMarker]], bool], most: int,
           done: list[list[MapMarker]]) -> None:
    if len(group) == 1 or (len(group) <= most and fits(group)):
        done.append(group)
        return
    points = {m.tag: mercator(m.point) for m in group}
    xs = [x for x, _ in points.values()]
    ys = [y for _, y in points.values()]
    axis = 0 if max(xs) - min(xs) >= max(ys) - min(ys) else 1
    ordered = sorted(group, key=lambda m: (points[m.tag][axis], points[m.tag][1 - axis], m.tag))
    half = len(ordered) // 2
    first, second = ordered[:half], ordered[half:]
    if axis == 1:  # north is up: list the northern half first
        first, second = second, first
    _split(first, fits, most, done)
    _split(second, fits, most, done)
