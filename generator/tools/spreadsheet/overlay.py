"""Laying ruamel's changes over the original site.yml, so that untouched lines stay byte for byte.

ruamel keeps comments and order but not every detail of layout (odd spacing, unindented lists,
a plain text over two lines, a flow mapping), and an editor's diff should show only the lines
the spreadsheet changed. So the file is cut into segments, one per key or block-list entry,
matched between the original and ruamel's rendering of it by the YAML structure; a segment no
change touches is copied from the original, and a touched one is taken from the original line
by line where it lines up, else from ruamel. Where the two renderings do not match up at all,
there is no overlay and the writer uses ruamel's own output.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import NamedTuple

import yaml

from generator.core.diagnostics import Diagnostics
from generator.load.project import SITE_FILE
from generator.load.sourcefile import parse_yaml

Opcode = tuple[str, int, int, int, int]  # difflib's (tag, i1, i2, j1, j2)


class _Line(NamedTuple):
    text: str
    loose: bool  # a comment or blank line
    inserted: bool  # new in ruamel's edited rendering


class _Segment(NamedTuple):
    """Lines [old_start, old_end) of the original stand for [start, end) of ruamel's."""

    old_start: int
    old_end: int
    start: int
    end: int


class _Misaligned(Exception):
    """The original and ruamel's rendering of it do not have the same structure."""


def overlay(original: str, before: str, after: str, node: yaml.Node) -> str | None:
    """`original` with ruamel's changes (`before` -> `after`) laid over it.

    `before` is ruamel's rendering of the untouched file, `after` of the edited one, `node` the
    original's YAML. Comment and blank lines are never dropped with a removed key. New lines go
    above the comment and blank lines that end a block, as those belong to what follows; after
    the last key of the file only above a blank line (comments right under the last key, such
    as commented-out entries, belong to it). None when the two renderings do not match up,
    or the original has no positioned nodes (the empty mapping standing in for an empty file).
    """
    if node.start_mark is None:
        return None
    old_lines, before_lines, after_lines = (text.split("\n") for text in
                                            (original, before, after))
    before_node = parse_yaml(before, PurePosixPath(SITE_FILE), Diagnostics())
    segments = _segments(node, before_node, len(old_lines), len(before_lines))
    if segments is None:
        return None
    spans = _multi_line_spans(node)
    sides = _Sides(old_lines, before_lines, segments, _loose_lines(old_lines, spans),
                   _loose_lines(before_lines, _multi_line_spans(before_node)),
                   {line for span in spans for line in span})
    opcodes = difflib.SequenceMatcher(None, before_lines, after_lines,
                                      autojunk=False).get_opcodes()
    out = sides.merged(opcodes, after_lines)
    _place_insertions(out, limit=len(out) - 1 if original.endswith("\n") else len(out))
    return "\n".join(line.text for line in out)


def _segments(node: yaml.Node, before_node: yaml.Node | None, old_count: int,
              before_count: int) -> list[_Segment] | None:
    """The matching segments of the two renderings, in order; None if they do not match up."""
    bounds = [(0, 0)]
    try:
        _anchors(node, before_node, bounds)
    except _Misaligned:
        return None
    bounds.append((old_count, before_count))
    segments = [_Segment(old_start, old_end, start, end) for (old_start, start), (old_end, end)
                in zip(bounds, bounds[1:])]
    if any(s.old_end < s.old_start or s.end < s.start for s in segments):
        return None
    return segments


def _anchors(old: yaml.Node | None, before: yaml.Node | None,
             bounds: list[tuple[int, int]]) -> None:
    """The (original, ruamel) first lines of every key and block-list entry, in order."""
    if isinstance(old, yaml.CollectionNode) and old.flow_style:
        return  # a flow collection stays within the segment of its key
    if isinstance(old, yaml.MappingNode) and isinstance(before, yaml.MappingNode):
        # (what starts the line, what is nested under it) in both
        items = [(old_key, before_key, old_value, before_value) for (old_key, old_value),
                 (before_key, before_value) in zip(old.value, before.value)]
    elif isinstance(old, yaml.SequenceNode) and isinstance(before, yaml.SequenceNode):
        items = [(old_item, before_item, old_item, before_item) for old_item, before_item
                 in zip(old.value, before.value)]
    elif isinstance(old, yaml.ScalarNode) and isinstance(before, yaml.ScalarNode):
        return
    else:
        raise _Misaligned
    if len(old.value) != len(before.value):
        raise _Misaligned
    for old_item, before_item, old_child, before_child in items:
        anchor = (old_item.start_mark.line, before_item.start_mark.line)
        if anchor[0] > bounds[-1][0] and anchor[1] > bounds[-1][1]:
            bounds.append(anchor)
        elif anchor[0] > bounds[-1][0] or anchor[1] > bounds[-1][1]:
            raise _Misaligned  # a new line in one but not the other
        _anchors(old_child, before_child, bounds)


