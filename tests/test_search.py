"""The search index: Pagefind over the tourists' pages, made again only when one changed."""

from __future__ import annotations

import json

from conftest import VI_MD, build_project, tower_site, tree_digest
from generator import search
from generator.build import build

STAMP = (".build", "search", "pages.sha256")


def counting(monkeypatch) -> list[int]:
    """Count Pagefind runs (the real one still runs)."""
    runs: list[int] = []
    real = search._run_pagefind

    def run(*args):
        runs.append(1)
        return real(*args)

    monkeypatch.setattr(search, "_run_pagefind", run)
    return runs


def test_the_index_is_made_again_only_when_a_page_changed(make_project, monkeypatch):
    root = make_project({**tower_site(), **tower_site("old-school")})
    runs = counting(monkeypatch)
    assert build_project(root).published
    assert len(runs) == 1
    first = tree_digest(root / "public" / "pagefind")
    assert build_project(root).published
    assert len(runs) == 1  # nothing changed: the kept index is published again
    assert tree_digest(root / "public" / "pagefind") == first
    page = root / "sites" / "old-school" / "vi.md"
    page.write_text(VI_MD.replace("Tháp cao 32 m.", "Trường có mái ngói đỏ."), "utf-8")
    assert build(root, preview=True).published
    assert len(runs) == 1  # a preview keeps the last index
    assert (root / "public" / "pagefind" / "pagefind-entry.json").is_file()
    assert build_project(root).published
    assert len(runs) == 2
    assert tree_digest(root / "public" / "pagefind") != first


def test_the_index_lists_its_languages_in_a_fixed_order(make_project):
    root = make_project(tower_site())
    assert build_project(root).published
    entry = json.loads((root / "public" / "pagefind" / "pagefind-entry.json").read_bytes())
    assert list(entry["languages"]) == sorted(entry["languages"]) == ["en", "ru", "vi"]
    assert not (root / "public" / "pagefind" / "pagefind-ui.js").exists()  # the theme's own


def test_every_language_has_a_search_page_that_says_what_to_do_without_script(make_project):
    root = make_project(tower_site())
    assert build_project(root).published
    for lang, words in (("vi", "Tìm kiếm"), ("en", "Search"), ("ru", "Поиск")):
        html = (root / "public" / lang / "search" / "index.html").read_text("utf-8")
        assert f"<title>{words}" in html
        assert 'id="heritage-search-help"' in html and 'href="../sites/"' in html
