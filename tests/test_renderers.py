"""The renderer contract: the demo rendered by MkDocs and by Zensical is the same site to a
reader, a search engine and a plaque. Only the theme's own assets may differ.

Where Zensical lacks something, a test here names it as an expected failure with the reason.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from browser import browser, serve
from conftest import CONFIG, EN_MD, REPO, check, coded_site, LEDGER
from generator.core.diagnostics import Diagnostics
from generator.core.i18n import Texts
from generator.load.config import load_config
from generator.build import build
from generator.renderer import RENDERERS

ASSETS = re.compile(r"^[a-z-]+/assets/")
OURS = ("Q/", "print/", "data/", "media/", "index.html", "404.html", "sitemap.xml", "sw.js",
        "manifest.webmanifest", "robots.txt")
QUERIES = {"vi": ("thap nuoc", "Tháp nước"), "en": ("water tower", "Water Tower"),
           "ru": ("водонапорная", "Водонапорная")}


@pytest.fixture(scope="module")
def sites(demo_site, tmp_path_factory) -> dict[str, Path]:
    """The demo's public/ folder by each renderer (MkDocs's is the shared demo build)."""
    root = tmp_path_factory.mktemp("zensical")
    for name in ("sites", "content"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    result = build(root, renderer="zensical")
    assert result.published, result.report.to_text()
    assert not (root / ".build" / "site").exists()  # its own folder, never MkDocs's
    return {"mkdocs": demo_site, "zensical": root / "public"}


def files(public: Path) -> set[str]:
    return {p.relative_to(public).as_posix() for p in public.rglob("*") if p.is_file()}


def test_both_renderers_are_offered():
    assert RENDERERS == ("mkdocs", "zensical")  # the first is the default (README says why)


def test_the_same_files_but_the_themes_assets(sites):
    mkdocs, zensical = ({f for f in files(sites[name]) if not ASSETS.match(f)}
                        for name in RENDERERS)
    assert mkdocs == zensical
    assert not {f for f in mkdocs if f.endswith("search.json")}  # Pagefind is the search


def test_what_the_renderer_does_not_make_is_byte_for_byte_the_same(sites):
    """Plaque pages, print files, open data, photos, the root and the 404 page are ours."""
    ours = sorted(f for f in files(sites["mkdocs"]) if f.startswith(OURS))
    assert any(f.startswith("Q/") for f in ours) and any(f.startswith("print/") for f in ours)
    differ = [f for f in ours
              if (sites["mkdocs"] / f).read_bytes() != (sites["zensical"] / f).read_bytes()]
    assert differ == []


def page_facts(page: Path) -> dict[str, object]:
    """What a page says to a reader and to machines, whatever its markup."""
    tree = LexborHTMLParser(page.read_text("utf-8"))
    html, title = tree.css_first("html"), tree.css_first("title")
    article = tree.css_first("article")

    def pairs(selector: str, *names: str) -> list[tuple[str | None, ...]]:
        return sorted(tuple(node.attributes.get(n) for n in names) for node in tree.css(selector))

    return {
        "lang": html.attributes.get("lang") if html else None,
        "title": title.text() if title else None,
        "hreflang": pairs("link[rel=alternate][hreflang]", "hreflang", "href"),
        "canonical": pairs("link[rel=canonical]", "href"),
        "json-ld": [node.text() for node in tree.css('script[type="application/ld+json"]')],
        "opengraph": pairs('meta[property^="og:"]', "property", "content"),
        "description": pairs("meta[name=description]", "content"),
        "switcher": pairs("a[hreflang]", "hreflang", "href"),
        "text": re.sub(r"\s+", " ", article.text()).strip() if article else None,
    }


def test_every_page_says_the_same(sites):
    """<html lang>, title, hreflang, canonical, JSON-LD, OpenGraph, the language switcher and
    the words of the article (fallback notices and facts boxes included) on all pages."""
    pages = sorted(f for f in files(sites["mkdocs"]) if f.endswith(".html"))
    assert len(pages) > 100
    differ = {}
    for page in pages:
        facts = [page_facts(sites[name] / page) for name in RENDERERS]
        keys = [key for key in facts[0] if facts[0][key] != facts[1][key]]
        if keys:
            differ[page] = keys
    assert differ == {}
    ru = page_facts(sites["zensical"] / "ru" / "sites" / "bung-ko-ke-nui-ba-hon" / "index.html")
    assert ru["lang"] == "ru" and len(ru["switcher"]) == 3
    config = load_config(REPO, Diagnostics())
    assert config is not None
    texts = Texts(config.language("ru"))
    assert texts("fallback_title") in str(ru["text"])  # a page shown in English says so


def test_zensical_runs_only_for_a_language_that_changed(sites, monkeypatch):
    """Builds in a row with nothing changed never run Zensical; an edit runs it for the
    edited language only."""
    from generator.renderer import zensical

    root = sites["zensical"].parent
    runs: list[str] = []
    real = zensical.subprocess.run

    def counted(command, *args, **kwargs):
        if command[:3] == [zensical.sys.executable, "-m", "zensical"]:
            runs.append(Path(command[-1]).name)
        return real(command, *args, **kwargs)

    monkeypatch.setattr(zensical.subprocess, "run", counted)
    for _ in range(2):
        assert build(root, renderer="zensical").published
    assert runs == []
    page = root / "sites" / "phan-thiet-water-tower" / "en.md"
    page.write_text(page.read_text("utf-8") + "\nOne more line.\n", "utf-8")
    assert build(root, renderer="zensical").published
    assert runs == ["mkdocs.en.yml"]
    assert "One more line." in (sites["zensical"] / "en" / "sites" /
                                "phan-thiet-water-tower" / "index.html").read_text("utf-8")


@pytest.fixture(scope="module")
def served(sites):
    with browser() as chromium, serve(sites["zensical"]) as base:
        yield base, chromium


@pytest.mark.parametrize("lang", sorted(QUERIES))
def test_search_works_in_every_language(served, lang):
    base, chromium = served
    query, found = QUERIES[lang]
    context = chromium.new_context(locale=lang)
    page = context.new_page()
    page.goto(f"{base}{lang}/search/")
    page.locator("form.heritage-search input").fill(query)
    page.locator("form.heritage-search input").press("Enter")
    page.locator(f'form.heritage-search[data-state=done][data-query="{query}"]').wait_for(
        timeout=20_000)
    assert found in page.locator("#heritage-search-results").inner_text()
    context.close()


def test_a_site_page_asks_no_other_host(served):
    base, chromium = served
    context = chromium.new_context(locale="en")
    page = context.new_page()
    requests, errors = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(base + "en/sites/phan-thiet-water-tower/")
    page.wait_for_load_state("networkidle")
    assert requests and [url for url in requests if not url.startswith(base)] == []
    assert errors == []
    context.close()


def test_a_project_hook_is_an_error_with_zensical(make_project):
    """Zensical runs no MkDocs hooks: said at mkdocs.yml, never skipped in silence."""
    config = CONFIG.replace("extra:\n  heritage:\n",
                            "hooks:\n  - hooks/mine.py\nextra:\n  heritage:\n"
                            "    renderer: zensical\n")
    report = check(make_project(config=config))
    assert [(d.code, str(d.where.path)) for d in report.errors] == [("config", "mkdocs.yml")]
    assert "hooks/mine.py" in report.to_text()


def test_the_command_lines_renderer_is_the_one_checked(make_project):
    """`--renderer` stands in for mkdocs.yml's choice, in the hooks check too."""
    from generator.build import load_project

    hooks = "hooks:\n  - hooks/mine.py\nextra:\n  heritage:\n"
    root = make_project(config=CONFIG.replace("extra:\n  heritage:\n", hooks +
                                              "    renderer: zensical\n"))
    assert load_project(root, renderer="mkdocs")[2].errors == []
    root.rename(root.with_name("other"))
    root = make_project(config=CONFIG.replace("extra:\n  heritage:\n", hooks))
    assert [d.code for d in load_project(root, renderer="zensical")[2].errors] == ["config"]


def test_an_unknown_renderer_is_named(make_project):
    config = CONFIG.replace("extra:\n  heritage:\n", "extra:\n  heritage:\n    renderer: hugo\n")
    text = check(make_project(config=config)).to_text()
    assert "hugo" in text and "zensical" in text


@pytest.mark.parametrize("renderer", RENDERERS)
def test_a_broken_link_is_reported_at_the_editors_line(make_project, renderer):
    """Each renderer's warning becomes the same diagnostic, in the editor's file."""
    text = EN_MD + "\nSee [the school](../old-school/index.md).\n"
    root = make_project({**coded_site(**{"en.md": text}), "sites/issued-codes.yml": LEDGER})
    result = build(root, renderer=renderer)
    assert not result.published
    found = sorted((d.code, str(d.where.path), d.where.line) for d in result.report.errors)
    line = text.count("\n", 0, text.index("See [")) + 1
    assert found == [("broken-link", "sites/water-tower/en.md", line)], found
