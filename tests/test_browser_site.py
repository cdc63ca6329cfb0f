"""The demo site in a real browser: language routing, the switcher, no third-party requests."""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from browser import browser, serve

PAGE = "vi/sites/phan-thiet-water-tower/"


@pytest.fixture(scope="module")
def site(demo_site):
    with serve(demo_site) as base, browser() as chromium:
        yield base, chromium


def open_page(chromium, url, *, languages=("en",), js=True, storage=None, workers="allow"):
    context = chromium.new_context(locale=languages[0], java_script_enabled=js,
                                   service_workers=workers)
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
    (["ko-KR"], "en/"),  # no Korean: the international language, not the local one
    (["fr-FR", "fr", "vi"], "vi/"),  # the whole preference list before the fallback
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
    page.wait_for_load_state("networkidle")
    assert requests and all(url.startswith(base) for url in requests), requests
    assert not [url for url in requests if url.endswith("sitemap.xml")]
    assert errors == []
    page.context.close()


TOWER_CODE = "2E"  # issued to phan-thiet-water-tower: permanent, as printed


@pytest.mark.parametrize("path", [f"Q/{TOWER_CODE}/", f"q/{TOWER_CODE.lower()}/"])
@pytest.mark.parametrize("languages, expected", [
    (["vi-VN"], "vi"),
    (["de-DE", "en"], "en"),
    (["ko-KR"], "en"),  # no Korean: the international language, not the local one
    (["zh-CN", "zh"], "en"),
    (["fr-FR"], "en"),
    (["de-DE", "ru"], "ru"),
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


@pytest.mark.parametrize("stored", ["constructor", "__proto__", "toString"])
def test_a_stored_choice_that_is_no_language_is_ignored(site, stored):
    base, chromium = site
    page, _, _ = open_page(chromium, base + f"Q/{TOWER_CODE}/", languages=["ru"],
                           storage=stored)
    page.wait_for_url(base + "ru/sites/phan-thiet-water-tower/")
    page.context.close()


@pytest.mark.parametrize("languages, heading, link", [
    (["ru-RU"], "Такой страницы нет", "ru/sites/"),
    (["fr-FR"], "This page does not exist", "en/sites/"),  # no French: English
    (["vi-VN"], "Trang này không tồn tại", "vi/sites/"),
])
def test_an_unknown_code_says_so_in_the_readers_language(site, languages, heading, link):
    base, chromium = site
    page, requests, errors = open_page(chromium, base + "Q/ZZ9/", languages=languages)
    shown = page.locator("section:not([hidden])")
    assert shown.count() == 1 and shown.locator("h1").inner_text() == heading
    code = shown.locator(".heritage-code")
    assert code.is_visible() and code.locator("b").inner_text() == "ZZ9"
    assert shown.locator(f'a[href="/{link}"]').count() == 1
    assert all(url.startswith(base) for url in requests)
    page.goto(base + "vi/no-such-page/")  # any other missing page: no code sentence
    assert page.locator("section:not([hidden]) .heritage-code").is_hidden()
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


TILE = bytes.fromhex(  # a 1×1 grey PNG, served instead of real tiles (no network here)
    "89504e470d0a1a0a0000000d4948445200000001000000010800000000"
    "3a7e9b550000000a49444154789c636800000082008177cd72b60000000049454e44ae426082")


def open_with_tiles(chromium, url, languages=("en",)):
    """Open `url` with the tile host answered locally; returns (page, requests, errors)."""
    context = chromium.new_context(locale=languages[0])
    context.route("https://tile.openstreetmap.org/**",
                  lambda route: route.fulfill(status=200, content_type="image/png", body=TILE))
    page = context.new_page()
    requests, errors = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(url)
    page.wait_for_load_state("load")
    return page, requests, errors


def off_machine(requests, base):
    return [url for url in requests
            if not url.startswith(base) and not url.startswith("https://tile.openstreetmap.org/")]


def test_overview_map_has_one_marker_per_located_site(site):
    base, chromium = site
    page, requests, errors = open_with_tiles(chromium, base + "en/map/")
    frame = page.frame_locator("iframe.heritage-map-frame")
    frame.locator(".leaflet-container[data-pins='6']").wait_for()  # read from /data/sites.geojson
    singles = frame.locator(".leaflet-marker-icon:not(.marker-cluster)").count()
    clustered = sum(int(t) for t in frame.locator(".marker-cluster").all_inner_texts())
    assert singles + clustered == 6  # seven sites, one without coordinates
    assert off_machine(requests, base) == [] and errors == []
    page.context.close()


def test_overview_popup_opens_the_page_in_the_same_language(site):
    base, chromium = site
    page, _, _ = open_with_tiles(chromium, base + "ru/map/")
    # As a reader does, scroll to the map before tapping it (Playwright scrolling the page
    # for each click inside the frame makes Leaflet miss the clicks).
    page.locator("iframe.heritage-map-frame").scroll_into_view_if_needed()
    frame = page.frame_locator("iframe.heritage-map-frame")
    single = frame.locator(".leaflet-marker-icon:not(.marker-cluster)")
    for _ in range(5):  # open clusters until a single marker shows
        if single.count():
            break
        frame.locator(".marker-cluster").first.click(force=True)
        try:
            single.first.wait_for(timeout=3000)
        except PlaywrightTimeout:  # still clusters at the new zoom: open the next one
            pass
    single.first.click()
    link = frame.locator(".leaflet-popup-content a")
    href = link.get_attribute("href")
    link.click()
    page.wait_for_url(f"{base}ru/sites/**")
    assert page.url.startswith(base + "ru/sites/") and href.startswith("../../ru/sites/")
    page.context.close()


def test_site_map_appears_only_after_the_click(site):
    base, chromium = site
    page, requests, errors = open_with_tiles(chromium, base + PAGE)
    page.wait_for_load_state("networkidle")
    assert not [url for url in requests if "leaflet" in url or "map.html" in url]
    assert page.locator("iframe.heritage-map-frame").count() == 0
    page.click(".heritage-map button")
    frame = page.frame_locator("iframe.heritage-map-frame")
    frame.locator(".leaflet-marker-icon").wait_for()
    assert frame.locator(".leaflet-tooltip").inner_text() == "Tháp nước Phan Thiết"
    assert any(url.endswith("vendor/leaflet/leaflet.js") for url in requests)
    assert off_machine(requests, base) == [] and errors == []
    page.context.close()


def search(page, query):
    """Type a query into the page's search form; wait for the search page's answer."""
    page.locator("form.heritage-search input").fill(query)
    page.locator("form.heritage-search input").press("Enter")
    page.locator(f'form.heritage-search[data-state=done][data-query="{query}"]').wait_for(
        state="attached")
    return page.locator("#heritage-search-results")


def result_titles(results):
    return [text.strip() for text in results.locator("li > a").all_inner_texts()]


def test_search_finds_words_typed_without_accents(site):
    base, chromium = site
    page, requests, errors = open_page(chromium, base + PAGE, languages=["vi-VN"])
    assert not [url for url in requests if "/pagefind/" in url]  # fetched only by search
    results = search(page, "thap nuoc")
    assert page.url.startswith(base + "vi/search/?q=")
    assert "Tháp nước Phan Thiết" in result_titles(results)
    assert results.locator("mark").count() > 0  # the words found, marked in the excerpt
    assert any("/pagefind/" in url for url in requests)
    page.locator("#heritage-search-results li > a", has_text="Tháp nước Phan Thiết").click()
    page.wait_for_url(base + PAGE)
    assert off_machine(requests, base) == [] and errors == []
    page.context.close()


def test_search_in_cyrillic_keeps_to_the_page_language(site):
    base, chromium = site
    page, _, errors = open_page(chromium, base + "ru/", languages=["ru-RU"])
    results = search(page, "водонапорная")
    assert "Водонапорная башня Фантьета" in result_titles(results)
    links = results.locator("li > a").evaluate_all("links => links.map(a => a.href)")
    assert links and all(link.startswith(base + "ru/") for link in links)
    assert errors == []
    page.context.close()


def test_search_leaves_out_the_editors_guide(site):
    base, chromium = site
    page, _, _ = open_page(chromium, base + "en/search/")
    results = search(page, "libreoffice")  # named only in the editors' guide
    assert result_titles(results) == []
    assert "Nothing found" in results.inner_text()
    page.context.close()


def test_a_query_typed_before_the_index_arrives_is_answered(site):
    base, chromium = site
    # No service worker: the page's requests would go through it, out of the route's sight
    # (tests/test_offline_browser.py tests the worker).
    page, _, errors = open_page(chromium, base + "en/search/", languages=["en"],
                                workers="block")
    held = []  # a slow phone: the search script arrives after the reader has typed
    page.route("**/pagefind/*/pagefind.js", lambda route: held.append(route))
    with page.expect_request("**/pagefind/*/pagefind.js"):
        page.locator("form.heritage-search input").press_sequentially("Souphanouvong")
    page.locator("form.heritage-search[data-state=loading]").wait_for(state="attached")
    assert len(held) == 1
    held[0].continue_()
    page.locator('form.heritage-search[data-state=done][data-query="Souphanouvong"]').wait_for(
        state="attached")
    assert "Water Tower" in " ".join(result_titles(page.locator("#heritage-search-results")))
    assert errors == []
    page.context.close()


def test_search_offline_says_so(site):
    base, chromium = site
    page, _, _ = open_page(chromium, base + "en/search/")
    page.context.set_offline(True)
    page.locator("form.heritage-search input").fill("tower")
    page.locator("form.heritage-search[data-state=offline]").wait_for(state="attached")
    assert "offline" in page.locator("#heritage-search-results").inner_text()
    page.context.close()


def test_search_page_without_javascript_points_to_the_list(site):
    base, chromium = site
    page, _, _ = open_page(chromium, base + "en/search/", js=False)
    help_text = page.locator("#heritage-search-help")
    assert help_text.is_visible() and "JavaScript" in help_text.inner_text()
    page.locator("#heritage-search-help a").click()
    page.wait_for_url(base + "en/sites/")
    page.context.close()


def test_a_query_with_dollar_signs_is_shown_as_typed(site):
    base, chromium = site
    page, _, _ = open_page(chromium, base + "en/search/")
    results = search(page, "$`zz$&")  # JavaScript's replace() patterns, in a query
    assert "Nothing found for “$`zz$&”." in results.inner_text()
    page.context.close()
