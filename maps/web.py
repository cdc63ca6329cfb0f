"""Light, deterministic Leaflet map pages built with folium, loading only self-hosted files.

folium's defaults are heavy and unsafe for a static site (research: tech-stack §3, reliability
§4.3): jQuery, Bootstrap and Font Awesome from four CDN hosts, random element ids (branca
`_generate_id` reads os.urandom), and editor text placed raw in JS template literals. So here:

- folium builds only the page, the map, the tile layer and the locate control; Leaflet and the
  plugins come from the site (`vendor_dir()`, copied by the caller next to the pages);
- markers are one small script over a JSON list: HTML-escaped text inside a JSON string with
  `<`, `>` and `&` escaped, so no label can close the script, run code or become markup;
- element ids are renumbered from a counter after the map is built, so output is byte-stable.

Markers use Leaflet's own icons (self-hosted images) or CSS-only numbered icons, so they show
even when tiles fail to load.
"""

from __future__ import annotations

import html
import itertools
import json
import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import folium
from branca.element import Element, Figure
from folium.elements import JSCSSMixin
from folium.plugins import LocateControl
from folium.template import Template

from .geo import LatLon

__all__ = ["overview_map_html", "route_map_html", "site_map_html", "vendor_dir"]

_MAX_ZOOM = 19
_FIT_MAX_ZOOM = 17
_CLUSTER_PACKAGE = "leaflet.markercluster"
_LOCATE_PACKAGE = "leaflet.locatecontrol"
# C0 controls, space and DEL are stripped or split on by browsers; "\" is read as "/".
_UNSAFE_URL_CHARS = re.compile(r"[\x00-\x20\x7f\\]")
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")

_LABEL_CSS = (
    ".leaflet-tooltip{white-space:normal;width:max-content;max-width:14em;text-align:center}"
)
_STOP_CSS = (
    ".map-stop{box-sizing:border-box;border:2px solid #fff;border-radius:50%;color:#fff;"
    "font:bold 13px/24px sans-serif;text-align:center;box-shadow:0 1px 4px rgba(0,0,0,.5)}"
)

# One function draws every map's markers from a JSON payload `d` (see _payload_json): the pins
# themselves, or (d.data) a GeoJSON file to fetch them from. When they are drawn the map's
# container gets data-pins="<count>" (or "failed"), a marker tests and scripts can wait for.
_PINS_JS = """\
(function (map, d) {
    // Leaflet guesses the icon folder from leaflet.css; say it, so icons never 404.
    L.Icon.Default.imagePath = d.images;
    var box = map.getContainer();
    var group = d.cluster
        ? L.markerClusterGroup({showCoverageOnHover: false, maxClusterRadius: 40})
        : L.featureGroup();
    if (d.frame) {  // framed now, before any tile is asked for, not when the data arrive
        map.fitBounds(d.frame, {padding: [24, 24], maxZoom: d.fit});
    }
    function draw(pins) {
        if (d.line) {
            L.polyline(pins.map(function (p) { return [p.lat, p.lon]; }),
                {color: d.line, weight: 4, opacity: 0.8, interactive: false}).addTo(map);
        }
        pins.forEach(function (p) {
            var options = {alt: p.text, title: p.text};
            if (p.number) {
                options.icon = L.divIcon({className: "map-stop", html: String(p.number),
                    iconSize: [28, 28], popupAnchor: [0, -14]});
            }
            var marker = L.marker([p.lat, p.lon], options);
            if (d.labels) {
                marker.bindTooltip(p.html, {permanent: true, direction: "top", offset: [-16, -14]});
            } else {
                marker.bindPopup(p.html);
            }
            group.addLayer(marker);
        });
        group.addTo(map);
        if (d.fit && !d.frame && pins.length) {
            map.fitBounds(group.getBounds(), {padding: [24, 24], maxZoom: d.fit});
        }
        box.setAttribute("data-pins", String(pins.length));
    }
    // A feature's link: the site's own absolute URLs become relative (so a preview server
    // works too); other http(s) links stay; anything else is no link.
    function href(url) {
        if (typeof url !== "string") { return null; }
        if (url.indexOf(d.data.base) === 0) { return d.data.root + url.slice(d.data.base.length); }
        return /^https?:\\/\\/[^\\/]/i.test(url) ? url : null;
    }
    function pin(feature) {
        var c = feature.geometry.coordinates, props = feature.properties || {};
        var text = String(props[d.data.label] || feature.id), link = href(props[d.data.link]);
        var content = document.createElement(link ? "a" : "span");
        content.textContent = text;  // text, never markup
        if (link) { content.href = link; content.target = "_top"; }
        return {lat: c[1], lon: c[0], text: text, html: content};
    }
    if (!d.data) { draw(d.pins); return; }
    fetch(d.data.url)
        .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
        .then(function (c) {
            draw(c.features.filter(function (f) {
                return f.geometry && f.geometry.type === "Point";
            }).map(pin));
        })
        .catch(function () { box.setAttribute("data-pins", "failed"); });
})"""


