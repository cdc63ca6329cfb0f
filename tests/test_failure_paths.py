"""When the build itself breaks: public/ stays as it was, nothing half-built is left behind,
our own bug exits 3 with one line and a saved traceback, and no option can delete the project.
"""

from __future__ import annotations

import pytest

from conftest import tree_digest
from generator import build as pipeline
from generator.build import build
from generator.cli import main
from generator.output.publish import BuildBusy, UnsafeOutput, build_lock
from generator.renderer import mkdocs as renderer

STAGES = ["load_sites", "render_docs", "write_configs", "run_builds", "site_files",
          "plan_print", "started_print", "place_rendered", "check_links", "check_qr_assets",
          "swap_into"]
RENDERER_STAGES = {"write_configs", "run_builds", "place_rendered"}  # the renderer's door


def leftovers(root):
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".public.")) + \
        (["public.new"] if (root / "public.new").exists() else [])


@pytest.fixture(scope="module")
def built_once(tmp_path_factory):
    from conftest import CONFIG, LEDGER, coded_site, write_files

    root = tmp_path_factory.mktemp("failures") / "project"
    write_files(root, {"mkdocs.yml": CONFIG, **coded_site(), "sites/issued-codes.yml": LEDGER})
    assert build(root).published
    return root


@pytest.fixture
def published(built_once, tmp_path):
    """A copy of a built project, its cache included, so each test's builds are warm."""
    import shutil

    root = tmp_path / "project"
    shutil.copytree(built_once, root, symlinks=True)
    return root, tree_digest(root / "public")


@pytest.mark.parametrize("stage", STAGES)
def test_a_crash_in_any_stage_leaves_public_as_it_was(published, monkeypatch, capsys, stage):
    root, before = published

    def broken(*args, **kwargs):
        raise RuntimeError(f"injected fault in {stage}")

    monkeypatch.setattr(renderer if stage in RENDERER_STAGES else pipeline, stage, broken)
    assert main(["--project", str(root), "build", "--lang", "en"]) == 3
    assert tree_digest(root / "public") == before
    assert leftovers(root) == []
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) >= 1 and "internal error, please report it" in err[-1]
    assert f"injected fault in {stage}" in err[-1]
    saved = (root / ".cache" / "internal-error.txt").read_text("utf-8")
    assert "Traceback" in saved and stage in saved
    if stage == STAGES[-1]:
        monkeypatch.undo()
        assert build(root).published  # and the next build just works


def test_a_build_gives_the_collector_back_as_it_found_it(published, monkeypatch):
    """A build collects cycles less often; whatever happens, the caller's setting is back."""
    import gc

    root, _ = published
    seen = []

    def broken(*args, **kwargs):
        seen.append(gc.get_threshold())
        raise RuntimeError("injected fault")

    monkeypatch.setattr(pipeline, "render_docs", broken)
    before = gc.get_threshold()
    with pytest.raises(RuntimeError):
        build(root)
    assert gc.get_threshold() == before and seen[0][0] > before[0]


def test_a_second_build_is_refused_while_one_runs(published, capsys):
    root, before = published
    with build_lock(root):
        with pytest.raises(BuildBusy):
            build(root)
        assert main(["--project", str(root), "build", "--lang", "en"]) == 2
    assert "another build of this project is running" in capsys.readouterr().err
    assert tree_digest(root / "public") == before
    assert build(root).published  # the lock went with its holder


@pytest.mark.parametrize("out", [".", "..", "sites", "sites/water-tower", "content", ".git"])
def test_no_output_folder_can_delete_the_project(published, capsys, out):
    root, before = published
    (root / ".git").mkdir(exist_ok=True)
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (root / "content").mkdir(exist_ok=True)
    files = sorted(p for p in root.rglob("*") if "public" not in p.parts and ".cache" not in
                   p.parts and ".build" not in p.parts)
    assert main(["--project", str(root), "build", "--out", str(root / out)]) == 2
    assert "will not build into" in capsys.readouterr().err
    assert sorted(p for p in root.rglob("*") if "public" not in p.parts and ".cache" not in
                  p.parts and ".build" not in p.parts) == files


def test_a_folder_of_someone_elses_files_is_not_replaced(published, tmp_path):
    root, _ = published
    theirs = tmp_path / "holiday-photos"
    theirs.mkdir()
    (theirs / "beach.jpg").write_bytes(b"not ours")
    with pytest.raises(UnsafeOutput):
        build(root, theirs)
    assert (theirs / "beach.jpg").read_bytes() == b"not ours"
    empty = tmp_path / "new-site"
    assert build(root, empty).published and build(root, empty).published  # ours: replaced


def test_an_unrelated_public_old_folder_is_left_alone(published):
    root, _ = published
    mine = root / "public.old"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    assert build(root).published
    assert (mine / "notes.txt").read_text() == "keep me"
