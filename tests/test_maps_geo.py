"""maps.geo: distances, bearings, compass points, nearest places, distance text."""

from __future__ import annotations

import math

import pytest

from maps.geo import (
    EARTH_RADIUS_M,
    LatLon,
    compass_point,
    distance_m,
    format_distance,
    initial_bearing_deg,
    nearest,
    path_length_m,
)

WATER_TOWER = LatLon(10.92912, 108.09992)
DUC_THANH_SCHOOL = LatLon(10.92872, 108.09583)


def law_of_cosines_m(a: LatLon, b: LatLon) -> float:
    """An independent great-circle formula (spherical law of cosines) to check haversine."""
    phi1, phi2 = math.radians(a.lat), math.radians(b.lat)
    d_lambda = math.radians(b.lon - a.lon)
    cos_c = math.sin(phi1) * math.sin(phi2) + math.cos(phi1) * math.cos(phi2) * math.cos(d_lambda)
    return EARTH_RADIUS_M * math.acos(max(-1.0, min(1.0, cos_c)))


def test_water_tower_to_duc_thanh_school_is_about_450_m():
    metres = distance_m(WATER_TOWER, DUC_THANH_SCHOOL)
    assert metres == pytest.approx(450, rel=0.01)
    assert metres == pytest.approx(law_of_cosines_m(WATER_TOWER, DUC_THANH_SCHOOL), rel=0.005)


def test_distance_agrees_with_the_wgs84_ellipsoid():
    geodesic = pytest.importorskip("geographiclib.geodesic").Geodesic.WGS84
    a, b = WATER_TOWER, DUC_THANH_SCHOOL
    exact = geodesic.Inverse(a.lat, a.lon, b.lat, b.lon)
    assert distance_m(a, b) == pytest.approx(exact["s12"], rel=0.005)
    assert initial_bearing_deg(a, b) == pytest.approx(exact["azi1"] % 360, abs=0.5)


@pytest.mark.parametrize(
    ("a", "b", "expected_m"),
    [
        (LatLon(0, 0), LatLon(0, 1), 2 * math.pi * EARTH_RADIUS_M / 360),
        (LatLon(0, 0), LatLon(1, 0), 2 * math.pi * EARTH_RADIUS_M / 360),
        (LatLon(90, 0), LatLon(-90, 0), math.pi * EARTH_RADIUS_M),
        (LatLon(0, 0), LatLon(0, 180), math.pi * EARTH_RADIUS_M),
        (LatLon(0, 179.5), LatLon(0, -179.5), 2 * math.pi * EARTH_RADIUS_M / 360),
        (WATER_TOWER, WATER_TOWER, 0.0),
    ],
)
def test_known_distances(a, b, expected_m):
    assert distance_m(a, b) == pytest.approx(expected_m, abs=1e-6)
    assert distance_m(b, a) == pytest.approx(expected_m, abs=1e-6)


def test_path_length_adds_the_legs_in_order():
    stops = [LatLon(0, 0), LatLon(0, 1), LatLon(0, 2)]
    assert path_length_m(stops) == pytest.approx(2 * distance_m(stops[0], stops[1]))
    assert path_length_m(stops[:1]) == 0.0
    assert path_length_m([]) == 0.0


@pytest.mark.parametrize(
    ("to", "expected"),
    [
        (LatLon(1, 0), 0.0),
        (LatLon(0, 1), 90.0),
        (LatLon(-1, 0), 180.0),
        (LatLon(0, -1), 270.0),
        (LatLon(0.001, 0.001), 45.0),
        (LatLon(-0.001, 0.001), 135.0),
        (LatLon(-0.001, -0.001), 225.0),
        (LatLon(0.001, -0.001), 315.0),
    ],
)
def test_bearings_from_null_island(to, expected):
    assert initial_bearing_deg(LatLon(0, 0), to) == pytest.approx(expected, abs=1e-3)


def test_bearing_is_in_range_and_zero_for_the_same_point():
    assert initial_bearing_deg(WATER_TOWER, WATER_TOWER) == 0.0
    bearing = initial_bearing_deg(WATER_TOWER, DUC_THANH_SCHOOL)
    assert 0.0 <= bearing < 360.0
    assert compass_point(bearing) == "W"  # the school is west of the water tower