def vendor_dir() -> Path:
    """The folder of self-hosted Leaflet files; copy it whole so the plugins sit beside Leaflet.

    Layout: leaflet/, leaflet.markercluster/, leaflet.locatecontrol/ (each with its licence),
    VERSIONS, SHA256SUMS and update-leaflet.sh, which refreshes them from the npm registry.
    """
    return Path(__file__).resolve().parent / "vendor"


# --- validation of plain inputs -------------------------------------------------------------


def _site_base_url(url: str) -> str:
    """A folder URL on this site (relative or /absolute), ending in "/"; never a CDN."""
    parts = urlsplit(url)
    if (
        not url
        or _UNSAFE_URL_CHARS.search(url)
        or parts.scheme
        or parts.netloc
        or url.startswith("//")
        or parts.query
        or parts.fragment
    ):
        raise ValueError(f"leaflet_base_url must be a folder URL on the site itself, got {url!r}")
    return url if url.endswith("/") else url + "/"


def _link(href: str) -> str:
    """A marker link: relative, /absolute or http(s)://host, spaces percent-encoded.

    javascript:, data:, protocol-relative //host and backslash tricks are refused.
    """
    parts = urlsplit(href)
    if (
        not href
        or _UNSAFE_URL_CHARS.search(href)
        or href.startswith("//")
        or (parts.scheme and (parts.scheme not in ("http", "https") or not parts.netloc))
    ):
        raise ValueError(f"a marker link must be a relative or http(s) URL, got {href!r}")
    return href


def _tiles(tiles_url: str) -> str:
    """A tile URL template such as https://tile.openstreetmap.org/{z}/{x}/{y}.png."""
    parts = urlsplit(tiles_url)
    placeholders = all(name in tiles_url for name in ("{z}", "{x}", "{y}"))
    remote = parts.scheme in ("http", "https") and bool(parts.netloc)
    local = not parts.scheme and not tiles_url.startswith("//")
    if not placeholders or _UNSAFE_URL_CHARS.search(tiles_url) or not (remote or local):
        raise ValueError(
            f"tiles_url must be an http(s) or site URL with {{z}}/{{x}}/{{y}}, got {tiles_url!r}"
        )
    return tiles_url


