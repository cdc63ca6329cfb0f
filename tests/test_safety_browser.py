"""Markup that a simple parser reads as a comment or as text, but a browser as an element.

Each vector is first shown to run script in Chromium when the site's Markdown renders it onto
a page (so the test cannot pass on a harmless string); then `heritage check` must refuse it
at its line. Tour descriptions, which are written in YAML, must reach the page as text.
"""

from __future__ import annotations

import pytest
import yaml

from browser import browser, serve
from conftest import CONFIG, LEDGER, VI_MD, build_project, check, coded_site
from generator.check.safety import render_markdown

FIRE = "document.documentElement.dataset.fired='1'"
VECTORS = [
    f"<!--><img src=data:, onerror={FIRE}>-->",
    f"<!---><img src=data:, onerror={FIRE}>-->",
    f'<noscript><p title="</noscript><img src=data:, onerror={FIRE}>"></noscript>',
    f'<xmp><p title="</xmp><img src=data:, onerror={FIRE}>"></xmp>',
    f'<noembed><p title="</noembed><img src=data:, onerror={FIRE}>"></noembed>',
    f'<noframes><p title="</noframes><img src=data:, onerror={FIRE}>"></noframes>',
    f'<title><p title="</title><img src=data:, onerror={FIRE}>"></title>',
    f"<![CDATA[><img src=data:, onerror={FIRE}>]]>",
    f"<body onload={FIRE}>",
]
EXTENSIONS = tuple(yaml.safe_load(CONFIG)["markdown_extensions"])


@pytest.fixture(scope="module")
def chromium():
    with browser() as instance:
        yield instance


def fires(chromium, folder, html: str) -> bool:
    (folder / "index.html").write_text(
        f"<!doctype html><html><head><meta charset='utf-8'></head><body><article>{html}"
        "</article></body></html>", "utf-8")
    with serve(folder) as base:
        page = chromium.new_page()
        try:
            page.goto(base)
            page.wait_for_selector("html[data-fired]", state="attached", timeout=10_000)
            return True
        finally:
            page.close()


@pytest.mark.parametrize("vector", VECTORS)
def test_a_vector_that_runs_in_the_browser_is_refused_at_its_line(make_project, chromium,
                                                                 tmp_path, vector):
    assert fires(chromium, tmp_path, render_markdown(vector, EXTENSIONS))
    vi = VI_MD + "\nMore text.\n\n" + vector + "\n"
    report = check(make_project(coded_site(**{"vi.md": vi})))
    unsafe = [d for d in report.errors if d.code == "unsafe-html"]
    assert unsafe and all(d.where.line == 11 for d in unsafe), [d.line() for d in unsafe]


def test_a_tour_description_is_text_on_the_page(make_project, chromium):
    description = (f"![x](data:,){{: onerror={FIRE} }} and "
                   "[Click](javascript://%0adocument.documentElement.dataset.fired='1')")
    tour = yaml.safe_dump({"name": {"en": "Walk"}, "description": {"en": description},
                           "stops": ["water-tower"]}, allow_unicode=True)
    root = make_project({**coded_site(), "sites/issued-codes.yml": LEDGER,
                         "content/tours/walk.yml": tour})
    assert build_project(root).published
    with serve(root / "public") as base:
        page = chromium.new_page()
        page.goto(base + "en/tours/walk/")
        about = page.locator(".heritage-tour-about")
        assert about.inner_text() == description
        assert about.locator("img, a").count() == 0
        assert page.locator("[onerror], a[href^='javascript']").count() == 0
        page.close()
