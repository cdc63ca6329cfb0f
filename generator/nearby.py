"""Nearby sites with distance and compass direction: works with no map at all."""

from __future__ import annotations

from collections.abc import Sequence

from generator.model import HeritageSite
from maps.geo import LatLon, compass_point, format_distance, nearest


def nearby_sites(site: HeritageSite, sites: Sequence[HeritageSite], *, count: int,
                 max_m: float) -> list[tuple[HeritageSite, str, str]]:
    """(site, "350 m", "NE") for the closest other sites, nearest first."""
    if site.coordinates is None or count <= 0:
        return []
    by_id = {s.id: s for s in sites}
    others = [(s.id, LatLon(s.coordinates.lat, s.coordinates.lon))
              for s in sites if s.coordinates is not None and s.id != site.id]
    origin = LatLon(site.coordinates.lat, site.coordinates.lon)
    return [(by_id[key], format_distance(metres), compass_point(bearing))
            for key, metres, bearing in nearest(origin, others, limit=count, max_m=max_m)]
