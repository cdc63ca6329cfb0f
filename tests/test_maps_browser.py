"""maps.web in a real headless Chromium: markers show, text stays text, nothing but tiles leaves.

Tiles are blocked on purpose (the test machine has no outside network anyway), which is also
the "tiles fail" case: markers, labels, popups and controls must still work.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser import browser, serve

from maps.export import Place, to_geojson
from maps.geo import LatLon
from maps.web import overview_map_html, route_map_html, site_map_html, vendor_dir

TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
HOSTILE = "<img src=x onerror=alert(1)> `${alert(2)}` </script><script>alert(3)</script> \\1"
SITES = [
    (LatLon(10.92912, 108.09992), "Tháp nước Phan Thiết", "../sites/water-tower/"),
    (LatLon(10.92872, 108.09583), "Trường Dục Thanh", "../sites/duc-thanh-school/"),
    (LatLon(10.9475, 108.1581), "Tháp Pô Sah Inư", "../sites/po-sah-inu/"),
]

SITE_URL = "https://disan.example.vn/"
# Far enough apart that no two overlap (or cluster) at the fitted zoom, so each can be clicked;
# links as the open data hold them (absolute), one of another host, one that is not a link.
SPREAD = [
    (LatLon(10.90, 108.05), HOSTILE, SITE_URL + "vi/sites/water-tower/"),
    (LatLon(10.95, 108.10), SITES[1][1], SITE_URL + "vi/sites/duc-thanh-school/"),
    (LatLon(11.00, 108.15), SITES[2][1], "https://other.example/po-sah-inu/"),
    (LatLon(10.85, 108.20), "Lầu Ông Hoàng", "javascript:alert(4)"),
]
CROWDED = [(LatLon(10.929 + i * 1e-5, 108.1), f"Site {i}", f"{SITE_URL}s{i}/") for i in range(30)]


def geojson(points) -> str:
    places = [Place(f"s{i:02}", position.lat, position.lon, {"name_vi": label, "url_vi": url})
              for i, (position, label, url) in enumerate(points)]
    return to_geojson(places, licence="CC0-1.0", attribution="test")


def overview(data: str, points) -> str:
    return overview_map_html(
        f"../../data/{data}", [position for position, _, _ in points], label_key="name_vi",
        link_key="url_vi", links_from=(SITE_URL, "../../"),
        leaflet_base_url="../../assets/vendor/leaflet/", title="Bản đồ", **COMMON)


COMMON = {"tiles_url": TILES, "attribution": ATTRIBUTION, "locate_label": "Vị trí của tôi"}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """A mini site: vendored assets plus one map page of each kind, with a hostile label."""
    root = tmp_path_factory.mktemp("site")
    shutil.copytree(vendor_dir(), root / "assets" / "vendor")
    common = COMMON
    pages = {
        "vi/sites/water-tower/map.html": site_map_html(
            SITES[0][0], label=HOSTILE, leaflet_base_url="../../../assets/vendor/leaflet/", **common
        ),
        "data/spread.geojson": geojson(SPREAD),
        "data/crowded.geojson": geojson(CROWDED),
        "vi/map/index.html": overview("spread.geojson", SPREAD),
        "vi/map/crowded.html": overview("crowded.geojson", CROWDED),
        "vi/map/lost.html": overview("missing.geojson", SPREAD),
        "vi/tours/walk/index.html": route_map_html(
            [(position, label, None) for position, label, _ in SITES],
            leaflet_base_url="../../../assets/vendor/leaflet/",
            title="Đi bộ",
            **common,
        ),
    }
    for name, text in pages.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def chromium():
    with browser() as instance:
        yield instance


class Visit:
    """One page load with tiles blocked, recording what a reviewer would worry about."""

    def __init__(self, chromium, base_url: str, path: str, cpu_slowdown: int = 1):
        self.remote: set[str] = set()
        self.failed_local: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page = chromium.new_page(viewport={"width": 390, "height": 320})
        local = urlsplit(base_url).netloc
        self.page.route("**/*", lambda route: self._route(route, local))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("dialog", self._dialog)
        self.page.on("response", self._response)
        if cpu_slowdown > 1:  # a cheap phone: Chromium runs the page's script this much slower
            cdp = self.page.context.new_cdp_session(self.page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": cpu_slowdown})
        self.page.goto(base_url + path, wait_until="load")
        # Set by the marker script once the pins are drawn (or their file failed to load).
        self.pins = self.page.wait_for_selector(".leaflet-container[data-pins]"
                                                ).get_attribute("data-pins")

    def _route(self, route, local: str) -> None:
        host = urlsplit(route.request.url).netloc
        if host == local:
            route.continue_()
        else:
            self.remote.add(host)
            route.abort()

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _response(self, response) -> None:
        if response.status >= 400:
            self.failed_local.append(response.url)

    def close(self) -> None:
        self.page.close()


@pytest.fixture()
def visit(chromium, site):
    visits: list[Visit] = []

    def open_page(path: str, cpu_slowdown: int = 1) -> Visit:
        visits.append(Visit(chromium, base_url, path, cpu_slowdown))
        return visits[-1]

    with serve(site) as base_url:
        yield open_page
        for one in visits:
            one.close()


def assert_clean(page: Visit) -> None:
    assert page.remote <= {"tile.openstreetmap.org"}
    assert page.failed_local == []
    assert page.errors == []
    assert page.dialogs == []
    assert page.page.locator(".leaflet-control-locate").count() == 1


def test_site_map_shows_the_label_as_text(visit):
    page = visit("vi/sites/water-tower/map.html")
    assert page.page.locator(".leaflet-tooltip").inner_text() == HOSTILE.strip()
    icon = page.page.locator("img.leaflet-marker-icon")
    assert icon.get_attribute("alt") == HOSTILE
    assert icon.evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.page.locator("img[src='x']").count() == 0
    assert_clean(page)


def popup_after_clicking(page: Visit, label: str):
    """The popup's content after a click on a marker (the click an open popup may cover)."""
    page.page.get_by_alt_text(label, exact=True).dispatch_event("click")
    content = page.page.locator(".leaflet-popup-content > *", has_text=label.strip())
    content.wait_for()
    return content


