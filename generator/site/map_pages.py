"""Maps in the site: a click-to-load map on each site page, the overview map, walking tours,
directions links and the open-data exports. The drawing itself is `maps/`'s.

Map pages are separate HTML files loaded in an iframe, and Leaflet is served from `/vendor/`:
a site page fetches no map code until the reader asks for the map.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import TypedDict

import maps
from generator.core import routes
from generator.core.cache import Cache, cache_key, code_digest
from generator.load.config import ProjectConfig
from generator.core.i18n import Texts
from generator.core.model import HeritageSite, Language, OutputFile, Project, Tour
from generator.site.pagedoc import PageDoc, esc
from generator.renderer import material

VENDOR = "vendor"
MAP_FILE = "map.html"
DATA = "data"
GEOJSON = "sites.geojson"
OVERVIEW_DOC = PurePosixPath("map", "index.md")
DATA_DOC = PurePosixPath("data", "index.md")
TOURS_DOC = PurePosixPath("tours", "index.md")


def tour_doc(tour_id: str) -> PurePosixPath:
    return PurePosixPath("tours", tour_id, "index.md")


def _leaflet(page_path: str) -> str:
    """Where vendor_dir()/leaflet/ is served, relative to a page at `page_path`."""
    return routes.relative_url(page_path, f"{VENDOR}/leaflet/")


def _title(site: HeritageSite, language: Language) -> str:
    narrative = site.narrative(language)
    return narrative.title if narrative else site.id


def _point(site: HeritageSite) -> maps.LatLon:
    assert site.coordinates is not None
    return maps.LatLon(site.coordinates.lat, site.coordinates.lon)


# --- sections and pages in the docs tree ---------------------------------------------------

def site_map_section(site: HeritageSite, texts: Texts) -> str:
    """Directions links that work without any map, and a button that loads the map."""
    if site.coordinates is None:
        return ""
    lat, lon = f"{site.coordinates.lat:.6f}", f"{site.coordinates.lon:.6f}"
    links = [(f"geo:{lat},{lon}", texts("directions_app")),
             (f"https://www.openstreetmap.org/directions?route=%3B{lat}%2C{lon}",
              "OpenStreetMap"),
             (f"https://www.google.com/maps/dir/?api=1&destination={lat}%2C{lon}",
              "Google Maps")]
    items = " · ".join(f'<a href="{esc(href)}" rel="nofollow noopener">{esc(label)}</a>'
                       for href, label in links)
    # The button is wired by the theme's script (no inline handler: pages carry none).
    return (f"## {esc(texts('map'))} {{#map}}\n\n"
            f"<p class=\"heritage-directions\">{esc(texts('directions'))}: {items}</p>\n"
            f'<div class="heritage-map" data-src="{MAP_FILE}" data-title="{esc(texts("map"))}">'
            f'<button type="button" class="{material.BUTTON_CLASS}">'
            f"{esc(texts('show_map'))}</button></div>\n")


def map_docs(config: ProjectConfig, project: Project, language: Language,
             texts: Texts) -> list[PageDoc]:
    """The overview map page, the tours and the open-data page of one language."""
    located = [s for s in project.sites if s.coordinates is not None]
    frame = '<iframe class="heritage-map-frame heritage-map-large" src="map.html" title="{}">' \
            "</iframe>\n"
    overview = (f"{esc(texts('map_intro', count=len(located)))}\n\n"
                + frame.format(esc(texts("map"))) if located else esc(texts("map_none")))
    docs = [PageDoc(language.code, OVERVIEW_DOC, texts("map"), overview, None, menu=0.5)]
    docs.append(PageDoc(language.code, DATA_DOC, texts("open_data"),
                        _data_body(config, project, texts), None, menu=9))
    if project.tours:
        docs.append(_tours_index(project.tours, language, texts))
        docs += [_tour_page(config, project, tour, language, texts) for tour in project.tours]
    return docs


def _tours_index(tours: Sequence[Tour], language: Language, texts: Texts) -> PageDoc:
    items = []
    for tour in tours:
        name = tour.name.resolve(language.code, language.fallbacks)
        about = tour.description.resolve(language.code, language.fallbacks) \
            if tour.description else None
        items.append(f'<li><a href="{tour.id}/"><strong>{esc(name.text if name else tour.id)}'
                     f"</strong></a>{': ' + esc(about.text) if about else ''}</li>")
    return PageDoc(language.code, TOURS_DOC, texts("tours"),
                   "<ul>\n" + "\n".join(items) + "\n</ul>\n", None, menu=0.6)


def tour_legs(tour: Tour, sites: dict[str, HeritageSite]) -> list[tuple[HeritageSite, float]]:
    """The located stops in order, each with the distance from the previous located stop."""
    legs: list[tuple[HeritageSite, float]] = []
    for stop in tour.stops:
        site = sites.get(stop)
        if site is None or site.coordinates is None:
            continue
        previous = legs[-1][0] if legs else None
        legs.append((site, maps.distance_m(_point(previous), _point(site)) if previous else 0.0))
    return legs


def _tour_page(config: ProjectConfig, project: Project, tour: Tour, language: Language,
               texts: Texts) -> PageDoc:
    sites = {site.id: site for site in project.sites}
    here = routes.doc_url_path(language.code, tour_doc(tour.id))
    legs = {site.id: metres for site, metres in tour_legs(tour, sites)}
    rows = []
    for number, stop in enumerate(tour.stops, 1):
        site = sites[stop]
        href = routes.relative_url(here, routes.site_path(language.code, stop))
        leg = (esc(texts("leg", distance=maps.format_distance(legs[stop])))
               if legs.get(stop) else "")
        missing = "" if stop in legs else esc(texts("unverified_location"))
        rows.append(f'<li value="{number}"><a href="{esc(href)}">'
                    f"{esc(_title(site, language))}</a> {leg}{missing}</li>")
    total = maps.format_distance(sum(legs.values()))
    about = tour.description.resolve(language.code, language.fallbacks) \
        if tour.description else None
    gpx = routes.relative_url(here, f"{DATA}/tours/{tour.id}.gpx")
    name = tour.name.resolve(language.code, language.fallbacks)
    # An HTML paragraph, not a Markdown one: the editor's text is escaped, and Markdown
    # syntax in it (a link, an image with attributes) must stay text.
    intro = f'<p class="heritage-tour-about" lang="{about.lang}">{esc(about.text)}</p>' \
        if about else ""
    body = (f"{intro}\n\n"
            f'<iframe class="heritage-map-frame heritage-map-large" src="{MAP_FILE}" '
            f'title="{esc(texts("map"))}"></iframe>\n\n'
            f'<ol class="heritage-stops">\n' + "\n".join(rows) + "\n</ol>\n\n"
            f"<p><strong>{esc(texts('total_distance', distance=total))}</strong> "
            f"<small>{esc(texts('distance_note'))}</small></p>\n\n"
            f'<p><a href="{esc(gpx)}" download>{esc(texts("gpx_download"))}</a></p>\n')
    return PageDoc(language.code, tour_doc(tour.id), name.text if name else tour.id, body,
                   tour.source)


def _data_body(config: ProjectConfig, project: Project, texts: Texts) -> str:
    files = [(GEOJSON, "GeoJSON"), ("sites.kml", "KML"), ("sites.csv", "CSV"),
             *((f"tours/{tour.id}.gpx", f"GPX: {tour.id}") for tour in project.tours)]
    items = "\n".join(f'<li><a href="../../{DATA}/{name}" download>{esc(label)}</a> '
                      f"<code>/{DATA}/{name}</code></li>" for name, label in files)
    return (f"{esc(texts('data_intro', licence=config.data_licence))}\n\n<ul>\n{items}\n</ul>\n")


# --- files outside the docs tree -----------------------------------------------------------

def map_files(config: ProjectConfig, project: Project, cache: Cache | None = None
              ) -> list[OutputFile]:
    """Map pages for every language, the vendored Leaflet, and the open-data exports (kept
    in `cache` while the places, codes, tours, settings and code are what they were)."""
    files = _vendor_files()
    memory = cache.memory("site-maps") if cache is not None else None
    made: dict[tuple[object, ...], bytes] = {}
    for language in config.languages:
        files += _language_maps(config, project, language, Texts(language), memory or {},
                                made)
    if memory is not None:  # the live preview's: what this build made, for the next one
        memory.clear()
        memory.update(made)
    files += open_data(config, project, cache)
    return files


def _vendor_files() -> list[OutputFile]:
    root = maps.vendor_dir()
    return [OutputFile(PurePosixPath(VENDOR, *file.relative_to(root).parts), file.read_bytes())
            for file in sorted(root.rglob("*"))
            if file.is_file() and (file.suffix in (".js", ".css", ".png", ".md", ".txt")
                                   or file.name == "LICENSE")]


class _MapOptions(TypedDict):
    leaflet_base_url: str
    tiles_url: str
    attribution: str
    locate_label: str


def _map_options(config: ProjectConfig, page_path: str, texts: Texts) -> _MapOptions:
    return {"leaflet_base_url": _leaflet(page_path), "tiles_url": config.tiles_url,
            "attribution": config.tiles_attribution, "locate_label": texts("locate_me")}


def _language_maps(config: ProjectConfig, project: Project, language: Language,
                   texts: Texts, last: dict[tuple[object, ...], bytes],
                   made: dict[tuple[object, ...], bytes]) -> list[OutputFile]:
    """The language's map pages; a site's own map page is taken from `last` (the previous
    build's, by all it shows) when it is there, and every one is put in `made`."""
    files = []
    located = [site for site in project.sites if site.coordinates is not None]
    for site in located:
        here = routes.site_path(language.code, site.id)
        point, label, options = _point(site), _title(site, language), \
            _map_options(config, here, texts)
        key = (point, label, *options.values())
        page = last.get(key)
        if page is None:
            page = maps.site_map_html(point, label=label, **options).encode()
        made[key] = page
        files.append(OutputFile(PurePosixPath(here + MAP_FILE), page, site.source))
    here = routes.doc_url_path(language.code, OVERVIEW_DOC)
    if located:  # its markers come from the open data's GeoJSON, one file for every language
        html = maps.overview_map_html(
            routes.relative_url(here, f"{DATA}/{GEOJSON}"), [_point(site) for site in located],
            label_key=f"name_{language.code}", link_key=f"url_{language.code}",
            links_from=(routes.absolute_url(config.site_url, ""), routes.relative_url(here, "./")),
            title=texts("map"), **_map_options(config, here, texts))
        files.append(OutputFile(PurePosixPath(here + MAP_FILE), html.encode()))
    sites = {site.id: site for site in project.sites}
    for tour in project.tours:
        here = routes.doc_url_path(language.code, tour_doc(tour.id))
        stops = [(_point(site), _title(site, language),
                  routes.relative_url(here, routes.site_path(language.code, site.id)))
                 for site, _ in tour_legs(tour, sites)]
        if stops:
            name = tour.name.resolve(language.code, language.fallbacks)
            html = maps.route_map_html(stops, title=name.text if name else tour.id,
                                       **_map_options(config, here, texts))
            files.append(OutputFile(PurePosixPath(here + MAP_FILE), html.encode(),
                                    tour.source))
    return files


def open_data(config: ProjectConfig, project: Project, cache: Cache | None = None
              ) -> list[OutputFile]:
    """`/data/`: sites as GeoJSON, KML and CSV, tours as GPX, issued codes as JSON."""
    places = [_place(config, site) for site in project.sites if site.coordinates is not None]
    key, kept = None, None
    if cache is not None:  # the key is worth making only for a cache
        key = cache_key("open-data", repr(config), repr(places), repr(project.ledger),
                        repr(project.tours),
                        code_digest(Path(__file__), Path(maps.__file__).parent))
        kept = cache.get(key)
    if kept is None:
        kept = _open_data(config, project, places)
        if cache is not None and key is not None:
            cache.put(key, kept)
    return [OutputFile(PurePosixPath(DATA, name), content) for name, content in kept.items()]


def _open_data(config: ProjectConfig, project: Project, places: list[maps.Place]
               ) -> dict[str, bytes]:
    attribution = f"{Texts(config.languages[0])('site_name')}, {config.site_url}"
    licence = config.data_licence
    columns = ["id", "lat", "lon", "type", "accuracy_m", "verified", "code",
               *(f"{key}_{lang}" for lang in config.lang_codes for key in ("name", "url"))]
    files = {
        GEOJSON: maps.to_geojson(places, licence=licence, attribution=attribution),
        "sites.kml": maps.to_kml(places, name_key=f"name_{config.default_lang}",
                                 description_key=f"url_{config.default_lang}",
                                 document_name=attribution, licence=licence,
                                 attribution=attribution),
        "sites.csv": maps.to_csv(places, columns=columns),
        "issued-codes.json": json.dumps(
            [{"code": e.code, "site": e.site, "issued": e.issued, "status": e.status}
             for e in project.ledger], ensure_ascii=False, indent=1) + "\n",
    }
    by_id = {place.id: place for place in places}
    for tour in project.tours:
        name = tour.name.resolve(config.default_lang, ())
        stops = [by_id[stop] for stop in tour.stops if stop in by_id]
        if stops:
            files[f"tours/{tour.id}.gpx"] = maps.to_gpx(
                name.text if name else tour.id, stops, route=True, licence=licence,
                attribution=attribution, creator="heritage-site-generator",
                name_key=f"name_{config.default_lang}", link_key=f"url_{config.default_lang}")
    return {name: text.encode() for name, text in files.items()}


def _place(config: ProjectConfig, site: HeritageSite) -> maps.Place:
    assert site.coordinates is not None
    properties = {"type": site.type, "verified": str(site.coordinates.verified).lower(),
                  "accuracy_m": f"{site.coordinates.accuracy_m:g}"
                  if site.coordinates.accuracy_m else "", "code": site.code or ""}
    for language in config.languages:
        properties[f"name_{language.code}"] = _title(site, language)
        properties[f"url_{language.code}"] = routes.absolute_url(
            config.site_url, routes.site_path(language.code, site.id))
    return maps.Place(site.id, site.coordinates.lat, site.coordinates.lon, properties)
