"""maps/ is a leaf library: it never imports the generator or qr, and never prints."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import maps

MAPS_DIR = Path(__file__).resolve().parents[1] / "maps"
SOURCES = sorted(MAPS_DIR.rglob("*.py"))


def imported_modules(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: path.relative_to(MAPS_DIR).as_posix())
def test_maps_does_not_import_generator_or_qr(source):
    modules = imported_modules(ast.parse(source.read_text(encoding="utf-8")))
    assert not {name.split(".")[0] for name in modules} & {"generator", "qr"}


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: path.relative_to(MAPS_DIR).as_posix())
def test_maps_never_prints(source):
    tree = ast.parse(source.read_text(encoding="utf-8"))
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "print"
    ]
    assert calls == []


def test_public_api_is_exported():
    for name in maps.__all__:
        assert getattr(maps, name) is not None
    assert sorted(maps.__all__) == maps.__all__