def _text(value: str, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{what} must be non-empty text, got {value!r}")
    return value


def _zoom(zoom: int) -> int:
    if isinstance(zoom, bool) or not isinstance(zoom, int) or not 0 <= zoom <= _MAX_ZOOM:
        raise ValueError(f"zoom must be an integer from 0 to {_MAX_ZOOM}, got {zoom!r}")
    return zoom


def _colour(colour: str) -> str:
    if not isinstance(colour, str) or not _COLOUR.fullmatch(colour):
        raise ValueError(f"colour must look like #1d4ed8, got {colour!r}")
    return colour


# --- JSON inside <script> -------------------------------------------------------------------


def _script_json(value: object) -> str:
    """JSON that is also safe inside an HTML <script>: it can never contain "</script" or "<!--".

    U+2028/U+2029 are escaped too, for JS engines older than ES2019.
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for raw, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return text


# --- folium elements ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Pin:
    """One marker as the browser script needs it; html is already escaped markup."""

    position: LatLon
    text: str
    html: str
    number: int | None = None

    def as_json(self) -> dict[str, object]:
        return {
            "lat": self.position.lat,
            "lon": self.position.lon,
            "text": self.text,
            "html": self.html,
            "number": self.number,
        }


@dataclass(frozen=True)
class _Page:
    """What every map page shares: where Leaflet lives and which tiles to show."""

    leaflet_base_url: str
    tiles_url: str
    attribution: str
    locate_label: str | None

    def asset(self, package: str, name: str) -> str:
        """URL of a vendored file; plugins sit beside leaflet/ as in vendor_dir()."""
        return posixpath.normpath(posixpath.join(self.leaflet_base_url, "..", package, name))


@dataclass(frozen=True)
class _Data:
    """Pins read by the browser from a GeoJSON file: one file serves every language's map."""

    url: str  # the file, relative to the map page
    label: str  # the property holding a point's label
    link: str  # the property holding its link
    base: str  # links starting with this absolute URL ...
    root: str  # ... are made relative: base is replaced by this
    frame: tuple[LatLon, LatLon]  # south-west and north-east corners of the first view

    def as_json(self) -> dict[str, object]:
        return {"url": self.url, "label": self.label, "link": self.link, "base": self.base,
                "root": self.root}


@dataclass(frozen=True)
class _Drawing:
    """How the pins are drawn: what the browser script `_PINS_JS` reads besides the pins."""

    labels: bool = False  # a permanent label beside each pin instead of a popup
    cluster: bool = False  # group overlapping pins with Leaflet.markercluster
    fit: int = 0  # if > 0, fit the view to all pins, zooming in no further than this
    line: str | None = None  # a #rrggbb line through the pins in order
    css: str = ""
    data: _Data | None = None  # draw the points of this GeoJSON file instead of inline pins


class _Pins(JSCSSMixin):
    """All markers of a map (and the route line) drawn by one script from one JSON payload."""

    _template = Template(
        "{% macro header(this, kwargs) %}"
        "{% if this.css %}<style>{{ this.css }}</style>{% endif %}"
        "{% endmacro %}"
        "{% macro script(this, kwargs) %}"
        "{{ this.js }}({{ this._parent.get_name() }}, {{ this.payload }});"
        "{% endmacro %}"
    )

    def __init__(self, page: _Page, pins: Sequence[_Pin] | None, drawing: _Drawing) -> None:
        super().__init__()
        self._name = "Pins"
        self.js = _PINS_JS
        self.css = drawing.css
        self.payload = _PAYLOAD_MARK if pins is None else _payload_json(page, pins, drawing)
        # Instance lists: folium's add_js_link would mutate the shared class-level lists.
        self.default_js: list[tuple[str, str]] = []
        self.default_css: list[tuple[str, str]] = []
        if drawing.cluster:
            self.default_js.append(
                ("cluster_js", page.asset(_CLUSTER_PACKAGE, "leaflet.markercluster.js"))
            )
            for i, name in enumerate(("MarkerCluster.css", "MarkerCluster.Default.css")):
                self.default_css.append((f"cluster_css_{i}", page.asset(_CLUSTER_PACKAGE, name)))


def _payload_json(page: _Page, pins: Sequence[_Pin], drawing: _Drawing) -> str:
    """The one JSON value _PINS_JS reads: the pins and how to draw them."""
    data = drawing.data
    return _script_json({
        "pins": [pin.as_json() for pin in pins],
        "images": page.leaflet_base_url + "images/",
        "labels": drawing.labels,
        "cluster": drawing.cluster,
        "fit": drawing.fit,
        "line": drawing.line,
        "data": data.as_json() if data else None,
        "frame": [[corner.lat, corner.lon] for corner in data.frame] if data else None,
    })


def _page(
    leaflet_base_url: str, tiles_url: str, attribution: str, locate_label: str | None
) -> _Page:
    if not isinstance(attribution, str):
        raise TypeError("attribution must be a string")
    if locate_label is not None:
        _text(locate_label, "locate_label")
    return _Page(_site_base_url(leaflet_base_url), _tiles(tiles_url), attribution, locate_label)


# Stand-ins rendered into a page skeleton, then replaced by each page's own values.
_TITLE_MARK = "@@map-title@@"
_PAYLOAD_MARK = "@@map-payload@@"
_CENTER_MARK = LatLon(1.2345678901234567, 2.3456789012345678)
_CENTER_JSON = json.dumps([_CENTER_MARK.lat, _CENTER_MARK.lon])
_MARKS = re.compile("(" + "|".join(map(re.escape, (_TITLE_MARK, _PAYLOAD_MARK, _CENTER_JSON)))
                    + ")")
# Each skeleton split at its stand-ins: the text between them, then a stand-in, and so on.
_SKELETONS: dict[tuple[_Page, _Drawing, int], list[str]] = {}
_LINE_BREAK = re.compile("[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")  # as str.splitlines


def _render(
    page: _Page,
    pins: Sequence[_Pin],
    drawing: _Drawing,
    *,
    title: str,
    center: LatLon | None = None,
    zoom: int = _FIT_MAX_ZOOM,
) -> str:
    """The map page for these pins, byte for byte what folium gives (_folium_page, tidied).

    folium takes about 14 ms a page, most of it compiling templates, and a province has five
    thousand site-map pages that differ only in title, centre and pins. So folium renders
    each kind of page (same tiles, Leaflet folder, drawing and zoom) once, with stand-ins,
    and every page of that kind is the skeleton with its own values put in.
    """
    if center is None:
        center = _middle([pin.position for pin in pins])
    key = (page, drawing, zoom)
    if key not in _SKELETONS:
        if _MARKS.search(repr((page, drawing))):  # a stand-in in the page's own settings
            return _tidy(_folium_page(page, pins, drawing, title=title, center=center,
                                      zoom=zoom))
        _SKELETONS[key] = _MARKS.split(_tidy(_folium_page(
            page, None, drawing, title=_TITLE_MARK, center=_CENTER_MARK, zoom=zoom)))
    values = {_TITLE_MARK: html.escape(title),
              _PAYLOAD_MARK: _payload_json(page, pins, drawing),
              _CENTER_JSON: json.dumps([center.lat, center.lon])}
    # One pass over the skeleton, so a value that happens to contain a stand-in stays as it is.
    filled = "".join(values[part] if odd else part
                     for odd, part in zip(itertools.cycle((False, True)), _SKELETONS[key]))
    # The skeleton is tidy and every stand-in sits inside a line, so values on one line keep
    # it tidy; a value with a line break of its own needs the whole page tidied again.
    return _tidy(filled) if any(map(_LINE_BREAK.search, values.values())) else filled


def _folium_page(
    page: _Page,
    pins: Sequence[_Pin] | None,
    drawing: _Drawing,
    *,
    title: str,
    center: LatLon,
    zoom: int,
) -> str:
    """folium's HTML for the map, ids numbered; pins=None leaves _PAYLOAD_MARK for the pins."""
    fmap = folium.Map(
        location=[center.lat, center.lon],
        zoom_start=zoom,
        tiles=None,
        control_scale=True,
        maxZoom=_MAX_ZOOM,  # the cluster plugin needs it before the tile layer is added
    )
    fmap.default_js = [("leaflet", page.leaflet_base_url + "leaflet.js")]
    fmap.default_css = [("leaflet_css", page.leaflet_base_url + "leaflet.css")]
    # Markers before tiles: a fitBounds then happens before any tile is requested.
    fmap.add_child(_Pins(page, pins, drawing))
    folium.TileLayer(
        tiles=page.tiles_url, attr=page.attribution, name="base", max_zoom=_MAX_ZOOM
    ).add_to(fmap)
    if page.locate_label is not None:
        _locate_control(page).add_to(fmap)
    figure = fmap.get_root()
    assert isinstance(figure, Figure)
    figure.title = html.escape(title)
    _number_elements(figure)
    return figure.render()


def _locate_control(page: _Page) -> LocateControl:
    """The "show where I am" button, from the vendored plugin, without its English popup."""
    control = LocateControl(
        strings={"title": page.locate_label}, showPopup=False
    )
    control.default_js = [("locate_js", page.asset(_LOCATE_PACKAGE, "L.Control.Locate.min.js"))]
    control.default_css = [("locate_css", page.asset(_LOCATE_PACKAGE, "L.Control.Locate.min.css"))]
    return control


def _number_elements(figure: Figure) -> None:
    """Replace branca's random element ids with a counter in tree order (map_2, tile_layer_4).

    Relies on branca's private `_id` (pinned branca 0.8.2; a test checks two renders match).
    """
    counter = itertools.count(1)

    def visit(element: Element) -> None:
        element._id = str(next(counter))
        for child in element._children.values():
            visit(child)

    for root in (figure, figure.header, figure.html, figure.script):
        visit(root)


def _tidy(text: str) -> str:
    """Drop folium's blank and trailing-space lines: smaller, same meaning."""
    return "\n".join(line.rstrip() for line in text.splitlines() if line.strip()) + "\n"



def _middle(positions: Sequence[LatLon]) -> LatLon:
    """Centre of the bounding box: the first view, before fitBounds frames all the pins."""
    south_west, north_east = _frame(positions)
    return LatLon((south_west.lat + north_east.lat) / 2, (south_west.lon + north_east.lon) / 2)


def _frame(positions: Sequence[LatLon]) -> tuple[LatLon, LatLon]:
    """South-west and north-east corners of the box around positions."""
    lats = [p.lat for p in positions]
    lons = [p.lon for p in positions]
    return LatLon(min(lats), min(lons)), LatLon(max(lats), max(lons))


# --- public ---------------------------------------------------------------------------------


def site_map_html(
    center: LatLon,
    *,
    label: str,
    leaflet_base_url: str,
    tiles_url: str,
    attribution: str,
    zoom: int = 16,
    locate_label: str | None = None,
) -> str:
    """A standalone page with one marker at center, its label shown as plain text beside it.

    leaflet_base_url is where vendor_dir()/leaflet/ is served, relative to this page (e.g.
    "../../assets/vendor/leaflet/"). attribution is HTML shown by Leaflet (the tile provider's
    credit, from configuration, not editor text). locate_label, if given, adds a "show my
    location" button with that title.
    """
    page = _page(leaflet_base_url, tiles_url, attribution, locate_label)
    label = _text(label, "label")
    pins = [_Pin(center, label, html.escape(label))]
    drawing = _Drawing(labels=True, css=_LABEL_CSS)
    return _render(page, pins, drawing, title=label, center=center, zoom=_zoom(zoom))


def overview_map_html(
    data_url: str,
    positions: Sequence[LatLon],
    *,
    label_key: str,
    link_key: str,
    links_from: tuple[str, str],
    leaflet_base_url: str,
    tiles_url: str,
    attribution: str,
    title: str,
    locate_label: str | None = None,
) -> str:
    """A page that draws the points of the GeoJSON file at data_url, each popup a link.

    The markers are not in the page: the browser fetches the file (as written by to_geojson)
    once and every language's map shares it, so a thousand places cost one file, not a
    thousand inline markers per language. The label and link of a point are its properties
    label_key and link_key; links_from = (absolute, relative) rewrites links that start with
    the first into ones that start with the second, so the site's own absolute URLs work on
    any host, a preview included. Links open in the top window (the map usually sits in an
    iframe). positions (those of the file's points) frame the first view, before any tile or
    the file is fetched. The vendored Leaflet.markercluster (~10 KB gzip) groups markers that
    overlap at the current zoom and leaves the others alone.
    """
    page = _page(leaflet_base_url, tiles_url, attribution, locate_label)
    if not positions:
        raise ValueError("an overview map needs at least one point")
    base, root = links_from
    if urlsplit(base).scheme not in ("http", "https") or not base.endswith("/"):
        raise ValueError(f"links_from must start with an http(s) URL ending in '/', got {base!r}")
    data = _Data(_site_file(data_url), _text(label_key, "label_key"), _text(link_key, "link_key"),
                 base, _site_base_url(root), _frame(positions))
    drawing = _Drawing(cluster=True, fit=_FIT_MAX_ZOOM, data=data)
    return _render(page, [], drawing, title=_text(title, "title"), center=_middle(positions))


def _site_file(url: str) -> str:
    """A file on the site itself (relative or /absolute), never another host."""
    if not url or url.endswith("/"):
        raise ValueError(f"data_url must name a file on the site itself, got {url!r}")
    return _site_base_url(url)[:-1]


def route_map_html(
    stops: Sequence[tuple[LatLon, str, str | None]],
    *,
    leaflet_base_url: str,
    tiles_url: str,
    attribution: str,
    title: str,
    colour: str = "#1d4ed8",
    locate_label: str | None = None,
) -> str:
    """A walking-tour page: stops numbered 1..n in order, joined by straight lines.

    Each stop is (position, label, href or None); the popup reads "n. label", a link when
    href is given. The line is as the crow flies, not the walking path. colour (#rrggbb)
    paints the line and the number discs, white text on it, so pick a dark one.
    """
    page = _page(leaflet_base_url, tiles_url, attribution, locate_label)
    if not stops:
        raise ValueError("a route needs at least one stop")
    pins = [_route_pin(n, *stop) for n, stop in enumerate(stops, start=1)]
    colour = _colour(colour)
    drawing = _Drawing(
        fit=_FIT_MAX_ZOOM,
        line=colour if len(pins) > 1 else None,
        css=_STOP_CSS + f".map-stop{{background:{colour}}}",
    )
    return _render(page, pins, drawing, title=_text(title, "title"))


def _route_pin(number: int, position: LatLon, label: str, href: str | None) -> _Pin:
    label = _text(label, "label")
    text = html.escape(f"{number}. {label}")
    if href is not None:
        text = f'<a href="{html.escape(_link(href))}" target="_top">{text}</a>'
    return _Pin(position, f"{number}. {label}", text, number)
