"""Writing a site's edits into its site.yml with ruamel.yaml, keeping what editors wrote.

ruamel's round trip keeps comments, key order and the quoting of untouched values; a new key is
added at the end of its mapping (creating missing parent mappings), and an emptied cell removes
its key (and a mapping it leaves empty). A new value is quoted as the old one was, or as the
project writes new text, and in double quotes wherever a plain value would mean something else
to a YAML 1.1 or 1.2 reader (`0123`, `no`, `12:30`, dates). ruamel's output is then laid over the
original lines (`overlay`), and every rewritten file is read back and compared with
the intended values before any file is written; a BOM and CRLF line ends are kept.
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.emitter import Emitter
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import ScalarNode as RuamelScalarNode
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString, FoldedScalarString, LiteralScalarString,
    SingleQuotedScalarString,
)

from generator.core.diagnostics import Diagnostics
from generator.core.model import SourceRef
from generator.load.sourcefile import parse_yaml
from generator.tools.spreadsheet.columns import Column, split_tags
from generator.tools.spreadsheet.edits import CellEdit, SiteUpdate, applied
from generator.tools.spreadsheet.overlay import overlay
from generator.tools.spreadsheet.sites import relative
from generator.tools.spreadsheet.trees import frozen, get, plain, put

BOM = b"\xef\xbb\xbf"
LEADING_ZERO = re.compile(r"^[-+]?0[0-9_]")
NEW_KEY_QUOTED = {"text", "date", "url"}  # new values of these kinds get double quotes
KEPT_QUOTES = ((DoubleQuotedScalarString, '"'), (SingleQuotedScalarString, "'"),
               (LiteralScalarString, "|"), (FoldedScalarString, '"'))


class _TextResolver(VersionedResolver):
    """Resolves no implicit types, like PyYAML's BaseLoader: every scalar keeps its text."""

    @property
    def versioned_resolver(self) -> Any:
        return {}


_RESOLVERS: tuple[Any, ...] = (yaml.resolver.Resolver(), VersionedResolver(version=(1, 2)))
_EMITTER = Emitter(None, allow_unicode=True)


def rewrite(site: SiteUpdate, root: Path, report: Diagnostics) -> bytes | None:
    """The new bytes of the site's file, verified to mean exactly the intended values."""
    raw = site.file.read_bytes()
    bom = raw.startswith(BOM)
    original = raw[len(BOM) if bom else 0:].decode("utf-8")
    crlf = "\r\n" in original
    original = original.replace("\r\n", "\n")
    rt = _round_trip(original)
    rel = relative(site.file, root)
    try:
        data = rt.load(original) if original.strip() else None
    except YAMLError as exc:
        report.error("yaml-syntax", SourceRef(rel), hint="hint.yaml-syntax",
                     problem=str(exc).strip().splitlines()[0])
        return None
    kept = None  # an empty or comments-only file: ruamel holds nothing, so keep its lines
    if data is None:
        data = CommentedMap()
        kept = original if original.endswith("\n") or not original else original + "\n"
    before = _dump(rt, data)
    for edit in site.edits:
        _apply(data, edit)
    after = _dump(rt, data)
    expected = frozen(applied(plain(site.node), site.edits))
    for candidate in (overlay(original, before, after, site.node),
                      None if kept is None else kept + after, after):
        if candidate is not None and _means(candidate, rel, expected):
            text = candidate.replace("\n", "\r\n") if crlf else candidate
            return (BOM if bom else b"") + text.encode("utf-8")
    raise RuntimeError(f"internal error: the rewritten {rel} does not hold the imported values")


def write_atomically(file: Path, data: bytes) -> None:
    """Replace the file in one step, so an interrupted import never leaves half a file."""
    temporary = file.with_name(f".{file.name}.import")
    temporary.write_bytes(data)
    os.replace(temporary, file)


