"""Nearby sites with distance and compass direction: works with no map at all."""

from __future__ import annotations

from collections.abc import Sequence

from generator.model import HeritageSite
from maps.geo import LatLon, compass_point, format_distance, nearest


def nearby_sites(site: HeritageSite, sites: Sequence[HeritageSite], *, count: int,
                 max_m: float) -> list[tuple[HeritageSite, str, str | None]]:
    """(site, "350 m", "NE") for the closest other sites, nearest first.

    The direction is None when the two points' uncertainty is as large as the distance
    between them: a compass point would then be a guess.
    """
    if site.coordinates is None or count <= 0:
        return []
    by_id = {s.id: s for s in sites}
    others = [(s.id, LatLon(s.coordinates.lat, s.coordinates.lon))
              for s in sites if s.coordinates is not None and s.id != site.id]
    origin = LatLon(site.coordinates.lat, site.coordinates.lon)
    found = nearest(origin, others, limit=count, max_m=max_m)
    return [(by_id[key], format_distance(metres),
             None if metres <= _uncertainty(site) + _uncertainty(by_id[key])
             else compass_point(bearing))
            for key, metres, bearing in found]


def _uncertainty(site: HeritageSite) -> float:
    return (site.coordinates.accuracy_m or 0) if site.coordinates else 0
