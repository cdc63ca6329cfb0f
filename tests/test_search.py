"""The search index: Pagefind over the tourists' pages, made again only when one changed."""

from __future__ import annotations

import json
import shutil

from conftest import CONFIG, VI_MD, build_project, tower_site, tree_digest
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


def test_material_search_stays_off_whatever_the_config_says(make_project):
    """MkDocs adds its own search when `plugins` is left out; the site has Pagefind's."""
    plain = CONFIG.replace("plugins:\n  - search\n", "")
    assert "plugins" not in plain
    for config in (CONFIG, plain):  # `- search` listed, and no `plugins:` at all
        root = make_project(tower_site(), config=config)
        assert build_project(root).published
        public = root / "public"
        assert not list(public.glob("*/search/search_index.json"))
        html = (public / "en" / "sites" / "water-tower" / "index.html").read_text("utf-8")
        assert 'for="__search"' not in html  # Material's search button
        assert (public / "pagefind" / "pagefind-entry.json").is_file()
        shutil.rmtree(root)


def test_other_plugins_are_kept_when_search_is_dropped():
    from generator.config import _without_renderer_search as drop

    assert drop({"plugins": []}) is None and drop({"plugins": ["tags"]}) is None
    assert drop({}) == ()
    assert drop({"plugins": ["search", {"tags": {"x": 1}}]}) == ({"tags": {"x": 1}},)
    assert drop({"plugins": {"search": {"lang": "vi"}, "tags": None}}) == ({"tags": None},)
