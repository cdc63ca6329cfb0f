"""The search index: Pagefind over the tourists' pages, made again only when one changed."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from conftest import CONFIG, VI_MD, build_project, tower_site, tree_digest
from generator.site import search
from generator.build import build

def counting(monkeypatch) -> list[str]:
    """The language of each Pagefind run (the real one still runs)."""
    runs: list[str] = []
    real = search._run_pagefind

    def run(pages, target):
        runs.append(pages.name)
        return real(pages, target)

    monkeypatch.setattr(search, "_run_pagefind", run)
    return runs


def test_a_language_is_indexed_again_only_when_one_of_its_pages_changed(make_project,
                                                                       monkeypatch):
    root = make_project({**tower_site(), **tower_site("old-school")})
    runs = counting(monkeypatch)
    bundles = root / "public" / "pagefind"
    assert build_project(root).published
    assert sorted(runs) == ["en", "ru", "vi"]
    first = {lang: tree_digest(bundles / lang) for lang in ("en", "ru", "vi")}
    assert build_project(root).published
    assert len(runs) == 3  # nothing changed: the kept indexes are published again
    assert {lang: tree_digest(bundles / lang) for lang in first} == first
    page = root / "sites" / "old-school" / "vi.md"
    page.write_text(VI_MD.replace("Tháp cao 32 m.", "Trường có mái ngói đỏ."), "utf-8")
    assert build(root, preview=True).published
    assert len(runs) == 3  # a preview keeps the last index
    assert (bundles / "vi" / "pagefind-entry.json").is_file()
    assert build_project(root).published
    assert runs[3:] == ["vi"]  # only the language whose page changed
    assert tree_digest(bundles / "vi") != first["vi"]
    assert tree_digest(bundles / "en") == first["en"]
    incremental = tree_digest(bundles)
    shutil.rmtree(root / ".build")  # the same as indexes made from nothing
    assert build_project(root).published
    assert tree_digest(bundles) == incremental


def test_each_language_has_its_own_index_and_no_pagefind_interface(make_project):
    root = make_project(tower_site())
    assert build_project(root).published
    for lang in ("en", "ru", "vi"):
        bundle = root / "public" / "pagefind" / lang
        entry = json.loads((bundle / "pagefind-entry.json").read_bytes())
        assert list(entry["languages"]) == [lang]
        assert not (bundle / "pagefind-ui.js").exists()  # the theme has its own
        html = (root / "public" / lang / "search" / "index.html").read_text("utf-8")
        assert f'data-bundle="../../pagefind/{lang}/pagefind.js"' in html


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
        assert (public / "pagefind" / "en" / "pagefind-entry.json").is_file()
        shutil.rmtree(root)


def test_other_plugins_are_kept_when_search_is_dropped():
    from generator.renderer.mkdocs import without_search as drop

    assert drop([]) is None and drop(["tags"]) is None
    assert drop(None) == ()  # no `plugins:` line (or an empty one): MkDocs would add search
    assert drop(("search",)) == ()
    assert drop(["search", {"tags": {"x": 1}}]) == ({"tags": {"x": 1}},)
    assert drop({"search": {"lang": "vi"}, "tags": None}) == ({"tags": None},)


def written_in_order(folder, names):
    """Pages of a language folder `en`, written one after another in the order given."""
    for name in names:
        page = folder / "en" / name / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f'<!doctype html><html lang="en"><head><title>{name}</title></head>'
                        f'<body data-pagefind-body><h1>{name}</h1><p>Tháp {name} nước</p>'
                        '</body></html>', "utf-8")
    return folder / "en"


def test_the_index_does_not_depend_on_the_order_the_pages_were_written(tmp_path):
    # tmpfs lists a folder in the order its files were made, as btrfs does; the disks of
    # most machines list them by a hash of their names, where this test cannot tell.
    memory = Path("/dev/shm")
    if not (memory.is_dir() and os.access(memory, os.W_OK)):
        pytest.skip("needs /dev/shm, a file system that lists files in the order made")
    names = [f"site-{number:02}" for number in range(12)]
    with tempfile.TemporaryDirectory(dir=memory) as folder:
        here = Path(folder)
        forward = written_in_order(here / "forward", names)
        backward = written_in_order(here / "backward", names[::-1])
        assert [p.name for p in forward.iterdir()] != [p.name for p in backward.iterdir()]
        search._run_pagefind(forward, here / "index-forward")
        search._run_pagefind(backward, here / "index-backward")
        assert tree_digest(here / "index-forward") == tree_digest(here / "index-backward")
