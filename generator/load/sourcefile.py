"""Reading editor files: UTF-8 text, YAML node trees with positions, front matter.

YAML is composed, never constructed: every scalar keeps its text (`0123`, `no`, `12:30` stay
strings) and every node keeps its line and column for messages. Duplicate keys, which PyYAML
silently overwrites, are reported here.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml

from generator.core.diagnostics import Diagnostics
from generator.core.model import SourceRef


def ref(path: PurePosixPath, node: yaml.Node | None, line_offset: int = 0) -> SourceRef:
    """The position of a YAML node (1-based), shifted by the line the YAML starts on."""
    mark = node.start_mark if node is not None else None
    if mark is None:
        return SourceRef(path, 1 + line_offset, 1)
    return SourceRef(path, mark.line + 1 + line_offset, mark.column + 1)


def read_text(file: Path, rel: PurePosixPath, report: Diagnostics) -> str | None:
    """The file's text as NFC with '\\n' line ends, or None after reporting why not."""
    data = file.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        report.error("not-utf8", SourceRef(rel, line, column), hint="hint.save-utf8",
                     byte=f"0x{data[exc.start]:02x}")
        return None
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


# libyaml's parser when PyYAML has it (about 10x faster); both keep line and column marks.
_BASE = getattr(yaml, "CBaseLoader", yaml.BaseLoader)


class _NodeLoader(_BASE):  # type: ignore[misc, valid-type]
    """Composes nodes only; BaseLoader resolves no implicit types, so scalars stay text."""


def parse_yaml(
    text: str, rel: PurePosixPath, report: Diagnostics, line_offset: int = 0
) -> yaml.Node | None:
    """The YAML node tree, or None after reporting a syntax error with a hint."""
    try:
        node = yaml.compose(text, Loader=_NodeLoader)
    except yaml.MarkedYAMLError as exc:
        _report_syntax(exc, text, rel, report, line_offset)
        return None
    except RecursionError:  # the pure-Python composer (no libyaml) on deep nesting
        report.error("yaml-syntax", SourceRef(rel, 1 + line_offset, 1), "yaml-syntax.depth",
                     hint="hint.yaml-syntax.depth", most=MAX_DEPTH)
        return None
    if node is not None and not _check_nodes(node, rel, report, line_offset):
        return None
    return node


def _char_at(text: str, mark: yaml.Mark | None) -> str:
    lines = text.split("\n")
    if mark is None or mark.line >= len(lines) or mark.column >= len(lines[mark.line]):
        return ""
    return lines[mark.line][mark.column]


def _report_syntax(exc: yaml.MarkedYAMLError, text: str, rel: PurePosixPath,
                   report: Diagnostics, line_offset: int) -> None:
    problem = exc.problem or "invalid YAML"
    context = exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    if _char_at(text, mark) == "\t" or "'\\t'" in problem:
        key = "yaml-syntax.tab"
    elif "mapping values are not allowed" in problem:
        key = "yaml-syntax.colon"
    elif "quoted scalar" in context:
        key = "yaml-syntax.quote"
        mark = exc.context_mark or mark
    else:
        key = "yaml-syntax"
    where = SourceRef(rel, (mark.line + 1 + line_offset) if mark else None,
                      (mark.column + 1) if mark else None)
    report.error("yaml-syntax", where, key, hint=f"hint.{key}", problem=problem)


MAX_DEPTH = 20  # editors' files nest three or four levels; deeper is a mistake or an attack


def _check_nodes(root: yaml.Node, rel: PurePosixPath, report: Diagnostics,
                 line_offset: int) -> bool:
    """Report duplicate keys; refuse aliases and deep nesting. False when the tree must not be
    used: an alias makes one node appear many times (a 1 KB file can stand for billions of
    nodes, or for itself), so every later walk would be unbounded. The walk visits each node
    once, without recursion."""
    seen_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen_nodes:
            report.error("yaml-syntax", ref(rel, node, line_offset), "yaml-syntax.alias",
                         hint="hint.yaml-syntax.alias")
            return False
        seen_nodes.add(id(node))
        if depth > MAX_DEPTH and not isinstance(node, yaml.ScalarNode):
            report.error("yaml-syntax", ref(rel, node, line_offset), "yaml-syntax.depth",
                         hint="hint.yaml-syntax.depth", most=MAX_DEPTH)
            return False
        children: list[yaml.Node] = []
        if isinstance(node, yaml.MappingNode):
            keys: dict[str, yaml.Node] = {}
            for key, value in node.value:
                # A list or mapping as a key is no field (the schema says so): never a twin.
                name = key.value if isinstance(key, yaml.ScalarNode) else f"?{id(key)}"
                if name in keys:
                    first = ref(rel, keys[name], line_offset)
                    report.error("duplicate-key", ref(rel, key, line_offset),
                                 hint="hint.duplicate-key", field=name, first=first.line)
                keys[name] = key
                children += [key, value]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        stack += [(child, depth + 1) for child in reversed(children)]  # in file order
    return True


@dataclass(frozen=True)
class FrontMatter:
    node: yaml.Node | None  # None when the page has no front matter
    line_offset: int  # add to a node's 0-based line to get the file line (minus one)
    body: str
    body_line: int  # 1-based line where the body starts


def split_front_matter(
    text: str, rel: PurePosixPath, report: Diagnostics
) -> FrontMatter | None:
    """Split `---` front matter from the Markdown body; None after reporting a problem."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return FrontMatter(None, 0, text, 1)
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            yaml_text = "\n".join(lines[1:index])
            node = parse_yaml(yaml_text, rel, report, line_offset=1)
            if node is None and yaml_text.strip():
                return None
            body = "\n".join(lines[index + 1 :])
            return FrontMatter(node, 1, body, index + 2)
    report.error("front-matter", SourceRef(rel, 1, 1), hint="hint.front-matter")
    return None
