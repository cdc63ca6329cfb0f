"""Offline in a real browser: pages opened once stay readable with their styles when the
network goes away, and a page never opened says so, in the reader's language."""

from __future__ import annotations

import shutil

import pytest

from browser import browser, serve

SITE = "en/sites/phan-thiet-water-tower/"


@pytest.fixture(scope="module")
def site(demo_site):
    with serve(demo_site) as base, browser() as chromium:
        yield base, chromium


def visit(page, url):
    """Open `url` and wait until the service worker says it keeps the page."""
    page.goto(url)
    page.locator("html[data-heritage-offline=kept]").wait_for(state="attached")


def styled(page) -> bool:
    """Material's stylesheet is applied (its header sticks to the top)."""
    return page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") \
        == "sticky"


def test_pages_opened_once_stay_readable_offline_with_their_styles(site):
    base, chromium = site
    context = chromium.new_context(locale="en")
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    visit(page, base + SITE)  # the first page: shown before the worker ran
    visit(page, base + "en/")  # a later one, fetched through the worker
    context.set_offline(True)
    for url, heading in ((base + SITE, "Water Tower"), (base + "en/", "")):
        response = page.goto(url)
        assert response.ok, url
        assert heading in page.locator("h1").first.inner_text()
        assert styled(page), url
    assert errors == []
    context.close()


def test_a_page_never_opened_lists_the_saved_ones_in_the_readers_language(site):
    base, chromium = site
    context = chromium.new_context(locale="ru-RU")
    page = context.new_page()
    visit(page, base + SITE)
    context.set_offline(True)
    response = page.goto(base + "ru/sites/duc-thanh-school/")
    assert response.status == 503
    assert page.locator("h1").inner_text() == "Нет подключения к сети"
    saved = page.locator("#heritage-saved a")
    assert any("Water Tower" in text for text in saved.all_inner_texts())
    saved.first.click()
    page.wait_for_url(base + SITE)
    assert styled(page)
    context.close()


def test_the_worker_keeps_nothing_from_other_hosts(site):
    base, chromium = site
    context = chromium.new_context()
    page = context.new_page()
    visit(page, base + SITE)
    kept = page.evaluate("""async () => {
        const urls = [];
        for (const name of await caches.keys())
            for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
        return urls;
    }""")
    assert kept and all(url.startswith(base) for url in kept)
    assert base + SITE in kept
    # Named by the site's address: another site on this host under another path has its own.
    names = page.evaluate("caches.keys()")
    assert names and all(name.endswith(" " + base) for name in names)
    context.close()


def test_open_data_comes_fresh_after_a_deploy_and_kept_when_offline(site, demo_site, tmp_path):
    """Files a deploy replaces under the same name come from the network first."""
    chromium = site[1]
    copy = tmp_path / "site"
    shutil.copytree(demo_site, copy, symlinks=True)
    data = copy / "data" / "sites.geojson"
    with serve(copy) as base:
        context = chromium.new_context()
        page = context.new_page()
        visit(page, base + SITE)
        visit(page, base + "en/")  # controlled by the worker from here on
        read = "async () => (await (await fetch('/data/sites.geojson')).text()).length"
        first = page.evaluate(read)
        data.unlink()  # a deploy writes a new file (the old one may be a link to a kept copy)
        data.write_text('{"type": "FeatureCollection", "features": []}', "utf-8")
        assert page.evaluate(read) == len(data.read_text("utf-8")) != first
        context.set_offline(True)
        assert page.evaluate(read) == len(data.read_text("utf-8"))
        context.close()
