"""The renderer renders again only what changed, and what it publishes is what a render from
nothing would publish, byte for byte; a render that warned is never trusted the next time."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import CONFIG, VI_MD, build_project, tower_site, tree_digest
from generator.build import build

KEPT = Path(".build", "site")


def rendered_times(root: Path) -> dict[str, int]:
    """Modification time of every page the renderer keeps between builds."""
    kept = root / KEPT
    return {p.relative_to(kept).as_posix(): p.stat().st_mtime_ns
            for p in kept.rglob("*.html")}


def two_sites(**vi: str) -> dict[str, str]:
    return {**tower_site(), **tower_site("old-school", **vi)}


def test_an_unchanged_project_is_not_rendered_again(make_project):
    root = make_project(two_sites())
    assert build_project(root).published
    before = rendered_times(root)
    published = tree_digest(root / "public")
    assert build_project(root).published
    assert rendered_times(root) == before
    assert tree_digest(root / "public") == published


def test_one_edit_renders_that_page_only_and_equals_a_fresh_render(make_project):
    root = make_project(two_sites())
    assert build_project(root).published
    before = rendered_times(root)
    page = root / "sites" / "old-school" / "vi.md"
    page.write_text(VI_MD.replace("Tháp cao 32 m.", "## Trường\n\nMột mục mới."), "utf-8")
    assert build_project(root).published
    after = rendered_times(root)
    again = {path for path in after if after[path] != before.get(path)}
    assert "vi/sites/old-school/index.html" in again
    assert not any(path.startswith(("en/", "ru/")) for path in again), again
    assert "vi/sites/water-tower/index.html" not in again
    assert "Một mục mới." in (root / "public" / "vi" / "sites" / "old-school" / "index.html"
                              ).read_text("utf-8")
    incremental = tree_digest(root / "public")
    shutil.rmtree(root / KEPT)
    assert build_project(root).published
    assert tree_digest(root / "public") == incremental


def test_a_config_change_renders_every_page_again(make_project):
    root = make_project(two_sites())
    assert build_project(root).published
    before = rendered_times(root)
    config = root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("Test Heritage", "Di sản"), "utf-8")
    assert build_project(root).published
    after = rendered_times(root)
    assert all(after[path] != before[path] for path in before)


def test_a_broken_link_fails_every_build_until_it_is_fixed(make_project):
    """The renderer warns only about pages it renders: a page left as it was must not let
    the next build pass without the warning (a preview runs no link check of its own)."""
    root = make_project(two_sites())
    assert build_project(root).published
    page = root / "sites" / "old-school" / "vi.md"
    page.write_text(VI_MD + "\nXem [trang khác](khong-co.md).\n", "utf-8")
    for _ in range(2):
        result = build(root, preview=True)
        assert not result.published
        assert [d.code for d in result.report.errors] == ["broken-link"]
    page.write_text(VI_MD, "utf-8")
    assert build_project(root).published


def test_anchors_between_pages_are_checked_as_in_a_full_render(make_project):
    """MkDocs checks a link's #anchor only against pages it read: a changed page that loses
    an anchor, or a changed page that links to another page's anchor, renders in full."""
    link = VI_MD + "\nXem [lịch sử tháp](../water-tower/index.md#lich-su).\n"
    root = make_project(two_sites(**{"vi.md": link}),
                        config=CONFIG + "validation:\n  anchors: warn\n")
    assert build(root, preview=True).published
    tower = root / "sites" / "water-tower" / "vi.md"
    tower.write_text(VI_MD.replace("## Lịch sử", "## Quá khứ"), "utf-8")
    for _ in range(2):
        result = build(root, preview=True)
        assert [d.code for d in result.report.errors] == ["broken-link"]
        assert str(result.report.errors[0].where.path) == "sites/old-school/vi.md"
    tower.write_text(VI_MD, "utf-8")
    assert build(root, preview=True).published
    school = root / "sites" / "old-school" / "vi.md"
    school.write_text(link.replace("#lich-su", "#khong-co"), "utf-8")
    result = build(root, preview=True)
    assert [d.code for d in result.report.errors] == ["broken-link"]


def test_a_hook_file_or_an_env_value_the_config_names_renders_everything_again(
        make_project, monkeypatch):
    config = (CONFIG + "hooks:\n  - hooks/pages.py\n"
              "copyright: !ENV [HERITAGE_TEST_COPYRIGHT, 'Volunteers']\n")
    root = make_project(two_sites(), config=config)
    hook = root / "hooks" / "pages.py"
    hook.parent.mkdir()
    hook.write_text("def on_page_markdown(markdown, **_):\n    return markdown\n", "utf-8")
    assert build_project(root).published
    for change in (lambda: hook.write_text(hook.read_text() + "# edited\n", "utf-8"),
                   lambda: monkeypatch.setenv("HERITAGE_TEST_COPYRIGHT", "Đoàn thanh niên")):
        before = rendered_times(root)
        change()
        assert build_project(root).published
        after = rendered_times(root)
        assert all(after[path] != before[path] for path in before)
    assert "Đoàn thanh niên" in (root / "public/vi/index.html").read_text("utf-8")


def test_what_a_render_is_kept_by_names_every_installed_package_version():
    """A package upgraded (Material, a Markdown extension) renders every language afresh."""
    from importlib import metadata

    from generator.renderer.mkdocs import _packages

    def norm(text: str) -> str:
        return text.lower().replace("-", "_").replace(".", "_")

    listed = norm(" ".join(_packages()))
    for dist in metadata.distributions():
        assert norm(f"{dist.name}-{dist.version}") in listed, dist.name
