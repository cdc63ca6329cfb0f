"""maps: a small leaf library for the heritage-site generator.

Geo maths (distances, bearings, nearest places), open-data exports (GeoJSON, KML, CSV, GPX)
and light Leaflet map pages that load only self-hosted files. It takes plain values and
returns text; it knows nothing about sites, languages, YAML or MkDocs.
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
from .web import overview_map_html, route_map_html, site_map_html, vendor_dir

__all__ = [
    "EARTH_RADIUS_M",
    "LatLon",
    "Place",
    "compass_point",
    "distance_m",
    "format_distance",
    "initial_bearing_deg",
    "lon_lat",
    "nearest",
    "overview_map_html",
    "path_length_m",
    "route_map_html",
    "site_map_html",
    "to_csv",
    "to_geojson",
    "to_gpx",
    "to_kml",
    "vendor_dir",
]
