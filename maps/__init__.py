"""maps: a small leaf library for the heritage-site generator.

Geo maths (distances, bearings, nearest places), open-data exports (GeoJSON, KML, CSV, GPX),
light Leaflet map pages that load only self-hosted files, and a printable PDF map. It takes
plain values and returns text or bytes; it knows nothing about sites, languages, YAML or MkDocs.
"""

from __future__ import annotations

from .export import Place, lon_lat, to_csv, to_geojson, to_gpx, to_kml
from .geo import (
    EARTH_RADIUS_M,
    LatLon,
    compass_point,
    distance_m,
    format_distance,
    initial_bearing_deg,
    nearest,
    path_length_m,
)
from .printmap import MapFonts, MapMarker, marker_positions, printable_map_pdf, sheet_tags
from .web import overview_map_html, route_map_html, site_map_html, vendor_dir

__all__ = [
    "EARTH_RADIUS_M",
    "LatLon",
    "MapFonts",
    "MapMarker",
    "Place",
    "compass_point",
    "distance_m",
    "format_distance",
    "initial_bearing_deg",
    "lon_lat",
    "marker_positions",
    "nearest",
    "overview_map_html",
    "path_length_m",
    "printable_map_pdf",
    "route_map_html",
    "sheet_tags",
    "site_map_html",
    "to_csv",
    "to_geojson",
    "to_gpx",
    "to_kml",
    "vendor_dir",
]
