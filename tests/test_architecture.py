"""The dependency rule: generator -> qr, maps -> pdftext; no leaf imports a sibling or anything
above it."""

from __future__ import annotations

import ast
import re

import pytest

from conftest import REPO

FORBIDDEN = {"qr": {"generator", "maps"}, "maps": {"generator", "qr"},
             "pdftext": {"generator", "qr", "maps"}}


def imported_packages(package: str) -> set[tuple[str, str]]:
    found = set()
    for file in sorted((REPO / package).rglob("*.py")):
        for node in ast.walk(ast.parse(file.read_text("utf-8"))):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) and
                     node.level == 0 else [])
            found |= {(file.relative_to(REPO).as_posix(), name.split(".")[0]) for name in names}
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_leaf_library_imports_no_sibling(package):
    bad = {(f, name) for f, name in imported_packages(package) if name in FORBIDDEN[package]}
    assert bad == set()


STAGES = {"core", "load", "check", "site", "assets", "renderer", "output", "tools"}


def test_the_generator_folders_are_the_pipeline():
    """generator/ holds the pipeline (build.py), the command (cli.py) and one package per
    stage, each saying what it is for: a new module finds its room, not the root."""
    root = REPO / "generator"
    assert {f.name for f in root.glob("*.py")} == {"__init__.py", "__main__.py", "build.py",
                                                     "cli.py"}
    packages = {d.name for d in root.iterdir() if (d / "__init__.py").is_file()}
    assert packages == STAGES
    for name in sorted(STAGES):
        assert ast.get_docstring(ast.parse((root / name / "__init__.py").read_text("utf-8")))


def test_the_core_imports_no_stage():
    """Records, routes, the cache and messages serve every stage and depend on none."""
    stages = {f"generator.{name}" for name in STAGES - {"core"}} | {"generator.build",
                                                                     "generator.cli"}
    found = []
    for file in sorted((REPO / "generator" / "core").rglob("*.py")):
        for node in ast.walk(ast.parse(file.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):  # `from generator import site` names it
                modules = [f"{node.module}.{alias.name}" for alias in node.names]
            else:
                continue
            found += [(file.name, m) for m in modules
                      if any(m == s or m.startswith(s + ".") for s in stages)]
    assert found == []


def test_only_the_adapter_knows_mkdocs():
    users = {f for f, name in imported_packages("generator") if name in {"mkdocs", "material"}}
    assert users <= {"generator/renderer/mkdocs.py"}


def test_the_command_line_loads_the_pipeline_only_for_a_command_that_runs_it():
    """`heritage --help` and a mistyped command answer at once: parsing the command line
    imports none of the heavy libraries the pipeline needs."""
    import subprocess
    import sys

    code = ("import sys, generator.cli; heavy = {'folium', 'fpdf', 'PIL', 'markdown', 'qrcode',"
            " 'generator.build'}; print(sorted(heavy & set(sys.modules)))")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                            text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_the_package_declares_the_runtime_pins_of_requirements():
    """`pipx install .` must get every runtime dependency at the version `make` installs."""
    import tomllib

    declared = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"][
        "dependencies"]
    lines = (REPO / "requirements.txt").read_text("utf-8").split("# Tests and lint")[0]
    pinned = [line.strip() for line in lines.splitlines()
              if line.strip() and not line.startswith("#")]
    assert declared == pinned


MATERIAL_MARKUP = re.compile(r"\bmd-[a-z]|grid cards|admonition|^\s*[!?]{3}\+? |search_index"
                             r"|workers/search", re.M | re.I)


def test_only_the_renderer_writes_its_markup():
    """Material's classes, admonitions, cards and search internals live behind
    generator/renderer/: another renderer or theme changes that package only."""
    found = []
    for file in sorted((REPO / "generator").rglob("*.py")):
        rel = file.relative_to(REPO).as_posix()
        if rel.startswith("generator/renderer/"):
            continue
        for number, line in enumerate(file.read_text("utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if MATERIAL_MARKUP.search(code):
                found.append(f"{rel}:{number}: {line.strip()}")
    assert found == []
