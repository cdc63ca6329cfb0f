"""Open-data exports of places: GeoJSON, KML, CSV and GPX, as deterministic text.

Same input gives the same bytes: places are sorted by id (GPX keeps the caller's order, since
a tour is ordered), keys are sorted, coordinates are rounded to 6 decimals (about 0.1 m) and
nothing depends on the clock.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from types import MappingProxyType

from .geo import LatLon

__all__ = ["Place", "inert_cell", "lon_lat", "restore_cell", "to_csv", "to_geojson",
           "to_gpx", "to_kml"]

_RESERVED_KEYS = frozenset({"id", "lat", "lon"})
# Characters that XML 1.0 cannot carry at all, even escaped.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Cells starting with these are run as formulas by spreadsheets (OWASP "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_GPX_NS = "http://www.topografix.com/GPX/1/1"
_KML_NS = "http://www.opengis.net/kml/2.2"
_XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
_XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


@dataclass(frozen=True)
class Place:
    """One point to export, with flat string properties such as name_vi, name_en, url_vi."""

    id: str
    lat: float
    lon: float
    properties: Mapping[str, str] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id:
            raise ValueError(f"a place id must be a non-empty string, got {self.id!r}")
        where = LatLon(self.lat, self.lon)  # validates the ranges
        object.__setattr__(self, "lat", where.lat)
        object.__setattr__(self, "lon", where.lon)
        for key, value in self.properties.items():
            if not isinstance(key, str) or not isinstance(value, str):
                raise TypeError(f"place {self.id!r}: properties must map str to str")
            if key in _RESERVED_KEYS:
                raise ValueError(f"place {self.id!r}: property {key!r} clashes with a column")
        # A read-only copy, sorted, so later changes to the caller's dict cannot leak in.
        frozen = MappingProxyType(dict(sorted(self.properties.items())))
        object.__setattr__(self, "properties", frozen)

    @property
    def position(self) -> LatLon:
        """The place as a LatLon, for the geo functions."""
        return LatLon(self.lat, self.lon)


def _round_coordinate(value: float) -> float:
    """Round to 6 decimals (~0.1 m); + 0.0 turns -0.0 into 0.0."""
    return round(value, 6) + 0.0


def _coordinate_text(value: float) -> str:
    """A rounded coordinate as plain decimal text (never 1e-06: xsd:decimal forbids exponents)."""
    text = f"{_round_coordinate(value):.6f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def lon_lat(place: Place) -> tuple[float, float]:
    """The (longitude, latitude) order of GeoJSON and KML: the one place that swaps the axes."""
    return (_round_coordinate(place.lon), _round_coordinate(place.lat))


def _sorted_unique(places: Iterable[Place]) -> list[Place]:
    """Places sorted by id; two places with one id would make every export ambiguous."""
    ordered = sorted(places, key=lambda place: place.id)
    for first, second in pairwise(ordered):
        if first.id == second.id:
            raise ValueError(f"two places have the id {first.id!r}")
    return ordered


def _required(place: Place, key: str) -> str:
    """A property the export needs, with an error naming the place when it is missing."""
    try:
        return place.properties[key]
    except KeyError:
        raise ValueError(f"place {place.id!r} has no property {key!r}") from None


# --- GeoJSON --------------------------------------------------------------------------------


def _feature(place: Place) -> dict[str, object]:
    return {
        "type": "Feature",
        "id": place.id,
        "geometry": {"type": "Point", "coordinates": list(lon_lat(place))},
        "properties": dict(place.properties),
    }


def to_geojson(places: Iterable[Place], *, licence: str, attribution: str) -> str:
    """An RFC 7946 FeatureCollection of points, with "license" and "attribution" members.

    Licence and attribution are top-level foreign members (RFC 7946 §6.1), so they travel with
    the file. Output is UTF-8 text with sorted keys and a final newline.
    """
    collection = {
        "type": "FeatureCollection",
        "license": licence,
        "attribution": attribution,
        "features": [_feature(place) for place in _sorted_unique(places)],
    }
    return json.dumps(collection, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


# --- XML helpers ----------------------------------------------------------------------------


def _xml_text(value: str, where: str) -> str:
    """Text safe for XML 1.0; control characters cannot be escaped there, so they are refused."""
    match = _XML_ILLEGAL.search(value)
    if match:
        raise ValueError(f"{where}: character U+{ord(match.group()):04X} is not allowed in XML")
    return value


def _check_xml_place(place: Place) -> None:
    """Refuse XML-illegal characters up front, naming the place and property at fault."""
    for key, value in {"id": place.id, **place.properties}.items():
        _xml_text(key, f"place {place.id!r}")
        _xml_text(value, f"place {place.id!r}, property {key!r}")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    child = ET.SubElement(parent, tag, {k: _xml_text(v, f"{tag}@{k}") for k, v in attrs.items()})
    if text is not None:
        child.text = _xml_text(text, tag)
    return child


def _serialise(root: ET.Element) -> str:
    ET.indent(root, space="  ")
    return _XML_DECLARATION + ET.tostring(root, encoding="unicode") + "\n"


# --- KML ------------------------------------------------------------------------------------


def _placemark(
    parent: ET.Element, place: Place, name_key: str, description_key: str | None
) -> None:
    _check_xml_place(place)
    mark = _sub(parent, "Placemark")
    _sub(mark, "name", _required(place, name_key))
    if description_key is not None and description_key in place.properties:
        # KML <description> is rendered as HTML by Google Earth: escape so text stays text.
        text = html.escape(place.properties[description_key], quote=False)
        _sub(mark, "description", text)
    data = _sub(mark, "ExtendedData")
    for key, value in {"id": place.id, **place.properties}.items():
        _sub(_sub(data, "Data", name=key), "value", value)
    point = _sub(mark, "Point")
    _sub(point, "coordinates", ",".join(_coordinate_text(v) for v in lon_lat(place)))


def to_kml(
    places: Iterable[Place],
    *,
    name_key: str,
    description_key: str | None,
    document_name: str,
    licence: str,
    attribution: str,
) -> str:
    """A KML 2.2 document with one Placemark per place, sorted by id.

    Every property (and the id) is kept as ExtendedData; licence and attribution are
    ExtendedData of the Document, so the file carries its own terms.
    """
    root = ET.Element("kml", {"xmlns": _KML_NS})
    document = _sub(root, "Document")
    _sub(document, "name", document_name)
    terms = _sub(document, "ExtendedData")
    for key, value in (("license", licence), ("attribution", attribution)):
        _sub(_sub(terms, "Data", name=key), "value", value)
    for place in _sorted_unique(places):
        _placemark(document, place, name_key, description_key)
    return _serialise(root)


# --- CSV ------------------------------------------------------------------------------------


def _cell(place: Place, column: str) -> str:
    if column == "id":
        return place.id
    if column in ("lat", "lon"):
        return _coordinate_text(getattr(place, column))
    value = place.properties.get(column, "")
    # A leading apostrophe keeps spreadsheets from running editor text as a formula.
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def inert_cell(value: str) -> str:
    """`value` as a cell that spreadsheets show as text and never run: a leading apostrophe
    before a formula start, and before a leading apostrophe, so restore_cell undoes exactly
    what this did (for files that come back, like the editors' spreadsheet)."""
    return "'" + value if value.startswith((*_FORMULA_STARTS, "'")) else value


def restore_cell(cell: str) -> str:
    """The value inert_cell was given."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith((*_FORMULA_STARTS, "'")) \
        else cell


def to_csv(places: Iterable[Place], *, columns: Sequence[str], excel_bom: bool = True) -> str:
    """CSV with a header row: columns are "id", "lat", "lon" or property keys.

    Quoting follows RFC 4180 (fields with a comma, quote or newline are quoted, quotes
    doubled), but lines end with "\\n", not CRLF: spreadsheets and csv readers accept both, and
    "\\n" keeps the file identical on every OS and diffable in git. excel_bom prefixes U+FEFF
    because Excel reads UTF-8 without it as a legacy code page and garbles Vietnamese;
    programs should read the file with encoding "utf-8-sig". A missing property is an empty
    cell; a column that no place has is an error (it is a typo). Text cells starting with
    = + - @ get a leading apostrophe so a spreadsheet does not evaluate them.
    """
    ordered = _sorted_unique(places)
    _check_columns(columns, ordered)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(columns)
    for place in ordered:
        writer.writerow([_cell(place, column) for column in columns])
    return ("\ufeff" if excel_bom else "") + out.getvalue()


def _check_columns(columns: Sequence[str], places: Sequence[Place]) -> None:
    if isinstance(columns, str) or not columns:
        raise ValueError("columns must be a non-empty sequence of names")
    if len(set(columns)) != len(columns):
        raise ValueError(f"columns repeat a name: {list(columns)!r}")
    known = set(_RESERVED_KEYS).union(*(place.properties for place in places))
    unknown = [column for column in columns if column not in known]
    if places and unknown:
        raise ValueError(f"no place has the column(s) {unknown!r}")


# --- GPX ------------------------------------------------------------------------------------


def _gpx_lon(value: float) -> str:
    # GPX longitudes are in [-180, 180): 180 is written as the same meridian, -180.
    return _coordinate_text(-180.0 if value == 180.0 else value)


def _point(parent: ET.Element, tag: str, place: Place, name_key: str, link_key: str | None) -> None:
    _check_xml_place(place)
    point = _sub(parent, tag, lat=_coordinate_text(place.lat), lon=_gpx_lon(place.lon))
    _sub(point, "name", _required(place, name_key))
    if link_key is not None and link_key in place.properties:
        _sub(point, "link", href=place.properties[link_key])


def _bounds(parent: ET.Element, places: Sequence[Place]) -> None:
    lats = [place.lat for place in places]
    lons = [float(_gpx_lon(place.lon)) for place in places]
    _sub(
        parent,
        "bounds",
        minlat=_coordinate_text(min(lats)),
        minlon=_coordinate_text(min(lons)),
        maxlat=_coordinate_text(max(lats)),
        maxlon=_coordinate_text(max(lons)),
    )


def to_gpx(
    name: str,
    waypoints: Sequence[Place],
    *,
    route: bool,
    licence: str,
    attribution: str,
    creator: str,
    name_key: str = "name",
    link_key: str | None = None,
) -> str:
    """A GPX 1.1 file: the waypoints in the given order, plus a <rte> through them if route.

    licence should be a URL (GPX types it xsd:anyURI); attribution becomes the copyright
    author. No timestamps are written, so the output is deterministic.
    """
    root = ET.Element(
        "gpx",
        {
            "xmlns": _GPX_NS,
            "xmlns:xsi": _XSI_NS,
            "xsi:schemaLocation": f"{_GPX_NS} {_GPX_NS}/gpx.xsd",
            "version": "1.1",
            "creator": _xml_text(creator, "creator"),
        },
    )
    metadata = _sub(root, "metadata")
    _sub(metadata, "name", name)
    copyright_ = _sub(metadata, "copyright", author=attribution)
    _sub(copyright_, "license", licence)
    if waypoints:
        _bounds(metadata, waypoints)
    for place in waypoints:
        _point(root, "wpt", place, name_key, link_key)
    if route:
        rte = _sub(root, "rte")
        _sub(rte, "name", name)
        for place in waypoints:
            _point(rte, "rtept", place, name_key, link_key)
    return _serialise(root)
