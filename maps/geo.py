"""Geographic maths on a sphere: distances, bearings, compass points, nearest places.

Everything here is plain arithmetic on WGS84 latitude/longitude in degrees, so that "nearby
sites, with distance and direction" works without any map or network.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise
from typing import Any, Protocol, TypeVar

__all__ = [
    "EARTH_RADIUS_M",
    "LatLon",
    "compass_point",
    "distance_m",
    "format_distance",
    "initial_bearing_deg",
    "nearest",
    "path_length_m",
]

EARTH_RADIUS_M = 6_371_008.8
"""Mean Earth radius (IUGG R1). A sphere is off by at most ~0.5 % from the WGS84 ellipsoid,
which is far below what a walking visitor can notice."""

_COMPASS_8 = ("N", "NE", "E", "SE", "S", "SW", "W", "NW")
_COMPASS_16 = (
    "N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE",
    "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW",
)  # fmt: skip
_COMPASS = {8: _COMPASS_8, 16: _COMPASS_16}


def _check_number(name: str, value: object) -> float:
    """Return value as a finite float; reject bools and strings, which float() would accept."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number, not {type(value).__name__}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return number


@dataclass(frozen=True)
class LatLon:
    """A WGS84 position in decimal degrees; invalid ranges fail at construction, not on a map."""

    lat: float
    lon: float

    def __post_init__(self) -> None:
        lat = _check_number("lat", self.lat)
        lon = _check_number("lon", self.lon)
        if not -90.0 <= lat <= 90.0:
            raise ValueError(f"lat must be between -90 and 90, got {lat!r}")
        if not -180.0 <= lon <= 180.0:
            raise ValueError(f"lon must be between -180 and 180, got {lon!r}")
        # Store floats even when ints were given, so equal positions compare and hash equal.
        object.__setattr__(self, "lat", lat)
        object.__setattr__(self, "lon", lon)


def distance_m(a: LatLon, b: LatLon) -> float:
    """Great-circle distance in metres (haversine on a sphere of radius EARTH_RADIUS_M)."""
    phi1, phi2 = math.radians(a.lat), math.radians(b.lat)
    d_phi = phi2 - phi1
    d_lambda = math.radians(b.lon - a.lon)
    h = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    # min() guards against h creeping above 1 through rounding for antipodal points.
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, h)))


def path_length_m(points: Sequence[LatLon]) -> float:
    """Length of a path through points in order (e.g. a walking tour), as straight legs."""
    return sum(distance_m(a, b) for a, b in pairwise(points))


def initial_bearing_deg(a: LatLon, b: LatLon) -> float:
    """Initial great-circle bearing from a to b in [0, 360), 0 = north, 90 = east.

    Identical points have no direction; they return 0.
    """
    phi1, phi2 = math.radians(a.lat), math.radians(b.lat)
    d_lambda = math.radians(b.lon - a.lon)
    y = math.sin(d_lambda) * math.cos(phi2)
    x = math.cos(phi1) * math.sin(phi2) - math.sin(phi1) * math.cos(phi2) * math.cos(d_lambda)
    bearing = math.degrees(math.atan2(y, x)) % 360.0
    # -1e-15 % 360 rounds to 360.0, which is outside the documented range.
    return 0.0 if bearing == 360.0 else bearing


def compass_point(bearing_deg: float, points: int = 8) -> str:
    """Name the compass sector of a bearing: one of N, NE, ... NW (8) or N, NNE, ... NNW (16).

    Each sector is centred on its direction; a bearing exactly on a boundary belongs to the
    next sector clockwise (22.5 -> NE, 337.5 -> N with 8 points). The caller translates the
    returned abbreviation for its readers.
    """
    names = _COMPASS.get(points)
    if names is None:
        raise ValueError(f"points must be 8 or 16, got {points!r}")
    bearing = _check_number("bearing_deg", bearing_deg) % 360.0
    sector = 360.0 / points
    return names[int((bearing + sector / 2) // sector) % points]


class _Ordered(Protocol):
    def __lt__(self, other: Any, /) -> bool: ...  # as typeshed's: str's takes only str


K = TypeVar("K", bound=_Ordered)


def nearest(
    origin: LatLon,
    others: Iterable[tuple[K, LatLon]],
    *,
    limit: int,
    max_m: float | None = None,
) -> list[tuple[K, float, float]]:
    """The closest others as (key, distance_m, bearing_deg), nearest first.

    Ties in distance are broken by key so the order never depends on input order. Points
    farther than max_m are dropped. The origin itself is not excluded: leave it out of others.
    """
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        raise ValueError(f"limit must be a non-negative integer, got {limit!r}")
    if max_m is not None and _check_number("max_m", max_m) < 0:
        raise ValueError(f"max_m must not be negative, got {max_m!r}")
    found = [(key, distance_m(origin, where), where) for key, where in others]
    if max_m is not None:
        found = [item for item in found if item[1] <= max_m]
    found.sort(key=lambda item: (item[1], item[0]))
    return [(key, dist, initial_bearing_deg(origin, where)) for key, dist, where in found[:limit]]


def format_distance(metres: float) -> str:
    """Format a distance for people: "350 m" below 1 km, else "1.2 km".

    Rounding is half-up: below 1 km to the nearest 10 m, otherwise to the nearest 0.1 km (so
    995 m reads "1.0 km"). Numerals use "." and no thousands separator; the caller replaces the
    decimal mark if its language wants another.
    """
    value = _check_number("metres", metres)
    if value < 0:
        raise ValueError(f"a distance cannot be negative, got {metres!r}")
    exact = Decimal(value + 0.0)  # + 0.0 turns -0.0 into 0.0
    tens = (exact / 10).quantize(Decimal(1), rounding=ROUND_HALF_UP) * 10
    if tens < 1000:
        return f"{tens:f} m"
    km = (exact / 1000).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{km:f} km"