def test_overview_draws_the_geojson_points_with_links_to_the_site_pages(visit):
    page = visit("vi/map/index.html")
    assert page.pins == "4"
    assert page.page.locator(".leaflet-marker-icon").count() == 4
    link = popup_after_clicking(page, SITES[1][1])
    assert link.inner_text() == SITES[1][1]
    assert link.get_attribute("href") == "../../vi/sites/duc-thanh-school/"  # made relative
    assert link.get_attribute("target") == "_top"
    assert popup_after_clicking(page, SITES[2][1]).get_attribute("href") == SPREAD[2][2]
    hostile = popup_after_clicking(page, HOSTILE)
    assert hostile.inner_text() == HOSTILE.strip()
    assert hostile.get_attribute("href") == "../../vi/sites/water-tower/"
    not_a_link = popup_after_clicking(page, "Lầu Ông Hoàng")
    assert not_a_link.evaluate("e => e.tagName") == "SPAN"
    assert page.page.locator("a[href^='javascript']").count() == 0
    assert page.page.locator("img[src='x']").count() == 0
    assert_clean(page)


def test_overview_clusters_crowded_markers(visit):
    page = visit("vi/map/crowded.html")
    assert page.pins == "30"
    assert page.page.locator(".marker-cluster").count() >= 1
    assert page.page.locator(".leaflet-marker-icon").count() < 30
    assert_clean(page)


def test_a_tapped_cluster_opens_to_its_sites_on_a_slow_phone(visit):
    """Under a 4× slower CPU, taps on a cluster zoom in until its sites stand apart (or are
    spread around it at the deepest zoom), and a tap on one of them opens its popup."""
    page = visit("vi/map/crowded.html", cpu_slowdown=4)
    assert page.pins == "30"
    single = page.page.locator(".leaflet-marker-icon:not(.marker-cluster)")
    for _ in range(20):  # a zoom level per tap, at most
        if single.count():
            break
        cluster = page.page.locator(".marker-cluster").first.element_handle()
        cluster.click()
        page.page.wait_for_function(  # replaced by what it held, or spread out at the deepest
            "c => !c.isConnected || document.querySelector("
            "'.leaflet-marker-icon:not(.marker-cluster)')", arg=cluster, timeout=30_000)
    marker = single.first
    label = marker.get_attribute("alt")
    assert label and label.startswith("Site ")
    marker.dispatch_event("click")
    page.page.locator(".leaflet-popup-content > *", has_text=label).wait_for(timeout=30_000)
    assert_clean(page)


def test_overview_without_its_data_file_still_shows_the_map(visit):
    page = visit("vi/map/lost.html")
    assert page.pins == "failed"
    assert page.failed_local == [page.page.url.replace("vi/map/lost.html",
                                                       "data/missing.geojson")]
    assert page.page.locator(".leaflet-control-locate").count() == 1
    assert page.errors == [] and page.dialogs == []


def test_route_numbers_stops_and_draws_the_line(visit):
    page = visit("vi/tours/walk/index.html")
    assert page.page.locator(".map-stop").all_inner_texts() == ["1", "2", "3"]
    assert page.page.locator(".leaflet-overlay-pane path").count() == 1
    page.page.locator(".map-stop").nth(1).click()
    assert page.page.locator(".leaflet-popup-content").inner_text() == f"2. {SITES[1][1]}"
    assert_clean(page)