def _round_trip(text: str) -> YAML:
    mapping, sequence, offset = _indents(text)
    rt = YAML(typ="rt")
    rt.Resolver = _TextResolver
    rt.preserve_quotes = True
    rt.allow_unicode = True
    rt.width = 1_000_000  # never re-wrap long lines
    rt.indent(mapping=mapping, sequence=sequence, offset=offset)
    return rt


def _indents(text: str) -> tuple[int, int, int]:
    """ruamel's (mapping, sequence, offset) indents as this file writes them (default 2, 4, 2)."""
    mapping = offset = None
    lines = [line for line in text.split("\n")
             if line.strip() and not line.lstrip().startswith("#")]
    for line, following in zip(lines, lines[1:]):
        outer, inner = _indent(line), _indent(following)
        if inner < outer or not line.rstrip().endswith(":") or line.lstrip().startswith("-"):
            continue
        if following.lstrip().startswith("- "):  # `key:` then `- item`, maybe not indented
            offset = inner - outer if offset is None else offset
        elif mapping is None and inner > outer:
            mapping = inner - outer
    offset = 2 if offset is None else offset
    return mapping or 2, offset + 2, offset


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _dump(rt: YAML, data: Any) -> str:
    out = io.StringIO()
    rt.dump(data, out)
    return out.getvalue()


def _means(text: str, rel: PurePosixPath, expected: Any) -> bool:
    scratch = Diagnostics()
    node = parse_yaml(unicodedata.normalize("NFC", text), rel, scratch)
    return not scratch.errors and frozen(plain(node)) == expected


def _apply(data: CommentedMap, edit: CellEdit) -> None:
    keys = edit.column.keys
    value = None if edit.new is None else _yaml_value(edit.column, edit.new, get(data, keys))
    put(data, keys, value, CommentedMap)  # a new key goes last in its mapping


def _yaml_value(column: Column, text: str, old: Any) -> Any:
    """The new value, quoted as the old one was (or as the project writes new text), and in
    double quotes wherever a plain value would mean something else (0123, no, 12:30, dates)."""
    if column.kind == "tags":
        seq = CommentedSeq(_styled(tag, "text", "plain", flow=True) for tag in split_tags(text))
        if not isinstance(old, CommentedSeq) or old.fa.flow_style() is not False:
            seq.fa.set_flow_style()  # like the old list, or [] (flow style unknown), or new
        return seq
    return _styled(text, column.kind, _style(old, column.kind))


def _style(old: Any, kind: str) -> str:
    """How the old value is quoted; for a new or empty value, how the project writes `kind`."""
    for scalar_type, style in KEPT_QUOTES:
        if isinstance(old, scalar_type):
            return style
    if (isinstance(old, str) and old.strip()) or kind not in NEW_KEY_QUOTED:
        return "plain"
    return '"'


def _styled(text: str, kind: str, style: str, *, flow: bool = False) -> Any:
    if style == "|" and "\n" in text:
        return LiteralScalarString(text)
    if style == "'" and "\n" not in text and text.isprintable():
        return SingleQuotedScalarString(text)
    if style == "plain" and _plain_keeps_meaning(text, kind, flow):
        return text
    return DoubleQuotedScalarString(text)


def _plain_keeps_meaning(text: str, kind: str, flow: bool) -> bool:
    """Whether `text` may go unquoted: YAML reads it back as the same text, and both YAML 1.1
    (PyYAML) and 1.2 readers take it for the field's kind (a yes/no flag: either of them)."""
    analysis = _EMITTER.analyze_scalar(text)
    if analysis.multiline or not (analysis.allow_flow_plain if flow
                                  else analysis.allow_block_plain):
        return False
    tags = [str(resolver.resolve(node, text, (True, False))).rsplit(":", 1)[-1]
            for resolver, node in zip(_RESOLVERS, (yaml.ScalarNode, RuamelScalarNode))]
    if kind == "bool":
        return "bool" in tags
    if kind == "number":  # 0123 is 83 to YAML 1.1 and 123 to 1.2
        return all(tag in ("int", "float") for tag in tags) and not LEADING_ZERO.match(text)
    return all(tag == "str" for tag in tags)
