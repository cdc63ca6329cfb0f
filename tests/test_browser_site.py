"""The demo site in a real browser: language routing, the switcher, no third-party requests."""

from __future__ import annotations

import pytest

from browser import browser, serve

PAGE = "vi/sites/phan-thiet-water-tower/"


@pytest.fixture(scope="module")
def site(demo_site):
    with serve(demo_site) as base, browser() as chromium:
        yield base, chromium


def open_page(chromium, url, *, languages=("en",), js=True, storage=None):
    context = chromium.new_context(locale=languages[0], java_script_enabled=js)
    context.add_init_script(
        "Object.defineProperty(navigator,'languages',{get:()=>%r});" % list(languages))
    if storage:
        context.add_init_script("try{localStorage.setItem('heritage.lang',%r)}catch(e){}"
                                % storage)
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(url)
    page.wait_for_load_state("load")
    return page, requests, errors


@pytest.mark.parametrize("languages, expected", [
    (["vi-VN", "en"], "vi/"),
    (["de-DE", "en"], "en/"),
    (["ru-RU"], "ru/"),
    (["ko-KR"], "vi/"),  # no Korean: the default language
])
def test_root_follows_the_browser_languages(site, languages, expected):
    base, chromium = site
    page, _, _ = open_page(chromium, base, languages=languages)
    page.wait_for_url(base + expected)
    page.context.close()


def test_root_without_javascript_goes_to_the_default(site):
    base, chromium = site
    page, _, _ = open_page(chromium, base, js=False)
    page.wait_for_url(base + "vi/")
    page.context.close()


def test_switcher_keeps_the_page_and_remembers_the_choice(site):
    base, chromium = site
    page, _, _ = open_page(chromium, base + PAGE, languages=["vi-VN"])
    page.click(".md-header__option .md-select button")
    page.click('a.md-select__link[hreflang="en"]')
    page.wait_for_url(base + "en/sites/phan-thiet-water-tower/")
    assert page.evaluate("localStorage.getItem('heritage.lang')") == "en"
    page.goto(base)  # the browser prefers Vietnamese, but the reader chose English
    page.wait_for_url(base + "en/")
    page.context.close()


def test_site_page_makes_no_request_off_this_machine(site):
    base, chromium = site
    page, requests, errors = open_page(chromium, base + PAGE, languages=["vi-VN"])
    page.wait_for_timeout(500)
    assert requests and all(url.startswith(base) for url in requests), requests
    assert not [url for url in requests if url.endswith("sitemap.xml")]
    assert errors == []
    page.context.close()


TOWER_CODE = "2E"  # issued to phan-thiet-water-tower: permanent, as printed


@pytest.mark.parametrize("path", [f"Q/{TOWER_CODE}/", f"q/{TOWER_CODE.lower()}/"])
@pytest.mark.parametrize("languages, expected", [
    (["vi-VN"], "vi"),
    (["de-DE", "en"], "en"),
    (["ko-KR"], "vi"),  # no Korean: the default language
    (["ru"], "ru"),
])
def test_plaque_lands_on_the_site_in_the_readers_language(site, path, languages, expected):
    base, chromium = site
    page, requests, _ = open_page(chromium, base + path, languages=languages)
    page.wait_for_url(f"{base}{expected}/sites/phan-thiet-water-tower/")
    assert all(url.startswith(base) for url in requests)
    page.go_back()  # location.replace: Back leaves the plaque page instead of looping
    assert not page.url.startswith(base + path)
    page.context.close()


def test_plaque_honours_a_saved_choice_over_the_browser(site):
    base, chromium = site
    page, _, _ = open_page(chromium, base + f"Q/{TOWER_CODE}/", languages=["vi-VN"],
                           storage="ru")
    page.wait_for_url(base + "ru/sites/phan-thiet-water-tower/")
    page.context.close()


def test_plaque_without_javascript_goes_to_the_default_language(site):
    base, chromium = site
    page, _, _ = open_page(chromium, base + f"Q/{TOWER_CODE}/", js=False)
    page.wait_for_url(base + "vi/sites/phan-thiet-water-tower/")
    page.context.close()


def test_switcher_choice_is_honoured_by_the_next_plaque(site):
    base, chromium = site
    page, _, _ = open_page(chromium, base + "vi/sites/duc-thanh-school/", languages=["vi-VN"])
    page.click(".md-header__option .md-select button")
    page.click('a.md-select__link[hreflang="ru"]')
    page.wait_for_url(base + "ru/sites/duc-thanh-school/")
    page.goto(base + f"Q/{TOWER_CODE}/")
    page.wait_for_url(base + "ru/sites/phan-thiet-water-tower/")
    page.context.close()