def _multi_line_spans(node: yaml.Node | None) -> list[tuple[int, int]]:
    """(first, last) 0-based lines of each value written over several lines: a multi-line
    scalar or flow collection (a '#' inside one is text, not a comment)."""
    spans = []
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        start, end = current.start_mark, current.end_mark
        last = end.line if end.column > 0 else end.line - 1
        flow = isinstance(current, yaml.CollectionNode) and current.flow_style
        if (isinstance(current, yaml.ScalarNode) or flow) and last > start.line:
            spans.append((start.line, last))
        elif isinstance(current, yaml.MappingNode):
            stack.extend(item for pair in current.value for item in pair)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return spans


def _loose_lines(lines: list[str], spans: list[tuple[int, int]]) -> set[int]:
    """The comment and blank lines, given the multi-line values' `spans` (a '#' inside one is
    text, not a comment)."""
    inside = {line for first, last in spans for line in range(first + 1, last + 1)}
    return {index for index, text in enumerate(lines) if index not in inside
            and (not text.strip() or text.strip().startswith("#"))}


@dataclass
class _Sides:
    """The original's lines and ruamel's rendering of them, cut into matching segments."""

    old_lines: list[str]
    before_lines: list[str]
    segments: list[_Segment]
    old_loose: set[int]
    before_loose: set[int]
    multi_line: set[int]  # the first and last lines of the original's multi-line values
    segment_of: list[int] = field(init=False)  # ruamel's line -> its segment

    def __post_init__(self) -> None:
        self.segment_of = [index for index, segment in enumerate(self.segments)
                           for _ in range(segment.start, segment.end)]

    def merged(self, opcodes: Sequence[Opcode], after_lines: list[str]) -> list[_Line]:
        """ruamel's edited rendering, with the original's lines wherever they say the same."""
        touched = {self.segment_of[i] for tag, i1, i2, _, _ in opcodes if tag != "equal"
                   for i in range(i1, i2)}
        out: list[_Line] = []
        copied: set[int] = set()
        for tag, i1, i2, j1, j2 in opcodes:
            if tag != "equal":
                out.extend(_Line(text, False, tag == "insert") for text in after_lines[j1:j2])
                out.extend(kept for kept in map(self.line, range(i1, i2))
                           if kept.loose and kept.text not in after_lines[j1:j2])
                continue
            for i in range(i1, i2):
                index = self.segment_of[i]
                if index in touched:
                    out.append(self.line(i))
                elif index not in copied:
                    copied.add(index)
                    segment = self.segments[index]
                    out.extend(map(self.old_line, range(segment.old_start, segment.old_end)))
        return out

    def line(self, i: int) -> _Line:
        """Line i of ruamel's rendering as the original writes it, where its segment lines up
        (the same number of lines, no multi-line value)."""
        segment = self.segments[self.segment_of[i]]
        old_range = range(segment.old_start, segment.old_end)
        if len(old_range) == segment.end - segment.start and not self.multi_line.intersection(
                old_range):
            return self.old_line(segment.old_start + i - segment.start)
        return _Line(self.before_lines[i], i in self.before_loose, False)

    def old_line(self, j: int) -> _Line:
        return _Line(self.old_lines[j], j in self.old_loose, False)


def _place_insertions(out: list[_Line], limit: int) -> None:
    """Move each run of inserted lines to its place among the comment lines around it."""
    index = 0
    while index < len(out):
        if not out[index].inserted:
            index += 1
            continue
        end = index
        while end < len(out) and out[end].inserted:
            end += 1
        run = [_Line(line.text, False, False) for line in out[index:end]]
        del out[index:end]
        start = stop = index
        while start and out[start - 1].loose:
            start -= 1
        while stop < len(out) and out[stop].loose:
            stop += 1
        if stop >= len(out):  # nothing but comments follows: the end of the file
            start = next((k for k in range(start, min(limit, len(out)))
                          if not out[k].text.strip()), min(limit, len(out)))
        out[start:start] = run
        index = start + len(run)