@pytest.mark.parametrize(
    ("bearing", "points", "expected"),
    [
        (0, 8, "N"),
        (22.4999, 8, "N"),
        (22.5, 8, "NE"),
        (45, 8, "NE"),
        (67.4999, 8, "NE"),
        (67.5, 8, "E"),
        (180, 8, "S"),
        (292.5, 8, "NW"),
        (337.4999, 8, "NW"),
        (337.5, 8, "N"),
        (359.9999, 8, "N"),
        (360, 8, "N"),
        (720 + 90, 8, "E"),
        (-45, 8, "NW"),
        (11.2499, 16, "N"),
        (11.25, 16, "NNE"),
        (22.5, 16, "NNE"),
        (45, 16, "NE"),
        (348.7499, 16, "NNW"),
        (348.75, 16, "N"),
        (360, 16, "N"),
    ],
)
def test_compass_point_boundaries(bearing, points, expected):
    assert compass_point(bearing, points=points) == expected


@pytest.mark.parametrize(("bearing", "points"), [(0, 4), (0, 32), (math.nan, 8), (math.inf, 8)])
def test_compass_point_rejects_bad_input(bearing, points):
    with pytest.raises(ValueError):
        compass_point(bearing, points=points)


def test_nearest_sorts_by_distance_then_key():
    origin = LatLon(0, 0)
    others = [
        ("far", LatLon(0, 0.05)),
        ("west", LatLon(0, -0.01)),  # ties with "east": the key decides, not input order
        ("east", LatLon(0, 0.01)),
        ("close", LatLon(0.001, 0)),
    ]
    found = nearest(origin, others, limit=10)
    assert [key for key, _, _ in found] == ["close", "east", "west", "far"]
    assert found[1][1] == pytest.approx(distance_m(origin, LatLon(0, 0.01)))
    assert found[1][2] == pytest.approx(90.0)
    assert found[2][2] == pytest.approx(270.0)
    assert nearest(origin, list(reversed(others)), limit=10) == found


def test_nearest_limit_and_max_distance():
    origin = WATER_TOWER
    others = [("school", DUC_THANH_SCHOOL), ("self", WATER_TOWER), ("north", LatLon(11.5, 108.1))]
    assert [key for key, _, _ in nearest(origin, others, limit=2)] == ["self", "school"]
    assert [key for key, _, _ in nearest(origin, others, limit=5, max_m=500)] == ["self", "school"]
    assert nearest(origin, others, limit=5, max_m=0) == [("self", 0.0, 0.0)]
    assert nearest(origin, others, limit=0) == []
    assert nearest(origin, iter([]), limit=3) == []


@pytest.mark.parametrize(("limit", "max_m"), [(-1, None), (1.5, None), (True, None), (1, -1.0)])
def test_nearest_rejects_bad_limits(limit, max_m):
    with pytest.raises(ValueError):
        nearest(WATER_TOWER, [], limit=limit, max_m=max_m)


@pytest.mark.parametrize(
    ("lat", "lon"),
    [(90.0001, 0), (-90.0001, 0), (0, 180.0001), (0, -180.0001), (math.nan, 0), (0, math.inf)],
)
def test_latlon_rejects_out_of_range(lat, lon):
    with pytest.raises(ValueError):
        LatLon(lat, lon)


@pytest.mark.parametrize(("lat", "lon"), [("10.9", 108.1), (10.9, None), (True, 108.1)])
def test_latlon_rejects_non_numbers(lat, lon):
    with pytest.raises(TypeError):
        LatLon(lat, lon)


def test_latlon_accepts_the_edges_and_stores_floats():
    assert LatLon(90, 180) == LatLon(90.0, 180.0)
    assert isinstance(LatLon(-90, -180).lat, float)
    with pytest.raises(AttributeError):
        WATER_TOWER.lat = 0.0  # frozen


@pytest.mark.parametrize(
    ("metres", "text"),
    [
        (0, "0 m"),
        (4.9, "0 m"),
        (5, "10 m"),
        (344.9, "340 m"),
        (345, "350 m"),
        (449.28, "450 m"),
        (994.9, "990 m"),
        (995, "1.0 km"),
        (1000, "1.0 km"),
        (1249.9, "1.2 km"),
        (1250, "1.3 km"),
        (12_345.6, "12.3 km"),
        (1_234_567, "1234.6 km"),
    ],
)
def test_format_distance_rounding(metres, text):
    assert format_distance(metres) == text


@pytest.mark.parametrize("metres", [-1, math.nan, math.inf])
def test_format_distance_rejects_impossible_distances(metres):
    with pytest.raises(ValueError):
        format_distance(metres)
