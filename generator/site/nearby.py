"""Nearby sites with distance and compass direction: works with no map at all.

A province has a thousand sites and five languages, so the neighbours are found once per site
(not once per page) and only among the sites in the grid cells around it: cells as wide as the
largest distance shown, so no neighbour within it is ever missed. With a cache, the answers for
every site are kept under the sites' positions: an edit that moves no site finds them again.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path

from generator.core.cache import Cache, cache_key, code_digest
from generator.core.model import HeritageSite
from maps import geo
from maps.geo import EARTH_RADIUS_M, LatLon, compass_point, format_distance, nearest

Found = list[tuple[HeritageSite, str, str | None]]


class Nearby:
    """The closest other sites of every located site, computed on first ask."""

    def __init__(self, sites: Sequence[HeritageSite], *, count: int, max_m: float,
                 cache: Cache | None = None) -> None:
        self.count, self.max_m = count, max_m
        self._cell_deg = max(math.degrees(max_m / EARTH_RADIUS_M), 1e-6)
        self._by_id = {s.id: s for s in sites}
        # Longitude cells narrow towards the poles: one factor for the whole grid, taken at the
        # located site farthest from the equator, keeps every cell at least max_m wide.
        farthest = max((abs(s.coordinates.lat) for s in sites if s.coordinates), default=0.0)
        self._stretch = max(math.cos(math.radians(min(farthest + self._cell_deg, 89.0))), 0.01)
        self._cells: dict[tuple[int, int], list[tuple[str, LatLon]]] = {}
        for site in sites:
            if site.coordinates is not None:
                point = LatLon(site.coordinates.lat, site.coordinates.lon)
                self._cells.setdefault(self._cell(point), []).append((site.id, point))
        self._found: dict[str, Found] = {}
        if cache is not None:
            self._keep(sites, cache)

    def _keep(self, sites: Sequence[HeritageSite], cache: Cache) -> None:
        """Every site's answer, from the cache when the positions are the same, else found
        now and kept."""
        located = [site for site in sites if site.coordinates is not None]
        key = cache_key("nearby", self.count, self.max_m,
                        code_digest(Path(__file__), Path(geo.__file__)),
                        [[site.id, site.coordinates.lat, site.coordinates.lon,
                          site.coordinates.accuracy_m] for site in located if site.coordinates])
        entry = cache.get(key)
        try:
            kept = json.loads(entry["found"]) if entry else None
            self._found = {site_id: [(self._by_id[other], distance, direction)
                                     for other, distance, direction in found]
                           for site_id, found in kept.items()} if kept else {}
        except (ValueError, KeyError, TypeError, AttributeError):
            self._found = {}
        if len(self._found) == len(located) and all(s.id in self._found for s in located):
            return
        answers = {site.id: [[other.id, distance, direction]
                             for other, distance, direction in self.of(site)]
                   for site in located}
        cache.put(key, {"found": json.dumps(answers, ensure_ascii=False).encode()})

    def _cell(self, point: LatLon) -> tuple[int, int]:
        return (math.floor(point.lat / self._cell_deg),
                math.floor(point.lon * self._stretch / self._cell_deg))

    def of(self, site: HeritageSite) -> Found:
        """(site, "350 m", "NE") for the closest other sites, nearest first.

        The direction is None when the two points' uncertainty is as large as the distance
        between them: a compass point would then be a guess.
        """
        if site.coordinates is None or self.count <= 0:
            return []
        if site.id not in self._found:
            origin = LatLon(site.coordinates.lat, site.coordinates.lon)
            row, column = self._cell(origin)
            others = [(key, point) for dr in (-1, 0, 1) for dc in (-1, 0, 1)
                      for key, point in self._cells.get((row + dr, column + dc), ())
                      if key != site.id]
            found = nearest(origin, others, limit=self.count, max_m=self.max_m)
            self._found[site.id] = [
                (self._by_id[key], format_distance(metres),
                 None if metres <= _uncertainty(site) + _uncertainty(self._by_id[key])
                 else compass_point(bearing))
                for key, metres, bearing in found]
        return self._found[site.id]


def nearby_sites(site: HeritageSite, sites: Sequence[HeritageSite], *, count: int,
                 max_m: float) -> Found:
    """The closest other sites of one site (see Nearby.of)."""
    return Nearby(sites, count=count, max_m=max_m).of(site)


def _uncertainty(site: HeritageSite) -> float:
    return (site.coordinates.accuracy_m or 0) if site.coordinates else 0
