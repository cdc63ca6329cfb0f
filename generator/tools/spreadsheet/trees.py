"""Plain trees: what a site.yml means, as dicts, lists and text, for checking and verifying.

The import needs the meaning of a file without its layout twice: to check what a row's edits
leave missing, and to prove that a rewritten file holds exactly the intended values before it is
written. Both use these few functions; `put` also edits ruamel's round-trip data in place, since
its mappings are dicts, so that setting and removing a value is written once.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

import yaml


def plain(node: yaml.Node | None) -> Any:
    """The node tree as dicts, lists and text (None for no node)."""
    if isinstance(node, yaml.MappingNode):
        return {str(key.value): plain(value) for key, value in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [plain(item) for item in node.value]
    return node.value if node is not None else None


def get(tree: Any, keys: tuple[str, ...]) -> Any:
    """The value at `keys`, or None where a key is missing or a value on the way no mapping."""
    for key in keys:
        if not isinstance(tree, dict):
            return None
        tree = tree.get(key)
    return tree


def put(tree: dict[str, Any], keys: tuple[str, ...], value: Any,
        mapping: Callable[[], dict[str, Any]] = dict) -> None:
    """Set (or with None remove) a value; create missing mappings with `mapping`, drop the ones
    a removal leaves empty."""
    path = [tree]
    for key in keys[:-1]:
        child = path[-1].get(key)
        if not isinstance(child, dict):
            if value is None:
                return
            child = path[-1][key] = mapping()  # an existing empty key keeps its place
        path.append(child)
    if value is not None:
        path[-1][keys[-1]] = value
        return
    path[-1].pop(keys[-1], None)
    for depth in range(len(keys) - 1, 0, -1):
        if path[depth]:
            break
        del path[depth - 1][keys[depth - 1]]


def frozen(tree: Any) -> Any:
    """A comparable form that keeps key order and ignores space around values (as checks do)."""
    if isinstance(tree, dict):
        return tuple((key, frozen(value)) for key, value in tree.items())
    if isinstance(tree, list):
        return tuple(frozen(item) for item in tree)
    return unicodedata.normalize("NFC", tree).strip() if isinstance(tree, str) else tree
